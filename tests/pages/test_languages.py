"""A product's language pages: what hreflang alternates and the language switch link to."""

from __future__ import annotations

from datetime import date
from typing import Any

from gs1ld.catalog import parse_entry
from gs1ld.config import ExportConfig
from gs1ld.pages.languages import LanguagePage, language_pages
from gs1ld.publish import Publication, publish_entry

DAY = date(2026, 6, 1)


def _published(name: Any, base_url: str = "https://id.brand.example") -> Publication:
    entry = parse_entry(
        {
            "gtin": "09506000134352",
            "product": {"name": name, "language": "fr"},
            "content": {
                "images": [],
                "ingredients": [],
                "certifications": [],
                "claims": [],
                "recalls": [],
            },
        }
    )
    return publish_entry(entry, ExportConfig(base_url=base_url, today=DAY))


def test_every_page_lists_every_language_the_main_one_first() -> None:
    publication = _published({"fr": "Lait", "nl": "Melk", "de": "Milch", "en-GB": "Milk"})
    base = "https://id.brand.example/01/09506000134352"
    assert language_pages(publication, "nl") == (
        LanguagePage("fr", "index.html", f"{base}/index.html", "Français", False, True),
        LanguagePage("de", "index.de.html", f"{base}/index.de.html", "Deutsch", False, False),
        LanguagePage(
            "en-GB",
            "index.en-GB.html",
            f"{base}/index.en-GB.html",
            "English (United Kingdom)",
            False,
            False,
        ),
        LanguagePage("nl", "index.nl.html", f"{base}/index.nl.html", "Nederlands", True, False),
    )
    # the pages the site writes are the ones listed
    assert [page.href for page in language_pages(publication, "fr")] == [
        publication.paths.page.rsplit("/", 1)[1],
        *(publication.paths.language_page(tag).rsplit("/", 1)[1] for tag in ("de", "en-GB", "nl")),
    ]
    assert [p.current for p in language_pages(publication, "fr")] == [True, False, False, False]


def test_a_product_in_one_language_has_no_switch() -> None:
    assert language_pages(_published("Lait"), "fr") == ()
    assert language_pages(_published({"fr": "Lait"}), "fr") == ()


def test_without_a_page_base_the_links_stay_relative() -> None:
    """On GS1's resolver gs1ld knows no page URL: hreflang links use the sibling's file."""
    pages = language_pages(_published({"fr": "Lait", "de": "Milch"}, "https://id.gs1.org"), "fr")
    assert [(p.href, p.url) for p in pages] == [("index.html", None), ("index.de.html", None)]


def test_a_tag_babel_does_not_know_is_named_by_its_language() -> None:
    pages = language_pages(_published({"fr": "Lait", "de-XX": "Milch"}), "fr")
    assert [(p.language, p.endonym) for p in pages] == [("fr", "Français"), ("de-XX", "Deutsch")]


def _partial(name: str, publication: Publication, current: str, language: str) -> str:
    from gs1ld.pages.i18n import page_context
    from gs1ld.pages.product import environment

    template = environment(None, language).get_template(name)
    return template.render(languages=language_pages(publication, current), **page_context(language))


def test_the_hreflang_partial() -> None:
    publication = _published({"fr": "Lait", "de": "Milch"})
    base = "https://id.brand.example/01/09506000134352"
    assert _partial("_hreflang.html.j2", publication, "de", "de") == (
        f'<link rel="alternate" hreflang="fr" href="{base}/index.html">\n'
        f'<link rel="alternate" hreflang="de" href="{base}/index.de.html">\n'
        f'<link rel="alternate" hreflang="x-default" href="{base}/index.html">\n'
    )
    assert _partial("_hreflang.html.j2", _published("Lait"), "fr", "fr") == ""


def test_the_language_switch_partial() -> None:
    publication = _published({"fr": "Lait", "de": "Milch"})
    assert _partial("_language_switch.html.j2", publication, "de", "de") == (
        '<nav class="languages" aria-label="Sprache">\n<ul>\n'
        '<li><a href="index.html" hreflang="fr" lang="fr">Français</a></li>\n'
        '<li><a href="index.de.html" hreflang="de" lang="de" aria-current="page">Deutsch</a>'
        "</li>\n</ul>\n</nav>\n"
    )
    # a page whose language has no catalog: the label is English and says so
    switch = _partial("_language_switch.html.j2", publication, "fr", "pt")
    assert switch.startswith('<nav class="languages" aria-label="Language" lang="en">')
    assert _partial("_language_switch.html.j2", _published("Lait"), "fr", "fr") == ""
