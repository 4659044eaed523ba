"""Every room has a face: an ``__init__`` with a docstring and a sorted ``__all__``
of what other packages may use, each name really there."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "gs1ld"
ROOMS = sorted(
    path.parent.relative_to(SRC.parent).as_posix().replace("/", ".")
    for path in SRC.rglob("__init__.py")
)


def _isort_style(name: str) -> tuple[int, str]:
    """ruff's ``__all__`` order (RUF022): CONSTANTS, then Classes, then functions."""
    if name.isupper():
        return (0, name)
    return (1, name) if name[0].isupper() else (2, name)


def test_the_rooms_a_newcomer_looks_for_exist() -> None:
    for room in ("pages", "hosts", "site", "server", "publish", "mapping", "catalog", "feed"):
        assert f"gs1ld.{room}" in ROOMS


@pytest.mark.parametrize("room", ROOMS)
def test_the_room_has_a_face(room: str) -> None:
    module = importlib.import_module(room)
    assert (module.__doc__ or "").strip(), f"{room} has no docstring"
    names = list(getattr(module, "__all__", ()))
    assert names, f"{room} has no __all__"
    assert names == sorted(names, key=_isort_style), f"{room}.__all__ is not sorted"
    for name in names:
        assert hasattr(module, name), f"{room}.__all__ names {name!r}, which it lacks"


def test_the_build_room_stays_small() -> None:
    modules = [p for p in (SRC / "site").rglob("*.py") if p.name != "__init__.py"]
    assert len(modules) <= 15, sorted(p.name for p in modules)
