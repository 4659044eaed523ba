"""What a product page shows, computed from a catalog entry on a reference day.

The template only lays out; every decision (which name, which images first,
which certificate badge, which claims are in effect) is made here, in plain
typed code that tests can check without parsing HTML.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from gs1ld._urls import safe_url
from gs1ld.catalog.entry import CatalogEntry
from gs1ld.feed import (
    CircularityScoreOut,
    ClaimSource,
    FTLDataOut,
    NutritionFactsOut,
    RecallOut,
)
from gs1ld.publish import Badge, Publication

__all__ = [
    "CertificationView",
    "ClaimView",
    "ImageView",
    "IngredientView",
    "ProductView",
    "build_view",
]

AllergenMark = Literal["contains", "may-contain", ""]


@dataclass(frozen=True, slots=True)
class ImageView:
    """One image: ``src`` is always a safe URL, ``alt`` never empty."""

    src: str
    alt: str
    width: int | None
    height: int | None


@dataclass(frozen=True, slots=True)
class IngredientView:
    """One ingredient in label order, marked when it is or may be an allergen."""

    name: str
    allergen: AllergenMark
    percentage: float | None
    origin: str


@dataclass(frozen=True, slots=True)
class CertificationView:
    """A certification with the badge a shopper sees and only safe links."""

    label: str
    issuing_body: str
    number: str
    valid_from: date | None
    valid_until: date | None
    badge: Badge
    verification_url: str | None
    programme_url: str | None
    logo_url: str | None
    scope: str


@dataclass(frozen=True, slots=True)
class ClaimView:
    """A claim in effect on the reference day, with who asserts it."""

    label: str
    source: str


@dataclass(frozen=True, slots=True)
class ProductView:
    """Everything the product page template renders."""

    gtin: str
    uri: str
    language: str
    name: str
    brand: str
    description: str
    images: tuple[ImageView, ...]
    ingredients: tuple[IngredientView, ...]
    nutrition: NutritionFactsOut | None
    certifications: tuple[CertificationView, ...]
    claims: tuple[ClaimView, ...]
    recalls: tuple[RecallOut, ...]
    circularity: CircularityScoreOut | None
    ftl: FTLDataOut | None

    @property
    def has_allergens(self) -> bool:
        """True when any ingredient is or may be an allergen."""
        return any(i.allergen for i in self.ingredients)


_SOURCE_LABELS = {
    ClaimSource.BRAND_SELF_DECLARED: "Self-declared by the brand",
    ClaimSource.THIRD_PARTY_VERIFIED: "Verified by a third party",
}


def _images(entry: CatalogEntry, name: str) -> tuple[ImageView, ...]:
    views = []
    for number, image in enumerate(entry.images, start=1):
        src = safe_url(image.image_url)
        if src is None:
            continue
        alt = image.description or image.title or f"{name or 'Product'}, image {number}"
        views.append(ImageView(src, alt, image.width, image.height))
    return tuple(views)


def _ingredients(entry: CatalogEntry) -> tuple[IngredientView, ...]:
    ordered = sorted(entry.content.ingredients, key=lambda i: (i.priority, i.name, i.id))
    views = []
    for row in ordered:
        mark: AllergenMark = ""
        if row.is_major_allergen:
            mark = "contains"
        elif row.may_contain:
            mark = "may-contain"
        views.append(IngredientView(row.name, mark, row.percentage, row.origin))
    return tuple(views)


def _certifications(publication: Publication) -> tuple[CertificationView, ...]:
    ordered = sorted(publication.entry.content.certifications, key=lambda c: (c.label, c.id))
    return tuple(
        CertificationView(
            label=cert.label,
            issuing_body=cert.issuing_body,
            number=cert.certificate_number,
            valid_from=cert.valid_from,
            valid_until=publication.certificates[cert.id].decision.end_date,
            badge=publication.certificates[cert.id].badge,
            verification_url=safe_url(cert.verification_url),
            programme_url=safe_url(cert.url),
            logo_url=safe_url(cert.logo_url),
            scope=cert.scope,
        )
        for cert in ordered
    )


def _claims(publication: Publication) -> tuple[ClaimView, ...]:
    stated = publication.mapped.claims
    active = [c for c in publication.entry.content.claims if c.id in stated]
    active.sort(key=lambda c: (c.label, c.id))
    return tuple(
        ClaimView(c.label, _SOURCE_LABELS.get(c.source, "") if c.source else "") for c in active
    )


def build_view(publication: Publication, language: str | None = None) -> ProductView:
    """Compute the page's content for a published product.

    ``language`` picks the page's language among the publication's (its main
    one by default). Names, languages, certificate badges and end dates, and the claims shown all
    come from the publication, so the page says what the JSON-LD says.
    """
    entry = publication.entry
    name, description = publication.in_language(language or publication.name.language)
    recalls = sorted(
        entry.content.recalls, key=lambda r: (r.recall_date or date.min, r.id), reverse=True
    )
    return ProductView(
        gtin=entry.gtin,
        uri=publication.uri,
        language=name.language,
        name=name.value or publication.label,
        brand=publication.brand,
        description=description.value,
        images=_images(entry, name.value),
        ingredients=_ingredients(entry),
        nutrition=entry.content.nutrition_facts,
        certifications=_certifications(publication),
        claims=_claims(publication),
        recalls=tuple(recalls),
        circularity=entry.content.circularity,
        ftl=entry.content.ftl_data,
    )
