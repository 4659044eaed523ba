"""QR codes for Digital Link URIs, as inline SVG.

GS1 recommends QR Code error correction level M for Digital Link on packs and a
quiet zone of at least four modules; both are fixed here rather than options.
The symbol is segno's (:mod:`gs1ld.site._qr_symbol` computes it the way segno
does, several times faster) and the SVG is byte for byte what segno writes; a
test compares both.
"""

from __future__ import annotations

import re
from html import escape

from gs1ld.site._qr_symbol import qr_rows

__all__ = ["QR_ERROR_CORRECTION", "QR_QUIET_ZONE", "qr_svg"]

QR_ERROR_CORRECTION = "M"
QR_QUIET_ZONE = 4


def qr_svg(uri: str, *, scale: int = 4) -> str:
    """An SVG document (no XML declaration) encoding ``uri`` as a QR code.

    Args:
        uri: the GS1 Digital Link URI, encoded byte for byte.
        scale: size of one module in SVG user units.
    """
    size, rows = qr_rows(uri)
    border = QR_QUIET_ZONE
    side = (size + 2 * border) * scale
    stride = size + 1  # rows joined by one light module: runs end at the row's end
    path: list[str] = []
    pen_x = pen_y = 0
    for start, end in [run.span() for run in _DARK_RUNS.finditer("0".join(rows))]:
        y, x = divmod(start, stride)
        y += border
        x += border
        path.append(
            f"m{x - pen_x} {y - pen_y}h{end - start}" if path else f"M{x} {y}.5h{end - start}"
        )
        pen_x, pen_y = x + end - start, y
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{side}" height="{side}" class="segno">'
        f"<title>{escape(f'QR code for {uri}', quote=False)}</title>"
        f'<path transform="scale({scale})" class="qrline" stroke="#000" d="{"".join(path)}"/></svg>'
    )


_DARK_RUNS = re.compile("1+")
