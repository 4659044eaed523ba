"""The catalog entry: the one unit of input the rest of gs1ld consumes.

An entry pairs a GTIN with the API's content bundle and, optionally, the core
product facts the bundle does not carry (name, brand, description…)::

    {"gtin": "09506000134352",
     "product": {"name": "...", "brand": "...", "description": "...", "language": "en"},
     "content": { ...the content bundle exactly as the API returns it... }}
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, field_validator

from gs1ld import gtin as gtin_rules
from gs1ld.errors import GtinError
from gs1ld.feed import CountryCode, FeedModel
from gs1ld.feed.content import ProductContentOut, ProductImageOut

__all__ = ["CatalogEntry", "LocalizedText", "NetContent", "Organization", "ProductInfo"]

_LANGUAGE_TAG_RE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")


def _gtin14(value: Any) -> str:
    try:
        return gtin_rules.normalize(value)
    except GtinError as exc:
        raise ValueError(str(exc)) from None


def _gln(value: Any) -> str:
    if not isinstance(value, str) or not value.isascii() or not value.isdigit() or len(value) != 13:
        raise ValueError("expected a GLN of exactly 13 digits")
    try:
        gtin_rules.verify_check_digit(value, kind="GLN")
    except GtinError as exc:
        raise ValueError(str(exc)) from None
    return value


def _language_tag(value: str) -> str:
    if not _LANGUAGE_TAG_RE.fullmatch(value):
        raise ValueError("expected a BCP 47 language tag such as 'en' or 'fr-CA'")
    return value


def _localized(value: Any) -> Any:
    if isinstance(value, dict):
        for tag in value:
            _language_tag(tag)
    return value


Gtin14 = Annotated[str, BeforeValidator(_gtin14)]
LanguageTag = Annotated[str, BeforeValidator(_language_tag)]
LocalizedText = Annotated[str | dict[str, str], BeforeValidator(_localized)]
"""Plain text in the entry's language, or a map of BCP 47 tag -> text for several languages."""


class NetContent(FeedModel):
    """A net content statement such as 500 g or 1.5 l."""

    value: float = Field(gt=0)
    unit: str = Field(min_length=1, max_length=10)


class Organization(FeedModel):
    """A company named on the product (manufacturer), optionally with its GLN."""

    name: str = Field(min_length=1, max_length=255)
    gln: Annotated[str, BeforeValidator(_gln)] | None = None


class ProductInfo(FeedModel):
    """Core product facts the content bundle lacks (the API serves them elsewhere)."""

    name: LocalizedText | None = None
    description: LocalizedText | None = None
    brand: str | None = Field(default=None, max_length=255)
    language: LanguageTag = "en"
    kind: Literal["food", "non_food"] | None = None
    manufacturer: Organization | None = None
    country_of_origin: CountryCode | None = None
    net_content: list[NetContent] = Field(default_factory=list)

    @field_validator("net_content", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, dict) else value


class CatalogEntry(FeedModel):
    """One product of a catalog: its GTIN-14, optional core facts, and its content bundle."""

    gtin: Gtin14
    product: ProductInfo | None = None
    content: ProductContentOut

    @property
    def is_food(self) -> bool:
        """Whether the product is food, drink or tobacco.

        ``product.kind`` decides when given; otherwise a nutrition panel, an FTL
        evaluation or an ingredient flagged as a (may-contain) allergen marks food.
        Ingredients alone do not: cosmetics have them too, but only food declares
        allergens, and typing such a product ``gs1:Product`` would drop them.
        """
        if self.product is not None and self.product.kind is not None:
            return self.product.kind == "food"
        content = self.content
        return (
            content.nutrition_facts is not None
            or content.ftl_data is not None
            or any(i.is_major_allergen or i.may_contain for i in content.ingredients)
        )

    @property
    def images(self) -> list[ProductImageOut]:
        """The product's images in display order: the primary image first, then by
        the feed's priority (its ``id`` breaking ties), so "image 1" is the same
        image on the page, in the JSON-LD and in the linkset."""
        images = self.content.images
        if len(images) < 2:
            return list(images)
        return sorted(images, key=_display_order)


def _display_order(image: ProductImageOut) -> tuple[bool, int, str]:
    return not image.is_primary, image.priority, image.id
