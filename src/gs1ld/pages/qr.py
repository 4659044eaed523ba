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

__all__ = ["QR_ERROR_CORRECTION", "QR_QUIET_ZONE", "qr_svg", "qr_svg_again"]

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
    head, tail = _frame(uri, scale)
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
    return f'{_SVG_START}{side}" height="{side}{head}{"".join(path)}{tail}'


def qr_svg_again(uri: str, earlier: str | None, *, scale: int = 4) -> str:
    """:func:`qr_svg` of ``uri``, taken from ``earlier`` when that is one this gs1ld made
    for ``uri`` at ``scale``.

    A changed product's QR code is most often the one it had: its Digital Link URI
    stays as its text and data change, and encoding costs about a fifth of
    rendering a product.  ``earlier`` must come from this very version of gs1ld (the
    site's builds mark each QR code with the version that wrote it:
    :func:`gs1ld.site.stage.earlier_qr`): the check here is of the symbol's frame and
    of the URI its title names, not of its modules.
    """
    if earlier is None:
        return qr_svg(uri, scale=scale)
    head, tail = _frame(uri, scale)
    side, _, rest = earlier.removeprefix(_SVG_START).partition('" height="')
    if (
        earlier.startswith(_SVG_START)
        and earlier.endswith(tail)
        and side.isascii()
        and side.isdigit()
        and rest.startswith(f"{side}{head}")
        and _PATH.fullmatch(rest, len(side) + len(head), len(rest) - len(tail))
    ):
        return earlier
    return qr_svg(uri, scale=scale)


def _frame(uri: str, scale: int) -> tuple[str, str]:
    """The SVG around the path's data, after its side: up to the data, and after it."""
    title = escape(f"QR code for {uri}", quote=False)
    return (
        f'" class="segno"><title>{title}</title>'
        f'<path transform="scale({scale})" class="qrline" stroke="#000" d="',
        '"/></svg>',
    )


_SVG_START = '<svg xmlns="http://www.w3.org/2000/svg" width="'
_PATH = re.compile(r"M\d+ \d+\.5h[\d hm-]*", re.ASCII)
"""The path data :func:`qr_svg` writes: moves and horizontal lines."""


_RUNS = re.compile("0+|1+")
_LONGEST_RUN = 177  # a version 40 symbol's side
_RUN_TEXT = {"0" * n: f"m{n} 0" for n in range(1, _LONGEST_RUN + 1)} | {
    "1" * n: f"h{n}" for n in range(1, _LONGEST_RUN + 1)
}
