"""GS1 Digital Link compression: short URIs for small QR codes.

A compressed URI packs the AI data into one base64url path segment
(``https://id.gs1.org/AQEd-1O2-GIGAD6A``).  The codec itself is
:mod:`gs1ld.digital_link._compression` (tested against GS1's published vectors
and the reference toolkit's output).  Compression takes a parsed
:class:`DigitalLink`, so the project's one URI parser decides what is the
primary key, a qualifier, a data attribute or another (non-GS1) parameter, and
which old convenience short names it reads (only ``Options.convenience_alphas``,
only in the path, as GS1 Digital Link 1.0 defined them).  A decompressed URI is
checked by the same parser.

>>> short = compress("https://id.gs1.org/01/09506000134352/10/ABC?17=261231")
>>> short
'https://id.gs1.org/CxFKk4XBoIdXguf43g'
>>> decompress(short).uri
'https://id.gs1.org/01/09506000134352/10/ABC?17=261231'
"""

from __future__ import annotations

from gs1ld.digital_link._compression import (
    BASE64URL,
    compress_pairs,
    decompress_uri,
    other_query,
)
from gs1ld.digital_link.options import DEFAULT_OPTIONS, Options
from gs1ld.digital_link.uri import DigitalLink, parse

__all__ = ["BASE64URL", "compress", "decompress"]


def compress(
    link: DigitalLink | str,
    *,
    stem: str | None = None,
    optimise: bool = True,
    compress_other: bool = False,
    options: Options = DEFAULT_OPTIONS,
) -> str:
    """Compress a Digital Link.

    Args:
        link: a :class:`DigitalLink`, or an uncompressed URI, which is read with
            :func:`~gs1ld.digital_link.parse` first.
        stem: resolver root of the result; None keeps the link's own.
        optimise: use GS1's one-byte codes for common AI combinations.
        compress_other: pack non-GS1 query parameters too (else they stay a query).
        options: how strictly to read ``link`` when it is a URI.

    Returns:
        The compressed URI: the stem, one segment, and the non-GS1 parameters
        as a query unless they were packed.

    Raises:
        DigitalLinkError: ``link`` is an invalid URI, or a value cannot be compressed.
    """
    if isinstance(link, str):
        link = parse(link, options=options)
    segment = compress_pairs(
        link.ai_data(), link.other_params, optimise=optimise, compress_other=compress_other
    )
    base = link.stem if stem is None else stem.rstrip("/")
    others = link.other_params
    tail = f"?{other_query(others)}" if others and not compress_other else ""
    return f"{base}/{segment}{tail}"


def decompress(
    uri: str, *, stem: str | None = None, options: Options = DEFAULT_OPTIONS
) -> DigitalLink:
    """Expand a compressed Digital Link URI and check the result.

    Raises:
        DigitalLinkError: the segment is corrupt, or what it holds breaks the standard.
    """
    return parse(decompress_uri(uri, stem=stem), options=options)
