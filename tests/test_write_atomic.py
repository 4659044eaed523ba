"""Atomic writes leave no temporary file, however they end."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from gs1ld import _files
from gs1ld._files import write_atomic


def test_the_file_is_written_whole_and_alone(tmp_path: Path) -> None:
    target = tmp_path / "out" / "a.jsonld"
    write_atomic(target, b"{}\n")
    assert target.read_bytes() == b"{}\n"
    assert [p.name for p in target.parent.iterdir()] == ["a.jsonld"]


def test_an_interrupt_as_the_temporary_file_is_created_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C can land the moment ``os.open`` returns, before the next statement runs."""
    real_open = os.open

    def open_then_interrupted(*args: Any) -> int:
        os.close(real_open(*args))  # the temporary file now exists
        raise KeyboardInterrupt

    monkeypatch.setattr(_files.os, "open", open_then_interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(tmp_path / "a.jsonld", b"{}\n")
    assert list(tmp_path.iterdir()) == []


def test_another_writers_temporary_file_is_not_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    taken = tmp_path / ".a.jsonld.000000000000.tmp"
    taken.write_bytes(b"theirs")
    monkeypatch.setattr(_files.secrets, "token_hex", lambda size: "0" * 2 * size)
    with pytest.raises(FileExistsError):
        write_atomic(tmp_path / "a.jsonld", b"{}\n")
    assert taken.read_bytes() == b"theirs"
