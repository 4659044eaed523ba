"""The runtime dependencies are what src/ imports, and segno's internals are still there.

``[project] dependencies`` must list every distribution a module of ``src/gs1ld``
imports at run time, and nothing else: a package only the tests or benchmarks use
belongs in the ``dev`` extra, where it does not burden every install.  A feature's
own extra (``dask``, ``arrow``) may hold what only that feature imports, lazily.

``site/_qr_symbol.py`` computes QR symbols the way segno draws them, reading
segno's tables and mode choice (``segno.consts``, ``segno.encoder.find_mode``),
which are not public API. segno is pinned to the major version those internals
come from, and the last test here says exactly what moved when they change.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEGNO_MAJOR = 1


def _normalise(name: str) -> str:
    """A distribution name as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared(*, extras: bool = False) -> dict[str, str]:
    """Normalised name -> requirement, from ``[project] dependencies`` (and feature extras)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    declared = {}
    requirements = list(project["dependencies"])
    if extras:
        for extra, listed in project["optional-dependencies"].items():
            requirements += listed if extra != "dev" else []
    for requirement in requirements:
        match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
        assert match is not None, requirement
        declared[_normalise(match.group(0))] = requirement
    return declared


def _type_checking_only(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and ast.unparse(node.test) in (
        "TYPE_CHECKING",
        "typing.TYPE_CHECKING",
    )


def _runtime_imports(tree: ast.AST) -> set[str]:
    """Top-level names of the absolute imports a module runs (not under TYPE_CHECKING)."""
    found: set[str] = set()
    todo = [tree]
    while todo:
        node = todo.pop()
        if _type_checking_only(node):
            assert isinstance(node, ast.If)
            todo.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
        todo.extend(ast.iter_child_nodes(node))
    return found


def _imported_distributions() -> dict[str, set[str]]:
    """Normalised distribution name -> the src/ files importing it."""
    owners = metadata.packages_distributions()
    used: dict[str, set[str]] = {}
    for path in sorted((ROOT / "src" / "gs1ld").rglob("*.py")):
        for name in _runtime_imports(ast.parse(path.read_text("utf-8"))):
            if name in sys.stdlib_module_names or name in ("gs1ld", "__future__"):
                continue
            distributions = owners.get(name)
            assert distributions, f"{path}: no installed distribution provides {name!r}"
            for distribution in distributions:
                used.setdefault(_normalise(distribution), set()).add(str(path.relative_to(ROOT)))
    return used


def test_runtime_dependencies_are_exactly_what_src_imports() -> None:
    declared = _declared()
    optional = _declared(extras=True)
    used = _imported_distributions()
    undeclared = {name: sorted(files) for name, files in used.items() if name not in optional}
    unused = sorted(requirement for name, requirement in declared.items() if name not in used)
    assert not undeclared, f"imported by src/ but not in [project] dependencies: {undeclared}"
    assert not unused, f"in [project] dependencies but src/ never imports them: {unused}"


def test_the_import_scan_skips_type_checking_blocks() -> None:
    source = (
        "import json\nfrom typing import TYPE_CHECKING\nimport segno.consts\n"
        "if TYPE_CHECKING:\n    import rdflib\nelse:\n    import orjson\n"
        "def f():\n    from pyld import jsonld\n    from . import sibling\n"
    )
    assert _runtime_imports(ast.parse(source)) == {"json", "typing", "segno", "orjson", "pyld"}


def test_segno_is_pinned_to_the_major_version_qr_symbol_reads() -> None:
    assert _declared()["segno"] == f"segno>=1.6,<{SEGNO_MAJOR + 1}"
    installed = metadata.version("segno")
    assert int(installed.split(".")[0]) == SEGNO_MAJOR, (
        f"segno {installed} is installed, but site/_qr_symbol.py was written against "
        f"segno {SEGNO_MAJOR}.x internals"
    )


def test_the_segno_internals_qr_symbol_reads_are_unchanged() -> None:
    """Each table and function ``_qr_symbol.py`` takes from segno, with the shape it relies on.

    A failure names what moved; fix ``site/_qr_symbol.py`` (its differential test
    against segno must pass again) before raising the segno pin.
    """
    segno = pytest.importorskip("segno")
    from segno import consts, encoder

    version = metadata.version("segno")
    problems: list[str] = []

    def check(what: str, ok: object) -> None:
        if not ok:
            problems.append(what)

    names = (
        "ERROR_MAPPING",
        "SYMBOL_CAPACITY",
        "ECC",
        "GALIOS_LOG",
        "GALIOS_EXP",
        "MODE_BYTE",
        "ALIGNMENT_POS",
        "GEN_POLY",
    )
    missing = [name for name in names if not hasattr(consts, name)]
    check(f"segno.consts lacks {missing}", not missing)
    check("segno.encoder.find_mode is gone", callable(getattr(encoder, "find_mode", None)))
    check("segno.make_qr is gone", callable(getattr(segno, "make_qr", None)))
    if not problems:
        level = consts.ERROR_MAPPING.get("M")
        check("consts.ERROR_MAPPING has no 'M' level", isinstance(level, int))
        check(
            "consts.SYMBOL_CAPACITY is not {version 1-40: {level: data bits}}",
            set(range(1, 41)) <= set(consts.SYMBOL_CAPACITY)
            and isinstance(consts.SYMBOL_CAPACITY[1].get(level), int),
        )
        blocks = consts.ECC.get(1, {}).get(level, ())
        check(
            "consts.ECC is not {version 1-40: {level: (EC(num_blocks, num_total, num_data),…)}}",
            set(range(1, 41)) <= set(consts.ECC)
            and blocks
            and all(
                isinstance(getattr(b, field, None), int)
                for b in blocks
                for field in ("num_blocks", "num_total", "num_data")
            ),
        )
        check(
            "consts.GALIOS_EXP / GALIOS_LOG are not GF(256) tables",
            len(consts.GALIOS_EXP) >= 255
            and len(consts.GALIOS_LOG) == 256
            and all(consts.GALIOS_EXP[consts.GALIOS_LOG[x]] == x for x in range(1, 256)),
        )
        check(
            "consts.ALIGNMENT_POS does not hold versions 2-40",
            len(consts.ALIGNMENT_POS) >= 39 and tuple(consts.ALIGNMENT_POS[0]) == (6, 18),
        )
        check(
            "consts.GEN_POLY lacks the generator for 10 EC codewords",
            len(consts.GEN_POLY.get(10, ())) == 10,
        )
        check(
            "encoder.find_mode(ASCII URI bytes) is not consts.MODE_BYTE",
            encoder.find_mode(b"https://id.gs1.org/01/09506000134352") == consts.MODE_BYTE,
        )
    assert not problems, (
        f"segno {version} changed internals site/_qr_symbol.py reads: " + "; ".join(problems)
    )
