"""The is_active rule, written once: is a day inside a validity window?

The API computes ``is_active`` per request from ``valid_from`` and
``expiration_date``; gs1ld applies the same rule on a reference day the caller
chooses, so an export is reproducible and never depends on the wall clock.

>>> from datetime import date
>>> is_active(date(2025, 1, 1), date(2025, 12, 31), today=date(2025, 12, 31))
True
>>> is_active(date(2025, 1, 1), None, today=date(2024, 12, 31))
False
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

__all__ = ["Clock", "is_active"]

Clock = Callable[[], date]
"""Something that says what day it is; inject one instead of reading the wall clock."""


def is_active(valid_from: date | None, expiration_date: date | None, *, today: date) -> bool:
    """Tell whether ``today`` lies within ``[valid_from, expiration_date]``.

    Both bounds are inclusive; a ``None`` bound is open (valid since an unknown
    date, or with no scheduled expiry).

    Args:
        valid_from: first day of validity, or None.
        expiration_date: last day of validity, or None.
        today: the reference day.

    Returns:
        True when the day is inside the window.
    """
    if valid_from is not None and today < valid_from:
        return False
    return expiration_date is None or today <= expiration_date
