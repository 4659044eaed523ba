"""A certificate's published status and the badge a shopper sees come from one decision."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from gs1ld.feed import CertificationAssignmentOut
from gs1ld.mapping.tables import load_tables
from gs1ld.publish import certificate_state

DAY = date(2026, 6, 1)
SID = "2" * 22
WINDOWS = {
    "in effect": ("2026-01-01", "2026-12-31"),
    "ended": ("2025-01-01", "2026-05-31"),
    "not yet": ("2026-06-02", None),
    "open": (None, None),
}


def _cert(status: str, window: tuple[str | None, str | None]) -> CertificationAssignmentOut:
    return CertificationAssignmentOut.model_validate(
        {
            "id": SID,
            "label": "Seal",
            "is_active": True,
            "verification_status": status,
            "valid_from": window[0],
            "expiration_date": window[1],
        }
    )


@pytest.mark.parametrize(
    ("status", "window", "badge"),
    [
        ("verified", "in effect", "active"),
        ("unverified", "in effect", "unverified"),
        ("verified", "ended", "inactive"),
        ("expired", "in effect", "expired"),
        ("unverified", "not yet", "inactive"),
    ],
)
def test_certificate_badges(status: str, window: str, badge: str) -> None:
    policy = load_tables().certification_status
    assert (
        certificate_state(_cert(status, WINDOWS[window]), today=DAY, policy=policy).badge == badge
    )


@pytest.mark.parametrize(
    ("status", "window"), itertools.product(["verified", "unverified", "expired"], WINDOWS)
)
def test_the_badge_never_says_more_than_the_status(status: str, window: str) -> None:
    policy = load_tables().certification_status
    state = certificate_state(_cert(status, WINDOWS[window]), today=DAY, policy=policy)
    assert state.active == (state.badge in ("active", "unverified"))
    assert state.active == (state.status == "gs1:CertificationStatus-ACTIVE")
