"""The content bundle: everything a resolver page needs for one product."""

from __future__ import annotations

from pydantic import AliasChoices, AwareDatetime, Field

from gs1ld.feed._base import FeedModel
from gs1ld.feed._types import IsoDate, Percentage, ShortUUID, UrlOrEmpty
from gs1ld.feed.certification import CertificationAssignmentOut
from gs1ld.feed.claim import ContentClaimOut

__all__ = [
    "CircularityScoreOut",
    "FTLDataOut",
    "IngredientOut",
    "NutrientOut",
    "NutritionFactsOut",
    "ProductContentOut",
    "ProductImageOut",
    "RecallOut",
]


class ProductImageOut(FeedModel):
    """One product image; the bundle lists them by priority."""

    id: ShortUUID
    title: str = ""
    description: str = ""
    is_primary: bool = False
    priority: int = 0
    created: AwareDatetime | None = None
    image_url: UrlOrEmpty
    thumbnail_url: UrlOrEmpty | None = None
    width: int | None = Field(default=None, ge=1)
    height: int | None = Field(default=None, ge=1)


class IngredientOut(FeedModel):
    """One ingredient row, in label order (``priority``)."""

    id: ShortUUID
    name: str = Field(min_length=1)
    is_major_allergen: bool = False
    may_contain: bool = False
    priority: int = 0
    notes: str = ""
    percentage: Percentage | None = None
    origin: str = ""


class RecallOut(FeedModel):
    """A recall record (FDA, FSIS, CPSC, Health Canada) linked to the product."""

    id: ShortUUID
    title: str
    created: AwareDatetime | None = None
    description: str = ""
    hazard: str = ""
    remedy: str = ""
    public_url: UrlOrEmpty = ""
    company_name: str = ""
    recall_date: IsoDate | None = None
    jurisdictions: list[str] = Field(default_factory=list)


class NutrientOut(FeedModel):
    """One row of a nutrition panel: ``Total Fat 8 g 10 %``.

    The API documents the panel's ``nutrients`` array without a row schema; gs1ld
    reads ``name``, ``amount``, ``unit`` and ``daily_value_percent`` (also accepted
    as ``daily_value`` or ``percent_daily_value``).
    """

    name: str = Field(min_length=1)
    amount: float | None = Field(default=None, ge=0)
    unit: str = ""
    daily_value_percent: float | None = Field(
        default=None,
        ge=0,
        validation_alias=AliasChoices("daily_value_percent", "daily_value", "percent_daily_value"),
    )


class NutritionFactsOut(FeedModel):
    """A structured nutrition panel (``US_FDA`` layout or another ``label_format``)."""

    label_format: str = Field(default="US_FDA", min_length=1)
    nutrients: list[NutrientOut] = Field(default_factory=list)
    serving_size: str = ""
    serving_size_g: float | None = Field(default=None, ge=0)
    servings_per_container: float | None = Field(default=None, ge=0)


class CircularityScoreOut(FeedModel):
    """Circularity scores; the API documents no scale, so only ``>= 0`` is enforced."""

    assessment_date: IsoDate | None = None
    methodology: str = ""
    overall_score: float | None = Field(default=None, ge=0)
    durability_score: float | None = Field(default=None, ge=0)
    recyclability_score: float | None = Field(default=None, ge=0)
    repairability_score: float | None = Field(default=None, ge=0)
    reusability_score: float | None = Field(default=None, ge=0)


class FTLDataOut(FeedModel):
    """FSMA 204 Food Traceability List designation."""

    is_ftl: bool = False
    contains_ftl_substance: bool = False
    ftl_categories: list[str] = Field(default_factory=list)
    ftl_substance_categories: list[str] = Field(default_factory=list)


class ProductContentOut(FeedModel):
    """The aggregated content bundle of ``GET /products/{gtin}/content``."""

    images: list[ProductImageOut]
    ingredients: list[IngredientOut]
    certifications: list[CertificationAssignmentOut]
    claims: list[ContentClaimOut]
    recalls: list[RecallOut]
    nutrition_facts: NutritionFactsOut | None = None
    circularity: CircularityScoreOut | None = None
    ftl_data: FTLDataOut | None = None
