"""Removing a directory tree reads each directory as it goes and never follows a link."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gs1ld._tree import remove_tree


def _tree(root: Path) -> Path:
    for n in range(300):  # more entries than one read of the directory returns
        folder = root / "01" / f"{n:014d}"
        folder.mkdir(parents=True)
        (folder / "index.html").write_text("page")
        (folder / "linkset.json").write_text("{}")
    (root / "index" / "name").mkdir(parents=True)
    (root / "index" / "name" / "2.html").write_text("page 2")
    (root / "manifest.json").write_text("{}")
    return root


def test_the_whole_tree_goes_and_a_link_out_of_it_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("keep")
    site = _tree(tmp_path / "site")
    (site / "linked-folder").symlink_to(outside, target_is_directory=True)
    (site / "01" / "dangling").symlink_to(tmp_path / "nowhere")
    remove_tree(site)
    assert not site.exists()
    assert (outside / "keep.txt").read_text() == "keep"


def test_a_missing_tree_raises_unless_errors_are_ignored(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        remove_tree(tmp_path / "absent")
    remove_tree(tmp_path / "absent", ignore_errors=True)


def test_ignore_errors_removes_what_it_can(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = _tree(tmp_path / "site")
    stuck = site / "01" / f"{7:014d}" / "index.html"
    unlink = os.unlink

    def refusing(path: str) -> None:
        if path == str(stuck):
            raise PermissionError(1, "Operation not permitted", path)
        unlink(path)

    monkeypatch.setattr(os, "unlink", refusing)
    with pytest.raises(PermissionError):
        remove_tree(site)
    remove_tree(site, ignore_errors=True)
    assert sorted(str(p.relative_to(site)) for p in site.rglob("*")) == [
        "01",
        "01/00000000000007",
        "01/00000000000007/index.html",
    ]
