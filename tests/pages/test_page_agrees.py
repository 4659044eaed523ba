"""The page says what the JSON-LD says: allergens, claims, certificate states, nutrition basis.

Every example of ``examples/catalog`` (each of its language pages) and 2,000 synthetic
products are published and rendered; the page's HTML is read back with the stdlib parser
and compared with the JSON-LD embedded in that same page. The page marks the facts it
shows with data attributes (``data-allergen``/``data-codes``/``data-level``,
``data-badge``, ``data-claim``, ``data-certificate``/``data-status``, ``data-basis``), so
what is compared is what a shopper reads, not the view objects behind it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from typing import Any

import pytest

from gs1ld.catalog import CatalogEntry, parse_entry
from gs1ld.config import ExportConfig
from gs1ld.mapping.tables import load_tables
from gs1ld.pages.i18n import format_number, gettext_callables
from gs1ld.pages.product import render_view
from gs1ld.pages.view import build_view
from gs1ld.publish import publish_entry
from gs1ld.publish.publication import same_scheme
from gs1ld.testing import synthetic_catalog
from support import EXAMPLE_CATALOG

DAY = date(2026, 6, 1)
CONFIG = ExportConfig(base_url="https://id.brand.example", today=DAY)
SYNTHETIC = 2000
_LEVEL_CODES = {
    "contains": "CONTAINS",
    "may-contain": "MAY_CONTAIN",
    "free-from": "FREE_FROM",
}
_TIERS_SHOWN_ACTIVE = {"active", "unverified"}


@dataclass
class _Seen:
    """What a shopper reads on a page, by its data attributes."""

    jsonld: dict[str, Any] = field(default_factory=dict)
    ids: list[str] = field(default_factory=list)
    allergens: list[tuple[str, str, str]] = field(default_factory=list)  # level, codes, text
    badges: list[str] = field(default_factory=list)
    claims: list[tuple[str, str, str]] = field(default_factory=list)  # code, support, label
    certificates: list[tuple[str, str]] = field(default_factory=list)  # status, badge
    basis: str | None = None
    nutrition_heading: str = ""
    order: list[str] = field(default_factory=list)  # ids and sections in page order


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.seen = _Seen()
        self._capture: tuple[str, ...] | None = None
        self._text: list[str] = []
        self._script: str | None = None
        self._script_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.seen.ids.append(a["id"])
            self.seen.order.append(a["id"])
        if tag == "script":
            self._script = a.get("id", "")
            self._script_text = []
        elif "data-allergen" in a:
            self._capture = ("allergen", a["data-level"], a["data-codes"])
            self._text = []
        elif "data-badge" in a and tag == "span":
            self.seen.badges.append(a["data-badge"])
        elif "data-claim" in a:
            self._capture = ("claim", a["data-claim-code"], a["data-support"])
            self._text = []
        elif "data-certificate" in a:
            self.seen.certificates.append((a["data-status"], a["data-badge"]))
        elif "data-basis" in a:
            self.seen.basis = a["data-basis"]
        elif tag == "h2" and a.get("id") == "nutrition-heading":
            self._capture = ("nutrition-heading",)
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script == "gs1-jsonld":
            self.seen.jsonld = json.loads("".join(self._script_text))
        if tag == "script":
            self._script = None
            return
        capture = self._capture
        if capture is None:
            return
        text = " ".join("".join(self._text).split())
        if capture[0] == "allergen" and tag == "span":
            self.seen.allergens.append((capture[1], capture[2], text))
        elif capture[0] == "claim" and tag == "strong":
            self.seen.claims.append((capture[1], capture[2], text))
        elif capture[0] == "nutrition-heading" and tag == "h2":
            self.seen.nutrition_heading = text
        else:
            return
        self._capture = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script_text.append(data)
        elif self._capture is not None:
            self._text.append(data)


def _read(html: str) -> _Seen:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.seen


def _values(document: dict[str, Any], key: str) -> list[Any]:
    value = document.get(key)
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _suffix(node: dict[str, Any]) -> str:
    return str(node["@id"]).rsplit("-", 1)[-1]


_LABELS = frozenset(name.casefold() for name in load_tables().allergen_labels.values())


def _check(entry: CatalogEntry, language: str | None = None) -> None:
    publication = publish_entry(entry, CONFIG)
    view = build_view(publication, language)
    page_language = view.language
    html = render_view(view, jsonld=publication.document, qr="")
    seen = _read(html)
    doc = seen.jsonld
    assert doc == publication.document

    # allergens: the (code, level) pairs on the page are those of gs1:hasAllergen
    stated = {
        (_suffix(n["gs1:allergenType"]), _suffix(n["gs1:allergenLevelOfContainmentCode"]))
        for n in _values(doc, "gs1:hasAllergen")
    }
    shown = {
        (code, _LEVEL_CODES[level]) for level, codes, _ in seen.allergens for code in codes.split()
    }
    assert shown == stated, entry.gtin
    for _, _, text in seen.allergens:  # allergens by their regulation's names, never ingredients
        assert text.split(" (")[0].casefold() in _LABELS or text.isupper(), (entry.gtin, text)
    assert seen.ids.count("allergens") == (1 if stated else 0), entry.gtin
    assert ("gs1:allergenInfo" in doc) == bool(stated), entry.gtin
    assert any(link.rel == "allergenInfo" for link in publication.links) == bool(stated)
    if stated:  # the box comes before the images and the description, after any recall
        order = seen.order
        box = order.index("allergen-summary")
        assert box < order.index("images-heading") if "images-heading" in order else True
        assert box < order.index("about-heading") if "about-heading" in order else True
        assert box > order.index("recalls") if "recalls" in order else True
    # ingredient badges: one per row an allergen the data states was read in, at its level
    contains_rows = {
        i for f in publication.allergens if f.level == "CONTAINS" for i in f.ingredients
    }
    may_rows = {
        i for f in publication.allergens if f.level == "MAY_CONTAIN" for i in f.ingredients
    } - contains_rows
    assert sorted(seen.badges) == sorted(
        ["contains"] * len(contains_rows) + ["may-contain"] * len(may_rows)
    ), entry.gtin
    assert {level for level, _, _ in seen.allergens if level != "free-from"} >= set(seen.badges)

    # claims: the page shows the claims the JSON-LD records, each "verified" only while no
    # certificate of its scheme says otherwise
    records = _values(doc, "gs1ld:claim")
    assert sorted(code for code, _, _ in seen.claims) == sorted(
        r["gs1ld:claimCode"] for r in records
    ), entry.gtin
    certificates = _values(doc, "gs1:certification")
    for code, support, _ in seen.claims:
        backing = [
            c for c in certificates if same_scheme(code, c.get("gs1ld:certificationCode", ""))
        ]
        good = [
            c
            for c in backing
            if c.get("gs1:certificationStatus", {}).get("@id", "").endswith("ACTIVE")
            and not c["gs1:certificationStatus"]["@id"].endswith("INACTIVE")
            and c["gs1ld:verificationStatus"] == "verified"
        ]
        if support == "verified":
            assert not backing or good, (entry.gtin, code)
        elif support.startswith("certificate-"):
            assert backing, (entry.gtin, code)
            assert not good, (entry.gtin, code)

    # certificates: each badge shows the JSON-LD's status (same order: by label, then id)
    assert len(seen.certificates) == len(certificates)
    for (status, badge), node in zip(seen.certificates, certificates, strict=True):
        assert status == node.get("gs1:certificationStatus", {}).get("@id", ""), entry.gtin
        assert (badge in _TIERS_SHOWN_ACTIVE) == status.endswith("-ACTIVE"), entry.gtin

    # nutrition basis: the panel's heading names the basis the JSON-LD states
    if entry.content.nutrition_facts is None:
        assert seen.basis is None
        return
    kind = doc.get("gs1:nutrientBasisQuantityType")
    if kind is None:
        assert seen.basis == ""
        assert "per " not in seen.nutrition_heading
    else:
        quantity = doc["gs1:nutrientBasisQuantity"]
        value = quantity["gs1:value"]["@value"]
        assert seen.basis == f"{_suffix(kind)} {value} {quantity['gs1:unitCode']}"
        # in the page's language: the heading's message with the basis in its place
        gettext = gettext_callables(page_language)[0]
        if _suffix(kind) == "BY_MEASURE":
            unit = {"GRM": "g", "MLT": "ml"}[quantity["gs1:unitCode"]]
            amount = format_number(value, page_language)
            expected = gettext("Nutrition per %(quantity)s", quantity=f"{amount} {unit}")
            assert seen.nutrition_heading == " ".join(expected.striptags().split())
        else:
            lead = gettext("Nutrition per serving of %(size)s", size="")
            assert seen.nutrition_heading.startswith(" ".join(lead.split())), entry.gtin
    assert "100 g / 100 ml" not in html


def _examples() -> Iterator[Any]:
    for path in sorted(EXAMPLE_CATALOG.glob("*.json")):
        entry = parse_entry(json.loads(path.read_text("utf-8")))
        publication = publish_entry(entry, CONFIG)
        for language in publication.languages:
            yield pytest.param(entry, language, id=f"{path.stem}-{language}")


@pytest.mark.parametrize(("entry", "language"), list(_examples()))
def test_every_example_page_agrees_with_its_jsonld(entry: CatalogEntry, language: str) -> None:
    _check(entry, language)


def test_synthetic_pages_agree_with_their_jsonld() -> None:
    for data in synthetic_catalog(SYNTHETIC, seed=23):
        _check(parse_entry(data))


def test_the_examples_show_what_the_issue_missed() -> None:
    """Oats in an unflagged name are on the page; a croissant's panel is per 100 g."""
    entries = {
        path.stem: parse_entry(json.loads(path.read_text("utf-8")))
        for path in EXAMPLE_CATALOG.glob("*.json")
    }
    granola = publish_entry(entries["16-maple-granola-ca"], CONFIG)
    seen = _read(render_view(build_view(granola), jsonld=granola.document, qr=""))
    assert ("contains", "GO AW") in {(level, codes) for level, codes, _ in seen.allergens}
    croissant = publish_entry(entries["12-croissant-multilingual"], CONFIG)
    seen = _read(render_view(build_view(croissant, "en"), jsonld=croissant.document, qr=""))
    assert seen.basis == "BY_MEASURE 100 GRM"
    assert seen.nutrition_heading == "Nutrition per 100 g"
    seen = _read(render_view(build_view(croissant), jsonld=croissant.document, qr=""))
    assert seen.nutrition_heading == "Valeurs nutritionnelles pour 100 g"  # its main page
