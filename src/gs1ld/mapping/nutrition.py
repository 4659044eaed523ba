"""The nutrition panel -> product-level ``gs1:*PerNutrientBasis`` measurements.

The basis follows the panel's ``label_format`` (``nutrition-formats.csv``):

* per serving (US FDA, Canada): ``NutrientBasisQuantityCode-BY_SERVING`` with the
  serving size as ``gs1:nutrientBasisQuantity`` (the ml the serving size states for
  a liquid, else ``serving_size_g`` in grams). With no serving size the amounts
  have no basis: they are noted and left out.
* per measure (EU, UK): ``BY_MEASURE`` per 100 ml for a liquid (its net content,
  or else its serving size, is a volume: ``unit-dimensions.csv``), per 100 g else;
  "solid" is noted as a guess when nothing says which.
* an unknown ``label_format`` is noted and its amounts left out, never guessed.

Units go through ``units.csv`` to UN/ECE Rec 20. A qualified US unit (``mcg DFE``)
keeps its unit's code and the qualifier is noted; a unit with no Rec 20 code (IU)
keeps the row's %DV and notes the amount. A row with only a %DV keeps it
(``gs1:dailyValueIntakePercent`` needs no value); nothing here makes a product invalid.
"""

from __future__ import annotations

import re
from typing import Any

from gs1ld.catalog.entry import CatalogEntry
from gs1ld.feed import NutrientOut, NutritionFactsOut
from gs1ld.mapping._context import MappingContext, Properties, ref, xsd_float

__all__ = ["contribute", "is_liquid"]

_PATH = "content.nutrition_facts"
_AMOUNT = re.compile(r"(\d+(?:[.,]\d+)?)\s*([^\W\d_][^\W\d_ .]*(?: [^\W\d_]+)?)")


def _quantity(value: float, unit: str) -> dict[str, Any]:
    return {"@type": "gs1:QuantitativeValue", "gs1:value": xsd_float(value), "gs1:unitCode": unit}


def _stated_amounts(text: str, ctx: MappingContext) -> list[tuple[float, str]]:
    """(amount, Rec 20 code) pairs a serving-size text states: "1 cup (240 ml)" -> 240 MLT."""
    found = []
    for number, unit in _AMOUNT.findall(text):
        for candidate in (unit, unit.split(" ")[0]):
            code = ctx.tables.units.get(candidate.casefold())
            if code and code != "-":
                found.append((float(number.replace(",", ".")), code))
                break
    return found


def is_liquid(entry: CatalogEntry, ctx: MappingContext) -> bool | None:
    """True for a liquid, False for a solid, None when neither net content nor serving says."""
    dimensions = ctx.tables.unit_dimensions
    product = entry.product
    if product is not None and product.net_content:
        kinds = {
            dimensions.get(ctx.tables.units.get(n.unit.strip().casefold(), ""), "")
            for n in product.net_content
        }
        if kinds & {"mass", "volume"}:
            return "volume" in kinds and "mass" not in kinds
    panel = entry.content.nutrition_facts
    if panel is not None and panel.serving_size:
        kinds = {dimensions.get(code, "") for _, code in _stated_amounts(panel.serving_size, ctx)}
        if kinds & {"mass", "volume"}:
            return "volume" in kinds
    return None


def _basis(entry: CatalogEntry, panel: NutritionFactsOut, ctx: MappingContext) -> Properties | None:
    """The basis properties, or None (noted) when the amounts cannot be given a basis."""
    basis = ctx.tables.nutrition_formats.get(panel.label_format.strip().upper())
    if basis is None:
        ctx.note(
            f"{_PATH}.label_format",
            f"label_format {panel.label_format!r} is not in nutrition-formats.csv, so the "
            "basis of its amounts (per serving or per 100 g/ml) is unknown; the nutrient "
            "rows are not exported (page only)",
        )
        return None
    liquid = is_liquid(entry, ctx)
    if basis == "serving":
        quantity = None
        if liquid:
            volumes = [
                (v, c)
                for v, c in _stated_amounts(panel.serving_size, ctx)
                if ctx.tables.unit_dimensions.get(c) == "volume"
            ]
            quantity = volumes[0] if volumes else None
        if quantity is None and panel.serving_size_g is not None:
            quantity = (panel.serving_size_g, "GRM")
        if quantity is None:
            masses = _stated_amounts(panel.serving_size, ctx)
            quantity = masses[0] if masses else None
        if quantity is None:
            ctx.note(
                _PATH,
                f"a per-serving panel ({panel.label_format}) without a serving size gives its "
                "amounts no basis; the nutrient rows are not exported (page only)",
            )
            return None
        return {
            "gs1:nutrientBasisQuantityType": [ref("gs1:NutrientBasisQuantityCode-BY_SERVING")],
            "gs1:nutrientBasisQuantity": [_quantity(*quantity)],
        }
    if liquid is None:
        ctx.note(
            f"{_PATH}.label_format",
            "neither net content nor serving size says whether the product is liquid; "
            "its per-measure panel is read as per 100 g",
        )
    unit = "MLT" if liquid else "GRM"
    return {
        "gs1:nutrientBasisQuantityType": [ref("gs1:NutrientBasisQuantityCode-BY_MEASURE")],
        "gs1:nutrientBasisQuantity": [_quantity(100, unit)],
    }


def _measurement(row: NutrientOut, path: str, ctx: MappingContext) -> dict[str, Any] | None:
    measurement: dict[str, Any] = {"@type": "gs1:NutritionMeasurementType"}
    if row.amount is not None:
        written = row.unit.strip()
        code = ctx.tables.units.get(written.casefold()) if written else None
        if code is None or code == "-":
            reason = "has no unit" if not written else f"unit {written!r} has no UN/ECE Rec 20 code"
            kept = "; its %DV is kept" if row.daily_value_percent is not None else ""
            ctx.note(
                f"{path}.amount",
                f"{row.name} {row.amount:g} {written}: {reason} (units.csv), so the amount is "
                f"not exported{kept}",
            )
        else:
            measurement["gs1:value"] = xsd_float(row.amount)
            measurement["gs1:unitCode"] = code
            base = written.split(" ")[0]
            if " " in written and ctx.tables.units.get(base.casefold()) == code:
                ctx.note(
                    f"{path}.unit",
                    f"{row.name}: unit {written!r} exported as {code} ({base}); the qualifier "
                    f"{written.split(' ', 1)[1]!r} has no place in gs1:unitCode",
                )
    if row.daily_value_percent is not None:
        measurement["gs1:dailyValueIntakePercent"] = xsd_float(row.daily_value_percent)
    if len(measurement) == 1:
        if row.amount is None:
            ctx.note(path, f"nutrient {row.name!r} has neither amount nor %DV; not exported")
        return None
    return measurement


def contribute(entry: CatalogEntry, ctx: MappingContext) -> Properties:
    """Serving facts, the basis and one measurement per known nutrient row (food only)."""
    panel = entry.content.nutrition_facts
    if panel is None:
        return {}
    if not entry.is_food:
        ctx.note(
            _PATH,
            "a nutrition panel on a non-food product has no GS1 terms; shown on the page only",
        )
        return {}
    props: Properties = {}
    if panel.serving_size:
        props["gs1:servingSizeDescription"] = [ctx.text(panel.serving_size)]
    if panel.serving_size_g is not None:
        props["gs1:servingSize"] = [_quantity(panel.serving_size_g, "GRM")]
    if panel.servings_per_container is not None:
        props["gs1:numberOfServingsPerPackage"] = [xsd_float(panel.servings_per_container)]
    basis = _basis(entry, panel, ctx)
    if basis is None:
        return props
    props.update(basis)
    nutrients = ctx.tables.nutrients
    for index, row in enumerate(panel.nutrients):
        path = f"{_PATH}.nutrients[{index}]"
        prop = nutrients.get(row.name.strip().casefold())
        if prop is None:
            ctx.note(path, f"nutrient {row.name!r} has no row in nutrients.csv; page only")
            continue
        measurement = _measurement(row, path, ctx)
        if measurement is not None:
            props.setdefault(prop, []).append(measurement)
    return props
