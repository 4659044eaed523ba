"""Which dates of an entry the mapping's rules compare with the reference day.

A rule that reads a date of the entry against "today" (a certificate's status,
a claim in effect) gives the same output on any two days that lie on the same
side of every such date.  A site rebuild hashes those positions instead of the
day itself, so a new day renders again only the products whose state changed.
The fields are listed here, beside the rules that read them, so a new date rule
cannot leave stale pages: ``tests/mapping/test_day_rules.py`` moves the
reference day across every date field of the feed and fails when the output
changes for a field this table does not name.
"""

from __future__ import annotations

from collections.abc import Mapping

from gs1ld.mapping.certification import DATE_FIELDS as CERTIFICATE_DATE_FIELDS

__all__ = ["DAY_RULE_FIELDS"]

DAY_RULE_FIELDS: Mapping[str, tuple[str, ...]] = {
    "certifications": CERTIFICATE_DATE_FIELDS,
    # a claim is in effect within [valid_from, expiration_date] (ClaimAssignmentOut.active_on)
    "claims": ("valid_from", "expiration_date"),
}
"""Content list of the entry -> the date fields of its items the rules compare with today."""
