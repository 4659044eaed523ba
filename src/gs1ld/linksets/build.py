"""Build a product's linkset (RFC 9264) the way GS1 resolvers serve it.

The anchor is the product's Digital Link URI; each GS1 link type the data
supports gets one array of link objects, keyed by the link type's full IRI
(``https://ref.gs1.org/voc/pip``).  The site's own files follow one layout:
``{base}/01/{gtin14}/index.html`` (the human page), ``index.jsonld`` and
``linkset.json`` beside it, so the links below point there.
"""

from __future__ import annotations

import re
from functools import lru_cache
from operator import itemgetter
from typing import Any, NamedTuple

from gs1ld._text import pick_text
from gs1ld._urls import safe_url
from gs1ld.catalog.entry import CatalogEntry
from gs1ld.config import ExportConfig

__all__ = [
    "GS1_VOC",
    "LINKSET_MEDIA_TYPE",
    "Link",
    "linkset",
    "linkset_document",
    "product_links",
    "product_paths",
    "product_uri",
]

GS1_VOC = "https://ref.gs1.org/voc/"
LINKSET_MEDIA_TYPE = "application/linkset+json"
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


def product_uri(base_url: str, gtin: str) -> str:
    """The product's Digital Link URI on ``base_url``: ``{base}/01/{gtin14}``."""
    return f"{base_url.rstrip('/')}/01/{gtin}"


def product_paths(gtin: str) -> dict[str, str]:
    """Site-relative paths of a product's files, keyed by role."""
    folder = f"01/{gtin}"
    return {
        "folder": folder,
        "page": f"{folder}/index.html",
        "jsonld": f"{folder}/index.jsonld",
        "linkset": f"{folder}/linkset.json",
        "qr": f"{folder}/qr.svg",
    }


_ORDER = itemgetter(0, 1, 2)  # rel, href, title


@lru_cache(maxsize=256)
def _hreflang(tag: str) -> tuple[str, ...]:
    return (tag,) if _HREFLANG.fullmatch(tag) else ()


def _image_type(url: str) -> str | None:
    path = url.split("?", 1)[0]
    return _IMAGE_TYPES.get("." + path.rsplit(".", 1)[-1].lower()) if "." in path else None


def product_links(entry: CatalogEntry, *, base_url: str) -> list[Link]:
    """Every link the entry's data supports, in a stable order (by link type, then href)."""
    product = entry.product
    language = product.language if product else "en"
    name, name_language = pick_text(product.name if product else None, language)
    label = name or f"GTIN {entry.gtin}"
    uri = product_uri(base_url, entry.gtin)
    page = f"{uri}/index.html"
    lang = _hreflang(name_language)
    content = entry.content
    links = [
        Link("pip", page, f"{label}: product information", "text/html", lang),
        Link("defaultLink", page, f"{label}: product information", "text/html", lang),
        Link(
            "masterData", f"{uri}/index.jsonld", f"{label}: GS1 master data", "application/ld+json"
        ),
    ]
    for cert in content.certifications:
        target = safe_url(cert.verification_url) or safe_url(cert.url)
        if target:
            kind = "certificate verification" if safe_url(cert.verification_url) else "programme"
            links.append(Link("certificationInfo", target, f"{cert.label}: {kind}"))
    for recall in content.recalls:
        target = safe_url(recall.public_url) or f"{page}#recall"
        links.append(Link("recallStatus", target, f"Recall: {recall.title}"))
    if any(i.is_major_allergen or i.may_contain for i in content.ingredients):
        links.append(
            Link("allergenInfo", f"{page}#allergens", f"{label}: allergens", "text/html", lang)
        )
    if content.ingredients:
        links.append(
            Link(
                "ingredientsInfo", f"{page}#ingredients", f"{label}: ingredients", "text/html", lang
            )
        )
    if content.nutrition_facts is not None:
        links.append(
            Link("nutritionalInfo", f"{page}#nutrition", f"{label}: nutrition", "text/html", lang)
        )
    if content.circularity is not None:
        links.append(
            Link(
                "sustainabilityInfo",
                f"{page}#sustainability",
                f"{label}: circularity",
                "text/html",
                lang,
            )
        )
    if content.ftl_data is not None and (
        content.ftl_data.is_ftl or content.ftl_data.contains_ftl_substance
    ):
        links.append(
            Link(
                "traceability",
                f"{page}#traceability",
                f"{label}: food traceability",
                "text/html",
                lang,
            )
        )
    for number, image in enumerate(sorted(content.images, key=lambda i: (i.priority, i.id)), 1):
        target = safe_url(image.image_url)
        if target:
            title = image.title or f"{label}: image {number}"
            links.append(Link("relatedImage", target, title, _image_type(target)))
    return sorted(links, key=_ORDER)


def linkset_document(
    entry: CatalogEntry, *, base_url: str, links: list[Link] | None = None
) -> dict[str, Any]:
    """The ``application/linkset+json`` document for the product.

    One context object: ``anchor`` (the Digital Link URI), ``itemDescription``
    (the product's name) and one array per link type. ``links`` are the
    entry's :func:`product_links` when the caller already has them.
    """
    product = entry.product
    language = product.language if product else "en"
    name, _ = pick_text(product.name if product else None, language)
    context: dict[str, Any] = {
        "anchor": product_uri(base_url, entry.gtin),
        "itemDescription": name or f"GTIN {entry.gtin}",
    }
    for link in product_links(entry, base_url=base_url) if links is None else links:
        context.setdefault(link.rel_iri, []).append(link.as_json())
    return {"linkset": [context]}


def linkset(entry: CatalogEntry, config: ExportConfig | None = None) -> dict[str, Any]:
    """The GS1 linkset (RFC 9264, ``application/linkset+json``) for ``entry``.

    The anchor is the product's Digital Link URI on ``config.base_url``; the
    document validates against GS1's linkset schema.  Same as
    :func:`linkset_document` with the configuration the rest of the library takes.
    """
    return linkset_document(entry, base_url=(config or ExportConfig()).base_url)
