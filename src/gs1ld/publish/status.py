"""Each certificate's published status, and the badge a shopper sees for it.

Both come from the one status rule, :func:`gs1ld.mapping.certification.certification_status`
over the status table in ``mappings/certification-status.toml``: the badge can
never say more than the JSON-LD's ``gs1:certificationStatus``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

from gs1ld.feed import CertificationAssignmentOut, VerificationStatus
from gs1ld.mapping.certification import ACTIVE, certification_status

__all__ = ["Badge", "CertificateState", "certificate_state"]

Badge = Literal["active", "inactive", "expired", "unverified"]


@dataclass(frozen=True, slots=True)
class CertificateState:
    """A certificate's status code (``gs1:CertificationStatus-ACTIVE``…) and badge.

    The badge refines the status, never contradicts it: an ACTIVE certificate is
    *active*, or *unverified* when the API operator never checked it; an
    INACTIVE one is *expired* when its verification lapsed, else *inactive*.
    """

    status: str
    badge: Badge

    @property
    def active(self) -> bool:
        """Whether the certificate is declared in effect."""
        return self.status == ACTIVE


def certificate_state(
    cert: CertificationAssignmentOut, *, today: date, rules: Mapping[str, str]
) -> CertificateState:
    """The status and badge of ``cert`` on ``today`` under the status table ``rules``."""
    status = certification_status(cert, today=today, rules=rules)
    verification = cert.verification_status
    badge: Badge
    if status == ACTIVE:
        badge = "unverified" if verification == VerificationStatus.UNVERIFIED else "active"
    else:
        badge = "expired" if verification == VerificationStatus.EXPIRED else "inactive"
    return CertificateState(status, badge)
