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

Units go through ``units.csv`` to UN/ECE Rec 20. A qualified US unit states an
equivalent, not a mass of the nutrient (``mcg DFE`` dietary folate equivalents,
``mcg RAE``, ``mg NE``): its amount goes to the property ``nutrient-equivalents.csv``
names for the qualifier (an extension term saying the unit), never to GS1's
property of the substance. A unit with no Rec 20 code (IU) keeps the row's %DV and
notes the amount. A liquid's serving size is a volume: ``gs1:servingSize`` is the
volume the serving size states, or left out (noted) when it states only grams. A row
with only a %DV keeps it (``gs1:dailyValueIntakePercent`` needs no value); nothing here
makes a product invalid.
"""

from __future__ import annotations

import re
from operator import attrgetter
from typing import Any, Literal

from gs1ld.catalog.entry import CatalogEntry
from gs1ld.claim_conditions import Amount, Panel
from gs1ld.feed import NutrientOut, NutritionFactsOut
from gs1ld.mapping._context import (
    FLOAT_FORMS,
    MappingContext,
    Properties,
    float_form,
    ref,
    xsd_float,
)
from gs1ld.mapping.tables import Tables

__all__ = ["claim_panel", "contribute", "is_liquid", "row_property"]

_PATH = "content.nutrition_facts"
_OF_WHICH = re.compile(
    r"^(?:-\s*)?(?:of which|davon|dont|di cui|waarvan|w tym|varav|heraf|de las cuales|"
    r"de los cuales|dos quais|das quais)\s*[:,-]?\s*"
)
"""The "of which" of an Annex XV sub-row, in the languages nutrients.csv has names in."""
_ROW_PATHS = tuple(f"{_PATH}.nutrients[{index}]" for index in range(64))
"""The notes' paths of the first rows, written once."""
_VITAMIN = re.compile(r"^(?:vitamine|vitamina|witamina)\b")
_AMOUNT = re.compile(r"(\d+(?:[.,]\d+)?)\s*([^\W\d_][^\W\d_ .]*(?: [^\W\d_]+)?)")


def _quantity(value: float, unit: str) -> dict[str, Any]:
    return {"@type": "gs1:QuantitativeValue", "gs1:value": xsd_float(value), "gs1:unitCode": unit}


_METRIC = ("GRM", "MLT", "KGM", "LTR", "MGM", "CLT", "DLT")


def _stated_amounts(text: str, ctx: MappingContext) -> tuple[tuple[float, str], ...]:
    """(amount, Rec 20 code) pairs a serving-size text states, metric ones first.

    "1 cup (240 ml)" -> [(240, MLT), (1, G21)]: the metric amount is the one a per 100 g
    or 100 ml basis, and the nutrient amounts, are comparable with. Catalogs repeat
    their serving sizes, and a product reads its own up to three times, so each text
    is read once per units table.
    """
    known = _AMOUNTS.get(id(ctx.tables))
    if known is None or known[0] is not ctx.tables:
        known = _AMOUNTS[id(ctx.tables)] = (ctx.tables, {})
    amounts = known[1].get(text)
    if amounts is None:
        if len(known[1]) > _MEMO_LIMIT:
            known[1].clear()
        amounts = known[1][text] = _read_amounts(text, ctx.tables)
    return amounts


_AMOUNTS: dict[int, tuple[Tables, dict[str, tuple[tuple[float, str], ...]]]] = {}
"""id(tables) -> (tables, serving-size text -> :func:`_stated_amounts`)."""


def _read_amounts(text: str, tables: Tables) -> tuple[tuple[float, str], ...]:
    found = []
    for number, unit in _AMOUNT.findall(text):
        for candidate in (unit, unit.split(" ")[0]):
            code = tables.units.get(candidate.casefold())
            if code and code != "-":
                found.append((float(number.replace(",", ".")), code))
                break
    return tuple(sorted(found, key=lambda amount: amount[1] not in _METRIC))


def is_liquid(entry: CatalogEntry, ctx: MappingContext) -> bool | None:
    """True for a liquid, False for a solid, None when neither net content nor serving says."""
    if "is_liquid" not in ctx.memo:
        ctx.memo["is_liquid"] = _is_liquid(entry, ctx)
    liquid = ctx.memo["is_liquid"]
    return liquid if isinstance(liquid, bool) else None


def _is_liquid(entry: CatalogEntry, ctx: MappingContext) -> bool | None:
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
        if kinds & {"mass", "volume"}:  # "3/4 cup (55 g)": a solid measured by the cup
            return "volume" in kinds and "mass" not in kinds
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


def _measurement(
    row: NutrientOut, path: str, ctx: MappingContext, readings: dict[str, _UnitReading]
) -> dict[str, Any] | None:
    measurement: dict[str, Any] = {"@type": "gs1:NutritionMeasurementType"}
    if row.amount is not None:
        reading = readings.get(row.unit)
        if reading is None:
            reading = _unit_reading(row.unit, ctx.tables)
        written, code, qualifier, equivalent, base_code = reading
        if code is None or code == "-":
            reason = "has no unit" if not written else f"unit {written!r} has no UN/ECE Rec 20 code"
            kept = "; its %DV is kept" if row.daily_value_percent is not None else ""
            ctx.note(
                f"{path}.amount",
                f"{row.name} {row.amount:g} {written}: {reason} (units.csv), so the amount is "
                f"not exported{kept}",
            )
        else:
            amount = row.amount  # xsd_float, without a call per row
            measurement["gs1:value"] = {
                "@value": FLOAT_FORMS.get(amount) or float_form(amount),
                "@type": "xsd:float",
            }
            measurement["gs1:unitCode"] = code
            if not qualifier:
                pass
            elif equivalent is not None:
                ctx.note(
                    f"{path}.unit",
                    f"{row.name} {row.amount:g} {written}: {qualifier} is an equivalent, not a "
                    f"mass of the nutrient; exported as {equivalent} in {code} "
                    "(nutrient-equivalents.csv)",
                )
            elif base_code == code:
                base = written.partition(" ")[0]
                ctx.note(
                    f"{path}.unit",
                    f"{row.name}: unit {written!r} exported as {code} ({base}); the qualifier "
                    f"{qualifier!r} has no place in gs1:unitCode",
                )
    percent = row.daily_value_percent
    if percent is not None:
        measurement["gs1:dailyValueIntakePercent"] = {
            "@value": FLOAT_FORMS.get(percent) or float_form(percent),
            "@type": "xsd:float",
        }
    if len(measurement) == 1:
        if row.amount is None:
            ctx.note(path, f"nutrient {row.name!r} has neither amount nor %DV; not exported")
        return None
    return measurement


_UnitReading = tuple[str, str | None, str, str | None, str | None]
_UNIT_READINGS: dict[int, tuple[Tables, dict[str, _UnitReading]]] = {}


def _unit_readings(tables: Tables) -> dict[str, _UnitReading]:
    """Unit spelling -> :func:`_unit_reading`, as far as read so far with ``tables``."""
    known = _UNIT_READINGS.get(id(tables))
    if known is None or known[0] is not tables:
        known = _UNIT_READINGS[id(tables)] = (tables, {})
    return known[1]


def _unit_reading(unit: str, tables: Tables) -> _UnitReading:
    """(unit as written, its Rec 20 code, qualifier, the qualifier's property, the code of
    the unit without its qualifier), worked out once per unit spelling and tables."""
    known = _unit_readings(tables)
    reading = known.get(unit)
    if reading is None:
        written = unit.strip()
        code = tables.units.get(written.casefold()) if written else None
        base, _, qualifier = written.partition(" ")
        reading = (
            written,
            code,
            qualifier,
            tables.nutrient_equivalents.get(qualifier.strip().casefold()),
            tables.units.get(base.casefold()),
        )
        if len(known) > _MEMO_LIMIT:
            known.clear()
        known[unit] = reading
    return reading


def row_property(row: NutrientOut, ctx: MappingContext) -> str | None:
    """The property a panel row's amount goes to: its unit's equivalent, else its name's."""
    qualifier = row.unit.strip().partition(" ")[2].strip().casefold()
    if qualifier and qualifier in ctx.tables.nutrient_equivalents:
        return ctx.tables.nutrient_equivalents[qualifier]
    nutrients = ctx.tables.nutrients
    name = row.name.strip().casefold()
    found = nutrients.get(name)
    if found is not None:
        return found
    name = " ".join(name.split()).rstrip(":").strip()
    for key in (name, _OF_WHICH.sub("", name)):
        for candidate in (key, _VITAMIN.sub("vitamin", key)):
            if candidate in nutrients:
                return nutrients[candidate]
    return None


def _row_properties(panel: NutritionFactsOut, ctx: MappingContext) -> tuple[str | None, ...]:
    """Each panel row's property (:func:`row_property`), worked out once per entry."""
    cached = ctx.memo.get("row_properties")
    if isinstance(cached, tuple):
        return cached
    known = _ROW_PROPERTIES.get(id(ctx.tables))
    if known is None or known[0] is not ctx.tables:
        known = _ROW_PROPERTIES[id(ctx.tables)] = (ctx.tables, {}, {})
    properties, panels = known[1], known[2]
    # a product line's panels list the same rows: each list of (name, unit) read once
    rows = tuple(map(_NAME_AND_UNIT, panel.nutrients))
    found = panels.get(rows)
    if found is None:
        found_list: list[str | None] = []
        for row in panel.nutrients:  # and each (name, unit) once
            key = (row.name, row.unit)
            if key in properties:
                found_list.append(properties[key])
                continue
            if len(properties) > _MEMO_LIMIT:
                properties.clear()
            found_list.append(properties.setdefault(key, row_property(row, ctx)))
        found = tuple(found_list)
        if len(panels) > _PANELS_LIMIT:
            panels.clear()
        panels[rows] = found
    ctx.memo["row_properties"] = found
    return found


_NAME_AND_UNIT = attrgetter("name", "unit")
_ROW_PROPERTIES: dict[
    int,
    tuple[
        Tables,
        dict[tuple[str, str], str | None],
        dict[tuple[tuple[str, str], ...], tuple[str | None, ...]],
    ],
] = {}
"""id(tables) -> (tables, (row name, unit) -> :func:`row_property`, the (name, unit)
of a panel's rows -> their properties)."""
_PANELS_LIMIT = 4_096
_MEMO_LIMIT = 100_000


def _serving_size(
    entry: CatalogEntry, panel: NutritionFactsOut, ctx: MappingContext
) -> dict[str, Any] | None:
    """``gs1:servingSize``: a volume for a liquid, else the serving's grams."""
    if is_liquid(entry, ctx):
        volumes = [
            (value, code)
            for value, code in _stated_amounts(panel.serving_size, ctx)
            if ctx.tables.unit_dimensions.get(code) == "volume"
        ]
        if volumes:
            if panel.serving_size_g is not None:
                ctx.note(
                    f"{_PATH}.serving_size_g",
                    f"the product is a liquid: gs1:servingSize is the serving's volume "
                    f"({volumes[0][0]:g} {volumes[0][1]}), not its {panel.serving_size_g:g} g",
                )
            return _quantity(*volumes[0])
        if panel.serving_size_g is not None:
            ctx.note(
                f"{_PATH}.serving_size_g",
                f"serving size {panel.serving_size_g:g} g is not exported as gs1:servingSize: "
                "the product is a liquid, its nutrients are per volume, and its serving "
                "size states no volume",
            )
        return None
    if panel.serving_size_g is not None:
        return _quantity(panel.serving_size_g, "GRM")
    return None


def claim_panel(entry: CatalogEntry, ctx: MappingContext) -> Panel | None:
    """The panel's amounts on its basis, for checking claims; None without a usable panel.

    Read the same way :func:`contribute` reads them (format, liquid, names, units), and
    without notes: the nutrition mapper makes those.
    """
    panel = entry.content.nutrition_facts
    if panel is None or not entry.is_food:
        return None
    basis = ctx.tables.nutrition_formats.get(panel.label_format.strip().upper())
    if basis not in ("measure", "serving"):
        return None
    amounts: dict[str, list[Amount]] = {}
    readings = _unit_readings(ctx.tables)
    for row, prop in zip(panel.nutrients, _row_properties(panel, ctx), strict=True):
        if row.amount is None or prop is None:
            continue
        reading = readings.get(row.unit) or _unit_reading(row.unit, ctx.tables)
        code = reading[1] if reading[0] else ctx.tables.units.get("")
        if code not in (None, "-"):
            amounts.setdefault(prop, []).append(Amount(row.amount, str(code)))
    measure_or_serving: Literal["measure", "serving"] = (
        "measure" if basis == "measure" else "serving"
    )
    return Panel(
        {k: tuple(v) for k, v in amounts.items()}, measure_or_serving, is_liquid(entry, ctx)
    )


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
    serving = _serving_size(entry, panel, ctx)
    if serving is not None:
        props["gs1:servingSize"] = [serving]
    if panel.servings_per_container is not None:
        props["gs1:numberOfServingsPerPackage"] = [xsd_float(panel.servings_per_container)]
    basis = _basis(entry, panel, ctx)
    if basis is None:
        return props
    props.update(basis)
    readings = _unit_readings(ctx.tables)
    rows = zip(panel.nutrients, _row_properties(panel, ctx), strict=True)
    for index, (row, prop) in enumerate(rows):
        amount = row.amount
        measurement: dict[str, Any] | None
        if prop is not None and amount is not None:
            reading = readings.get(row.unit)
            # the common row: an amount in a unit with a plain Rec 20 code, as _measurement
            # writes it (without a call)
            code = reading[1] if reading is not None and not reading[2] else None
            if code is not None and code != "-":
                measurement = {
                    "@type": "gs1:NutritionMeasurementType",
                    "gs1:value": {
                        "@value": FLOAT_FORMS.get(amount) or float_form(amount),
                        "@type": "xsd:float",
                    },
                    "gs1:unitCode": code,
                }
                percent = row.daily_value_percent
                if percent is not None:
                    measurement["gs1:dailyValueIntakePercent"] = {
                        "@value": FLOAT_FORMS.get(percent) or float_form(percent),
                        "@type": "xsd:float",
                    }
                found = props.get(prop)
                if found is None:
                    props[prop] = [measurement]
                else:
                    found.append(measurement)
                continue
        path = _ROW_PATHS[index] if index < len(_ROW_PATHS) else f"{_PATH}.nutrients[{index}]"
        if prop is None:
            ctx.note(path, f"nutrient {row.name!r} has no row in nutrients.csv; page only")
            continue
        measurement = _measurement(row, path, ctx, readings)
        if measurement is not None:
            found = props.get(prop)
            if found is None:
                props[prop] = [measurement]
            else:
                found.append(measurement)
    return props
