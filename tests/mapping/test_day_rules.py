"""The dates the rules compare with the reference day are the ones the rebuild hash reads.

For every date field of a certificate and a claim, the reference day is moved
from the day before that date to the day after it, with every other date far
away: when anything the product publishes changes, the field must be named in
DAY_RULE_FIELDS, or a rebuild on the new day would keep the stale page.
"""

from __future__ import annotations

import copy
import re
from datetime import date, timedelta
from typing import Any

import pytest

from gs1ld.catalog import CatalogEntry
from gs1ld.config import ExportConfig, SiteConfig
from gs1ld.feed import CertificationAssignmentOut
from gs1ld.feed.claim import ContentClaimOut
from gs1ld.mapping.day_rules import DAY_RULE_FIELDS
from gs1ld.site.product_files import render_product
from gs1ld.testing import synthetic_catalog

DAY = date(2026, 6, 15)
MODELS = {"certifications": CertificationAssignmentOut, "claims": ContentClaimOut}


def _date_fields(model: type) -> list[str]:
    return sorted(
        name
        for name, field in model.model_fields.items()  # type: ignore[attr-defined]
        if "date" in str(field.annotation).lower()
    )


def _entry(kind: str, field: str) -> dict[str, Any]:
    raw = next(
        raw
        for raw in synthetic_catalog(200, seed=5)
        if raw["content"]["certifications"] and raw["content"]["claims"]
    )
    raw = copy.deepcopy(raw)
    item = raw["content"][kind][0] if raw["content"][kind] else None
    if item is None:
        pytest.skip(f"the synthetic entry has no {kind}")
    raw["content"][kind] = [item]
    for name in _date_fields(MODELS[kind]):
        item[name] = None
    item[field] = DAY.isoformat()
    if kind == "certifications":
        item["verification_status"] = "verified"
    return raw


_LAST_UPDATED = re.compile(rb'<p id="last-updated".*?</p>')


def _published_on(raw: dict[str, Any], today: date) -> dict[str, bytes]:
    """The product's files on ``today``, its pages' "Last updated" line left out (a page
    shows the day it is built; what matters is whether anything else changes)."""
    entry = CatalogEntry.model_validate(raw)
    config = SiteConfig(ExportConfig(base_url="https://id.brand.example", today=today))
    files = render_product(entry, "digest", config).files
    return {path: _LAST_UPDATED.sub(b"", data) for path, data in files.items()}


@pytest.mark.parametrize(
    ("kind", "field"),
    [(kind, field) for kind, model in MODELS.items() for field in _date_fields(model)],
)
def test_a_date_that_changes_the_output_is_one_the_hash_reads(kind: str, field: str) -> None:
    raw = _entry(kind, field)
    before = _published_on(raw, DAY - timedelta(days=1))
    after = _published_on(raw, DAY + timedelta(days=1))
    if before != after:
        assert field in DAY_RULE_FIELDS[kind]


def test_the_table_names_only_fields_the_feed_has() -> None:
    for kind, fields in DAY_RULE_FIELDS.items():
        assert set(fields) <= set(_date_fields(MODELS[kind]))
