"""Everything one product publishes: page, JSON-LD, linkset, QR code, and their hash.

A product's *input hash* covers what its files depend on — the entry as read,
the site options, the theme's files, and the outcome of every date rule on the reference day — so
an unchanged product is recognised without rendering it again, and a new day
rebuilds only products whose certificates or claims actually changed state.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

import orjson

from gs1ld.catalog.entry import CatalogEntry
from gs1ld.config import SiteConfig
from gs1ld.convert import serialize
from gs1ld.errors import Problem
from gs1ld.mapping.day_rules import DAY_RULE_FIELDS
from gs1ld.pages.languages import language_pages
from gs1ld.pages.product import redate_page, render_view
from gs1ld.pages.qr import qr_svg_again
from gs1ld.pages.view import ProductView, build_view
from gs1ld.publish import Publication, content_digest, publish_entry
from gs1ld.publish.links import first_links

if TYPE_CHECKING:
    from gs1ld.pages.theme import Theme

__all__ = [
    "RenderedProduct",
    "day_state",
    "day_window",
    "input_hash",
    "page_digest",
    "render_product",
]

_JSON_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE


@dataclass(frozen=True, slots=True)
class RenderedProduct:
    """One product's files (site-relative path -> bytes) or why it was skipped.

    ``page`` is a digest of its page (to tell whether the page changed),
    ``links`` its first link of each type (for the host rules' link maps) and
    ``lastmod`` the day its pages last changed (ISO date), which they show.
    """

    gtin: str
    digest: str
    name: str
    brand: str
    files: dict[str, bytes]
    problems: tuple[Problem, ...] = ()
    page: str = ""
    links: tuple[tuple[str, str], ...] = ()
    lastmod: str = ""


def _position(value: Any, today: date) -> int | None:
    """Where ``today`` lies against a raw date field: -1 before, 0 on, 1 after it."""
    when, day = _ordinal(value), today.toordinal()
    return None if when is None else (day > when) - (day < when)


def day_state(raw: dict[str, Any], today: date) -> list[Any]:
    """Where ``today`` lies against every date of the entry's certificates and claims.

    Read from the raw JSON so an unchanged product is recognised without
    parsing it. The mapping names the dates its rules compare with the
    reference day (:data:`~gs1ld.mapping.day_rules.DAY_RULE_FIELDS`), so two
    days with the same positions give the same output.
    """
    content = raw.get("content") or {}
    return [
        [
            [_position(item.get(name), today) for name in fields]
            for item in sorted(content.get(kind) or [], key=lambda c: str(c.get("id")))
            if isinstance(item, dict)
        ]
        for kind, fields in DAY_RULE_FIELDS.items()
    ]


def day_window(raw: Any, today: date) -> tuple[int, int]:
    """The first and last day (proleptic ordinals) of the run of days around ``today``
    on which :func:`day_state` is what it is on ``today``.

    On any day of it the entry's input hash is the same, so a rebuild on such a day may
    pass over the entry's unchanged line (:func:`~gs1ld.site.folder.read_sources`);
    an entry without dates has every day.  An entry whose content is not the shape
    the date rules read has ``today`` alone: it is read again on any other day.
    """
    day = today.toordinal()
    first, last = 1, date.max.toordinal()
    content = raw.get("content") if isinstance(raw, dict) else None
    if not content:
        return first, last
    if not isinstance(content, dict):
        return day, day
    for kind, fields in DAY_RULE_FIELDS.items():
        items = content.get(kind)
        if not items:
            continue
        if not isinstance(items, list):
            return day, day
        for item in items:
            if not isinstance(item, dict):
                continue
            for name in fields:
                when = _ordinal(item.get(name))
                if when is None:
                    continue
                if when > day:
                    last = min(last, when - 1)
                elif when < day:
                    first = max(first, when + 1)
                else:
                    first, last = max(first, day), min(last, day)
    return first, last


def _ordinal(value: Any) -> int | None:
    """A raw date field's day (proleptic ordinal); None when it is no date, and compares
    with no day (an invalid entry: its hash matches nothing, it gets parsed)."""
    try:
        return date.fromisoformat(value).toordinal() if isinstance(value, str) else None
    except ValueError:
        return None


def input_hash(raw: dict[str, Any], config: SiteConfig, tool_version: str) -> str:
    """A digest of everything the product's files depend on, from the raw entry."""
    material = {
        "entry": raw,
        "options": config.export.identity(),
        "validate": config.validate,
        "day_state": day_state(raw, config.export.today),
        "tool": tool_version,
    }
    if config.theme is not None:  # absent without a theme: unthemed sites keep their hashes
        material["theme"] = config.theme.digest
    return content_digest(material)


def render_product(
    entry: CatalogEntry,
    digest: str,
    config: SiteConfig,
    previous: tuple[str, str] | None = None,
    *,
    earlier_qr: str | None = None,
) -> RenderedProduct:
    """Render every file of ``entry`` (validating its JSON-LD when configured).

    ``earlier_qr`` is the QR code of the product's last version, when this version of
    gs1ld made it: it is taken when it is for the same URI
    (:func:`~gs1ld.pages.qr.qr_svg_again`).

    The pages show their own ``lastmod``, decided here once: ``previous`` is the last
    build's (lastmod, page digest). Rendered with that day, pages that come out byte for
    byte as before keep it (a new tool version re-renders everything but changes few
    pages); otherwise the reference day becomes their ``lastmod`` (the manifest's and
    the sitemap's), and only their "Last updated" line is rendered again with it
    (:func:`~gs1ld.pages.product.redate_page`; pages of a theme's templates whole).
    """
    publication = publish_entry(entry, config.export)
    document = publication.document
    if config.validate:
        from gs1ld.validation import document_problems

        problems = document_problems(document)
        if problems:
            view = build_view(publication)
            return RenderedProduct(entry.gtin, digest, view.name, view.brand, {}, problems)
    qr = qr_svg_again(publication.uri, earlier_qr)
    lastmod = config.export.today
    pages, digest_of_pages = None, ""  # the digest is taken once, of the pages written
    kept = _day(previous[0]) if previous is not None else None
    if kept is not None and previous is not None:
        rendered = _rendered(replace(publication, lastmod=kept), qr, config.theme)
        pages = _encoded(rendered)
        digest_of_pages = page_digest(*pages.values())
        if kept == lastmod or digest_of_pages == previous[1]:
            lastmod = kept  # (rendered with the reference day already: no second rendering)
        else:
            pages, digest_of_pages = _redated(rendered, lastmod, config.theme), ""
    if pages is None:
        rendered = _rendered(replace(publication, lastmod=lastmod), qr, config.theme)
        pages = _encoded(rendered)
    view = rendered[publication.paths.page][0]  # the main language's (name and brand)
    files = {
        **pages,
        publication.paths.jsonld: serialize(document, "jsonld"),
        publication.paths.linkset: orjson.dumps(publication.linkset(), option=_JSON_OPTIONS),
        publication.paths.qr: qr.encode("utf-8"),
    }
    return RenderedProduct(
        entry.gtin,
        digest,
        view.name,
        view.brand,
        files,
        page=digest_of_pages or page_digest(*pages.values()),
        links=first_links(publication.links),
        lastmod=lastmod.isoformat(),
    )


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:  # a manifest edited by hand: the page counts as changed
        return None


def _rendered(
    publication: Publication, qr: str, theme: Theme | None
) -> dict[str, tuple[ProductView, str]]:
    """The product's pages, its main language's first (site-relative path -> view, HTML)."""
    paths = publication.paths
    document = publication.document
    pages = {}
    for index, language in enumerate(publication.languages):
        path = paths.language_page(language) if index else paths.page
        view = build_view(publication, language)
        pages[path] = (
            view,
            render_view(
                view,
                jsonld=document,
                qr=qr,
                theme=theme,
                languages=language_pages(publication, view.language),
            ),
        )
    return pages


def _encoded(rendered: dict[str, tuple[ProductView, str]]) -> dict[str, bytes]:
    """The pages ``rendered`` as the bytes written (site-relative path -> bytes)."""
    return {path: html.encode("utf-8") for path, (_, html) in rendered.items()}


def _redated(
    rendered: dict[str, tuple[ProductView, str]], day: date, theme: Theme | None
) -> dict[str, bytes] | None:
    """The pages ``rendered`` with ``day`` as their ``lastmod``, or None when any of them
    must be rendered whole again (:func:`~gs1ld.pages.product.redate_page`)."""
    pages = {}
    for path, (view, html) in rendered.items():
        page = redate_page(html, view, day, theme)
        if page is None:
            return None
        pages[path] = page.encode("utf-8")
    return pages


def page_digest(*pages: bytes) -> str:
    """A short digest of a product's pages (its ``lastmod`` changes when this does)."""
    digest = hashlib.blake2b(digest_size=12)
    for page in pages:
        digest.update(len(page).to_bytes(8, "big"))
        digest.update(page)
    return digest.hexdigest()
