"""Core product facts: GTIN, name, description, brand, manufacturer, origin, net content."""

from __future__ import annotations

from gs1ld.catalog.entry import CatalogEntry
from gs1ld.mapping._context import MappingContext, Properties, xsd_float

__all__ = ["contribute"]


def _texts(value: str | dict[str, str] | None, ctx: MappingContext) -> list[object]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [{"@value": value, "@language": ctx.language}]  # ctx.text(value)
    return [ctx.text(text, language) for language, text in sorted(value.items()) if text]


def contribute(entry: CatalogEntry, ctx: MappingContext) -> Properties:
    """``gs1:gtin`` and the facts of the entry's ``product`` block."""
    props: Properties = {"gs1:gtin": [entry.gtin]}
    product = entry.product
    if product is None:
        return props
    if names := _texts(product.name, ctx):
        props["gs1:productName"] = names
    if descriptions := _texts(product.description, ctx):
        props["gs1:productDescription"] = descriptions
    if brand := product.brand:  # each field read once: feed models' attributes cost
        props["gs1:brand"] = [{"@type": "gs1:Brand", "gs1:brandName": ctx.text(brand)}]
    if (manufacturer := product.manufacturer) is not None:
        maker: dict[str, object] = {
            "@type": "gs1:Organization",
            "gs1:organizationName": ctx.text(manufacturer.name),
        }
        if gln := manufacturer.gln:
            maker["gs1:globalLocationNumber"] = gln
        props["gs1:manufacturer"] = [maker]
    if country := product.country_of_origin:
        props["gs1:countryOfOrigin"] = [{"@type": "gs1:Country", "gs1:countryCode": country}]
    quantities = []
    for index, amount in enumerate(product.net_content):
        code = ctx.unit_code(amount.unit, f"product.net_content[{index}].unit")
        if code is None:
            continue
        quantities.append(
            {
                "@type": "gs1:QuantitativeValue",
                "gs1:value": xsd_float(amount.value),
                "gs1:unitCode": code,
            }
        )
    if quantities:
        props["gs1:netContent"] = quantities
    return props
