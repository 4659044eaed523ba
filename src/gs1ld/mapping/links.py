"""Link types on the product (``gs1:pip``, ``gs1:certificationInfo``…), from its linkset.

The same links the resolver serves, so the JSON-LD and the linkset never
disagree. ``defaultLink`` is left out: GS1 restricts it to resolvers.
"""

from __future__ import annotations

from gs1ld.catalog.entry import CatalogEntry
from gs1ld.linksets import product_links
from gs1ld.mapping._context import MappingContext, Properties, ref

__all__ = ["contribute"]

_RESOLVER_ONLY = frozenset({"defaultLink", "defaultLinkMulti"})


def contribute(entry: CatalogEntry, ctx: MappingContext) -> Properties:
    """One ``{"@id": href}`` per link, under its link type."""
    props: Properties = {}
    for link in product_links(entry, base_url=ctx.config.root):
        if link.rel in _RESOLVER_ONLY:
            continue
        props.setdefault(f"gs1:{link.rel}", []).append(ref(link.href))
    return props
