"""The RFC 8288 ``Link`` header form of a product's links."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote

from gs1ld.publish.links import Link
from gs1ld.publish.wire import LINKSET_LINK_PARAMS

__all__ = ["link_header"]


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _title_param(title: str) -> str:
    if title.isascii() and title.isprintable():
        return f"title={_quoted(title)}"
    return f"title*=UTF-8''{quote(title, safe='')}"  # RFC 8187 for non-ASCII titles


def link_header(links: Iterable[Link], *, linkset_url: str | None = None) -> str:
    """Format links as one ``Link`` header value (RFC 8288).

    Args:
        links: the product's links.
        linkset_url: when given, a ``rel="linkset"`` link to the full linkset is
            added first, as the GS1 resolver standard asks of every response.

    >>> print(link_header([Link("pip", "https://b.example/p", 'A "P"')]))
    <https://b.example/p>; rel="https://ref.gs1.org/voc/pip"; title="A \\"P\\""
    """
    parts = []
    if linkset_url:
        parts.append(f"<{linkset_url}>; {LINKSET_LINK_PARAMS}")
    for link in links:
        params = [f"<{link.href}>", f'rel="{link.rel_iri}"', _title_param(link.title)]
        if link.type:
            params.append(f'type="{link.type}"')
        params.extend(f'hreflang="{tag}"' for tag in link.hreflang)
        parts.append("; ".join(params))
    return ", ".join(parts)
