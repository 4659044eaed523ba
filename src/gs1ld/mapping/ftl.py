"""FSMA 204 Food Traceability List data.

GS1 has no FTL term; the closest is the (provisional) ``gs1:RegulatoryInformation``
with ``RegulationTypeCode-TRACEABILITY_REGULATION``, emitted only for products the
rule covers. The designation and categories go to the extension vocabulary.
"""

from __future__ import annotations

from gs1ld.catalog.entry import CatalogEntry
from gs1ld.mapping._context import MappingContext, Properties, ref

__all__ = ["FSMA_204_ACT", "contribute"]

FSMA_204_ACT = "FDA FSMA Section 204 Food Traceability Rule (21 CFR Part 1, Subpart S)"


def contribute(entry: CatalogEntry, ctx: MappingContext) -> Properties:
    """The regulation node and the designation flags and categories."""
    ftl = entry.content.ftl_data
    if ftl is None:
        return {}
    props: Properties = {
        "gs1ld:onFoodTraceabilityList": [ftl.is_ftl],
        "gs1ld:containsFoodTraceabilityListSubstance": [ftl.contains_ftl_substance],
    }
    categories = sorted({*ftl.ftl_categories, *ftl.ftl_substance_categories})
    if categories:
        props["gs1ld:foodTraceabilityListCategory"] = list(categories)
    if ftl.is_ftl or ftl.contains_ftl_substance:
        props["gs1:regulatoryInformation"] = [
            {
                "@type": "gs1:RegulatoryInformation",
                "gs1:regulationType": ref("gs1:RegulationTypeCode-TRACEABILITY_REGULATION"),
                "gs1:regulatoryAct": FSMA_204_ACT,
            }
        ]
    return props
