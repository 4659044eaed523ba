"""Which request paths are Digital Link URIs, and what they identify.

The server publishes product-level (GTIN) answers; qualifiers it does not know
(a lot, a serial) resolve to the product, as the resolver standard's walk-up
rule asks.  Syntax is checked by :mod:`gs1ld.digital_link`, so a malformed URI
is a 400 and a zero-suppressed GTIN a 301 to the canonical path.
"""

from __future__ import annotations

from dataclasses import dataclass

from gs1ld import gtin as gtin_rules
from gs1ld.errors import DigitalLinkError, GtinError

__all__ = ["ProductPath", "parse_product_path"]

_GTIN_QUALIFIERS = (("22", "10", "21"), ("235",))
_PRODUCT_FILES = frozenset({"index.html", "index.jsonld", "linkset.json", "qr.svg", "nginx.map"})


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


def _check_qualifiers(pairs: list[tuple[str, str]], path: str) -> None:
    ais = [ai for ai, _ in pairs]
    for chain in _GTIN_QUALIFIERS:
        position = 0
        for ai in ais:
            if ai not in chain[position:]:
                break
            position = chain.index(ai) + 1
        else:
            return
    raise DigitalLinkError(
        f"Invalid qualifier path in {path!r}: after (01) expected (22), (10), (21) in that "
        f"order, or (235), got {', '.join(f'({ai})' for ai in ais)}."
    )


def parse_product_path(path: str) -> ProductPath | None:
    """Read a request path as a GTIN Digital Link path.

    Returns:
        The product path, or None when the path is not a Digital Link URI (a file
        of the site).

    Raises:
        DigitalLinkError: a Digital Link path that breaks the syntax (bad check
            digit, unknown or misordered qualifiers, a dangling segment).
    """
    segments = path.strip("/").split("/")
    if len(segments) < 2 or segments[0] != "01":
        return None
    if len(segments) % 2:  # an odd count: a file of the product, or a dangling segment
        last = segments[-1]
        if last in _PRODUCT_FILES:
            return None
        raise DigitalLinkError(
            f"Invalid Digital Link path {path!r}: segment {last!r} has no value after it."
        )
    value = segments[1]
    try:
        gtin = gtin_rules.normalize(value)
    except GtinError as exc:
        raise DigitalLinkError(str(exc)) from None
    if not value.isdigit():
        raise DigitalLinkError(f"Invalid GTIN in {path!r}: expected digits only, got {value!r}.")
    pairs = list(zip(segments[2::2], segments[3::2], strict=True))
    _check_qualifiers(pairs, path)
    if len(value) != 14:
        rest = "".join(f"/{ai}/{v}" for ai, v in pairs)
        return ProductPath(gtin, tuple(pairs), redirect_to=f"/01/{gtin}{rest}")
    return ProductPath(gtin, tuple(pairs))
