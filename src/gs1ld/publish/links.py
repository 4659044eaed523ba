"""A published product's typed links: what its linkset, Link headers and JSON-LD name.

Worked out once per product by :func:`gs1ld.publish.publish_entry` and handed to the
JSON-LD mapping, the linkset, the link-type map and the server alike, so they
can never disagree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache, partial
from operator import itemgetter
from typing import Any, NamedTuple

from gs1ld._urls import safe_url
from gs1ld.catalog.entry import CatalogEntry
from gs1ld.publish.layout import LANGUAGE_PAGE, PAGE_SECTIONS, ProductPaths, product_paths

__all__ = [
    "ALLERGEN_INFO",
    "GS1_VOC",
    "SEVERAL_MARK",
    "Link",
    "first_links",
    "language_page_names",
    "linkset_names_every_page",
    "may_have_language_pages",
    "product_links",
]

GS1_VOC = "https://ref.gs1.org/voc/"
ALLERGEN_INFO = "allergenInfo"
"""The link type into the page's allergen box: a product has it exactly when its
JSON-LD states allergens (``gs1:hasAllergen``), whether from its ingredients or a
free-from claim."""
SEVERAL_MARK = "+"
"""After a link type in :func:`first_links`: the type's second link, so a host map can
tell a type with several links (``gs1ld serve`` chooses among them by
``Accept-Language``, or answers 300 with them all) from a type with one."""
_ORDER = itemgetter(0, 1, 2)  # rel, href, title
_HREFLANG = re.compile(r"\w{2}(-\w{2})?")
_IMAGE_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
}


class Link(NamedTuple):
    """One typed link of a product (a named tuple: products make many, and they are cheap).

    Attributes:
        rel: the GS1 link type's local name (``pip``, ``certificationInfo``…).
        href: the absolute http(s) target.
        title: a human-readable title (GS1 linksets require one).
        type: the target's media type, when known.
        hreflang: the target's languages, when known.
    """

    rel: str
    href: str
    title: str
    type: str | None = None
    hreflang: tuple[str, ...] = ()

    @property
    def rel_iri(self) -> str:
        """The link type as a full IRI."""
        return GS1_VOC + self.rel

    def as_json(self) -> dict[str, Any]:
        """The RFC 9264 link target object."""
        target: dict[str, Any] = {"href": self.href, "title": self.title}
        if self.type:
            target["type"] = self.type
        if self.hreflang:
            target["hreflang"] = list(self.hreflang)
        return target


_link: Callable[[tuple[str, str, str, str | None, tuple[str, ...]]], Link] = partial(
    tuple.__new__, Link
)
"""A :class:`Link` from all five fields at once: the named tuple's own constructor is a
Python function (keywords, defaults), which a product's dozen links each paid for."""


@lru_cache(maxsize=256)
def _hreflang(tag: str) -> tuple[str, ...]:
    return (tag,) if _HREFLANG.fullmatch(tag) else ()


def _image_type(url: str) -> str | None:
    _, dot, extension = url.partition("?")[0].rpartition(".")
    return _IMAGE_TYPES.get("." + extension.lower()) if dot else None


def product_links(
    entry: CatalogEntry,
    *,
    page_base: str | None,
    label: str,
    languages: tuple[tuple[str, str], ...],
    paths: ProductPaths | None = None,
) -> tuple[Link, ...]:
    """Every link the entry's data supports, in a stable order (by link type, then href).

    Args:
        entry: the catalog entry.
        page_base: where the product's pages and files are served, or None when no
            domain of the user's is known: links to them are then left out.
        label: the product's display name, for titles.
        languages: (language, display name) of each of its pages, the main one
            (``index.html``) first; each other gets ``index.{language}.html``.
        paths: the product's files (:func:`~gs1ld.publish.layout.product_paths`), when
            the caller has them already.
    """
    content = entry.content
    links: list[Link] = []
    for cert in content.certifications:
        verification = safe_url(cert.verification_url)
        target = verification or safe_url(cert.url)
        if target:
            kind = "certificate verification" if verification else "programme"
            links.append(_link(("certificationInfo", target, f"{cert.label}: {kind}", None, ())))
    if content.images:
        for number, image in enumerate(entry.images, 1):
            target = safe_url(image.image_url)
            if target:
                title = image.title or f"{label}: image {number}"
                links.append(_link(("relatedImage", target, title, _image_type(target), ())))
    for recall in content.recalls:
        target = safe_url(recall.public_url)
        if target:
            links.append(_link(("recallStatus", target, f"Recall: {recall.title}", None, ())))
    if page_base is not None:
        links += _page_links(entry, page_base, label, languages, paths or product_paths(entry.gtin))
    links.sort(key=_ORDER)
    return tuple(links)


def _page_links(
    entry: CatalogEntry,
    page_base: str,
    label: str,
    languages: tuple[tuple[str, str], ...],
    paths: ProductPaths,
) -> list[Link]:
    """The links to gs1ld's own pages and files of the product on ``page_base``."""
    main = languages[0][0]
    page = f"{page_base}/{paths.page}"
    lang = _hreflang(main)
    title = f"{label}: product information"
    # GS1-Conformant Resolver Standard: the default link has a title and no other attribute
    links = [
        _link(("defaultLink", page, title, None, ())),
        _link(("pip", page, title, "text/html", lang)),
    ]
    if len(languages) > 1:  # one default per language, for resolvers that choose by language
        links.append(_link(("defaultLinkMulti", page, title, "text/html", lang)))
        for tag, name in languages[1:]:
            href = f"{page_base}/{paths.language_page(tag)}"
            title = f"{name}: product information"
            hreflang = _hreflang(tag)
            links.append(_link(("pip", href, title, "text/html", hreflang)))
            links.append(_link(("defaultLinkMulti", href, title, "text/html", hreflang)))
    links.append(
        _link(
            (
                "masterData",
                f"{page_base}/{paths.jsonld}",
                f"{label}: GS1 master data",
                "application/ld+json",
                (),
            )
        )
    )
    content = entry.content
    for recall in content.recalls:
        if not safe_url(recall.public_url):
            recall_page = f"{page}{_FRAGMENTS['recallStatus']}"
            links.append(_link(("recallStatus", recall_page, f"Recall: {recall.title}", None, ())))
    # the links to the elements of the product's page that answer a link type, each
    # when the product has what it shows
    html = "text/html"
    if content.ingredients or content.claims:  # where allergen facts come from
        # offered here, kept only when the mapping states allergens: see publish_entry
        links.append(_link((ALLERGEN_INFO, page + _ALLERGENS, f"{label}: allergens", html, lang)))
    if content.ingredients:
        title = f"{label}: ingredients"
        links.append(_link(("ingredientsInfo", page + _INGREDIENTS, title, html, lang)))
    if content.nutrition_facts is not None:
        title = f"{label}: nutrition"
        links.append(_link(("nutritionalInfo", page + _NUTRITION, title, html, lang)))
    if content.circularity is not None:
        title = f"{label}: circularity"
        links.append(_link(("sustainabilityInfo", page + _CIRCULARITY, title, html, lang)))
    ftl = content.ftl_data
    if ftl is not None and (ftl.is_ftl or ftl.contains_ftl_substance):
        title = f"{label}: food traceability"
        links.append(_link(("traceability", page + _TRACEABILITY, title, html, lang)))
    return links


_FRAGMENTS = {rel: f"#{element}" for rel, element in PAGE_SECTIONS.items()}
_ALLERGENS = _FRAGMENTS[ALLERGEN_INFO]
_INGREDIENTS = _FRAGMENTS["ingredientsInfo"]
_NUTRITION = _FRAGMENTS["nutritionalInfo"]
_CIRCULARITY = _FRAGMENTS["sustainabilityInfo"]
_TRACEABILITY = _FRAGMENTS["traceability"]


def first_links(links: Iterable[Link]) -> tuple[tuple[str, str], ...]:
    """(link type, target) of the first link of each type, in linkset order, and for a
    type with several links its second one as (type + :data:`SEVERAL_MARK`, target).

    The one place "the first link of each type" is chosen: the host rules' link
    maps and the manifest rows both read it.  A static host redirects to the
    first link; the hybrid's rules pass a type with a second link on to ``gs1ld
    serve``, which alone can choose among them or list them (300).
    """
    counts: dict[str, int] = {}
    first = []
    for link in links:
        seen = counts.get(link.rel, 0)
        counts[link.rel] = seen + 1
        if seen == 0:
            first.append((link.rel, link.href))
        elif seen == 1:
            first.append((link.rel + SEVERAL_MARK, link.href))
    return tuple(first)


_MAIN_PAGE = "pip"
"""The link type of a product's page: :func:`product_links` gives it whenever there is
a page base."""
_LANGUAGE_PAGES = frozenset({_MAIN_PAGE + SEVERAL_MARK, "defaultLinkMulti"})
"""Link types only a product with pages in other languages has among its
:func:`first_links`: a second ``pip``, and ``defaultLinkMulti`` (which :func:`first_links`
of the time before :data:`SEVERAL_MARK` kept too)."""


def may_have_language_pages(first: Iterable[tuple[str, str]]) -> bool:
    """Whether the product whose :func:`first_links` are ``first`` may have pages in other
    languages (``index.{tag}.html``): False only when they show a main page and no sign
    of another; without a ``pip`` link (no page base, or links not kept) they cannot tell.
    """
    types = {link_type for link_type, _ in first}
    return _MAIN_PAGE not in types or not types.isdisjoint(_LANGUAGE_PAGES)


def linkset_names_every_page(first: Iterable[tuple[str, str]]) -> bool:
    """Whether the linkset of the product whose :func:`first_links` are ``first`` names
    each of its pages (:func:`language_page_names` reads them): exactly when it has a
    ``pip`` link, which :func:`product_links` gives with a page base alone."""
    return any(link_type == _MAIN_PAGE for link_type, _ in first)


def language_page_names(links: Iterable[Link]) -> frozenset[str]:
    """The file names (``index.{tag}.html``) of the language pages the ``pip`` links among
    ``links`` (a product's linkset) point to.

    With a page base, :func:`product_links` gives one ``pip`` link to each page of
    the product, so its linkset names every language page it has; the file names
    hold whatever the page base was.  Without one (no ``pip`` link among its
    :func:`first_links`) the linkset names none of them.
    """
    names = set()
    for link in links:
        if link.rel == _MAIN_PAGE:
            name = link.href.split("#", 1)[0].rsplit("/", 1)[-1]
            if LANGUAGE_PAGE.fullmatch(name):
                names.add(name)
    return frozenset(names)
