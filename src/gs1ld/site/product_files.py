"""Everything one product publishes: page, JSON-LD, linkset, QR code, and their hash.

A product's *input hash* covers what its files depend on — the entry as read,
the site options, and the outcome of every date rule on the reference day — so
an unchanged product is recognised without rendering it again, and a new day
rebuilds only products whose certificates or claims actually changed state.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

import orjson

from gs1ld.catalog.entry import CatalogEntry
from gs1ld.convert import serialize
from gs1ld.errors import Problem
from gs1ld.linksets import linkset_document, product_links, product_paths, product_uri
from gs1ld.site.config import SiteConfig
from gs1ld.site.link_map import link_map_lines
from gs1ld.site.page import render_view
from gs1ld.site.qr import qr_svg
from gs1ld.site.view import badge_for, build_view
from gs1ld.validity import is_active

__all__ = ["RenderedProduct", "day_state", "input_hash", "render_product"]

_JSON_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE


@dataclass(frozen=True, slots=True)
class RenderedProduct:
    """One product's files (site-relative path -> bytes) or why it was skipped.

    ``link_map`` is its block of the site-wide nginx link-type map.
    """

    gtin: str
    digest: str
    name: str
    brand: str
    files: dict[str, bytes]
    problems: tuple[Problem, ...] = ()
    link_map: bytes = b""


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:  # an invalid entry; its hash matches nothing, it gets parsed
        return None


def day_state(raw: dict[str, Any], day: date) -> list[Any]:
    """The outcome of every date rule of a raw entry on ``day``.

    Read from the raw JSON so an unchanged product is recognised without
    parsing it; the rules themselves are the same functions the page uses.
    """
    content = raw.get("content") or {}
    certs = sorted(content.get("certifications") or [], key=lambda c: str(c.get("id")))
    claims = sorted(content.get("claims") or [], key=lambda c: str(c.get("id")))
    return [
        [
            badge_for(
                str(c.get("verification_status", "unverified")),
                _day(c.get("valid_from")),
                _day(c.get("expiration_date")),
                day,
            )
            for c in certs
        ],
        [
            is_active(_day(c.get("valid_from")), _day(c.get("expiration_date")), on=day)
            for c in claims
        ],
    ]


def content_digest(material: object) -> str:
    """A short, stable digest of JSON-serialisable ``material`` (keys sorted)."""
    return hashlib.sha256(orjson.dumps(material, option=orjson.OPT_SORT_KEYS)).hexdigest()[:32]


def input_hash(raw: dict[str, Any], config: SiteConfig, tool_version: str) -> str:
    """A digest of everything the product's files depend on, from the raw entry."""
    material = {
        "entry": raw,
        "base": config.root,
        "options": list(config.export_options),
        "validate": config.validate,
        "day_state": day_state(raw, config.day),
        "tool": tool_version,
    }
    return content_digest(material)


def _export_config(config: SiteConfig) -> Any:
    from gs1ld.config import ExportConfig

    return ExportConfig(base_url=config.root, today=config.day, **dict(config.export_options))


def render_product(entry: CatalogEntry, digest: str, config: SiteConfig) -> RenderedProduct:
    """Render every file of ``entry`` (validating its JSON-LD when configured)."""
    from gs1ld.mapping import to_jsonld

    uri = product_uri(config.root, entry.gtin)
    view = build_view(entry, uri=uri, day=config.day)
    document = to_jsonld(entry, config=_export_config(config))
    if config.validate:
        from gs1ld.validation import document_problems

        problems = document_problems(document)
        if problems:
            return RenderedProduct(entry.gtin, digest, view.name, view.brand, {}, problems)
    paths = product_paths(entry.gtin)
    links = product_links(entry, base_url=config.root)
    qr = qr_svg(uri)
    files = {
        paths["page"]: render_view(view, jsonld=document, qr=qr).encode("utf-8"),
        paths["jsonld"]: serialize(document, "jsonld"),
        paths["linkset"]: orjson.dumps(
            linkset_document(entry, base_url=config.root, links=links), option=_JSON_OPTIONS
        ),
        paths["qr"]: qr.encode("utf-8"),
    }
    link_map = link_map_lines(entry.gtin, links)
    return RenderedProduct(entry.gtin, digest, view.name, view.brand, files, link_map=link_map)
