"""A published product's typed links: what its linkset, Link headers and JSON-LD name.

Worked out once per product by :func:`gs1ld.publish.publish` and handed to the
JSON-LD mapping, the linkset, the link-type map and the server alike, so they
can never disagree.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, NamedTuple

from gs1ld._urls import safe_url
from gs1ld.catalog.entry import CatalogEntry
from gs1ld.publish.layout import PAGE_SECTIONS, product_paths

__all__ = ["GS1_VOC", "Link", "product_links"]

GS1_VOC = "https://ref.gs1.org/voc/"
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


@lru_cache(maxsize=256)
def _hreflang(tag: str) -> tuple[str, ...]:
    return (tag,) if _HREFLANG.fullmatch(tag) else ()


def _image_type(url: str) -> str | None:
    path = url.split("?", 1)[0]
    return _IMAGE_TYPES.get("." + path.rsplit(".", 1)[-1].lower()) if "." in path else None


def product_links(
    entry: CatalogEntry, *, base_url: str, label: str, language: str
) -> tuple[Link, ...]:
    """Every link the entry's data supports, in a stable order (by link type, then href).

    Args:
        entry: the catalog entry.
        base_url: where the site's files are served (the product's files lie below it).
        label: the product's display name, for titles.
        language: the language of the product's page.
    """
    paths = product_paths(entry.gtin)
    page = f"{base_url}/{paths.page}"
    lang = _hreflang(language)
    content = entry.content
    links = [
        Link("pip", page, f"{label}: product information", "text/html", lang),
        Link("defaultLink", page, f"{label}: product information", "text/html", lang),
        Link(
            "masterData",
            f"{base_url}/{paths.jsonld}",
            f"{label}: GS1 master data",
            "application/ld+json",
        ),
    ]

    def section(rel: str, title: str) -> Link:
        return Link(rel, f"{page}#{PAGE_SECTIONS[rel]}", f"{label}: {title}", "text/html", lang)

    for cert in content.certifications:
        target = safe_url(cert.verification_url) or safe_url(cert.url)
        if target:
            kind = "certificate verification" if safe_url(cert.verification_url) else "programme"
            links.append(Link("certificationInfo", target, f"{cert.label}: {kind}"))
    for recall in content.recalls:
        target = safe_url(recall.public_url) or f"{page}#{PAGE_SECTIONS['recallStatus']}"
        links.append(Link("recallStatus", target, f"Recall: {recall.title}"))
    if any(i.is_major_allergen or i.may_contain for i in content.ingredients):
        links.append(section("allergenInfo", "allergens"))
    if content.ingredients:
        links.append(section("ingredientsInfo", "ingredients"))
    if content.nutrition_facts is not None:
        links.append(section("nutritionalInfo", "nutrition"))
    if content.circularity is not None:
        links.append(section("sustainabilityInfo", "circularity"))
    if content.ftl_data is not None and (
        content.ftl_data.is_ftl or content.ftl_data.contains_ftl_substance
    ):
        links.append(section("traceability", "food traceability"))
    for number, image in enumerate(sorted(content.images, key=lambda i: (i.priority, i.id)), 1):
        target = safe_url(image.image_url)
        if target:
            title = image.title or f"{label}: image {number}"
            links.append(Link("relatedImage", target, title, _image_type(target)))
    return tuple(sorted(links, key=lambda link: (link.rel, link.href, link.title)))
