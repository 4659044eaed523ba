"""Link types on the product (``gs1:pip``, ``gs1:certificationInfo``…).

The links come in with the mapping context: the publishing side works them out
once per product (:func:`gs1ld.publish.publish_entry`) for the linkset, the pages and
this document alike, so they never disagree and mapping knows nothing of the
site's layout. ``defaultLink`` is left out: GS1 restricts it to resolvers.
"""

from __future__ import annotations

from gs1ld.catalog.entry import CatalogEntry
from gs1ld.mapping._context import MappingContext, Properties, ref

__all__ = ["contribute"]

_RESOLVER_ONLY = frozenset({"defaultLink", "defaultLinkMulti"})


def contribute(entry: CatalogEntry, ctx: MappingContext) -> Properties:
    """One ``{"@id": href}`` per link, under its link type."""
    props: Properties = {}
    for rel, href in ctx.links:
        if rel in _RESOLVER_ONLY:
            continue
        props.setdefault(f"gs1:{rel}", []).append(ref(href))
    return props
