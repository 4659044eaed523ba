"""Link types on the product (``gs1:pip``, ``gs1:certificationInfo``…).

The links come in with the mapping context: the publishing side works them out
once per product (:func:`gs1ld.publish.publish_entry`) for the linkset, the pages and
this document alike, so they never disagree and mapping knows nothing of the
site's layout. ``defaultLink`` is left out: GS1 restricts it to resolvers.
"""

from __future__ import annotations

from gs1ld.catalog.entry import CatalogEntry
from gs1ld.mapping._context import MappingContext, Properties

__all__ = ["contribute"]

_RESOLVER_ONLY = frozenset({"defaultLink", "defaultLinkMulti"})


def contribute(entry: CatalogEntry, ctx: MappingContext) -> Properties:
    """One ``{"@id": href}`` per link, under its link type."""
    props: Properties = {}
    for link in ctx.links:  # (rel, href, ...): a publisher's Link reads as its first two
        rel = link[0]
        href = link[1]
        key = _PROPERTIES.get(rel)
        if key is None:
            if rel in _RESOLVER_ONLY:
                continue
            key = _PROPERTIES[rel] = f"gs1:{rel}"
        values = props.get(key)
        if values is None:
            props[key] = [{"@id": href}]
        else:
            values.append({"@id": href})
    return props


_PROPERTIES: dict[str, str] = {}
"""Link type -> its property (``pip`` -> ``gs1:pip``), spelt once per link type."""
