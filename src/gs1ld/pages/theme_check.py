"""Try a theme's templates on sample pages, so a template that fails does so before a build.

:func:`~gs1ld.pages.theme.load_theme` checks a theme's syntax; a template can
still fail only when rendered (a variable the page does not have, an include
that does not exist).  :func:`check_theme` renders every kind of page with the
theme, on synthetic products (:mod:`gs1ld.testing`) in English and in French,
so such a template stops ``gs1ld site build --theme`` at once instead of
failing every product.  Branches the samples do not reach are not tried.
"""

from __future__ import annotations

from datetime import date

from gs1ld.catalog import parse_entry
from gs1ld.config import ExportConfig, SiteConfig
from gs1ld.pages.languages import language_pages
from gs1ld.pages.listings import index_page_files
from gs1ld.pages.product import render_view
from gs1ld.pages.theme import Theme
from gs1ld.pages.view import build_view
from gs1ld.publish import ManifestEntry, publish_entry
from gs1ld.testing import synthetic_catalog

__all__ = ["check_theme"]

_SAMPLE_DAY = date(2026, 6, 1)
_SAMPLE_BASE = "https://id.brand.example"


def check_theme(theme: Theme, *, samples: int = 8) -> None:
    """Render product, listing and index-of-pages pages with ``theme``; raise on the first failure.

    Raises:
        PublishError: a theme template failed; the message names the theme and template.
    """
    if not theme.templates:
        return
    export = ExportConfig(base_url=_SAMPLE_BASE, today=_SAMPLE_DAY)
    rows = []
    for number, raw in enumerate(synthetic_catalog(samples, seed=23)):
        publication = publish_entry(parse_entry(raw), export)
        language = "fr" if number % 2 else publication.name.language
        view = build_view(publication)
        view = build_view(publication, language) if language in publication.languages else view
        render_view(
            view,
            jsonld=publication.document,
            qr="<svg></svg>",
            theme=theme,
            languages=language_pages(publication, view.language),
        )
        rows.append(ManifestEntry(publication.gtin, "", view.name, view.brand))
    for language in ("en", "fr"):
        config = SiteConfig(
            ExportConfig(base_url=_SAMPLE_BASE, today=_SAMPLE_DAY, language=language),
            theme=theme,
        )
        for _ in index_page_files(
            lambda order: sorted(rows, key=order.sort_key), len(rows), config, page_size=2
        ):
            pass
