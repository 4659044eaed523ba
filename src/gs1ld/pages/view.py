"""What a product page shows, computed from a catalog entry on a reference day.

The template only lays out; every decision (which name, which images first,
which certificate badge, which claims are in effect) is made here, in plain
typed code that tests can check without parsing HTML. Every fact the JSON-LD also
states (allergens, claims, certificate states, the nutrition basis) is read from the
:class:`~gs1ld.publish.Publication`, never worked out again, so page and data agree.

The page's words are in the template, translated there through the message catalogs
(:mod:`gs1ld.pages.i18n`), except the few this module chooses between, which are all in
:data:`WORDING`, marked for the catalogs with ``N_`` and translated where the page shows
them.
"""

from __future__ import annotations

from collections.abc import Mapping
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
from gs1ld.pages.i18n import N_
from gs1ld.publish import Badge, NutritionBasis, Publication

__all__ = [
    "WORDING",
    "AllergenView",
    "BasisView",
    "CertificationView",
    "ClaimView",
    "ImageView",
    "IngredientView",
    "ProductView",
    "build_view",
]

AllergenMark = Literal["contains", "may-contain", ""]
AllergenLevel = Literal["contains", "may-contain", "free-from"]
ClaimSupport = Literal[
    "self-declared",
    "verified",
    "certificate-unverified",
    "certificate-inactive",
    "certificate-expired",
    "",
]

WORDING: dict[str, str] = {
    "self-declared": N_("Self-declared by the brand"),
    "verified": N_("Verified by a third party"),
    "certificate-unverified": N_("Third-party claim; its certificate is not verified"),
    "certificate-inactive": N_("Third-party claim; its certificate is inactive"),
    "certificate-expired": N_("Third-party claim; its certificate has expired"),
}
"""The words this module picks for the page (a claim's support), by key: English msgids
that ``product.html.j2`` translates where it shows them (``{{ _(claim.source) }}``).

Every other word of the page is in ``product.html.j2``."""

_LEVELS: dict[str, AllergenLevel] = {
    "CONTAINS": "contains",
    "MAY_CONTAIN": "may-contain",
    "FREE_FROM": "free-from",
}
_UNITS = {"GRM": "g", "MLT": "ml", "KGM": "kg", "LTR": "l", "MGM": "mg", "CLT": "cl", "DLT": "dl"}
"""UN/ECE Rec 20 codes a nutrient basis is given in -> their SI symbols."""
_BADGE_RANK: dict[str, int] = {"active": 0, "unverified": 1, "inactive": 2, "expired": 3}


@dataclass(frozen=True, slots=True)
class AllergenView:
    """One allergen the JSON-LD states, as the page names it.

    Attributes:
        level: ``contains``, ``may-contain`` or ``free-from``.
        name: its name in the regulation's wording, in the page's language when the
            tables have it.
        language: the name's language when it is not the page's (for a ``lang``
            attribute), else ``""``.
        codes: its ``gs1:AllergenTypeCode`` suffixes, space-separated, specific first
            (the page's ``data-codes``, which tests compare with the JSON-LD).
        ingredients: the names of the ingredients it was read in, in label order.
    """

    level: AllergenLevel
    name: str
    language: str
    codes: str
    ingredients: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BasisView:
    """The nutrition panel's basis as the JSON-LD states it.

    Attributes:
        kind: ``BY_MEASURE`` (per 100 g / per 100 ml) or ``BY_SERVING``.
        amount: the basis quantity.
        unit: its symbol (``g``, ``ml``) or, for another unit, its Rec 20 code.
        code: its Rec 20 code (the page's ``data-basis``).
    """

    kind: str
    amount: float
    unit: str
    code: str


@dataclass(frozen=True, slots=True)
class ImageView:
    """One image: ``src`` is always a safe URL.

    ``alt`` is the feed's description or title of it; when the feed gives neither it is
    ``""`` and the page names it in its own language ("{name}, image {number}").
    """

    src: str
    alt: str
    width: int | None
    height: int | None
    number: int
    """Its place among the product's images (1 for the first), for that default name."""


@dataclass(frozen=True, slots=True)
class IngredientView:
    """One ingredient in label order, marked when it is or may be an allergen."""

    name: str
    allergen: AllergenMark
    percentage: float | None
    origin: str


@dataclass(frozen=True, slots=True)
class CertificationView:
    """A certification with the badge a shopper sees and only safe links.

    ``status`` is the JSON-LD's ``gs1:certificationStatus`` CURIE, or ``""`` when it
    states none; the badge refines it, never contradicts it.
    """

    id: str
    status: str
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
    """A claim the JSON-LD states, with who asserts it and how well that holds.

    ``support`` is a key of :data:`WORDING` (``""``: the feed says nothing), and
    ``source`` its words: a third-party claim is "verified" only while no certificate
    of its scheme says otherwise (:func:`gs1ld.publish.publication.same_scheme`).
    """

    id: str
    code: str
    label: str
    support: ClaimSupport
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
    basis: BasisView | None
    allergens: tuple[AllergenView, ...]
    certifications: tuple[CertificationView, ...]
    claims: tuple[ClaimView, ...]
    recalls: tuple[RecallOut, ...]
    circularity: CircularityScoreOut | None
    ftl: FTLDataOut | None
    updated: date | None = None
    """The day the product's pages last changed (its ``lastmod``), when known."""
    feed_language: str = "en"
    """The language of the API's own text on the page (certificates, claims, recalls,
    nutrient names), marked with its own ``lang`` on a page in another language."""

    @property
    def has_allergens(self) -> bool:
        """True when the JSON-LD states any allergen (the page then has its allergen box)."""
        return bool(self.allergens)

    def allergens_at(self, level: AllergenLevel) -> tuple[AllergenView, ...]:
        """The allergens stated at ``level``, in the order the page lists them."""
        return tuple(a for a in self.allergens if a.level == level)


def _images(entry: CatalogEntry) -> tuple[ImageView, ...]:
    views = []
    for number, image in enumerate(entry.images, start=1):
        src = safe_url(image.image_url)
        if src is None:
            continue
        alt = image.description or image.title
        views.append(ImageView(src, alt, image.width, image.height, number))
    return tuple(views)


def _allergens(publication: Publication, language: str) -> tuple[AllergenView, ...]:
    rows = publication.entry.content.ingredients
    views = []
    for fact in publication.allergens:
        name, named_in = fact.name_in(language)
        views.append(
            AllergenView(
                level=_LEVELS[fact.level],
                name=name[:1].upper() + name[1:],
                language="" if named_in == language.split("-")[0].casefold() else named_in,
                codes=" ".join(fact.codes),
                ingredients=tuple(rows[i].name for i in fact.ingredients),
            )
        )
    return tuple(views)


def _ingredients(publication: Publication) -> tuple[IngredientView, ...]:
    """The ingredient rows, each marked "contains" (or "may contain") when an allergen the
    JSON-LD states at that level was read in it."""
    rows = publication.entry.content.ingredients
    levels: dict[int, set[str]] = {}
    for fact in publication.allergens:
        for index in fact.ingredients:
            levels.setdefault(index, set()).add(fact.level)
    ordered = sorted(enumerate(rows), key=lambda p: (p[1].priority, p[1].name, p[1].id))
    views = []
    for index, row in ordered:
        found = levels.get(index, set())
        mark: AllergenMark = ""
        if "CONTAINS" in found:
            mark = "contains"
        elif "MAY_CONTAIN" in found:
            mark = "may-contain"
        views.append(IngredientView(row.name, mark, row.percentage, row.origin))
    return tuple(views)


def _basis(basis: NutritionBasis | None) -> BasisView | None:
    if basis is None:
        return None
    return BasisView(basis.kind, basis.value, _UNITS.get(basis.unit, basis.unit), basis.unit)


def _certifications(publication: Publication) -> tuple[CertificationView, ...]:
    ordered = sorted(publication.entry.content.certifications, key=lambda c: (c.label, c.id))
    return tuple(
        CertificationView(
            id=cert.id,
            status=publication.certificates[cert.id].status or "",
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


def _support(
    publication: Publication,
    schemes: Mapping[str, tuple[str, ...]],
    claim_id: str,
    source: ClaimSource | None,
) -> ClaimSupport:
    """How a claim is supported: by the brand, or by a third party whose certificate of the
    same scheme (the best one, when several; ``schemes`` is
    :attr:`Publication.claim_certificates`) is in effect, unverified, inactive or expired."""
    if source == ClaimSource.BRAND_SELF_DECLARED:
        return "self-declared"
    if source != ClaimSource.THIRD_PARTY_VERIFIED:
        return ""
    badges = [publication.certificates[cert_id].badge for cert_id in schemes.get(claim_id, ())]
    best = min(badges, key=_BADGE_RANK.__getitem__, default="active")
    support: dict[str, ClaimSupport] = {
        "active": "verified",
        "unverified": "certificate-unverified",
        "inactive": "certificate-inactive",
        "expired": "certificate-expired",
    }
    return support[best]


def _claims(publication: Publication) -> tuple[ClaimView, ...]:
    stated = publication.mapped.claims
    active = [c for c in publication.entry.content.claims if c.id in stated]
    active.sort(key=lambda c: (c.label, c.id))
    views = []
    schemes = publication.claim_certificates  # worked out on each read: read once
    for claim in active:
        support = _support(publication, schemes, claim.id, claim.source)
        views.append(
            ClaimView(claim.id, claim.code, claim.label, support, WORDING.get(support, ""))
        )
    return tuple(views)


def build_view(publication: Publication, language: str | None = None) -> ProductView:
    """Compute the page's content for a published product.

    ``language`` picks the page's language among the publication's (its main
    one by default). Names, languages, certificate badges and end dates, the claims shown,
    the allergens and the nutrition basis all come from the publication, so the page says
    what the JSON-LD says.
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
        images=_images(entry),
        ingredients=_ingredients(publication),
        nutrition=entry.content.nutrition_facts,
        basis=_basis(publication.nutrition_basis),
        allergens=_allergens(publication, name.language),
        certifications=_certifications(publication),
        claims=_claims(publication),
        recalls=tuple(recalls),
        circularity=entry.content.circularity,
        ftl=entry.content.ftl_data,
        updated=publication.lastmod,
        feed_language=publication.feed_language,
    )
