"""Which request paths are Digital Link URIs, and what they identify.

The server publishes product-level (GTIN) answers; qualifiers it does not know
(a lot, a serial) resolve to the product, as the resolver standard's walk-up
rule asks.  Syntax is checked by :mod:`gs1ld.digital_link` (the same rules as
GS1's syntax engine), so a malformed URI is a 400, a zero-suppressed GTIN a 301
to the canonical path, and a compressed Digital Link path resolves like the
uncompressed one.
"""

from __future__ import annotations

from dataclasses import dataclass

from gs1ld.digital_link import PRIMARY_KEYS, DigitalLink, Options, decompress, parse
from gs1ld.digital_link.compression import BASE64URL
from gs1ld.errors import DigitalLinkError
from gs1ld.publish import is_product_file

__all__ = ["ProductPath", "parse_product_path"]

_BASE64URL = frozenset(BASE64URL)
_LENIENT = Options(pad_gtin=True, associations=False)


@dataclass(frozen=True, slots=True)
class ProductPath:
    """A Digital Link path for a GTIN.

    Attributes:
        gtin: the GTIN-14.
        qualifiers: (AI, value) pairs after it, in order.
        redirect_to: the canonical path when the request must move there (301).
    """

    gtin: str
    qualifiers: tuple[tuple[str, str], ...] = ()
    redirect_to: str | None = None


def _from_link(link: DigitalLink, requested: str) -> ProductPath | None:
    ai, gtin = link.primary_key
    if ai != "01":
        return None
    path = link.path
    redirect = path if path != requested.rstrip("/") else None
    return ProductPath(gtin, link.qualifiers, redirect_to=redirect)


def _decompressed(segment: str) -> DigitalLink | None:
    if len(segment) < 8 or not set(segment) <= _BASE64URL:
        return None

    try:
        return decompress(f"https://id.gs1.org/{segment}")
    except DigitalLinkError:
        return None


def parse_product_path(path: str) -> ProductPath | None:
    """Read a request path as a GTIN Digital Link path.

    Returns:
        The product path, or None when the path is not a Digital Link URI for a
        GTIN (a file of the site, or another key this server does not publish).

    Raises:
        DigitalLinkError: a Digital Link path that breaks the syntax (bad check
            digit, unknown or misordered qualifiers, a dangling segment).
    """
    segments = path.strip("/").split("/")
    if len(segments) == 1:
        link = _decompressed(segments[0])
        if link is None:
            return None
        product = _from_link(link, path)
        return None if product is None else ProductPath(product.gtin, product.qualifiers)
    if segments[0] not in PRIMARY_KEYS:
        return None
    if len(segments) % 2:  # an odd count: a file of the product, or a dangling segment
        last = segments[-1]
        if is_product_file(last):
            return None
        raise DigitalLinkError(
            f"Invalid Digital Link path {path!r}: segment {last!r} has no value after it."
        )
    trimmed = "/" + "/".join(segments)  # a trailing slash is tolerated, as before
    return _from_link(parse(f"https://id.gs1.org{trimmed}", options=_LENIENT), trimmed)
