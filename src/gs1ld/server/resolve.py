"""The resolver's decisions, as plain data: what to answer for a product request.

Kept free of HTTP framework types so every rule of the GS1-Conformant Resolver
Standard that the server follows is testable as a function call.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qsl

import orjson

from gs1ld.publish import Link, link_header
from gs1ld.publish.wire import (
    HTML_MEDIA_TYPE,
    JSON_MEDIA_TYPE,
    JSONLD_MEDIA_TYPE,
    LINKSET_MEDIA_TYPE,
    PROBLEM_MEDIA_TYPE,
    context_link_header,
    link_type_name,
    problem_document,
)
from gs1ld.server._negotiate import best_media_type, language_preferences, language_score
from gs1ld.server.store import ProductRecord, StaticFile

__all__ = ["Answer", "problem", "product_link_header", "resolve_product"]

_OFFERS = (HTML_MEDIA_TYPE, LINKSET_MEDIA_TYPE, JSONLD_MEDIA_TYPE, JSON_MEDIA_TYPE)


@dataclass(frozen=True, slots=True)
class Answer:
    """An HTTP answer: status, headers, body and the validators of the body.

    Attributes:
        status: the status code.
        headers: (name, value) pairs beside the ones every answer carries.
        body: the body.
        media_type: the ``Content-Type``, if there is a body.
        etag: the body's strong entity tag, if it has one.
        source: the file the body is, for its modification time.
    """

    status: int
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    media_type: str | None = None
    etag: str | None = None
    source: StaticFile | None = None


def problem(status: int, title: str, detail: str, **members: object) -> Answer:
    """An RFC 9457 problem answer."""
    body = problem_document(status, title, detail, **members)
    return Answer(status, (), orjson.dumps(body), PROBLEM_MEDIA_TYPE)


def _forward(target: str, query: str) -> str:
    """``target`` with the request's query string passed on verbatim (``linkType`` too).

    The resolver standard passes on *all* key=value pairs; GS1's conformance
    suite finds the ``linkType`` it asked for in the ``Location`` as it sent it.
    """
    if not query:
        return target
    page, hash_, fragment = target.partition("#")  # the query goes before the fragment
    return page + ("&" if "?" in page else "?") + query + hash_ + fragment


def _choose(links: list[Link], accept_language: str | None) -> list[Link]:
    """The best links of one type for the caller's languages (several on a tie)."""
    if len(links) <= 1:
        return links
    preferences = language_preferences(accept_language)
    scored = [(language_score(link.hreflang, preferences), link) for link in links]
    best = max(score for score, _ in scored)
    return [link for score, link in scored if score == best]


def _by_language(links: list[Link], accept_language: str | None) -> list[Link]:
    """The language variants of the default that the caller's languages pick, if any.

    A product published in several languages lists one ``defaultLinkMulti`` per
    language page; the caller's ``Accept-Language`` picks one, and when it picks
    none (no header, or no language of the product) the plain default applies.
    """
    preferences = language_preferences(accept_language)
    if not links or not preferences:
        return []
    scored = [(language_score(link.hreflang, preferences), link) for link in links]
    best = max(score for score, _ in scored)
    return [link for score, link in scored if score == best] if best > 0 else []


def _multiple(record: ProductRecord, links: list[Link]) -> Answer:
    body = {
        "anchor": record.anchor,
        "linkset": [link.as_json() for link in links],
    }
    return Answer(300, (), orjson.dumps(body), JSON_MEDIA_TYPE)


def resolve_product(
    record: ProductRecord,
    *,
    query: str,
    accept: str | None,
    accept_language: str | None,
    context_url: str,
) -> Answer:
    """Answer a request for a product's Digital Link URI.

    Args:
        record: the product.
        query: the raw query string of the request (without ``?``).
        accept: the ``Accept`` header, if any.
        accept_language: the ``Accept-Language`` header, if any.
        context_url: the JSON-LD context of linksets, named in a ``Link`` header.
    """
    pairs = parse_qsl(query, keep_blank_values=True)
    link_type = next((value for name, value in pairs if name == "linkType"), None)

    if link_type in ("linkset", "all"):
        return _linkset(record, context_url)
    if link_type is not None:
        rel = link_type_name(link_type)
        links = record.links_of(rel) if rel else []
        if not links:
            return problem(
                404,
                "Not Found",
                f"The product has no link of type {link_type!r}.",
                gtin=record.gtin,
            )
        chosen = _choose(links, accept_language)
        if len(chosen) > 1:
            return _multiple(record, chosen)
        return _redirect(chosen[0].href, query, record)

    media = _preferred_media(accept) if accept is None or len(accept) <= 512 else None
    media = media or best_media_type(accept, _OFFERS) or HTML_MEDIA_TYPE
    if media == LINKSET_MEDIA_TYPE:
        return _linkset(record, context_url)
    if media in (JSONLD_MEDIA_TYPE, JSON_MEDIA_TYPE):
        jsonld = record.jsonld
        return Answer(200, (), jsonld.body, JSONLD_MEDIA_TYPE, jsonld.etag, jsonld)
    chosen = _by_language(record.links_of("defaultLinkMulti"), accept_language)
    if not chosen:
        chosen = _choose(record.links_of("defaultLink"), accept_language)
    if not chosen:
        return _linkset(record, context_url)
    if len(chosen) > 1:
        return _multiple(record, chosen)
    return _redirect(chosen[0].href, query, record)


@lru_cache(maxsize=1024)
def _preferred_media(accept: str | None) -> str | None:
    """:func:`best_media_type` of the resolver's offers, remembered per ``Accept`` value."""
    return best_media_type(accept, _OFFERS)


def _redirect(target: str, query: str, record: ProductRecord) -> Answer:
    if target not in record.hrefs:  # redirects only ever go to the product's own links
        return problem(500, "Internal Server Error", "Refusing a redirect outside the linkset.")
    return Answer(307, (("Location", _forward(target, query)),))


def _linkset(record: ProductRecord, context_url: str) -> Answer:
    return Answer(
        200,
        (("Link", context_link_header(context_url)),),
        record.linkset.body,
        LINKSET_MEDIA_TYPE,
        record.linkset.etag,
        record.linkset,
    )


def product_link_header(record: ProductRecord) -> str:
    """The ``rel="linkset"`` Link header every product response carries."""
    return _linkset_link(record.anchor)


@lru_cache(maxsize=8192)
def _linkset_link(anchor: str) -> str:
    return link_header([], linkset_url=f"{anchor}?linkType=linkset")
