"""Pages in the shopper's language, as Chromium shows them: French, German and Dutch pages say
nothing in English, and their language switch and ``hreflang`` alternates lead to the
product's other pages, each in the language it claims.

The catalog is built here: a biscuit whose name and description the brand gives
in French (its main language), German, Dutch and English, with every section a
page can have; oat biscuits in German and Dutch; a Dutch-only bottle with a
circularity assessment.  None of its text contains an English word of the
pages' own (a test below checks), so any English word a page shows is the
page's, not the product's.  The example catalog's French, German and Dutch pages
are checked too, the product's own text left out.

The contract with the page templates (issue 23):

- the language switch is a ``<nav>`` whose ``aria-label`` names "language" in the
  page's language, holding a link to each other language page of the product,
  each with ``hreflang`` and ``lang`` set to that page's language;
- each language page has ``<link rel="alternate" hreflang="…" href="…">`` for
  every language page of the product, and one ``hreflang="x-default"``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from browser_support import (
    BASE,
    FULL_SIZE_IMAGES,
    ProductPage,
    Tab,
    build,
    follow,
    product_pages,
    served,
)
from support import EXAMPLE_CATALOG

ENGLISH_CHROME = (
    "About",
    "About this product",
    "Active",
    "Allergens",
    "Amount per serving",
    "Assessed",
    "Calories",
    "Certificate",
    "Certifications",
    "Circularity",
    "Claims",
    "Company",
    "Contains",
    "Daily Value",
    "Date",
    "Durability",
    "Expired",
    "Food traceability",
    "Hazard",
    "Images",
    "Inactive",
    "Ingredients",
    "Issued by",
    "Language",
    "Last updated",
    "Machine-readable",
    "May contain",
    "Methodology",
    "No allergens declared",
    "Nutrient",
    "Nutrition",
    "Nutrition declaration",
    "Nutrition Facts",
    "Official recall notice",
    "origin",
    "Overall",
    "per pack",
    "Per 100 g",
    "Per serving",
    "Recall notice",
    "Recyclability",
    "Reference intake",
    "Repairability",
    "Reusability",
    "Scan to open",
    "Scope",
    "Self-declared by the brand",
    "Serving size",
    "servings per container",
    "This page in other languages",
    "This product",
    "Unverified",
    "Valid from",
    "Valid until",
    "Verified by a third party",
    "Verify this certificate",
    "What to do",
    "Where",
)
"""Words and phrases the English pages are built of (section headings, labels, badges)."""

SAME_IN = {
    "fr": {"Active", "Calories", "Certifications", "Date", "Images", "Inactive", "Nutrition"},
    "de": set(),
    "nl": {"Claims", "Per 100 g"},
}
"""Chrome words spelt the same in the language (French "Images", Dutch "Claims"): a
translated page may show them."""

LANGUAGE_WORD = {
    "en": r"\blanguages?\b",
    "fr": r"\blangues?\b",
    "de": r"\bsprachen?\b",
    "nl": r"\b(?:taal|talen)\b",
}
""""Language" in each page language: the switch's ``aria-label`` contains it."""

BISCUITS, OAT_BISCUITS, BOTTLE = "09506000134352", "09506000134369", "09506000134376"


def _found(phrases: tuple[str, ...], text: str) -> list[str]:
    """The phrases ``text`` contains as whole words, case aside, however the lines break."""
    return [
        phrase
        for phrase in phrases
        if re.search(
            r"(?<!\w)" + r"\s+".join(map(re.escape, phrase.split())) + r"(?!\w)",
            text,
            re.IGNORECASE,
        )
    ]


def _id(kind: str, n: int) -> str:
    """A feed id (a 22-character shortuuid: no 0, 1, I, O or l) naming what it is."""
    return (kind + "x" * 22)[:21] + "ABCDEFGH"[n]


def _content(**sections: Any) -> dict[str, Any]:
    content: dict[str, Any] = {
        "images": [],
        "ingredients": [],
        "certifications": [],
        "claims": [],
        "recalls": [],
    }
    content.update(sections)
    return content


def _ingredient(n: int, name: str, *, contains: bool = False, may: bool = False) -> dict[str, Any]:
    return {
        "id": _id("ingredient", n),
        "name": name,
        "is_major_allergen": contains,
        "may_contain": may,
        "priority": n,
        "notes": "",
        "percentage": 40 if n == 1 else None,
        "origin": "Bretagne, FR" if n == 1 else "",
    }


def _image(n: int, title: str) -> dict[str, Any]:
    return {
        "id": _id("image", n),
        "title": title,
        "description": "",
        "is_primary": n == 1,
        "priority": n,
        "created": "2025-03-14T09:30:00Z",
        "image_url": f"https://cdn.lemoine.example/galettes-{n}.jpg",
        "thumbnail_url": f"https://cdn.lemoine.example/galettes-{n}-petit.jpg",
        "width": 1200,
        "height": 1200,
    }


def _certificate(n: int, label: str, *, until: str) -> dict[str, Any]:
    return {
        "id": _id("certificate", n),
        "label": label,
        "is_active": True,
        "metadata": {},
        "code": "EU_ORGANIC",
        "description": "",
        "url": "",
        "logo_url": None,
        "valid_from": "2024-01-01",
        "expiration_date": until,
        "certificate_number": f"FR-BIO-{n:02d}",
        "issuing_body": "Ecocert France",
        "expiry_date": until,
        "verification_url": f"https://certificats.ecocert.example/{n}",
        "verification_status": "verified",
        "scope": "Biscuiterie",
        "certification_value": "",
        "audit_date": None,
        "initial_certification_date": None,
        "certificate_countries": ["FR"],
    }


NUTRITION = {
    "label_format": "EU",
    "serving_size": "25 g",
    "serving_size_g": 25,
    "servings_per_container": 8,
    "nutrients": [
        {"name": "Energy", "amount": 2090, "unit": "kJ"},
        {"name": "Energy", "amount": 500, "unit": "kcal"},
        {"name": "Fat", "amount": 24, "unit": "g", "daily_value_percent": 34},
        {"name": "Carbohydrate", "amount": 63, "unit": "g"},
        {"name": "Protein", "amount": 6.5, "unit": "g"},
        {"name": "Salt", "amount": 0.9, "unit": "g", "daily_value_percent": 15},
    ],
}

CATALOG = [
    {
        "gtin": BISCUITS,
        "product": {
            "name": {
                "fr": "Galettes pur beurre",
                "de": "Butterkekse aus der Bretagne",
                "nl": "Roomboterkoekjes uit Bretagne",
                "en": "Brittany butter biscuits",
            },
            "description": {
                "fr": "Galettes bretonnes au beurre frais, cuites à Pont-Aven.",
                "de": "Bretonische Kekse mit frischer Butter, gebacken in Pont-Aven.",
                "nl": "Bretonse koekjes met verse roomboter, gebakken in Pont-Aven.",
                "en": "Breton biscuits with fresh butter, baked in Pont-Aven.",
            },
            "language": "fr",
            "brand": "Biscuiterie Lemoine",
            "kind": "food",
            "manufacturer": {"name": "Biscuiterie Lemoine SAS", "gln": "9506000000015"},
            "country_of_origin": "FR",
            "net_content": [{"value": 200, "unit": "g"}],
        },
        "content": _content(
            images=[_image(1, "Boîte de galettes"), _image(2, "Galette, vue de dessus")],
            ingredients=[
                _ingredient(1, "Farine de blé", contains=True),
                _ingredient(2, "Beurre", contains=True),
                _ingredient(3, "Sucre"),
                _ingredient(4, "Œufs", contains=True),
                _ingredient(5, "Sel de Guérande"),
                _ingredient(6, "Noisettes", may=True),
            ],
            certifications=[
                _certificate(1, "Agriculture biologique", until="2027-12-31"),
                _certificate(2, "Bio Breizh", until="2025-12-31"),
            ],
            claims=[
                {
                    "id": _id("assertion", 1),
                    "label": "Sans OGM",
                    "code": "NON_GMO",
                    "category": "INGREDIENT_ABSENCE",
                    "source": "THIRD_PARTY_VERIFIED",
                    "metadata": {},
                    "valid_from": "2024-01-01",
                    "expiration_date": "2027-12-31",
                }
            ],
            recalls=[
                {
                    "id": _id("withdrawn", 1),
                    "title": "Rappel: lot 6081 de galettes",
                    "created": "2026-04-02T14:00:00Z",
                    "description": "Biscuiterie Lemoine rappelle le lot 6081.",
                    "hazard": "Fragments de coque de noisette",
                    "remedy": "Rapporter le paquet au magasin.",
                    "public_url": "https://rappel.conso.example/fiche/6081",
                    "company_name": "Biscuiterie Lemoine SAS",
                    "recall_date": "2026-04-01",
                    "jurisdictions": ["FR", "BE"],
                }
            ],
            nutrition_facts=NUTRITION,
        ),
    },
    {
        "gtin": OAT_BISCUITS,
        "product": {
            "name": {"de": "Haferkekse", "nl": "Haverkoekjes"},
            "description": {
                "de": "Knusprige Kekse aus Vollkornhafer.",
                "nl": "Knapperige koekjes van volkoren haver.",
            },
            "language": "de",
            "brand": "Hofbäckerei Brandt",
            "kind": "food",
            "country_of_origin": "DE",
            "net_content": [{"value": 250, "unit": "g"}],
        },
        "content": _content(
            ingredients=[
                _ingredient(1, "Haferflocken", contains=True),
                _ingredient(2, "Zucker"),
                _ingredient(3, "Sonnenblumenöl"),
            ],
            nutrition_facts=NUTRITION,
        ),
    },
    {
        "gtin": BOTTLE,
        "product": {
            "name": "Stalen drinkfles",
            "description": "Herbruikbare drinkfles van roestvrij staal, 750 ml.",
            "language": "nl",
            "brand": "Kraanwater & Co",
            "kind": "non_food",
            "country_of_origin": "NL",
        },
        "content": _content(
            circularity={
                "assessment_date": "2025-06-01",
                "durability_score": 9,
                "methodology": "Kringloopmeting 2025",
                "overall_score": 8.2,
                "recyclability_score": 9,
                "repairability_score": 7,
                "reusability_score": 10,
            }
        ),
    },
]


@pytest.fixture(scope="module")
def language_catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The catalog above, one JSON file per product."""
    folder = tmp_path_factory.mktemp("languages") / "catalog"
    folder.mkdir()
    for entry in CATALOG:
        (folder / f"{entry['gtin']}.json").write_text(json.dumps(entry, ensure_ascii=False))
    return folder


@pytest.fixture(scope="module")
def language_server(language_catalog: Path) -> Iterator[str]:
    """The resolver server on the catalog's site (built once for the module)."""
    with served(build(language_catalog, language_catalog.parent / "site")) as url:
        yield url


@pytest.fixture(scope="module")
def pages(language_catalog: Path) -> list[ProductPage]:
    """Every page of the catalog."""
    return list(product_pages(language_catalog))


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def test_the_products_own_text_has_no_english_chrome_word() -> None:
    found = {text: _found(ENGLISH_CHROME, text) for text in _strings(CATALOG)}
    assert {text: words for text, words in found.items() if words} == {}


def test_the_catalog_has_french_german_and_dutch_pages(pages: list[ProductPage]) -> None:
    assert sorted((page.path, page.language) for page in pages) == [
        (f"01/{BISCUITS}/index.de.html", "de"),
        (f"01/{BISCUITS}/index.en.html", "en"),
        (f"01/{BISCUITS}/index.html", "fr"),
        (f"01/{BISCUITS}/index.nl.html", "nl"),
        (f"01/{OAT_BISCUITS}/index.html", "de"),
        (f"01/{OAT_BISCUITS}/index.nl.html", "nl"),
        (f"01/{BOTTLE}/index.html", "nl"),
    ]


VISIBLE_TEXT = """() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const texts = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (parent && parent.checkVisibility() && node.textContent.trim()) {
      texts.push(node.textContent.trim());
    }
  }
  return texts.join("\\n");
}"""


def _body_text(tab: Tab, path: str) -> str:
    """The text the page shows, one text node a line (so a word in a badge beside a
    name, with no space between them in the markup, still stands on its own)."""
    tab.goto(path)
    text: str = tab.page.evaluate(VISIBLE_TEXT)
    return text


def test_the_english_page_shows_the_english_chrome(open_tab: Any, language_server: str) -> None:
    """The check below can see English: the English page of the same product shows it."""
    tab = open_tab(language_server, "phone", FULL_SIZE_IMAGES)
    text = _body_text(tab, f"01/{BISCUITS}/index.en.html")
    assert {"Ingredients", "Nutrition", "Contains", "Scan to open"} <= set(
        _found(ENGLISH_CHROME, text)
    )


LANGUAGE_PAGES = [
    (f"01/{BISCUITS}/index.html", "fr"),
    (f"01/{BISCUITS}/index.de.html", "de"),
    (f"01/{BISCUITS}/index.nl.html", "nl"),
    (f"01/{OAT_BISCUITS}/index.html", "de"),
    (f"01/{OAT_BISCUITS}/index.nl.html", "nl"),
    (f"01/{BOTTLE}/index.html", "nl"),
]


def _english(text: str, language: str, own_text: Iterable[str] = ()) -> list[str]:
    """The English chrome ``text`` shows, leaving out the product's own text (``own_text``)
    and the words spelt the same in ``language``."""
    for own in own_text:
        if _found(ENGLISH_CHROME, own):
            text = text.replace(own, " ")
    return [word for word in _found(ENGLISH_CHROME, text) if word not in SAME_IN[language]]


@pytest.mark.parametrize(("path", "language"), LANGUAGE_PAGES)
def test_no_english_on_a_page_in_another_language(
    path: str, language: str, open_tab: Any, language_server: str
) -> None:
    tab = open_tab(language_server, "phone", FULL_SIZE_IMAGES)
    text = _body_text(tab, path)
    assert tab.page.get_attribute("html", "lang") == language
    english = _english(text, language)
    assert english == [], f"{path} ({language}) shows English: {english}\n---\n{text}"


EXAMPLE_PAGES = [
    pytest.param(page, id=page.path)
    for page in product_pages(EXAMPLE_CATALOG)
    if page.language in SAME_IN
]


def test_the_examples_have_french_german_and_dutch_pages() -> None:
    assert {param.values[0].language for param in EXAMPLE_PAGES} == set(SAME_IN)


@pytest.mark.parametrize("page", EXAMPLE_PAGES)
def test_no_english_on_an_example_page_in_another_language(
    page: ProductPage, open_tab: Any, example_server: str
) -> None:
    """The example catalog's French, German and Dutch pages: there the product's own text
    may hold an English chrome word ("100% organic ingredients"), which is left out."""
    (entry,) = [
        json.loads(path.read_text("utf-8"))
        for path in EXAMPLE_CATALOG.glob("*.json")
        if page.gtin in path.read_text("utf-8")
    ]
    tab = open_tab(example_server, "phone", FULL_SIZE_IMAGES)
    text = _body_text(tab, page.path)
    english = _english(text, page.language, _strings(entry))
    assert english == [], f"{page.path} ({page.language}) shows English: {english}\n---\n{text}"


SWITCH_LINKS = """nav => Array.from(nav.querySelectorAll("a[hreflang]")).map(a => ({
  hreflang: a.getAttribute("hreflang"),
  lang: a.getAttribute("lang"),
  href: a.href,
  visible: a.getClientRects().length > 0,
}))"""
ALTERNATES = """() => Array.from(document.querySelectorAll('link[rel~="alternate"][hreflang]'))
  .map(link => [link.getAttribute("hreflang"), link.href])"""


def _lands(tab: Tab, url: str, server_url: str) -> tuple[int, str | None]:
    """The status a link's target answers with (after redirects), and the ``<html lang>``
    of the page it shows."""
    statuses, landing = follow(url, server_url=server_url)
    if statuses[-1] != 200:
        return statuses[-1], None
    tab.goto(landing.removeprefix(BASE + "/"))
    return 200, tab.page.get_attribute("html", "lang")


MULTILINGUAL = [(path, language) for path, language in LANGUAGE_PAGES if BOTTLE not in path]


@pytest.mark.parametrize(("path", "language"), MULTILINGUAL)
def test_the_language_switch_leads_to_each_other_page(
    path: str, language: str, pages: list[ProductPage], open_tab: Any, language_server: str
) -> None:
    (page,) = [p for p in pages if p.path == path]
    tab = open_tab(language_server, "phone", FULL_SIZE_IMAGES)
    tab.goto(path)
    navs = tab.page.locator("nav:has(a[hreflang])")
    assert navs.count() == 1, f"{path}: expected one language switch, found {navs.count()}"
    label = navs.first.get_attribute("aria-label") or ""
    assert re.search(LANGUAGE_WORD[language], label, re.IGNORECASE), (path, label)
    links = navs.first.evaluate(SWITCH_LINKS)
    others = set(page.languages) - {language}
    assert others <= {link["hreflang"] for link in links} <= set(page.languages), links
    for link in links:
        assert link["visible"], link
        assert link["lang"] == link["hreflang"], link
    landed = {link["hreflang"]: _lands(tab, link["href"], language_server) for link in links}
    assert landed == {link["hreflang"]: (200, link["hreflang"]) for link in links}


@pytest.mark.parametrize(("path", "language"), MULTILINGUAL)
def test_the_hreflang_alternates_lead_to_each_page(
    path: str, language: str, pages: list[ProductPage], open_tab: Any, language_server: str
) -> None:
    (page,) = [p for p in pages if p.path == path]
    tab = open_tab(language_server, "desktop", FULL_SIZE_IMAGES)
    tab.goto(path)
    alternates = dict(tab.page.evaluate(ALTERNATES))
    assert sorted(alternates) == sorted({*page.languages, "x-default"}), alternates
    landed = {tag: _lands(tab, url, language_server) for tag, url in alternates.items()}
    main = page.languages[0]
    assert landed == {tag: (200, main if tag == "x-default" else tag) for tag in alternates}
