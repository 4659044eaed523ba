"""One exception tree: every exception class of gs1ld derives from ``Gs1ldError``.

Every module of the package is imported (every ``.py`` file under it) and every
exception class it defines is checked, internal ones included; a module that
needs an optional dependency which is not installed is skipped, by name.  The
tree drawn in ``gs1ld/errors.py`` and docs/reference/exit-codes.md's (the same without the
internal classes) must name exactly the classes found, each under its parent.
"""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path
from types import ModuleType

import pytest

import gs1ld
import gs1ld.errors
from gs1ld.errors import Gs1ldError
from support import PROJECT_ROOT

NOT_IMPORTED = {"gs1ld.__main__": "running it runs the command line"}
_TREE_LINE = re.compile(r"^(?P<indent>(?:│   |    )*)(?:(?:├|└)── )?(?P<name>\w+)")


def _module_names() -> list[str]:
    """Every module and package of gs1ld, by dotted name, in order.

    Read from the files, not with ``pkgutil.walk_packages``, which passes over a
    folder without an ``__init__.py`` (a namespace package) and all below it.
    """
    root = Path(gs1ld.__file__).parent
    names = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return sorted(name for name in set(names) if name not in NOT_IMPORTED)


MODULES = _module_names()


def _import(name: str) -> ModuleType:
    """The module ``name``; skips the test when it needs an optional package that is absent."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        missing = (exc.name or "").split(".")[0]
        if missing in ("", "gs1ld"):
            raise
        pytest.skip(f"{name} needs {missing}, which is not installed")


def _exceptions(module: ModuleType) -> list[type[Exception]]:
    """The exception classes ``module`` itself defines.

    ``Exception`` subclasses only: a ``SystemExit`` that ends the process on
    SIGTERM (``cli.serve``) is no error and must not be caught as one.
    """
    return [
        value
        for value in vars(module).values()
        if inspect.isclass(value)
        and issubclass(value, Exception)
        and value.__module__ == module.__name__
    ]


def _all_exceptions() -> list[type[Exception]]:
    found: dict[str, type[Exception]] = {}
    for name in MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if (exc.name or "gs1ld").split(".")[0] == "gs1ld":
                raise
            continue  # its own test says which package is missing
        for error in _exceptions(module):
            found[f"{error.__module__}.{error.__qualname__}"] = error
    return list(found.values())


def _parent(error: type[BaseException]) -> str | None:
    """The name of the gs1ld class ``error`` derives from directly (None for the root)."""
    parents = [base.__name__ for base in error.__bases__ if issubclass(base, Gs1ldError)]
    assert len(parents) <= 1, f"{error.__qualname__} has two parents in the tree: {parents}"
    return parents[0] if parents else None


def _is_internal(error: type[BaseException]) -> bool:
    """A class with a private name, or defined in a private module."""
    parts = [*error.__module__.split("."), error.__name__]
    return any(part.startswith("_") and not part.startswith("__") for part in parts)


def drawn_tree(text: str) -> set[tuple[str, str | None]]:
    """(class, parent) for every class of the first tree drawn in ``text`` (rooted in Gs1ldError).

    >>> sorted(drawn_tree("x\\nGs1ldError\\n├── A     a\\n│   └── B\\n└── C\\n\\nmore"))
    [('A', 'Gs1ldError'), ('B', 'A'), ('C', 'Gs1ldError'), ('Gs1ldError', None)]
    """
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "Gs1ldError")
    indent = len(lines[start]) - len(lines[start].lstrip())
    pairs: set[tuple[str, str | None]] = set()
    path: list[str] = []
    for line in lines[start:]:
        match = _TREE_LINE.match(line[indent:])
        if not line.strip() or match is None:
            break
        depth = len(match["indent"]) // 4 + (0 if line[indent:][0].isalnum() else 1)
        del path[depth:]
        pairs.add((match["name"], path[-1] if path else None))
        path.append(match["name"])
    return pairs


def _docs_tree() -> str:
    text = (PROJECT_ROOT / "docs" / "reference" / "exit-codes.md").read_text("utf-8")
    marker = "Every error gs1ld raises derives from `gs1ld.Gs1ldError`"
    return text[text.index(marker) :]


@pytest.mark.parametrize("name", MODULES)
def test_every_exception_class_derives_from_the_root(name: str) -> None:
    module = _import(name)
    strays = [e.__qualname__ for e in _exceptions(module) if not issubclass(e, Gs1ldError)]
    assert strays == []


def test_the_walk_finds_every_package_and_the_classes_outside_errors_py() -> None:
    assert {"gs1ld.feed.errors", "gs1ld.cluster", "gs1ld.jsonld.loader"} <= set(MODULES)
    assert {"gs1ld.server._files", "gs1ld.digital_link._linters"} <= set(MODULES)
    names = {error.__name__ for error in _all_exceptions()}
    assert {"ApiError", "RateLimited", "SchedulerError", "RemoteContextError"} <= names


def test_errors_py_draws_the_whole_tree() -> None:
    found = {(error.__name__, _parent(error)) for error in _all_exceptions()}
    assert gs1ld.errors.__doc__ is not None
    assert drawn_tree(gs1ld.errors.__doc__) == found


def test_the_docs_draw_the_public_tree() -> None:
    public = {(e.__name__, _parent(e)) for e in _all_exceptions() if not _is_internal(e)}
    assert drawn_tree(_docs_tree()) == public


def test_a_stray_exception_class_is_seen() -> None:
    """The check is not blind: a class of the module outside the tree is reported, and
    a class it only imports is not counted as its own."""
    module = ModuleType("gs1ld.probe")
    exec("from gs1ld.errors import ParseError\nclass Stray(ValueError): ...\n", vars(module))
    assert [e.__name__ for e in _exceptions(module)] == ["Stray"]
    assert [e.__name__ for e in _exceptions(module) if not issubclass(e, Gs1ldError)] == ["Stray"]
