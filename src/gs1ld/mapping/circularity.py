"""Circularity scores -> a ``gs1ld:CircularityAssessment`` (GS1 has no terms for them)."""

from __future__ import annotations

from typing import Any

from gs1ld.catalog.entry import CatalogEntry
from gs1ld.mapping._context import MappingContext, Properties, xsd_date, xsd_float

__all__ = ["contribute"]

_SCORES = (
    ("overall_score", "gs1ld:overallScore"),
    ("durability_score", "gs1ld:durabilityScore"),
    ("recyclability_score", "gs1ld:recyclabilityScore"),
    ("repairability_score", "gs1ld:repairabilityScore"),
    ("reusability_score", "gs1ld:reusabilityScore"),
)


def contribute(entry: CatalogEntry, ctx: MappingContext) -> Properties:
    """The assessment node, when the entry has one."""
    scores = entry.content.circularity
    if scores is None:
        return {}
    node: dict[str, Any] = {"@type": "gs1ld:CircularityAssessment"}
    for field, key in _SCORES:
        value = getattr(scores, field)
        if value is not None:
            node[key] = xsd_float(value)
    if scores.methodology:
        node["gs1ld:methodology"] = ctx.feed_text(scores.methodology)
    if scores.assessment_date is not None:
        node["gs1ld:assessmentDate"] = xsd_date(scores.assessment_date)
    return {"gs1ld:circularity": [node]}
