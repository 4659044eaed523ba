"""Recalls -> ``gs1:isProductRecalled`` and ``gs1ld:Recall`` records (GS1 has no recall class).

Recall text is the regulator's (FDA, FSIS, CPSC, Health Canada), not the brand's: it carries the
feed's language (``ExportConfig.feed_language``), not the product's. The recalling firm's
name is a proper name in no language: a plain string.
"""

from __future__ import annotations

from typing import Any

from gs1ld.catalog.entry import CatalogEntry
from gs1ld.mapping._context import MappingContext, Properties, ref, xsd_date

__all__ = ["contribute"]


def contribute(entry: CatalogEntry, ctx: MappingContext) -> Properties:
    """The recalled flag and one record per recall, newest first."""
    recalls = sorted(entry.content.recalls, key=lambda r: (r.recall_date is None, r.id))
    if not recalls:
        return {}
    nodes = []
    for recall in recalls:
        node: dict[str, Any] = {"@type": "gs1ld:Recall", "schema:name": ctx.feed_text(recall.title)}
        for key, text in (
            ("schema:description", recall.description),
            ("gs1ld:hazard", recall.hazard),
            ("gs1ld:remedy", recall.remedy),
        ):
            if text:
                node[key] = ctx.feed_text(text)
        if recall.company_name:
            node["gs1ld:recallingFirm"] = ctx.name(recall.company_name)
        if recall.public_url:
            node["schema:url"] = ref(recall.public_url)
        if recall.recall_date is not None:
            node["gs1ld:recallDate"] = xsd_date(recall.recall_date)
        if recall.jurisdictions:
            node["gs1ld:jurisdiction"] = sorted(recall.jurisdictions)
        nodes.append(node)
    return {"gs1:isProductRecalled": [True], "gs1ld:recall": nodes}
