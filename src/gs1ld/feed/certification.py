"""CertificationAssignmentOut: one certification assigned to a product."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import Field

from gs1ld.feed._base import FeedModel
from gs1ld.feed._types import CountryCode, IsoDate, Metadata, ShortUUID, UrlOrEmpty
from gs1ld.validity import is_active

__all__ = ["CertificationAssignmentOut", "VerificationStatus"]


class VerificationStatus(StrEnum):
    """Closient's verification tier for a certificate (not GS1's certificationStatus)."""

    UNVERIFIED = "unverified"
    VERIFIED = "verified"
    EXPIRED = "expired"


class CertificationAssignmentOut(FeedModel):
    """A certification assigned to a product, as the certifications endpoint returns it.

    ``is_active`` is what the server computed on the day it answered; it goes stale.
    Use :meth:`active_on` with your own reference day instead.
    """

    id: ShortUUID
    label: str = Field(max_length=255)
    is_active: bool
    metadata: Metadata = Field(default_factory=dict)
    code: str = Field(default="", max_length=50)
    description: str = ""
    url: UrlOrEmpty = ""
    logo_url: UrlOrEmpty | None = None
    valid_from: IsoDate | None = None
    expiration_date: IsoDate | None = None
    certificate_number: str = Field(default="", max_length=100)
    issuing_body: str = Field(default="", max_length=255)
    expiry_date: IsoDate | None = None
    verification_url: UrlOrEmpty = ""
    verification_status: VerificationStatus = VerificationStatus.UNVERIFIED
    scope: str = ""
    certification_value: str = Field(default="", max_length=255)
    audit_date: IsoDate | None = None
    initial_certification_date: IsoDate | None = None
    certificate_countries: list[CountryCode] = Field(default_factory=list)

    def active_on(self, today: date) -> bool:
        """Apply the API's is_active rule on ``today`` (see :func:`gs1ld.validity.is_active`)."""
        return is_active(self.valid_from, self.expiration_date, today=today)
