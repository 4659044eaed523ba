"""The fidelity ledger: every leaf value of the input is in the output's triples or in a note.

For each example entry and 2,000 synthetic ones, the input JSON is walked to its
leaves (strings, numbers, booleans). A leaf is accounted for when

* its value is in the output's triples: a literal's lexical form or an IRI
  (numbers compared as numbers, dates and date-times as instants, units and
  claim codes through the tables that translate them), or
* a note of the export names it: the note's path is the leaf's path or one of
  its parents (a note on ``content.nutrition_facts`` accounts for the panel it
  drops), or the note's message quotes the value, or
* it is structural, and the output shows its effect (an ``is_major_allergen``
  flag by an allergen node or a note on that ingredient; a ``priority`` by the
  order; ``kind`` by ``@type``; ``language`` by the language tags), or
* mappings/README.md documents the field as not exported (row ids, metadata,
  the API's stale ``is_active``, a recall's storage time).

A leaf none of these covers fails the test, naming it.
"""

from __future__ import annotations

import contextlib
import math
import re
from datetime import date, datetime
from functools import cache
from typing import Any

import orjson
import pytest

from gs1ld.catalog import parse_entry
from gs1ld.config import ExportConfig
from gs1ld.jsonld import to_nquads
from gs1ld.mapping.tables import load_tables
from gs1ld.publish import publish_entry
from gs1ld.testing import synthetic_catalog
from support import EXAMPLE_CATALOG, PROJECT_ROOT

DAY = date(2026, 6, 1)
CONFIG = ExportConfig(base_url="https://id.brand.example", today=DAY)
_ROW = re.compile(r"^\| `([A-Z]\w+)\.(\w+)` \| (.+) \|$", re.MULTILINE)
_LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"')
_IRI = re.compile(r"<([^>]*)>")
_INDEX = re.compile(r"\[\d+\]")
# Field names of the feed whose values are structural: the output shows their effect.
_STRUCTURAL = {
    "priority",
    "kind",
    "language",
    "is_major_allergen",
    "may_contain",
    "is_primary",
    "label_format",
}


@cache
def _not_exported() -> frozenset[str]:
    """Field names mappings/README.md documents as not exported."""
    text = (PROJECT_ROOT / "mappings" / "README.md").read_text(encoding="utf-8")
    return frozenset(
        m.group(2) for m in _ROW.finditer(text) if m.group(3).startswith("not exported")
    )


def _leaves(value: Any, path: str = "") -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return [
            leaf
            for key, item in value.items()
            for leaf in _leaves(item, f"{path}.{key}" if path else key)
        ]
    if isinstance(value, list):
        return [leaf for i, item in enumerate(value) for leaf in _leaves(item, f"{path}[{i}]")]
    if value is None or value == "":
        return []
    return [(path, value)]


def _unescape(text: str) -> str:
    return text.encode("utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")


class _Output:
    """What one document says: its literals, IRIs and numbers, and the export's notes."""

    def __init__(self, document: dict[str, Any], notes: tuple[Any, ...]) -> None:
        quads = to_nquads(document)
        self.literals = {_unescape(m) for m in _LITERAL.findall(quads)}
        self.iris = set(_IRI.findall(quads))
        self.text = quads
        self.numbers: set[float] = set()
        self.instants: set[Any] = set()
        for literal in self.literals:
            with contextlib.suppress(ValueError):
                self.numbers.add(float(literal))
            for parse in (date.fromisoformat, datetime.fromisoformat):
                with contextlib.suppress(ValueError):
                    self.instants.add(parse(literal))
        self.notes = notes
        self.type = document["@type"]

    def noted(self, path: str, value: Any) -> bool:
        shown = (
            value
            if isinstance(value, str)
            else f"{value:g}"
            if isinstance(value, float)
            else str(value)
        )
        for note in self.notes:
            if path == note.path or path.startswith((note.path + ".", note.path + "[")):
                return True
            quotable = isinstance(value, str | int | float) and not isinstance(value, bool)
            if quotable and shown in note.message:
                return True
        return False


def _in_triples(out: _Output, path: str, field: str, value: Any) -> bool:
    if isinstance(value, bool):
        return ('"' + str(value).lower() + '"') in out.text
    if isinstance(value, int | float):
        return any(math.isclose(value, n, rel_tol=1e-6, abs_tol=1e-9) for n in out.numbers)
    if value in out.literals or value in out.iris:
        return True
    for parse in (date.fromisoformat, datetime.fromisoformat):
        try:
            if parse(value.replace("Z", "+00:00")) in out.instants:
                return True
        except ValueError:
            pass
    tables = load_tables()
    if field == "unit":
        code = tables.units.get(value.strip().casefold())
        return code is not None and code in out.literals
    if field == "name" and ".nutrients[" in path:
        prop = tables.nutrients.get(value.strip().casefold(), "")
        iri = prop.replace("gs1:", "https://ref.gs1.org/voc/")
        return (prop.startswith("gs1:") and iri in out.iris) or (
            prop.startswith("gs1ld:") and prop.split(":", 1)[1] in out.text
        )
    if field == "name" and ".ingredients[" in path:  # a non-food product's statement
        return any(value in literal for literal in out.literals)
    return False


def _structural(out: _Output, path: str, field: str, value: Any) -> bool:
    if field == "kind":
        return (value == "food") == (out.type == "gs1:FoodBeverageTobaccoProduct")
    if field == "language":
        return f'"@{value} ' in out.text  # the language tag of the product's texts
    if field in ("is_major_allergen", "may_contain"):
        if value is False:
            return True
        row = path.rsplit(".", 1)[0]
        level = "CONTAINS" if field == "is_major_allergen" else "MAY_CONTAIN"
        return f"LevelOfContainmentCode-{level}" in out.text or any(
            note.path.startswith(row + ".") or note.path == row for note in out.notes
        )
    if field == "is_primary":
        return ('"' + str(value).lower() + '"') in out.text
    if field == "label_format":
        return "nutrientBasisQuantityType" in out.text
    # label order: gs1:ingredientSequence / gs1ld:displayOrder rank by priority
    return field == "priority"


def _unaccounted(raw: dict[str, Any]) -> list[str]:
    entry = parse_entry(raw)
    mapped = publish_entry(entry, CONFIG).mapped
    out = _Output(mapped.document, mapped.notes)
    missing = []
    for path, value in _leaves(raw):
        fields = _INDEX.sub("", path).split(".")
        field = fields[-1]
        if _not_exported() & set(fields):
            continue
        if _in_triples(out, path, field, value) or out.noted(path, value):
            continue
        if field in _STRUCTURAL and _structural(out, path, field, value):
            continue
        missing.append(f"{path}={value!r}")
    return missing


def _example_entries() -> list[tuple[str, dict[str, Any]]]:
    return [(p.name, orjson.loads(p.read_bytes())) for p in sorted(EXAMPLE_CATALOG.glob("*.json"))]


@pytest.mark.parametrize(
    ("name", "raw"), _example_entries(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_example_value_is_accounted_for(name: str, raw: dict[str, Any]) -> None:
    assert _unaccounted(raw) == []


def test_two_thousand_synthetic_entries_lose_nothing() -> None:
    failures = {}
    for raw in synthetic_catalog(2000, seed=12):
        missing = _unaccounted(raw)
        if missing:
            failures[raw["gtin"]] = missing
    assert list(failures.items())[:5] == []


def test_the_ledger_catches_a_silent_drop() -> None:
    """A negative control: a value the mapping never emits nor notes fails the ledger."""
    raw = dict(_example_entries()[2][1])
    raw["content"] = dict(raw["content"])
    raw["content"]["ingredients"] = [
        {**raw["content"]["ingredients"][0], "origin": "Elsewhere"},
        *raw["content"]["ingredients"][1:],
    ]
    assert _unaccounted(raw) == []
    import gs1ld.mapping.ingredient as ingredient

    original = ingredient.contribute

    def forgetful(entry: Any, ctx: Any) -> Any:
        props = original(entry, ctx)
        for node in props.get("gs1:ingredient", []):
            node.pop("gs1ld:ingredientOrigin", None)
        return props

    with pytest.MonkeyPatch.context() as patch:
        import gs1ld.mapping.compose as compose

        patch.setattr(
            compose,
            "MAPPERS",
            tuple((n, forgetful if n == "ingredient" else m) for n, m in compose.MAPPERS),
        )
        assert _unaccounted(raw) == ["content.ingredients[0].origin='Elsewhere'"]
