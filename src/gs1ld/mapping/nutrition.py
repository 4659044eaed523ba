"""The nutrition panel -> product-level ``gs1:*PerNutrientBasis`` measurements.

A US FDA panel is per serving (``NutrientBasisQuantityCode-BY_SERVING`` with the
serving size as basis); any other format is read as per 100 g
(``BY_MEASURE``, basis 100 GRM), as EU panels are. Rows whose name or unit no
table knows are noted and stay on the page only.
"""

from __future__ import annotations

from typing import Any

from gs1ld.catalog.entry import CatalogEntry
from gs1ld.mapping._context import MappingContext, Properties, ref, xsd_float

__all__ = ["contribute"]

_PATH = "content.nutrition_facts.nutrients"


def _quantity(value: float, unit: str, ctx: MappingContext) -> dict[str, Any]:
    return {"@type": "gs1:QuantitativeValue", "gs1:value": xsd_float(value), "gs1:unitCode": unit}


def contribute(entry: CatalogEntry, ctx: MappingContext) -> Properties:
    """Serving facts and one measurement per known nutrient row (food products only)."""
    panel = entry.content.nutrition_facts
    if panel is None:
        return {}
    if not entry.is_food:
        ctx.note(
            "content.nutrition_facts",
            "a nutrition panel on a non-food product has no GS1 terms; shown on the page only",
        )
        return {}
    props: Properties = {}
    if panel.label_format == "US_FDA":
        props["gs1:nutrientBasisQuantityType"] = [ref("gs1:NutrientBasisQuantityCode-BY_SERVING")]
        if panel.serving_size_g is not None:
            props["gs1:nutrientBasisQuantity"] = [_quantity(panel.serving_size_g, "GRM", ctx)]
    else:
        props["gs1:nutrientBasisQuantityType"] = [ref("gs1:NutrientBasisQuantityCode-BY_MEASURE")]
        props["gs1:nutrientBasisQuantity"] = [_quantity(100, "GRM", ctx)]
    if panel.serving_size:
        props["gs1:servingSizeDescription"] = [ctx.text(panel.serving_size)]
    if panel.serving_size_g is not None:
        props["gs1:servingSize"] = [_quantity(panel.serving_size_g, "GRM", ctx)]
    if panel.servings_per_container is not None:
        props["gs1:numberOfServingsPerPackage"] = [xsd_float(panel.servings_per_container)]
    nutrients = ctx.tables.nutrients
    for index, row in enumerate(panel.nutrients):
        prop = nutrients.get(row.name.strip().casefold())
        if prop is None:
            ctx.note(
                f"{_PATH}[{index}]", f"nutrient {row.name!r} has no row in nutrients.csv; page only"
            )
            continue
        measurement: dict[str, Any] = {"@type": "gs1:NutritionMeasurementType"}
        if row.amount is not None:
            unit = ctx.tables.units.get(row.unit.strip().casefold()) or ctx.unit_code(
                row.unit, f"{_PATH}[{index}].unit"
            )
            if unit is None:
                continue
            measurement["gs1:value"] = xsd_float(row.amount)
            measurement["gs1:unitCode"] = unit
        if row.daily_value_percent is not None:
            measurement["gs1:dailyValueIntakePercent"] = xsd_float(row.daily_value_percent)
        if len(measurement) > 1:
            props.setdefault(prop, []).append(measurement)
    return props
