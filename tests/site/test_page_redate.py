"""A changed product's pages are rendered once: its "Last updated" line alone is redone.

The pages are first rendered with the previous ``lastmod`` (they keep it when they
come out as before); when they differ, the line is rendered again with the new day
and put in its place.  The result must be byte for byte the page a fresh rendering
with the new day gives, in every language and for every product.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import gs1ld.site.product_files as product_files
from gs1ld.catalog import parse_entry
from gs1ld.config import ExportConfig, SiteConfig
from gs1ld.pages.product import redate_page, render_view
from gs1ld.pages.theme import load_theme
from gs1ld.pages.view import build_view
from gs1ld.publish import publish_entry
from gs1ld.site.product_files import render_product
from gs1ld.testing import synthetic_catalog
from support import EXAMPLE_CATALOG, PROJECT_ROOT

TODAY = date(2026, 6, 3)
EARLIER = ("2026-06-01", "2025-12-31", "2024-02-29")
NOT_THE_PAGE = "0" * 24
"""A previous page digest no rendering gives: the pages count as changed."""


def _config(theme: Any = None) -> SiteConfig:
    export = ExportConfig(base_url="https://id.brand.example", today=TODAY)
    return SiteConfig(export, validate=False, theme=theme)


def _entries() -> list[Any]:
    examples = [
        json.loads(path.read_text("utf-8")) for path in sorted(EXAMPLE_CATALOG.glob("*.json"))
    ]
    regional = []  # pages with a region subtag: French chrome (fr-CA), English (pt-BR)
    for raw, language in ((examples[13], "fr-CA"), (examples[0], "pt-BR")):
        variant = json.loads(json.dumps(raw))
        variant["product"]["language"] = language
        regional.append(variant)
    return [parse_entry(raw) for raw in [*examples, *regional, *synthetic_catalog(40, seed=5)]]


ENTRIES = _entries()


def test_the_examples_cover_pages_with_and_without_their_own_chrome() -> None:
    config = _config()
    languages = {
        language for entry in ENTRIES for language in publish_entry(entry, config.export).languages
    }
    assert {"en", "fr", "de", "nl", "fr-CA"} <= languages  # chrome in the page's language
    assert {"pl", "pt-BR"} <= languages  # English chrome on the page: lang attributes


@pytest.mark.parametrize("kept", EARLIER)
def test_a_changed_product_comes_out_as_a_fresh_rendering(kept: str) -> None:
    config = _config()
    for entry in ENTRIES:
        fresh = render_product(entry, "digest", config)
        changed = render_product(entry, "digest", config, (kept, NOT_THE_PAGE))
        assert changed.files == fresh.files, entry.gtin
        assert (changed.lastmod, changed.page) == (TODAY.isoformat(), fresh.page)


def test_a_changed_product_is_rendered_once_per_language(monkeypatch: pytest.MonkeyPatch) -> None:
    renderings: list[str] = []

    def counted(view: Any, **options: Any) -> str:
        renderings.append(view.language)
        return render_view(view, **options)

    monkeypatch.setattr(product_files, "render_view", counted)
    config = _config()
    for entry in ENTRIES:
        renderings.clear()
        render_product(entry, "digest", config, ("2026-06-01", NOT_THE_PAGE))
        assert renderings == list(publish_entry(entry, config.export).languages), entry.gtin


def test_an_unchanged_page_keeps_its_day() -> None:
    config = _config()
    for entry in ENTRIES[:8]:
        before = render_product(entry, "digest", _config_on("2026-06-01"))
        again = render_product(entry, "digest", config, ("2026-06-01", before.page))
        assert (again.lastmod, again.files) == ("2026-06-01", before.files)


def _config_on(day: str) -> SiteConfig:
    export = ExportConfig(base_url="https://id.brand.example", today=date.fromisoformat(day))
    return SiteConfig(export, validate=False)


def test_a_theme_of_style_alone_is_redated_as_the_built_in_look(tmp_path: Path) -> None:
    (tmp_path / "theme.css").write_text(":root { --accent: #0b6e4f; }", "utf-8")
    theme = load_theme(tmp_path)
    assert not theme.templates
    config = _config(theme)
    for entry in ENTRIES[:16]:
        fresh = render_product(entry, "digest", config)
        changed = render_product(entry, "digest", config, ("2026-06-01", NOT_THE_PAGE))
        assert changed.files == fresh.files, entry.gtin


@pytest.mark.parametrize(
    ("language", "line"),
    [
        (
            "en",  # chrome in the page's language
            '<p id="last-updated" data-lastmod="2026-06-03">Last updated: '
            '<time datetime="2026-06-03">Jun 3, 2026</time></p>',
        ),
        (
            "pl",  # English chrome, the date in Polish
            '<p id="last-updated" data-lastmod="2026-06-03">Last updated: '
            '<time datetime="2026-06-03"><span lang="pl">3 cze 2026</span></time></p>',
        ),
    ],
)
def test_the_line_reads_as_it_always_has(language: str, line: str) -> None:
    """Pinned: the line is part of the page digest the manifest keeps, so a change of its
    bytes changes every product's ``lastmod`` at the next build."""
    config = _config()
    entry = next(e for e in ENTRIES if publish_entry(e, config.export).languages[0] == language)
    page = render_product(entry, "digest", config).files
    assert line.encode() in next(iter(page.values()))


def test_a_theme_with_templates_is_rendered_whole_again() -> None:
    theme = load_theme(PROJECT_ROOT / "examples" / "theme")
    assert theme.templates
    config = _config(theme)
    entry = ENTRIES[0]
    publication = publish_entry(entry, config.export)
    view = build_view(replace(publication, lastmod=date(2026, 6, 1)))
    html = render_view(view, jsonld=publication.document, theme=theme)
    assert redate_page(html, view, TODAY, theme) is None
    fresh = render_product(entry, "digest", config)
    changed = render_product(entry, "digest", config, ("2026-06-01", NOT_THE_PAGE))
    assert changed.files == fresh.files


def test_a_page_without_the_line_is_not_redated() -> None:
    publication = publish_entry(ENTRIES[0], _config().export)
    view = build_view(replace(publication, lastmod=date(2026, 6, 1)))
    html = render_view(view, jsonld=publication.document)
    assert redate_page(html, view, TODAY) is not None
    line_start = html.index('<p id="last-updated"')
    assert redate_page(html[:line_start], view, TODAY) is None  # the line is gone
    assert redate_page(html + html, view, TODAY) is None  # the line is there twice


def test_the_line_is_the_pages_only_dated_part() -> None:
    publication = publish_entry(ENTRIES[0], _config().export)
    pages = [
        render_view(build_view(replace(publication, lastmod=day)), jsonld=publication.document)
        for day in (date(2026, 6, 1), TODAY)
    ]
    start = pages[0].index('<p id="last-updated"')
    assert pages[0][:start] == pages[1][:start]
    assert pages[0][pages[0].index("</p>", start) :] == pages[1][pages[1].index("</p>", start) :]
