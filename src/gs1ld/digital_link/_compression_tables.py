"""Data tables for GS1 Digital Link compression (used only by ``_compression``).

The binary layout of a compressed Digital Link is fixed by the tables that GS1's
reference toolkit (gs1/GS1DigitalLinkCompressionPrototype, ``GS1DigitalLinkToolkit.js``)
carries: how long each AI key is, how each AI value is split into numeric and
alphanumeric components, and which AI combinations have a one-byte code.  A
compressed string can only be read by another implementation if both use the same
tables, so these are transcribed from the reference and kept apart from the code.

Formats are written compactly: components separated by spaces, ``N14`` a
fixed-length numeric component, ``N..15`` a variable-length numeric component of
at most 15 digits, ``X..20`` a variable-length component of at most 20 characters
(``X4`` would be a fixed-length one).
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "AI_FORMATS",
    "AI_KEY_LENGTH",
    "CHECK_DIGIT_SPAN",
    "OPTIMISATIONS",
]


def _span(first: int, last: int, fmt: str) -> dict[str, str]:
    """Every AI from ``first`` to ``last`` (inclusive) with one format."""
    return {str(ai): fmt for ai in range(first, last + 1)}


def _measures(prefix_first: int, prefix_last: int) -> dict[str, str]:
    """The N6 trade/logistic measure AIs ``pppD`` (decimal-point digit D in 0..5)."""
    table: dict[str, str] = {}
    for prefix in range(prefix_first, prefix_last + 1):
        table.update(_span(prefix * 10, prefix * 10 + 5, "N6"))
    return table


#: AI key length, looked up by the AI's first two digits (the reference's ``tableP``).
#: A decoder reads two nibbles, then one or two more when this says 3 or 4.
AI_KEY_LENGTH: Final[dict[str, int]] = {
    "00": 2, "01": 2, "02": 2, "10": 2, "11": 2, "12": 2, "13": 2, "15": 2, "16": 2,
    "17": 2, "20": 2, "21": 2, "22": 2, "23": 3, "24": 3, "25": 3, "30": 2, "31": 4,
    "32": 4, "33": 4, "34": 4, "35": 4, "36": 4, "37": 2, "39": 4, "40": 3, "41": 3,
    "42": 3, "70": 4, "71": 3, "72": 4, "80": 4, "81": 4, "82": 4, "90": 2, "91": 2,
    "92": 2, "93": 2, "94": 2, "95": 2, "96": 2, "97": 2, "98": 2, "99": 2,
}  # fmt: skip

#: Value layout of every AI the codec can carry (the reference's ``tableF``), plus
#: (235) and (417), Digital Link key qualifier / primary key added to the standard
#: after the reference table was written; their layouts follow the Syntax Dictionary.
AI_FORMATS: Final[dict[str, str]] = {
    "00": "N18", "01": "N14", "02": "N14", "10": "X..20", "11": "N6", "12": "N6",
    "13": "N6", "15": "N6", "16": "N6", "17": "N6", "20": "N2", "21": "X..20",
    "22": "X..20", "235": "X..28", "240": "X..30", "241": "X..30", "242": "N..6",
    "243": "X..20", "250": "X..30", "251": "X..30", "253": "N13 X..17", "254": "X..20",
    "255": "N13 N..12", "30": "N..8",
    **_measures(310, 316), **_measures(320, 329), **_measures(330, 337),
    **_measures(340, 349), **_measures(350, 357), **_measures(360, 369),
    "37": "N..8",
    **_span(3900, 3909, "N..15"), **_span(3910, 3919, "N3 N..15"),
    **_span(3920, 3929, "N..15"), **_span(3930, 3939, "N3 N..15"),
    **_span(3940, 3943, "N4"),
    "400": "X..30", "401": "X..30", "402": "N17", "403": "X..30",
    **_span(410, 417, "N13"),
    "420": "X..20", "421": "N3 X..9", "422": "N3", "423": "N3 N..12", "424": "N3",
    "425": "N3 N..12", "426": "N3", "427": "X..3",
    "7001": "N13", "7002": "X..30", "7003": "N10", "7004": "N..4", "7005": "X..12",
    "7006": "N6", "7007": "N6 N..6", "7008": "X..3", "7009": "X..10", "7010": "X..2",
    "7020": "X..20", "7021": "X..20", "7022": "X..20", "7023": "X..30",
    **_span(7030, 7039, "N3 X..27"), **_span(710, 714, "X..20"),
    **_span(7230, 7239, "X..30"),
    "8001": "N14", "8002": "X..20", "8003": "N14 X..16", "8004": "X..30", "8005": "N6",
    "8006": "N18", "8007": "X..24", "8008": "N8 N..4", "8009": "X..50", "8010": "X..30",
    "8011": "N..12", "8012": "X..20", "8013": "X..30", "8017": "N18", "8018": "N18",
    "8019": "N..10", "8020": "X..25", "8026": "N18", "8110": "X..70", "8111": "N4",
    "8112": "X..70", "8200": "X..70", "90": "X..30",
    **_span(91, 99, "X..90"),
}  # fmt: skip

#: One-byte codes (two hex digits outside 00-99) that stand for a set of AIs
#: (the reference's ``tableOpt``).  The values follow the code in the bit string in
#: the order listed (not AI order: see 1A and 9D).  Dictionary order matters too:
#: among equally good codes the encoder takes the first.
OPTIMISATIONS: Final[dict[str, tuple[str, ...]]] = {
    "0A": ("01", "22"), "0B": ("01", "10"), "0C": ("01", "21"), "0D": ("01", "17"),
    "0E": ("01", "7003"), "0F": ("01", "30"), "1A": ("01", "10", "21", "17"),
    "1B": ("01", "15"), "1C": ("01", "11"), "1D": ("01", "16"), "1E": ("01", "91"),
    "1F": ("01", "10", "15"),
    "2A": ("01", "3100"), "2B": ("01", "3101"), "2C": ("01", "3102"), "2D": ("01", "3103"),
    "2E": ("01", "3104"), "2F": ("01", "3105"),
    "3A": ("01", "3200"), "3B": ("01", "3201"), "3C": ("01", "3202"), "3D": ("01", "3203"),
    "3E": ("01", "3204"), "3F": ("01", "3205"),
    "9A": ("8010", "8011"), "9B": ("8017", "8019"), "9C": ("8018", "8019"),
    "9D": ("414", "254"),
    "A0": ("01", "3920"), "A1": ("01", "3921"), "A2": ("01", "3922"), "A3": ("01", "3923"),
    "A4": ("01", "3924"), "A5": ("01", "3925"), "A6": ("01", "3926"), "A7": ("01", "3927"),
    "A8": ("01", "3928"), "A9": ("01", "3929"),
    "C0": ("255", "3900"), "C1": ("255", "3901"), "C2": ("255", "3902"),
    "C3": ("255", "3903"), "C4": ("255", "3904"), "C5": ("255", "3905"),
    "C6": ("255", "3906"), "C7": ("255", "3907"), "C8": ("255", "3908"),
    "C9": ("255", "3909"), "CA": ("255", "3940"), "CB": ("255", "3941"),
    "CC": ("255", "3942"), "CD": ("255", "3943"),
}  # fmt: skip

#: Where the GS1 check digit sits: the number of leading digits of the value that
#: form the checked number (the check digit is the last of them); ``0`` means the
#: whole (fixed-length numeric) value.
CHECK_DIGIT_SPAN: Final[dict[str, int]] = {
    "00": 0, "01": 0, "02": 0, "253": 13, "255": 13, "402": 0,
    **{str(ai): 0 for ai in range(410, 418)},
    "8003": 14, "8006": 14, "8017": 0, "8018": 0, "8026": 14,
}  # fmt: skip
