"""ClaimAssignmentOut and ClaimAssignmentIn: product claims such as Non-GMO or Vegan."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import Field

from gs1ld.feed._base import FeedModel
from gs1ld.feed._types import IsoDate, Metadata, ShortUUID, UrlOrEmpty
from gs1ld.validity import is_active

__all__ = [
    "ClaimAssignmentIn",
    "ClaimAssignmentOut",
    "ClaimCategory",
    "ClaimSource",
    "ContentClaimOut",
]


class ClaimCategory(StrEnum):
    """The high-level grouping of a claim (``ClaimCategoryEnum``)."""

    DIETARY = "DIETARY"
    INGREDIENT_ABSENCE = "INGREDIENT_ABSENCE"
    ALLERGEN_FREE = "ALLERGEN_FREE"
    PROCESS = "PROCESS"
    SUSTAINABILITY = "SUSTAINABILITY"
    OTHER = "OTHER"


class ClaimSource(StrEnum):
    """Who asserts the claim (``ClaimSourceEnum``)."""

    BRAND_SELF_DECLARED = "BRAND_SELF_DECLARED"
    THIRD_PARTY_VERIFIED = "THIRD_PARTY_VERIFIED"


class _ClaimWindow(FeedModel):
    id: ShortUUID
    label: str = Field(max_length=100)
    code: str = Field(max_length=50)
    metadata: Metadata = Field(default_factory=dict)
    valid_from: IsoDate | None = None
    expiration_date: IsoDate | None = None

    def active_on(self, today: date) -> bool:
        """Whether ``today`` lies in the claim's validity window (open bounds when null)."""
        return is_active(self.valid_from, self.expiration_date, today=today)


class ClaimAssignmentOut(_ClaimWindow):
    """A claim assigned to a product, as the claims endpoint returns it.

    ``id`` is the claim's id, not the assignment's, so it deep-links to the claim.
    """

    category: ClaimCategory
    source: ClaimSource


class ContentClaimOut(_ClaimWindow):
    """A claim inside the content bundle.

    The bundle's documented example omits ``category`` and ``source``, so they are
    optional here (``None`` when absent) while the claims endpoint requires them.
    """

    category: ClaimCategory | None = None
    source: ClaimSource | None = None


class ClaimAssignmentIn(FeedModel):
    """The body of ``POST /products/{gtin}/claims``.

    Metadata follows the documented merge semantics: omit ``metadata`` to keep
    every key, send ``{}`` or ``null`` to clear it, and an empty-string value
    deletes that key.  :meth:`apply_metadata` carries them out.
    """

    claim_id: ShortUUID
    metadata: Metadata | None = None
    source: ClaimSource = ClaimSource.BRAND_SELF_DECLARED
    valid_from: IsoDate | None = None
    expiration_date: IsoDate | None = None
    evidence_url: UrlOrEmpty = ""
    evidence_note: str = ""

    @property
    def clears_metadata(self) -> bool:
        """True when the body asks to clear all metadata (``{}`` or an explicit ``null``)."""
        return "metadata" in self.model_fields_set and not self.metadata

    def apply_metadata(self, existing: dict[str, str]) -> dict[str, str]:
        """Return ``existing`` metadata updated the way the API documents for this body.

        >>> body = ClaimAssignmentIn(claim_id="2" * 22, metadata={"a": "", "b": "2"})
        >>> body.apply_metadata({"a": "1", "c": "3"})
        {'c': '3', 'b': '2'}
        """
        if self.clears_metadata:
            return {}
        if self.metadata is None:
            return dict(existing)
        merged = dict(existing)
        for key, value in self.metadata.items():
            if value == "":
                merged.pop(key, None)
            else:
                merged[key] = value
        return merged

    def to_request_json(self) -> dict[str, object]:
        """The JSON body to send: unset fields stay out, so "omitted" keeps its meaning."""
        return self.model_dump(mode="json", exclude_unset=True)
