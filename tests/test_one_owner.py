"""Facts with one owner: host rules and the server spell no file name, media type or
link-type prefix of their own; they take each from :mod:`gs1ld.publish`.

Only code is read (string constants other than docstrings, templates included),
so prose may still name a file.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from gs1ld.publish import layout, wire

SRC = Path(__file__).resolve().parents[1] / "src" / "gs1ld"
ROOMS = ("hosts", "server")
OWNED = (
    *sorted(layout.PRODUCT_FILE_NAMES),
    wire.LINKSET_MEDIA_TYPE,
    wire.JSONLD_MEDIA_TYPE,
    wire.JSON_MEDIA_TYPE,
    wire.PROBLEM_MEDIA_TYPE,
    wire.JSONLD_CONTEXT_REL,
    *wire.LINK_TYPE_PREFIXES,
    "gs1.org/voc",
)
"""The literals :mod:`gs1ld.publish` owns (regular-expression spellings are caught too)."""


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    docstrings = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                docstrings.add(id(value))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def literal_owners(text: str) -> list[str]:
    """The owned literals ``text`` spells, plainly or as a regular expression."""
    return [owned for owned in OWNED if owned in text or re.escape(owned) in text]


def _findings(room: str) -> list[str]:
    found = []
    for path in sorted((SRC / room).rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        for line, text in _strings(tree):
            found += [f"{path.relative_to(SRC)}:{line} {owned!r}" for owned in literal_owners(text)]
    return found


@pytest.mark.parametrize("room", ROOMS)
def test_no_owned_literal_is_spelled_again(room: str) -> None:
    assert _findings(room) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("rewrite ^ /01/$1/linkset.json last;", ["linkset.json"]),
        (r"location ~ ^/01/[0-9]{14}/index\.html$", ["index.html"]),
        ("~*application/linkset\\+json", ["application/linkset+json"]),
        ("https://www.gs1.org/voc/", ["https://www.gs1.org/voc/", "gs1.org/voc"]),
        ("@LINKSET_FILE@ @JSONLD_TYPE@", []),
    ],
)
def test_the_check_sees_each_spelling(text: str, found: list[str]) -> None:
    assert literal_owners(text) == found
