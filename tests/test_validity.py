"""The is_active rule at every edge: inclusive bounds, open (null) bounds."""

from __future__ import annotations

from datetime import date

import pytest

from gs1ld.validity import is_active

START = date(2025, 3, 1)
END = date(2025, 9, 30)


@pytest.mark.parametrize(
    ("valid_from", "expiration_date", "day", "expected"),
    [
        pytest.param(START, END, START, True, id="same-day-as-start"),
        pytest.param(START, END, END, True, id="same-day-as-end"),
        pytest.param(START, END, date(2025, 2, 28), False, id="one-day-before-start"),
        pytest.param(START, END, date(2025, 10, 1), False, id="one-day-past-end"),
        pytest.param(START, END, date(2025, 6, 15), True, id="inside"),
        pytest.param(None, None, date(1900, 1, 1), True, id="both-null-far-past"),
        pytest.param(None, None, date(2999, 12, 31), True, id="both-null-far-future"),
        pytest.param(None, END, END, True, id="open-start-on-end"),
        pytest.param(None, END, date(2025, 10, 1), False, id="open-start-past-end"),
        pytest.param(START, None, START, True, id="open-end-on-start"),
        pytest.param(START, None, date(2025, 2, 28), False, id="open-end-before-start"),
        pytest.param(START, START, START, True, id="one-day-window"),
    ],
)
def test_is_active(
    valid_from: date | None, expiration_date: date | None, day: date, expected: bool
) -> None:
    assert is_active(valid_from, expiration_date, today=day) is expected


def test_models_use_the_same_rule() -> None:
    from gs1ld.feed import CertificationAssignmentOut

    cert = CertificationAssignmentOut.model_validate(
        {
            "id": "2" * 22,
            "label": "USDA Organic",
            "is_active": True,
            "valid_from": "2025-03-01",
            "expiration_date": "2025-09-30",
        }
    )
    assert cert.active_on(END)
    assert not cert.active_on(date(2025, 10, 1))
