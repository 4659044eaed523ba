"""Data flows one way: feed -> catalog -> mapping/publish -> validation -> site/server.

Every import in ``src/gs1ld`` (lazy ones inside functions too) is read, and a
package may only import the packages below it. Mapping may read the site's
layout (``gs1ld.publish.layout``) but nothing of the publishing side, so the
JSON-LD never depends on how a site is built; the server reads what a build
published through ``gs1ld.publish`` and imports nothing from ``gs1ld.site``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
_UPPER = {"site", "server", "cli", "convert"}
FORBIDDEN: dict[str, set[str]] = {
    "feed": {"catalog", "mapping", "publish", "validation"} | _UPPER,
    "catalog": {"mapping", "publish", "validation"} | _UPPER,
    "mapping": {"publish", "validation"} | _UPPER,
    "publish": {"validation"} | _UPPER,
    "validation": {"feed", "catalog", "mapping", "publish"} | _UPPER,
    "server": {"site", "cli", "convert", "mapping", "validation"},
    "site": {"server", "cli"},
}
ALLOWED = {("mapping", "gs1ld.publish.layout")}
"""(package, module) pairs allowed despite FORBIDDEN: the layout is data, not publishing."""


def _package(path: Path, src: Path) -> str:
    parts = path.relative_to(src / "gs1ld").with_suffix("").parts
    return parts[0] if len(parts) > 1 else parts[0].removesuffix("__init__")


def _imports(path: Path) -> list[str]:
    """Every gs1ld module a file imports, by dotted name (``from gs1ld import x`` gives gs1ld.x)."""
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            if node.module == "gs1ld":
                names += [f"gs1ld.{alias.name}" for alias in node.names]
            elif node.module.startswith("gs1ld."):
                names.append(node.module)
        elif isinstance(node, ast.Import):
            names += [alias.name for alias in node.names if alias.name.startswith("gs1ld.")]
    return names


def violations(src: Path = SRC) -> list[str]:
    """``file imports module`` for each import that runs against the flow."""
    found = []
    for path in sorted((src / "gs1ld").rglob("*.py")):
        package = _package(path, src)
        banned = FORBIDDEN.get(package, set())
        for module in _imports(path):
            target = module.split(".")[1]
            if target in banned and (package, module) not in ALLOWED:
                found.append(f"{path.relative_to(src)} imports {module}")
    return found


def test_every_import_runs_with_the_flow() -> None:
    assert violations() == []


@pytest.mark.parametrize(
    ("package", "source", "flagged"),
    [
        ("mapping", "from gs1ld.publish.links import product_links\n", True),
        ("mapping", "from gs1ld.publish.layout import product_uri\n", False),
        ("server", "def f():\n    from gs1ld.site.sitewide import x\n", True),
        ("server", "from gs1ld import site\n", True),
        ("feed", "import gs1ld.catalog.reader\n", True),
        ("site", "from gs1ld.publish import publish\n", False),
    ],
)
def test_the_check_sees_each_kind_of_import(
    tmp_path: Path, package: str, source: str, flagged: bool
) -> None:
    module = tmp_path / "gs1ld" / package / "probe.py"
    module.parent.mkdir(parents=True)
    module.write_text(source, encoding="utf-8")
    assert bool(violations(tmp_path)) is flagged


def _module_of(path: Path, src: Path) -> str:
    parts = path.relative_to(src).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def circles(package: str, src: Path = SRC) -> list[list[str]]:
    """Every import circle among the modules of ``package`` (lazy imports too).

    A package's ``__init__`` is left out: importing a submodule runs it, but
    a face that imports its modules is no circle of theirs.
    """
    folder = src.joinpath(*package.split("."))
    modules = {
        _module_of(path, src): path for path in folder.rglob("*.py") if path.name != "__init__.py"
    }
    edges = {
        name: sorted({m for m in _imports(path) if m in modules and m != name})
        for name, path in modules.items()
    }
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the path being walked, 2: done
    path: list[str] = []

    def walk(node: str) -> None:
        state[node] = 1
        path.append(node)
        for target in edges[node]:
            if state.get(target) == 1:
                found.append([*path[path.index(target) :], target])
            elif target not in state:
                walk(target)
        path.pop()
        state[node] = 2

    for name in sorted(modules):
        if name not in state:
            walk(name)
    return found


def test_the_catalog_reads_without_an_import_circle() -> None:
    """raw (entries, JSON readers, file kinds) and cutting sit below the readers and parts."""
    assert circles("gs1ld.catalog") == []


def test_the_circle_check_sees_a_lazy_circle(tmp_path: Path) -> None:
    package = tmp_path / "gs1ld" / "catalog"
    package.mkdir(parents=True)
    (package / "a.py").write_text("from gs1ld.catalog.b import x\n", encoding="utf-8")
    (package / "b.py").write_text("def f():\n    import gs1ld.catalog.a\n", encoding="utf-8")
    (package / "c.py").write_text("from gs1ld.catalog import a\n", encoding="utf-8")
    assert circles("gs1ld.catalog", tmp_path) == [
        ["gs1ld.catalog.a", "gs1ld.catalog.b", "gs1ld.catalog.a"]
    ]
