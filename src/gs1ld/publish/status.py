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
from gs1ld.mapping.certification import (
    CertificateStatus,
    DecisionKey,
    certificate_status,
    decision_key,
)
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
    """The status and badge of ``cert`` on ``today`` under the status table ``policy``.

    Both depend only on the certificate's dates and tier, the day and the table, which
    catalogs repeat: each combination is worked out once per table (the state is
    immutable and shared).
    """
    verification = cert.verification_status
    key = decision_key(cert, today)  # the badge reads nothing the decision does not
    known = _STATES.get(id(policy))
    if known is None or known[0] is not policy:
        known = _STATES[id(policy)] = (policy, {})
    state = known[1].get(key)
    if state is None:
        decision = certificate_status(cert, today, policy)
        badge: Badge
        if decision.status == "ACTIVE":
            badge = "unverified" if verification == VerificationStatus.UNVERIFIED else "active"
        else:
            badge = "expired" if verification == VerificationStatus.EXPIRED else "inactive"
        if len(known[1]) > _STATES_LIMIT:
            known[1].clear()
        state = known[1][key] = CertificateState(decision, badge)
    return state


_STATES: dict[int, tuple[CertificationPolicy, dict[DecisionKey, CertificateState]]] = {}
"""id(policy) -> (policy, (dates, tier, day) -> :func:`certificate_state`)."""
_STATES_LIMIT = 100_000
