"""QR codes for Digital Link URIs, as inline SVG.

GS1 recommends QR Code error correction level M for Digital Link on packs and a
quiet zone of at least four modules; both are fixed here rather than options.
The symbol is segno's (:mod:`gs1ld.pages._qr_symbol` computes it the way segno
does, several times faster) and the SVG is byte for byte what segno writes; a
test compares both.
"""

from __future__ import annotations

import re
from html import escape

from gs1ld.pages._qr_symbol import ERROR_LEVEL, qr_rows

__all__ = ["QR_ERROR_CORRECTION", "QR_QUIET_ZONE", "qr_svg"]

QR_ERROR_CORRECTION = ERROR_LEVEL
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
    # segno's path: an absolute move to the first dark run, then for each further run
    # a move relative to the end of the previous one and a horizontal line. Within a
    # row the move is just the light run before it, so runs map to text one by one.
    path: list[str] = []
    pen_x = pen_y = 0
    for y, row in enumerate(rows, border):
        dark_end = row.rstrip("0")
        if not dark_end:
            continue
        runs = _RUNS.findall(dark_end.lstrip("0"))
        x = border + len(dark_end) - len(dark_end.lstrip("0"))
        if path:
            path.append(f"m{x - pen_x} {y - pen_y}h{len(runs[0])}")
        else:
            path.append(f"M{x} {y}.5h{len(runs[0])}")
        path.extend(map(_RUN_TEXT.__getitem__, runs[1:]))
        pen_x, pen_y = border + len(dark_end), y
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{side}" height="{side}" class="segno">'
        f"<title>{escape(f'QR code for {uri}', quote=False)}</title>"
        f'<path transform="scale({scale})" class="qrline" stroke="#000" d="{"".join(path)}"/></svg>'
    )


_RUNS = re.compile("0+|1+")
_LONGEST_RUN = 177  # a version 40 symbol's side
_RUN_TEXT = {"0" * n: f"m{n} 0" for n in range(1, _LONGEST_RUN + 1)} | {
    "1" * n: f"h{n}" for n in range(1, _LONGEST_RUN + 1)
}
