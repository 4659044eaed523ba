"""Data flows one way, and no module imports itself around a circle.

feed -> catalog -> mapping -> publish -> pages / hosts -> site -> cli, with
validation beside mapping and the server reading only what a build published.
Every import in ``src/gs1ld`` (lazy ones inside functions too) is read, and a
package may only import the packages below it: the mapping never asks where a
product is published (its URI comes in as an argument), pages and host rules
never reach into a build, and the server reads a site through
``gs1ld.publish`` and imports nothing from ``gs1ld.site``, ``gs1ld.pages`` or
``gs1ld.hosts``.  There is no whitelist.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
_UPPER = {"pages", "hosts", "site", "server", "cli", "convert"}
FORBIDDEN: dict[str, set[str]] = {
    "feed": {"catalog", "mapping", "publish", "validation"} | _UPPER,
    "catalog": {"mapping", "publish", "validation"} | _UPPER,
    "mapping": {"publish", "validation"} | _UPPER,
    "publish": {"validation"} | _UPPER,
    "validation": {"feed", "catalog", "mapping", "publish"} | _UPPER,
    "pages": {"hosts", "site", "server", "cli", "convert", "validation"},
    "hosts": {"pages", "site", "server", "cli", "convert", "mapping", "validation"},
    "site": {"server", "cli"},
    "server": {"pages", "hosts", "site", "cli", "convert", "mapping", "validation"},
}


def _package(path: Path, src: Path) -> str:
    parts = path.relative_to(src / "gs1ld").with_suffix("").parts
    return parts[0] if len(parts) > 1 else parts[0].removesuffix("__init__")


def _module_name(path: Path, src: Path) -> str:
    parts = list(path.relative_to(src).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[str]:
    """Every gs1ld module a file imports, by dotted name (``from gs1ld import x`` gives gs1ld.x)."""
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            if node.module == "gs1ld" or node.module.startswith("gs1ld."):
                names += [f"{node.module}.{alias.name}" for alias in node.names]
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
            parts = module.split(".")
            if len(parts) > 1 and parts[1] in banned:
                found.append(f"{path.relative_to(src)} imports {'.'.join(parts[:-1])}")
    return found


def import_graph(src: Path = SRC) -> dict[str, set[str]]:
    """Module -> the gs1ld modules it imports (a name imported from a package counts
    as an import of its submodule when it is one, else of the package itself)."""
    modules = {_module_name(path, src) for path in (src / "gs1ld").rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for path in sorted((src / "gs1ld").rglob("*.py")):
        name = _module_name(path, src)
        targets = set()
        for imported in _imports(path):
            target = imported if imported in modules else imported.rpartition(".")[0]
            while target not in modules and "." in target:
                target = target.rpartition(".")[0]
            if target != name and target in modules:
                targets.add(target)
        graph[name] = targets
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _without_faces(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """The graph without the edges *into* package faces (``__init__``) that only re-export.

    A face imports its package's modules to re-export them; a module that
    imports a sibling through the face is still a circle, so only the root
    ``gs1ld`` (which re-exports from every layer) is left out as a target.
    """
    return {name: {t for t in targets if t != "gs1ld"} for name, targets in graph.items()}


def test_every_import_runs_with_the_flow() -> None:
    assert violations() == []


def test_no_module_imports_itself_around_a_circle() -> None:
    assert circles(_without_faces(import_graph())) == []


def test_nothing_inside_the_package_imports_its_root() -> None:
    """The root re-exports every layer, so importing it from inside would be a circle."""
    importers = sorted(name for name, targets in import_graph().items() if "gs1ld" in targets)
    assert importers == []


@pytest.mark.parametrize(
    ("package", "source", "flagged"),
    [
        ("mapping", "from gs1ld.publish.links import product_links\n", True),
        ("mapping", "from gs1ld.publish.layout import product_uri\n", True),
        ("server", "def f():\n    from gs1ld.site.sitewide import x\n", True),
        ("server", "from gs1ld import site\n", True),
        ("server", "from gs1ld.hosts import host_rules\n", True),
        ("hosts", "from gs1ld.pages import qr_svg\n", True),
        ("feed", "import gs1ld.catalog.reader\n", True),
        ("site", "from gs1ld.publish import publish_entry\n", False),
        ("pages", "from gs1ld.publish import Publication\n", False),
    ],
)
def test_the_check_sees_each_kind_of_import(
    tmp_path: Path, package: str, source: str, flagged: bool
) -> None:
    module = tmp_path / "gs1ld" / package / "probe.py"
    module.parent.mkdir(parents=True)
    module.write_text(source, encoding="utf-8")
    assert bool(violations(tmp_path)) is flagged


def test_the_circle_check_finds_a_circle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert circles(graph) == [["a", "b", "c"]]


def test_the_circle_check_sees_a_lazy_circle(tmp_path: Path) -> None:
    package = tmp_path / "gs1ld" / "catalog"
    package.mkdir(parents=True)
    (package / "a.py").write_text("from gs1ld.catalog.b import x\n", encoding="utf-8")
    (package / "b.py").write_text("def f():\n    import gs1ld.catalog.a\n", encoding="utf-8")
    (package / "c.py").write_text("from gs1ld.catalog import a\n", encoding="utf-8")
    assert circles(import_graph(tmp_path)) == [["gs1ld.catalog.a", "gs1ld.catalog.b"]]
