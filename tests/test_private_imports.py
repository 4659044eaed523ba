"""No module of gs1ld reaches into another module's private names.

A name starting with ``_`` belongs to its module; a ``_``-prefixed module belongs
to its package. When two modules need the same thing it moves down to a module
both import, under a public name (docs: style guide, "One owner per fact"). This
test reads every module under ``src/gs1ld`` and finds:

* ``from a.b import _name`` (or ``import a._b``) from outside ``a.b`` / ``a``;
* ``something._name`` where ``something`` is not ``self`` or ``cls``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"

# issue 13: offenders the package re-layout removes; delete each line with its fix
KNOWN: set[str] = set()
_OWNERS = ("self", "cls", "os")  # os._exit is the standard library's documented API


def _private(part: str) -> bool:
    return part.startswith("_") and not part.startswith("__")


def _module_name(path: Path, src: Path) -> tuple[str, str]:
    """(module, package it lives in) for a file under ``src``."""
    parts = path.relative_to(src).with_suffix("").parts
    if parts[-1] == "__init__":
        name = ".".join(parts[:-1])
        return name, name
    return ".".join(parts), ".".join(parts[:-1])


def _owner_of(dotted: str) -> str | None:
    """The module or package that owns a dotted name's innermost private part, if any.

    ``gs1ld.feed._base.FeedModel`` is owned by ``gs1ld.feed``, and
    ``gs1ld._urls._strip`` by ``gs1ld._urls``.
    """
    parts = dotted.split(".")
    for i in range(len(parts) - 1, -1, -1):
        if _private(parts[i]):
            return ".".join(parts[:i])
    return None


def _reach_throughs(path: Path, src: Path = SRC) -> list[str]:
    module, package = _module_name(path, src)
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        imported: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module != "__future__":
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            imported = [f"{base}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            imported = [alias.name for alias in node.names]
        elif (
            isinstance(node, ast.Attribute)
            and _private(node.attr)
            and not (isinstance(node.value, ast.Name) and node.value.id in _OWNERS)
        ):
            found.append(f"{module} uses {ast.unparse(node)} (line {node.lineno})")
        for name in imported:
            owner = _owner_of(name)
            if owner is not None and module != owner and not module.startswith(owner + "."):
                found.append(f"{module} imports {name}")
    return found


def _all_reach_throughs() -> list[str]:
    return sorted(
        line for path in sorted((SRC / "gs1ld").rglob("*.py")) for line in _reach_throughs(path)
    )


def test_no_module_imports_a_private_name_of_another() -> None:
    found = _all_reach_throughs()
    new = [line for line in found if line not in KNOWN]
    assert not new, "private names used outside their module:\n" + "\n".join(new)


def test_the_known_offenders_are_still_there() -> None:
    """A fixed offender must leave KNOWN, so the list only shrinks."""
    gone = sorted(KNOWN - set(_all_reach_throughs()))
    assert not gone, "fixed, remove from KNOWN:\n" + "\n".join(gone)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from gs1ld.validation.rules import _curie", ["gs1ld.x.y imports"]),
        ("from gs1ld.feed._base import FeedModel", ["gs1ld.x.y imports"]),
        ("from gs1ld.x._own import helper", []),  # a private module of its own package
        ("from ._own import helper", []),
        ("from .._shared import helper", []),  # the root package's plumbing
        ("from .._shared import _helper", ["gs1ld.x.y imports"]),
        ("from ..z._other import helper", ["gs1ld.x.y imports"]),
        ("import gs1ld.pages._qr_symbol", ["gs1ld.x.y imports"]),
        ("shapes._plan(classes)", ["gs1ld.x.y uses"]),
        ("self._plan(classes)", []),
        ("from gs1ld.validation.rules import Finding", []),
    ],
)
def test_the_scan_sees_each_kind_of_reach_through(
    tmp_path: Path, source: str, expected: list[str]
) -> None:
    module = tmp_path / "gs1ld" / "x" / "y.py"
    module.parent.mkdir(parents=True)
    module.write_text(source + "\n", encoding="utf-8")
    found = _reach_throughs(module, tmp_path)
    assert [line.split(" ", 2)[0] + " " + line.split(" ", 2)[1] for line in found] == expected
