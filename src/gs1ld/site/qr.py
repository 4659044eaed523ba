"""QR codes for Digital Link URIs, as inline SVG.

GS1 recommends QR Code error correction level M for Digital Link on packs and a
quiet zone of at least four modules; both are fixed here rather than options.
segno encodes the symbol; the mask search and the SVG are done in
:mod:`gs1ld.site._qr_mask` and below, byte for byte what segno writes (a test
compares), three times faster.
"""

from __future__ import annotations

import re
from html import escape

from gs1ld.site._qr_mask import qr_rows

__all__ = ["QR_ERROR_CORRECTION", "QR_QUIET_ZONE", "qr_svg"]

QR_ERROR_CORRECTION = "M"
QR_QUIET_ZONE = 4


def qr_svg(uri: str, *, scale: int = 4) -> str:
    """An SVG document (no XML declaration) encoding ``uri`` as a QR code.

    Args:
        uri: the GS1 Digital Link URI, encoded byte for byte.
        scale: size of one module in SVG user units.
    """
    size, rows = qr_rows(uri, error=QR_ERROR_CORRECTION)
    border = QR_QUIET_ZONE
    side = (size + 2 * border) * scale
    path: list[str] = []
    pen_x = pen_y = 0
    for y, row in enumerate(rows):
        for run in _DARK_RUNS.finditer(format(row, f"0{size}b")):
            x = run.start() + border
            if not path:
                path.append(f"M{x} {y + border}.5")
            else:
                path.append(f"m{x - pen_x} {y + border - pen_y}")
            length = run.end() - run.start()
            path.append(f"h{length}")
            pen_x, pen_y = x + length, y + border
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{side}" height="{side}" class="segno">'
        f"<title>{escape(f'QR code for {uri}', quote=False)}</title>"
        f'<path transform="scale({scale})" class="qrline" stroke="#000" d="{"".join(path)}"/></svg>'
    )


_DARK_RUNS = re.compile("1+")
