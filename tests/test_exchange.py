"""Two folders swapped in one step, where the system can."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from gs1ld._exchange import exchange


def _folder(path: Path, text: str) -> Path:
    path.mkdir()
    (path / "index.html").write_text(text, "utf-8")
    return path


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
def test_two_folders_trade_places(tmp_path: Path) -> None:
    old, new = _folder(tmp_path / "v", "old"), _folder(tmp_path / "staged", "new")
    assert exchange(new, old)
    assert (old / "index.html").read_text("utf-8") == "new"
    assert (new / "index.html").read_text("utf-8") == "old"


def test_a_missing_path_is_an_error_and_changes_nothing(tmp_path: Path) -> None:
    kept = _folder(tmp_path / "v", "kept")
    try:
        swapped = exchange(tmp_path / "missing", kept)
    except FileNotFoundError:
        swapped = False
    assert not swapped
    assert (kept / "index.html").read_text("utf-8") == "kept"
