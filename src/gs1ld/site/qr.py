"""QR codes for Digital Link URIs, as inline SVG.

GS1 recommends QR Code error correction level M for Digital Link on packs and a
quiet zone of at least four modules; both are fixed here rather than options.
"""

from __future__ import annotations

import io

import segno

__all__ = ["QR_ERROR_CORRECTION", "QR_QUIET_ZONE", "qr_svg"]

QR_ERROR_CORRECTION = "M"
QR_QUIET_ZONE = 4


def qr_svg(uri: str, *, scale: int = 4) -> str:
    """An SVG document (no XML declaration) encoding ``uri`` as a QR code.

    Args:
        uri: the GS1 Digital Link URI, encoded byte for byte.
        scale: size of one module in SVG user units.
    """
    qr = segno.make_qr(uri, error=QR_ERROR_CORRECTION, boost_error=False)
    out = io.BytesIO()
    qr.save(
        out,
        kind="svg",
        scale=scale,
        border=QR_QUIET_ZONE,
        xmldecl=False,
        svgns=True,
        title=f"QR code for {uri}",
        nl=False,
    )
    return out.getvalue().decode("utf-8")
