"""The page chrome's translations: complete catalogs, per-language pages, locale formats."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from gs1ld.config import ExportConfig, SiteConfig
from gs1ld.pages.i18n import (
    CATALOG_LANGUAGES,
    chrome_language,
    format_number,
    format_percent,
    page_context,
    translations,
)
from gs1ld.pages.listings import index_page_files
from gs1ld.pages.product import environment, render_page
from gs1ld.publish import ManifestEntry
from support import PROJECT_ROOT

LOCALES = PROJECT_ROOT / "src/gs1ld/pages/locales"
ENGLISH_CHROME = ("Filter products", "Name, brand or GTIN", "Sorted by", "Other orders", "Brand")


def _extracted() -> set[str | tuple[str, ...]]:
    """Every msgid the templates and the pages' Python code use, as ``babel.cfg`` extracts."""
    with (PROJECT_ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found: set[str | tuple[str, ...]] = set()
    for _, _, message, _, _ in extract_from_dir(
        str(PROJECT_ROOT),
        method_map,
        options_map,
        keywords={"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)},
    ):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


EXTRACTED = _extracted()


def _catalog(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def test_extraction_finds_the_chrome() -> None:
    # the listing's and the product page's words, from templates and from _messages.py
    assert {"Filter products", ("%(num)s product", "%(num)s products"), "Ingredients"} <= EXTRACTED
    assert {"May contain", "Scan to open", "Verified by a third party"} <= EXTRACTED


def test_the_template_catalog_is_up_to_date() -> None:
    pot = {m.id if isinstance(m.id, str) else tuple(m.id) for m in _catalog(LOCALES / "gs1ld.pot")}
    assert EXTRACTED - pot == set(), "run pybabel extract (src/gs1ld/pages/locales/README.md)"


@pytest.mark.parametrize("language", CATALOG_LANGUAGES)
def test_every_msgid_is_translated(language: str) -> None:
    catalog = _catalog(LOCALES / language / "LC_MESSAGES" / "gs1ld.po")
    assert not catalog.fuzzy
    messages = {m.id if isinstance(m.id, str) else tuple(m.id): m for m in catalog if m.id}
    assert EXTRACTED - set(messages) == set(), f"missing from {language}: run pybabel update"
    untranslated = [
        m.id
        for m in messages.values()
        if "fuzzy" in m.flags
        or not all(m.string if isinstance(m.string, tuple) else (m.string,))
        or len(m.string if isinstance(m.string, tuple) else (m.string,))
        != (catalog.num_plurals if m.pluralizable else 1)
    ]
    assert untranslated == []
    # placeholders match (a translation missing %(allergens)s would drop the allergens)
    assert [(m.id, errors) for m, errors in catalog.check()] == []


@pytest.mark.parametrize("language", sorted(set(CATALOG_LANGUAGES) - {"en"}))
def test_translations_differ_from_english(language: str) -> None:
    """A catalog that copied the English text would pass the completeness test."""
    t = translations(language)
    words = ["Ingredients", "May contain", "Nutrition", "Scan to open", "Filter products"]
    assert [w for w in words if t.gettext(w) == w] == []


def test_chrome_language_falls_back_to_english() -> None:
    assert [chrome_language(tag) for tag in ("fr", "fr-CA", "de-AT", "pt-BR", "ja", "EN")] == [
        "fr",
        "fr",
        "de",
        "en",
        "en",
        "en",
    ]


def test_chrome_in_another_language_carries_its_own_lang() -> None:
    assert str(page_context("pt")["chrome_lang_attr"]) == ' lang="en"'
    assert str(page_context("nl-BE")["chrome_lang_attr"]) == ""
    assert str(page_context("en-GB")["chrome_lang_attr"]) == ""


def test_environments_are_shared_by_chrome_language() -> None:
    assert environment(None, "fr-CA") is environment(None, "fr")
    assert environment(None, "pt") is environment(None, "ja") is environment(None, "en")
    assert environment(None, "de") is not environment(None, "fr")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "1.5|2,000|12.5%|Jun 1, 2026"),
        ("fr", "1,5|2\u202f000|12,5\u00a0%|1 juin 2026"),
        ("de", "1,5|2.000|12,5\u00a0%|01.06.2026"),
        ("nl", "1,5|2.000|12,5%|1 jun 2026"),
        ("pt-BR", "1,5|2.000|12,5%|1 de jun. de 2026"),  # no catalog, but its own formats
    ],
)
def test_locale_filters(language: str, expected: str) -> None:
    env = environment(None, language)
    template = env.from_string("{{ a | number }}|{{ b | number }}|{{ c | percent }}|{{ d | date }}")
    rendered = template.render(a=1.5, b=2000, c=12.5, d=date(2026, 6, 1), **page_context(language))
    assert rendered == expected


def test_new_style_gettext_escapes_its_variables() -> None:
    env = environment(None, "fr")
    template = env.from_string('{{ _("Contains: %(allergens)s", allergens=x) }}')
    assert template.render(x="<b>lait</b>") == "Contient\u00a0: &lt;b&gt;lait&lt;/b&gt;"


def _rows(count: int) -> list[ManifestEntry]:
    return [
        ManifestEntry(
            gtin=f"{n:014d}", name=f"P{n}", brand="B", digest="d", page="p", lastmod="2026-06-01"
        )
        for n in range(count)
    ]


def _listing(language: str, count: int = 3, page_size: int = 2) -> dict[str, str]:
    config = SiteConfig(ExportConfig(language=language, today=date(2026, 6, 1)), name="Shop")
    rows = _rows(count)
    files = index_page_files(
        lambda order: sorted(rows, key=order.sort_key), count, config, page_size=page_size
    )
    return {path: data.decode("utf-8") for path, data in files}


@pytest.mark.parametrize("language", ["fr", "de", "nl", "es", "it"])
def test_listing_pages_carry_no_english_chrome(language: str) -> None:
    for path, html in _listing(language).items():
        assert f'<html lang="{language}">' in html, path
        leftovers = [word for word in ENGLISH_CHROME if word in html]
        assert leftovers == [], path


def test_listing_in_french() -> None:
    html = _listing("fr")["index.html"]
    assert "<title>Shop – 3 produits – page 1 sur 2</title>" in html
    assert 'placeholder="Nom, marque ou GTIN"' in html
    assert "Trié par nom. Autres tris\u00a0:" in html


def test_listing_in_a_language_without_catalog_marks_its_english_chrome() -> None:
    html = _listing("pt")["index.html"]
    assert '<html lang="pt">' in html
    assert '<p class="meta" lang="en">3 products' in html
    assert '<div class="filter" lang="en"><label for="q">Filter products</label>' in html


def test_render_page_gives_the_page_language() -> None:
    html = render_page(
        "pages.html.j2",
        language="de",
        name="Laden",
        sort_label="name",
        count=1,
        total_pages=1,
        part=1,
        parts=1,
        start=1,
        items=[],
        previous="",
        next="",
    )
    assert '<html lang="de">' in html
    assert "1 Produkt auf 1 Seite." in html


@pytest.mark.parametrize("language", ["en", "fr", "de"])
@pytest.mark.parametrize("first", [0.0, -0.0, 0])
def test_zero_is_written_unsigned_whichever_zero_came_first(language: str, first: float) -> None:
    """A worker's cache keys ``-0.0`` and ``0.0`` as one: a page must not depend on
    which one it formatted first (a nutrient stated as ``-0`` reads ``0``)."""
    format_number.cache_clear()
    format_percent.cache_clear()
    zeros = (first, -0.0, 0.0, 0, -0.0004, -0.0005, 0.0005, -1e-300)
    assert {format_number(zero, language) for zero in zeros} == {"0"}
    assert format_number(-0.0006, language).startswith("-0")  # (-0.001: not zero)
    assert {format_percent(zero, language) for zero in (first, -0.0, -0.001, 0.0)} == {
        format_percent(0, language)
    }
    assert "-" not in format_percent(-0.0, language)
