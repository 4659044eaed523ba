"""Each certificate's published status, and the badge a shopper sees for it.

Both come from the one status decision,
:func:`gs1ld.mapping.certification.certificate_status` over the status table in
``mappings/certification-status.toml``: the badge can never say more than the
JSON-LD's ``gs1:certificationStatus``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from gs1ld.feed import CertificationAssignmentOut, VerificationStatus
from gs1ld.mapping.certification import CertificateStatus, certificate_status
from gs1ld.mapping.tables import CertificationPolicy

__all__ = ["Badge", "CertificateState", "certificate_state"]

Badge = Literal["active", "inactive", "expired", "unverified"]


@dataclass(frozen=True, slots=True)
class CertificateState:
    """A certificate's status decision and the badge that shows it.

    The badge refines the status, never contradicts it: an ACTIVE certificate is
    *active*, or *unverified* when the API operator never checked it; one that is
    not ACTIVE (INACTIVE, or not yet in effect, which has no GS1 code) is
    *expired* when its verification lapsed, else *inactive*.
    """

    decision: CertificateStatus
    badge: Badge

    @property
    def status(self) -> str | None:
        """The ``gs1:CertificationStatus-*`` CURIE, or None when no GS1 code fits."""
        return self.decision.code

    @property
    def active(self) -> bool:
        """Whether the certificate is declared in effect."""
        return self.decision.status == "ACTIVE"


def certificate_state(
    cert: CertificationAssignmentOut, *, today: date, policy: CertificationPolicy
) -> CertificateState:
    """The status and badge of ``cert`` on ``today`` under the status table ``policy``."""
    decision = certificate_status(cert, today, policy)
    verification = cert.verification_status
    badge: Badge
    if decision.status == "ACTIVE":
        badge = "unverified" if verification == VerificationStatus.UNVERIFIED else "active"
    else:
        badge = "expired" if verification == VerificationStatus.EXPIRED else "inactive"
    return CertificateState(decision, badge)
