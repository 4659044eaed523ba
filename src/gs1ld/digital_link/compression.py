"""GS1 Digital Link compression: short URIs for small QR codes.

A compressed URI packs the AI data into one base64url path segment
(``https://id.gs1.org/AQEd-1O2-GIGAD6A``).  The codec itself is
:mod:`gs1ld.digital_link._compression` (tested against GS1's published vectors
and the reference toolkit's output); this module checks URIs with the project's
parser on the way in and on the way out, so nothing invalid is compressed and a
decompressed URI is a checked :class:`DigitalLink`.
"""

from __future__ import annotations

from gs1ld.digital_link._compression import BASE64URL, compress_uri, decompress_uri
from gs1ld.digital_link.options import DEFAULT_OPTIONS, Options
from gs1ld.digital_link.uri import DigitalLink, parse

__all__ = ["BASE64URL", "compress", "decompress"]


def compress(
    uri: str,
    *,
    stem: str | None = None,
    optimise: bool = True,
    compress_other: bool = False,
    options: Options = DEFAULT_OPTIONS,
) -> str:
    """Compress a Digital Link URI after checking it.

    Args:
        uri: an uncompressed Digital Link URI.
        stem: resolver root of the result; None keeps the URI's own.
        optimise: use GS1's one-byte codes for common AI combinations.
        compress_other: pack non-GS1 query parameters too (else they stay a query).
        options: how strictly to read ``uri``.

    Raises:
        DigitalLinkError: ``uri`` is invalid or a value cannot be compressed.
    """
    parse(uri, options=options)
    return compress_uri(uri, stem=stem, optimise=optimise, compress_other=compress_other)


def decompress(
    uri: str, *, stem: str | None = None, options: Options = DEFAULT_OPTIONS
) -> DigitalLink:
    """Expand a compressed Digital Link URI and check the result.

    Raises:
        DigitalLinkError: the segment is corrupt, or what it holds breaks the standard.
    """
    return parse(decompress_uri(uri, stem=stem), options=options)
