"""GS1 Barcode Syntax Tests ("linters") in pure Python.

The GS1 Barcode Syntax Dictionary describes each Application Identifier as a
list of components (``N14,csum,gcppos2``, ``X..34,iban`` ...).  Each component
names a character set, a length and zero or more *linters*: content checks
such as "the last digit is a valid check digit" or "this is an ISO 4217
currency code".  GS1 publishes reference implementations of those checks in C
(the GS1 Syntax Engine); this module re-implements them so that the project
can validate AI element strings and Digital Link URIs without a C toolchain,
and report the same error codes as the reference.

Every linter is a function ``(value) -> str | None`` applied to the data of a
single component, *after* the caller has checked the component's character
set and length.  It returns ``None`` when the value passes, otherwise the
reference error code without its ``GS1_LINTER_`` prefix, e.g.
``"INCORRECT_CHECK_DIGIT"``.  Linters are still defensive about characters
outside their expected set (as the reference is), so calling one directly on
raw input never raises.

``LINTERS`` maps the dictionary's linter names to the functions,
``cset_error`` performs the character-set checks for the component types
(``N``, ``X``, ``Y``, ``Z``) and ``describe`` turns an error code into a short
sentence for reports.

>>> LINTERS["csum"]("09506000134352") is None
True
>>> LINTERS["iso4217"]("987")
'NOT_ISO4217'
>>> describe("NOT_ISO4217")
'not an ISO 4217 three-digit currency code'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Final

from gs1ld.errors import DigitalLinkError
from gs1ld.gtin import check_digit

__all__ = [
    "CSET32",
    "CSET39",
    "CSET64",
    "CSET82",
    "DIGITS",
    "ERROR_CODES",
    "IMPORTER_INDEX_CHARACTERS",
    "ISO3166_ALPHA2",
    "ISO3166_NUM3",
    "ISO4217_NUM3",
    "LINTERS",
    "MEDIA_TYPES",
    "PACKAGE_TYPES",
    "Linter",
    "cset_error",
    "describe",
    "lint_couponcode",
    "lint_couponposoffer",
    "lint_csum",
    "lint_csumalpha",
    "lint_gcppos1",
    "lint_gcppos2",
    "lint_hasnondigit",
    "lint_hh",
    "lint_hhmi",
    "lint_hyphen",
    "lint_iban",
    "lint_importeridx",
    "lint_iso3166",
    "lint_iso3166alpha2",
    "lint_iso4217",
    "lint_iso5218",
    "lint_iso3166999",
    "lint_latitude",
    "lint_longitude",
    "lint_mediatype",
    "lint_mi",
    "lint_nonzero",
    "lint_nozeroprefix",
    "lint_packagetype",
    "lint_pcenc",
    "lint_pieceoftotal",
    "lint_posinseqslash",
    "lint_ss",
    "lint_winding",
    "lint_yesno",
    "lint_yymmd0",
    "lint_yymmdd",
    "lint_yyyymmdd",
    "lint_zero",
]

Linter = Callable[[str], str | None]
"""A syntax test: component data in, ``None`` or an error code out."""

# ---------------------------------------------------------------------------
# Character sets
# ---------------------------------------------------------------------------

DIGITS: Final = "0123456789"
"""The characters of a numeric (``N``) component."""

CSET82: Final = (
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
)
"""GS1 AI encodable character set 82 (``X`` components), in code-point order.

The order matters: a character's index is its value in the alphanumeric check
character pair calculation (``csumalpha``).
"""

CSET39: Final = "#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
"""GS1 AI encodable character set 39 (``Y`` components)."""

CSET64: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
"""GS1 AI encodable character set 64 (``Z`` components): the base64url alphabet.

A ``Z`` component may also end in up to two ``=`` pad characters.
"""

CSET32: Final = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
"""Character set 32: the check characters of ``csumalpha``, in value order."""

IMPORTER_INDEX_CHARACTERS: Final = (
    "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
)
"""Characters allowed as the EU 2018/574 Importer Index (``importeridx``)."""

_DIGIT_SET: Final = frozenset(DIGITS)
_CSET82_SET: Final = frozenset(CSET82)
_CSET39_SET: Final = frozenset(CSET39)
_CSET64_SET: Final = frozenset(CSET64)
_CSET82_VALUE: Final = {c: i for i, c in enumerate(CSET82)}
_CSET32_SET: Final = frozenset(CSET32)
_IMPORTER_INDEX_SET: Final = frozenset(IMPORTER_INDEX_CHARACTERS)
_HEX_SET: Final = frozenset("0123456789ABCDEFabcdef")
# IBAN characters and their values in the ISO 7064 MOD 97-10 check (A=10 ... Z=35).
_IBAN_VALUE: Final = {c: str(i) for i, c in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")}

# ---------------------------------------------------------------------------
# Code lists
# ---------------------------------------------------------------------------


def _code_list(text: str) -> frozenset[str]:
    """The whitespace-separated codes of ``text`` (keeps long lists readable)."""
    return frozenset(text.split())


# ISO 3166-1 "num-3" country codes, as listed by GS1's syntax engine linters at
# 0a90d4a3b094a0763a03688e6bb587f10347648d (src/c-lib/syntax/lint_iso3166.c).
ISO3166_NUM3: Final = _code_list(
    """
    004 008 010 012 016 020 024 028 031 032 036 040 044 048 050 051 052 056 060
    064 068 070 072 074 076 084 086 090 092 096 100 104 108 112 116 120 124 132
    136 140 144 148 152 156 158 162 166 170 174 175 178 180 184 188 191 192 196
    203 204 208 212 214 218 222 226 231 232 233 234 238 239 242 246 248 250 254
    258 260 262 266 268 270 275 276 288 292 296 300 304 308 312 316 320 324 328
    332 334 336 340 344 348 352 356 360 364 368 372 376 380 384 388 392 398 400
    404 408 410 414 417 418 422 426 428 430 434 438 440 442 446 450 454 458 462
    466 470 474 478 480 484 492 496 498 499 500 504 508 512 516 520 524 528 531
    533 534 535 540 548 554 558 562 566 570 574 578 580 581 583 584 585 586 591
    598 600 604 608 612 616 620 624 626 630 634 638 642 643 646 652 654 659 660
    662 663 666 670 674 678 682 686 688 690 694 702 703 704 705 706 710 716 724
    728 729 732 740 744 748 752 756 760 762 764 768 772 776 780 784 788 792 795
    796 798 800 804 807 818 826 831 832 833 834 840 850 854 858 860 862 876 882
    887 894
    """
)

# ISO 3166-1 "alpha-2" country codes, as listed by GS1's syntax engine linters
# at 0a90d4a3b094a0763a03688e6bb587f10347648d
# (src/c-lib/syntax/lint_iso3166alpha2.c).  The ``iban`` linter checks the
# leading country code of an IBAN against this same list.
ISO3166_ALPHA2: Final = _code_list(
    """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ
    BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
    CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ
    DE DJ DK DM DO DZ
    EC EE EG EH ER ES ET
    FI FJ FK FM FO FR
    GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY
    HK HM HN HR HT HU
    ID IE IL IM IN IO IQ IR IS IT
    JE JM JO JP
    KE KG KH KI KM KN KP KR KW KY KZ
    LA LB LC LI LK LR LS LT LU LV LY
    MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ
    NA NC NE NF NG NI NL NO NP NR NU NZ
    OM
    PA PE PF PG PH PK PL PM PN PR PS PT PW PY
    QA
    RE RO RS RU RW
    SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ
    TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ
    UA UG UM US UY UZ
    VA VC VE VG VI VN VU
    WF WS
    YE YT
    ZA ZM ZW
    """
)

# ISO 4217 three-digit currency codes, as listed by GS1's syntax engine linters
# at 0a90d4a3b094a0763a03688e6bb587f10347648d (src/c-lib/syntax/lint_iso4217.c).
ISO4217_NUM3: Final = _code_list(
    """
    008 012 032 036 044 048 050 051 052 060 064 068 072 084 090 096
    104 108 116 124 132 136 144 152 156 170 174 188 191 192
    203 208 214 222 230 232 238 242 262 270 292
    320 324 328 332 340 344 348 352 356 360 364 368 376 388 392 398
    400 404 408 410 414 417 418 422 426 430 434 446
    454 458 462 480 484 496 498
    504 512 516 524 532 533 548 554 558 566 578 586 590 598
    600 604 608 634 643 646 654 682 690 694
    702 704 706 710 728 748 752 756 760 764 776 780 784 788
    800 807 818 826 834 840 858 860 882 886
    901 925 927 928 929 930 931 932 933 934 936 938
    940 941 943 944 946 947 948 949
    950 951 952 953 955 956 957 958 959
    960 961 962 963 964 965 967 968 969
    970 971 972 973 975 976 977 978 979
    980 981 984 985 986 990 994 997 999
    """
)

# UN/ECE Recommendation 21 package type codes, extended with GS1's own values
# (GS1 PackageTypeCode code list), as listed by GS1's syntax engine linters at
# 274ba834e0287ae8323ab4320cf830cad43edf75 (src/c-lib/syntax/lint_packagetype.c).
PACKAGE_TYPES: Final = _code_list(
    """
    1A 1B 1D 1F 1G 1W
    200 201 202 203 204 205 206 210 211 212 2C
    3A 3H
    43 44 4A 4B 4C 4D 4F 4G 4H
    5H 5L 5M
    6H 6P
    7A 7B
    8 8A 8B 8C
    9
    AA AB AC AD AF AG AH AI AJ AL AM AP APE AT AV
    B4 BB BC BD BE BF BG BGE BH BI BJ BK BL BM BME BN BO BP BQ BR BRI BS BT BU
    BV BW BX BY BZ
    CA CB CBL CC CCE CD CE CF CG CH CI CJ CK CL CM CN CO CP CQ CR CS CT CU CV CW
    CX CY CZ
    DA DB DC DG DH DI DJ DK DL DM DN DP DPE DR DS DT DU DV DW DX DY
    E1 E2 E3 EC ED EE EF EG EH EI EN
    FB FC FD FE FI FL FO FOB FP FPE FR FT FW FX
    GB GI GL GR GU GY GZ
    HA HB HC HG HN HR
    IA IB IC ID IE IF IG IH IK IL IN IZ
    JB JC JG JR JT JY
    KG KI
    LAB LE LG LT LU LV LZ
    MA MB MC ME MPE MR MS MT MW MX
    NA NE NF NG NS NT NU NV
    OA OB OC OD OE OF OK OPE OT OU
    P2 PA PAE PB PC PD PE PF PG PH PI PJ PK PL PLP PN PO POP PP PPE PR PT PU PUE
    PV PX PY PZ
    QA QB QC QD QF QG QH QJ QK QL QM QN QP QQ QR QS
    RB1 RB2 RB3 RCB RD RG RJ RK RL RO RT RZ
    S1 SA SB SC SD SE SEC SH SI SK SL SM SO SP SS ST STL SU SV SW SX SY SZ
    T1 TB TC TD TE TEV TG THE TI TK TL TN TO TR TRE TS TT TTE TU TV TW TWE TY TZ
    UC UN UUE
    VA VG VI VK VL VN VO VP VQ VR VS VY
    WA WB WC WD WF WG WH WJ WK WL WM WN WP WQ WR WRP WS WT WU WV WW WX WY WZ
    X11 X12 X15 X16 X17 X18 X19 X20 X3 XA XB XC XD XF XG XH XJ XK
    YA YB YC YD YF YG YH YJ YK YL YM YN YP YQ YR YS YT YV YW YX YY YZ
    ZA ZB ZC ZD ZF ZG ZH ZJ ZK ZL ZM ZN ZP ZQ ZR ZS ZT ZU ZV ZW ZX ZY ZZ
    """
)

# AIDC media type codes (GS1 General Specifications, "AIDC media type values"),
# as listed by GS1's syntax engine linters at
# 0a90d4a3b094a0763a03688e6bb587f10347648d (src/c-lib/syntax/lint_mediatype.c):
# 01-10 are ICCBBA assignments, 80-99 are for ICCBBA local or national use.
MEDIA_TYPES: Final = frozenset(
    [f"{n:02d}" for n in range(1, 11)] + [f"{n:02d}" for n in range(80, 100)]
)

# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------


def _all_digits(value: str) -> bool:
    """True when every character is an ASCII digit (vacuously true for "")."""
    return _DIGIT_SET.issuperset(value)


def _two_digits(value: str) -> int:
    """The value of a two-character string already known to be ASCII digits."""
    return (ord(value[0]) - 48) * 10 + ord(value[1]) - 48


# ---------------------------------------------------------------------------
# Character sets of the component types
# ---------------------------------------------------------------------------


def _cset64_error(value: str) -> str | None:
    """Base64url check: up to two "=" pads, only when they complete a 3-multiple."""
    body = value.rstrip("=")
    pads = len(value) - len(body)
    if pads > 2 or (pads > 0 and len(value) % 3 != 0):
        return "INVALID_CSET64_PADDING"
    if not _CSET64_SET.issuperset(body):
        return "INVALID_CSET64_CHARACTER"
    return None


def cset_error(kind: str, value: str) -> str | None:
    """Check ``value`` against the character set of a component type.

    ``kind`` is the dictionary's type letter: ``N`` (digits), ``X`` (CSET 82),
    ``Y`` (CSET 39) or ``Z`` (CSET 64, base64url with optional ``=`` padding).
    Returns ``None`` or the reference error code.  The engine runs this before
    any linter of the component, so its error is the one reported first.

    >>> cset_error("X", "ABC 1")
    'INVALID_CSET82_CHARACTER'
    >>> cset_error("Z", "123=")
    'INVALID_CSET64_PADDING'
    """
    if kind == "N":
        return None if _DIGIT_SET.issuperset(value) else "NON_DIGIT_CHARACTER"
    if kind == "X":
        return None if _CSET82_SET.issuperset(value) else "INVALID_CSET82_CHARACTER"
    if kind == "Y":
        return None if _CSET39_SET.issuperset(value) else "INVALID_CSET39_CHARACTER"
    if kind == "Z":
        return _cset64_error(value)
    raise ValueError(f"unknown component type {kind!r}: expected N, X, Y or Z")


# ---------------------------------------------------------------------------
# Check digits and check character pairs
# ---------------------------------------------------------------------------


def lint_csum(value: str) -> str | None:
    """The last digit is the GS1 mod-10 check digit of the digits before it.

    Used by every numeric GS1 key (GTIN, SSCC, GLN, GSRN ...) so that a single
    mistyped or misread digit is detected.
    """
    if not value:
        return "TOO_SHORT_FOR_CHECK_DIGIT"
    if not _all_digits(value):
        return "NON_DIGIT_CHARACTER"
    if check_digit(value[:-1]) != ord(value[-1]) - 48:
        return "INCORRECT_CHECK_DIGIT"
    return None


# The first primes, used as weights (right to left) by the check character pair;
# 97 weights cover the longest data a 99-character component can carry.
_PRIMES: Final = (
    2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71,
    73, 79, 83, 89, 97, 101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151,
    157, 163, 167, 173, 179, 181, 191, 193, 197, 199, 211, 223, 227, 229, 233,
    239, 241, 251, 257, 263, 269, 271, 277, 281, 283, 293, 307, 311, 313, 317,
    331, 337, 347, 349, 353, 359, 367, 373, 379, 383, 389, 397, 401, 409, 419,
    421, 431, 433, 439, 443, 449, 457, 461, 463, 467, 479, 487, 491, 499, 503,
    509,
)  # fmt: skip


def lint_csumalpha(value: str) -> str | None:
    """The last two characters are the GS1 alphanumeric check character pair.

    Used by the GMN and MUDI: the CSET 82 data characters, weighted by
    ascending primes from the right, sum (mod 1021) to a 10-bit value whose two
    5-bit halves index CSET 32.
    """
    size = len(value)
    if size < 2:
        return "TOO_SHORT_FOR_CHECK_PAIR"
    if size - 2 > len(_PRIMES):
        return "TOO_LONG_FOR_CHECK_PAIR_IMPLEMENTATION"
    data = value[:-2]
    if not _CSET82_SET.issuperset(data):
        return "INVALID_CSET82_CHARACTER"
    if value[-2] not in _CSET32_SET or value[-1] not in _CSET32_SET:
        return "INVALID_CSET32_CHARACTER"
    total = sum(_CSET82_VALUE[ch] * _PRIMES[i] for i, ch in enumerate(reversed(data)))
    total %= 1021
    if value[-2] != CSET32[total >> 5] or value[-1] != CSET32[total & 31]:
        return "INCORRECT_CHECK_PAIR"
    return None


# ---------------------------------------------------------------------------
# GS1 Company Prefix position
# ---------------------------------------------------------------------------

_GCP_MIN_LENGTH: Final = 4  # the shortest GS1 Company Prefix has four digits


def lint_gcppos1(value: str) -> str | None:
    """The data starts with something that can be a GS1 Company Prefix.

    Without a registry of allocated prefixes this checks what the reference
    does by default: at least four characters, the first four being digits.
    """
    if len(value) < _GCP_MIN_LENGTH:
        return "TOO_SHORT_FOR_GCP"
    if not _all_digits(value[:_GCP_MIN_LENGTH]):
        return "INVALID_GCP_PREFIX"
    return None


def lint_gcppos2(value: str) -> str | None:
    """Like ``gcppos1`` but from the second character.

    For keys whose first digit is an indicator or extension digit (SSCC, GTIN,
    ITIP) rather than part of the company prefix.
    """
    if len(value) < 2:
        return "TOO_SHORT_FOR_GCP"
    return lint_gcppos1(value[1:])


def lint_hasnondigit(value: str) -> str | None:
    """At least one character is not a digit (an all-numeric MUDI is refused)."""
    if _all_digits(value):
        return "REQUIRES_NON_DIGIT_CHARACTER"
    return None


# ---------------------------------------------------------------------------
# Dates and times
# ---------------------------------------------------------------------------

_DAYS_IN_MONTH: Final = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
# The reference expands YY with a fixed horizon around 2021 (its compile-time
# default): 72-99 are 19YY, 00-71 are 20YY.  Only leap years depend on it.
_YY_REFERENCE: Final = 21


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _date_error(year: int, month: int, day: int) -> str | None:
    """Month 01-12 and day 00..last day of that month (00 = day unspecified)."""
    if not 1 <= month <= 12:
        return "ILLEGAL_MONTH"
    last = 29 if month == 2 and _is_leap(year) else _DAYS_IN_MONTH[month - 1]
    if day > last:
        return "ILLEGAL_DAY"
    return None


def _full_year(yy: int) -> int:
    """Expand a two-digit year the way the reference does (up to 50 years back)."""
    return 1900 + yy if yy - _YY_REFERENCE >= 51 else 2000 + yy


def lint_yymmd0(value: str) -> str | None:
    """A YYMMDD date where DD may be 00 ("day not specified")."""
    if len(value) != 6:
        return "DATE_TOO_SHORT" if len(value) < 6 else "DATE_TOO_LONG"
    if not _all_digits(value):
        return "NON_DIGIT_CHARACTER"
    return _date_error(
        _full_year(_two_digits(value[0:2])), _two_digits(value[2:4]), _two_digits(value[4:6])
    )


def lint_yymmdd(value: str) -> str | None:
    """A real YYMMDD date (day 00 is not allowed)."""
    error = lint_yymmd0(value)
    if error is None and value[4:6] == "00":
        return "ILLEGAL_DAY"
    return error


def _yyyymmd0(value: str) -> str | None:
    """A YYYYMMDD date where DD may be 00."""
    if len(value) != 8:
        return "DATE_TOO_SHORT" if len(value) < 8 else "DATE_TOO_LONG"
    if not _all_digits(value):
        return "NON_DIGIT_CHARACTER"
    return _date_error(int(value[0:4]), _two_digits(value[4:6]), _two_digits(value[6:8]))


def lint_yyyymmdd(value: str) -> str | None:
    """A real YYYYMMDD date (day 00 is not allowed), e.g. a date of birth."""
    error = _yyyymmd0(value)
    if error is None and value[6:8] == "00":
        return "ILLEGAL_DAY"
    return error


def _two_digit_field(
    value: str, too_short: str, too_long: str, limit: int, illegal: str
) -> str | None:
    """Exactly two digits whose value is at most ``limit``."""
    if len(value) != 2:
        return too_short if len(value) < 2 else too_long
    if not _all_digits(value):
        return "NON_DIGIT_CHARACTER"
    if _two_digits(value) > limit:
        return illegal
    return None


def lint_hh(value: str) -> str | None:
    """An hour of the day, 00-23."""
    return _two_digit_field(value, "HOUR_TOO_SHORT", "HOUR_TOO_LONG", 23, "ILLEGAL_HOUR")


def lint_mi(value: str) -> str | None:
    """A minute of the hour, 00-59."""
    return _two_digit_field(value, "MINUTE_TOO_SHORT", "MINUTE_TOO_LONG", 59, "ILLEGAL_MINUTE")


def lint_ss(value: str) -> str | None:
    """A second of the minute, 00-59."""
    return _two_digit_field(value, "SECOND_TOO_SHORT", "SECOND_TOO_LONG", 59, "ILLEGAL_SECOND")


def lint_hhmi(value: str) -> str | None:
    """A time of day as HHMI (hour 00-23, minute 00-59)."""
    if len(value) != 4:
        return "HOUR_WITH_MINUTE_TOO_SHORT" if len(value) < 4 else "HOUR_WITH_MINUTE_TOO_LONG"
    return lint_hh(value[:2]) or lint_mi(value[2:])


# ---------------------------------------------------------------------------
# Code lists
# ---------------------------------------------------------------------------


def lint_iso3166(value: str) -> str | None:
    """An ISO 3166-1 numeric country code (country of origin, processing ...)."""
    return None if value in ISO3166_NUM3 else "NOT_ISO3166"


def lint_iso3166999(value: str) -> str | None:
    """An ISO 3166-1 numeric country code, or 999 (country not known)."""
    return None if value == "999" or value in ISO3166_NUM3 else "NOT_ISO3166_OR_999"


def lint_iso3166alpha2(value: str) -> str | None:
    """An ISO 3166-1 two-letter country code (ship-to / return-to country)."""
    return None if value in ISO3166_ALPHA2 else "NOT_ISO3166_ALPHA2"


def lint_iso4217(value: str) -> str | None:
    """An ISO 4217 numeric currency code (the currency of an amount or price)."""
    return None if value in ISO4217_NUM3 else "NOT_ISO4217"


def lint_iso5218(value: str) -> str | None:
    """An ISO/IEC 5218 sex code: 0 not known, 1 male, 2 female, 9 not applicable."""
    return None if len(value) == 1 and value in "0129" else "INVALID_BIOLOGICAL_SEX_CODE"


def lint_packagetype(value: str) -> str | None:
    """A GS1 PackageTypeCode (UN/ECE Recommendation 21 plus GS1 additions)."""
    return None if value in PACKAGE_TYPES else "INVALID_PACKAGE_TYPE"


def lint_mediatype(value: str) -> str | None:
    """An AIDC media type code (01-10 or 80-99)."""
    return None if value in MEDIA_TYPES else "INVALID_MEDIA_TYPE"


def lint_yesno(value: str) -> str | None:
    """A flag: 0 (no) or 1 (yes)."""
    return None if len(value) == 1 and value in "01" else "NOT_ZERO_OR_ONE"


def lint_winding(value: str) -> str | None:
    """A roll's winding direction: 0 face out, 1 face in, 9 undefined."""
    return None if len(value) == 1 and value in "019" else "INVALID_WINDING_DIRECTION"


def lint_importeridx(value: str) -> str | None:
    """A single EU 2018/574 Importer Index character (``-``, digits, letters, ``_``)."""
    if len(value) != 1:
        return "IMPORTER_IDX_MUST_BE_ONE_CHARACTER"
    return None if value in _IMPORTER_INDEX_SET else "INVALID_IMPORT_IDX_CHARACTER"


# ---------------------------------------------------------------------------
# IBAN
# ---------------------------------------------------------------------------

_IBAN_MIN_LENGTH: Final = 10  # no standard minimum; enough for the check characters
_IBAN_MAX_LENGTH: Final = 34


def lint_iban(value: str) -> str | None:
    """An International Bank Account Number (ISO 13616) with valid check digits.

    The country code must be an ISO 3166 alpha-2 code; the check moves the
    first four characters to the end, reads letters as 10-35 and requires the
    resulting number to be 1 modulo 97.
    """
    if len(value) < 4:
        return "IBAN_TOO_SHORT"
    if value[:2] not in ISO3166_ALPHA2:
        return "ILLEGAL_IBAN_COUNTRY_CODE"
    if len(value) > _IBAN_MAX_LENGTH:
        return "IBAN_TOO_LONG"
    if len(value) <= _IBAN_MIN_LENGTH:
        return "IBAN_TOO_SHORT"
    try:
        digits = "".join(_IBAN_VALUE[ch] for ch in value[4:] + value[:4])
    except KeyError:
        return "INVALID_IBAN_CHARACTER"
    if int(digits) % 97 != 1:
        return "INCORRECT_IBAN_CHECKSUM"
    return None


# ---------------------------------------------------------------------------
# Text and numbers
# ---------------------------------------------------------------------------


def lint_pcenc(value: str) -> str | None:
    """Every ``%`` starts a complete ``%hh`` escape (names and addresses in AIs)."""
    pos = value.find("%")
    while pos != -1:
        if (
            pos + 2 >= len(value)
            or value[pos + 1] not in _HEX_SET
            or value[pos + 2] not in _HEX_SET
        ):
            return "INVALID_PERCENT_SEQUENCE"
        pos = value.find("%", pos + 3)
    return None


def _coordinate_error(value: str, limit: int, bad_length: str, bad_value: str) -> str | None:
    if len(value) != 10:
        return bad_length
    if not _all_digits(value):
        return "NON_DIGIT_CHARACTER"
    return bad_value if int(value) > limit else None


def lint_latitude(value: str) -> str | None:
    """A WGS84 latitude as 10 digits, offset by +90 degrees: 0000000000-1800000000."""
    return _coordinate_error(value, 1_800_000_000, "LATITUDE_INVALID_LENGTH", "INVALID_LATITUDE")


def lint_longitude(value: str) -> str | None:
    """A WGS84 longitude as 10 digits, offset by +180 degrees: 0000000000-3600000000."""
    return _coordinate_error(value, 3_600_000_000, "LONGITUDE_INVALID_LENGTH", "INVALID_LONGITUDE")


def lint_hyphen(value: str) -> str | None:
    """Only hyphens (the optional minus sign of a temperature), and at least one."""
    return None if value and not value.strip("-") else "NOT_HYPHEN"


def lint_nonzero(value: str) -> str | None:
    """Digits with a value other than zero (e.g. roll dimensions)."""
    if not _all_digits(value):
        return "NON_DIGIT_CHARACTER"
    return None if value.strip("0") else "ILLEGAL_ZERO_VALUE"


def lint_zero(value: str) -> str | None:
    """Only zeros, and at least one (the leading filler digit of a GRAI)."""
    return None if value and not value.strip("0") else "NOT_ZERO"


def lint_nozeroprefix(value: str) -> str | None:
    """Digits that do not start with 0 (a CPID serial number)."""
    if value.startswith("0"):
        return "ILLEGAL_ZERO_PREFIX"
    return None if _all_digits(value) else "NON_DIGIT_CHARACTER"


def lint_pieceoftotal(value: str) -> str | None:
    """A piece number followed by an equally long total: both non-zero, piece <= total."""
    if not _all_digits(value):
        return "NON_DIGIT_CHARACTER"
    if not value or len(value) % 2:
        return "INVALID_LENGTH_FOR_PIECE_OF_TOTAL"
    half = len(value) // 2
    piece, total = value[:half], value[half:]
    if not piece.strip("0"):
        return "ZERO_PIECE_NUMBER"
    if not total.strip("0"):
        return "ZERO_TOTAL_PIECES"
    # Equal-width digit strings compare like the numbers they hold.
    return "PIECE_NUMBER_EXCEEDS_TOTAL" if piece > total else None


def lint_posinseqslash(value: str) -> str | None:
    """A position in a sequence written ``<pos>/<end>``: no leading zeros, pos <= end."""
    position, slash, end = value.partition("/")
    if not (slash and position and end and _all_digits(position) and _all_digits(end)):
        return "POSITION_IN_SEQUENCE_MALFORMED"
    if position[0] == "0" or end[0] == "0":
        return "ILLEGAL_ZERO_PREFIX"
    # Without leading zeros a longer number is larger; equal lengths compare as text.
    if len(position) > len(end) or (len(position) == len(end) and position > end):
        return "POSITION_EXCEEDS_END"
    return None


# ---------------------------------------------------------------------------
# Coupons
# ---------------------------------------------------------------------------


class _CouponError(DigitalLinkError):
    """Raised inside the coupon parsers; carries the error code to report.

    The coupon layouts are long chains of "read a field or report why not";
    raising from the reader keeps each step a single line.
    """

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class _Cursor:
    """Reads a coupon's digits left to right, raising ``_CouponError`` on shortage."""

    __slots__ = ("data", "pos")

    def __init__(self, data: str) -> None:
        self.data = data
        self.pos = 0

    def more(self) -> bool:
        return self.pos < len(self.data)

    def peek(self) -> str:
        return self.data[self.pos] if self.pos < len(self.data) else ""

    def digit(self, missing: str) -> str:
        """The next single digit, or ``missing`` when the data has run out."""
        if self.pos >= len(self.data):
            raise _CouponError(missing)
        ch = self.data[self.pos]
        self.pos += 1
        return ch

    def take(self, count: int, truncated: str) -> str:
        """The next ``count`` digits, or ``truncated`` when fewer remain."""
        if len(self.data) - self.pos < count:
            raise _CouponError(truncated)
        chunk = self.data[self.pos : self.pos + count]
        self.pos += count
        return chunk


def _coupon_purchase(cur: _Cursor, prefix: str, *, gcp: bool, rules_code: bool = False) -> None:
    """A purchase requirement block of AI (8110); ``prefix`` is 1ST, 2ND or 3RD."""
    if rules_code and cur.digit("COUPON_MISSING_ADDITIONAL_PURCHASE_RULES_CODE") > "3":
        raise _CouponError("COUPON_INVALID_ADDITIONAL_PURCHASE_RULES_CODE")
    vli = cur.digit(f"COUPON_MISSING_{prefix}_PURCHASE_REQUIREMENT_VLI")
    if not "1" <= vli <= "5":
        raise _CouponError(f"COUPON_INVALID_{prefix}_PURCHASE_REQUIREMENT_LENGTH")
    cur.take(int(vli), f"COUPON_TRUNCATED_{prefix}_PURCHASE_REQUIREMENT")
    code = cur.digit(f"COUPON_MISSING_{prefix}_PURCHASE_REQUIREMENT_CODE")
    if code > "4" and code != "9":
        raise _CouponError(f"COUPON_INVALID_{prefix}_PURCHASE_REQUIREMENT_CODE")
    cur.take(3, f"COUPON_TRUNCATED_{prefix}_PURCHASE_FAMILY_CODE")
    if not gcp:
        return
    vli = cur.digit(f"COUPON_MISSING_{prefix}_PURCHASE_GCP_VLI")
    if vli > "6" and vli != "9":
        raise _CouponError(f"COUPON_INVALID_{prefix}_PURCHASE_GCP_LENGTH")
    if vli != "9":  # 9 means "no company prefix given"
        company = cur.take(int(vli) + 6, f"COUPON_TRUNCATED_{prefix}_PURCHASE_GCP")
        error = lint_gcppos1(company)
        if error:
            raise _CouponError(error)


def _coupon_date(cur: _Cursor, too_short: str, invalid: str) -> str:
    date = cur.take(6, too_short)
    if lint_yymmdd(date) is not None:
        raise _CouponError(invalid)
    return date


def _lint_couponcode(cur: _Cursor) -> None:
    vli = cur.digit("COUPON_MISSING_GCP_VLI")
    if vli > "6":
        raise _CouponError("COUPON_INVALID_GCP_LENGTH")
    error = lint_gcppos1(cur.take(int(vli) + 6, "COUPON_TRUNCATED_GCP"))
    if error:
        raise _CouponError(error)
    cur.take(6, "COUPON_TRUNCATED_OFFER_CODE")
    vli = cur.digit("COUPON_MISSING_SAVE_VALUE_VLI")
    if not "1" <= vli <= "5":
        raise _CouponError("COUPON_INVALID_SAVE_VALUE_LENGTH")
    cur.take(int(vli), "COUPON_TRUNCATED_SAVE_VALUE")
    _coupon_purchase(cur, "1ST", gcp=False)

    # Optional fields, each introduced by its number, in ascending order.
    if cur.peek() == "1":  # additional purchase rules and 2nd purchase
        cur.pos += 1
        _coupon_purchase(cur, "2ND", gcp=True, rules_code=True)
    if cur.peek() == "2":  # 3rd purchase
        cur.pos += 1
        _coupon_purchase(cur, "3RD", gcp=True)
    expiry = None
    if cur.peek() == "3":  # expiration date
        cur.pos += 1
        expiry = _coupon_date(
            cur, "COUPON_TOO_SHORT_FOR_EXPIRATION_DATE", "COUPON_INVALID_EXIPIRATION_DATE"
        )
    if cur.peek() == "4":  # start date
        cur.pos += 1
        start = _coupon_date(cur, "COUPON_TOO_SHORT_FOR_START_DATE", "COUPON_INVALID_START_DATE")
        # Same-century YYMMDD strings compare like dates.
        if expiry is not None and start > expiry:
            raise _CouponError("COUPON_EXPIRATION_BEFORE_START")
    if cur.peek() == "5":  # serial number
        cur.pos += 1
        vli = cur.digit("COUPON_MISSING_SERIAL_NUMBER_VLI")
        cur.take(int(vli) + 6, "COUPON_TRUNCATED_SERIAL_NUMBER")
    if cur.peek() == "6":  # retailer GCP or GLN
        cur.pos += 1
        vli = cur.digit("COUPON_MISSING_RETAILER_GCP_OR_GLN_VLI")
        if not "1" <= vli <= "7":
            raise _CouponError("COUPON_INVALID_RETAILER_GCP_OR_GLN_LENGTH")
        error = lint_gcppos1(cur.take(int(vli) + 6, "COUPON_TRUNCATED_RETAILER_GCP_OR_GLN"))
        if error:
            raise _CouponError(error)
    if cur.peek() == "9":  # miscellaneous
        cur.pos += 1
        if cur.digit("COUPON_MISSING_SAVE_VALUE_CODE") not in "01256":
            raise _CouponError("COUPON_INVALID_SAVE_VALUE_CODE")
        if cur.digit("COUPON_MISSING_SAVE_VALUE_APPLIES_TO_ITEM") > "2":
            raise _CouponError("COUPON_INVALID_SAVE_VALUE_APPLIES_TO_ITEM")
        cur.digit("COUPON_MISSING_STORE_COUPON_FLAG")
        if cur.digit("COUPON_MISSING_DONT_MULTIPLY_FLAG") not in "01":
            raise _CouponError("COUPON_INVALID_DONT_MULTIPLY_FLAG")
    if cur.more():
        raise _CouponError("COUPON_EXCESS_DATA")


def lint_couponcode(value: str) -> str | None:
    """The North American Coupon Code structure carried in AI (8110).

    Company prefix, offer code, save value and first purchase requirement,
    then optional fields 1-6 and 9 in order, each length-prefixed where the
    specification says so; nothing may follow the last recognised field.
    """
    if not _all_digits(value):
        return "NON_DIGIT_CHARACTER"
    try:
        _lint_couponcode(_Cursor(value))
    except _CouponError as problem:
        return problem.code
    return None


def _lint_couponposoffer(cur: _Cursor) -> None:
    if cur.digit("COUPON_MISSING_FORMAT_CODE") not in "01":
        raise _CouponError("COUPON_INVALID_FORMAT_CODE")
    vli = cur.digit("COUPON_MISSING_FUNDER_VLI")
    if vli > "6":
        raise _CouponError("COUPON_INVALID_FUNDER_LENGTH")
    cur.take(int(vli) + 6, "COUPON_TRUNCATED_FUNDER")
    cur.take(6, "COUPON_TRUNCATED_OFFER_CODE")
    vli = cur.digit("COUPON_MISSING_SERIAL_NUMBER_VLI")
    cur.take(int(vli) + 6, "COUPON_TRUNCATED_SERIAL_NUMBER")
    if cur.more():
        raise _CouponError("COUPON_EXCESS_DATA")


def lint_couponposoffer(value: str) -> str | None:
    """The positive offer file coupon structure carried in AI (8112).

    Format code (0 or 1), funder ID with its length indicator, six-digit offer
    code and serial number with its length indicator, and nothing more.
    """
    if not _all_digits(value):
        return "NON_DIGIT_CHARACTER"
    try:
        _lint_couponposoffer(_Cursor(value))
    except _CouponError as problem:
        return problem.code
    return None


# ---------------------------------------------------------------------------
# Registry and descriptions
# ---------------------------------------------------------------------------

LINTERS: Final[Mapping[str, Linter]] = MappingProxyType(
    {
        "couponcode": lint_couponcode,
        "couponposoffer": lint_couponposoffer,
        "csum": lint_csum,
        "csumalpha": lint_csumalpha,
        "gcppos1": lint_gcppos1,
        "gcppos2": lint_gcppos2,
        "hasnondigit": lint_hasnondigit,
        "hh": lint_hh,
        "hhmi": lint_hhmi,
        "hyphen": lint_hyphen,
        "iban": lint_iban,
        "importeridx": lint_importeridx,
        "iso3166": lint_iso3166,
        "iso3166999": lint_iso3166999,
        "iso3166alpha2": lint_iso3166alpha2,
        "iso4217": lint_iso4217,
        "iso5218": lint_iso5218,
        "latitude": lint_latitude,
        "longitude": lint_longitude,
        "mediatype": lint_mediatype,
        "mi": lint_mi,
        "nonzero": lint_nonzero,
        "nozeroprefix": lint_nozeroprefix,
        "packagetype": lint_packagetype,
        "pcenc": lint_pcenc,
        "pieceoftotal": lint_pieceoftotal,
        "posinseqslash": lint_posinseqslash,
        "ss": lint_ss,
        "winding": lint_winding,
        "yesno": lint_yesno,
        "yymmd0": lint_yymmd0,
        "yymmdd": lint_yymmdd,
        "yyyymmdd": lint_yyyymmdd,
        "zero": lint_zero,
    }
)
"""The syntax tests by the name the Barcode Syntax Dictionary gives them."""


def _coupon_descriptions() -> dict[str, str]:
    """Descriptions of the coupon codes, generated for the three purchase blocks."""
    out = {
        "COUPON_MISSING_FORMAT_CODE": "coupon format code is missing",
        "COUPON_INVALID_FORMAT_CODE": "coupon format code must be 0 or 1",
        "COUPON_MISSING_FUNDER_VLI": "coupon funder ID length indicator is missing",
        "COUPON_INVALID_FUNDER_LENGTH": "coupon funder ID length indicator must be 0 to 6",
        "COUPON_TRUNCATED_FUNDER": "coupon funder ID is shorter than its length indicator says",
        "COUPON_TRUNCATED_OFFER_CODE": "coupon offer code is shorter than six digits",
        "COUPON_MISSING_SERIAL_NUMBER_VLI": "coupon serial number length indicator is missing",
        "COUPON_TRUNCATED_SERIAL_NUMBER": (
            "coupon serial number is shorter than its length indicator says"
        ),
        "COUPON_MISSING_GCP_VLI": "coupon company prefix length indicator is missing",
        "COUPON_INVALID_GCP_LENGTH": "coupon company prefix length indicator must be 0 to 6",
        "COUPON_TRUNCATED_GCP": "coupon company prefix is shorter than its length indicator says",
        "COUPON_MISSING_SAVE_VALUE_VLI": "coupon save value length indicator is missing",
        "COUPON_INVALID_SAVE_VALUE_LENGTH": "coupon save value length indicator must be 1 to 5",
        "COUPON_TRUNCATED_SAVE_VALUE": (
            "coupon save value is shorter than its length indicator says"
        ),
        "COUPON_MISSING_ADDITIONAL_PURCHASE_RULES_CODE": (
            "coupon additional purchase rules code is missing"
        ),
        "COUPON_INVALID_ADDITIONAL_PURCHASE_RULES_CODE": (
            "coupon additional purchase rules code must be 0 to 3"
        ),
        "COUPON_TOO_SHORT_FOR_EXPIRATION_DATE": "coupon expiration date is shorter than YYMMDD",
        "COUPON_INVALID_EXIPIRATION_DATE": "coupon expiration date is not a valid date",
        "COUPON_TOO_SHORT_FOR_START_DATE": "coupon start date is shorter than YYMMDD",
        "COUPON_INVALID_START_DATE": "coupon start date is not a valid date",
        "COUPON_EXPIRATION_BEFORE_START": "coupon expires before its start date",
        "COUPON_MISSING_RETAILER_GCP_OR_GLN_VLI": (
            "coupon retailer company prefix or GLN length indicator is missing"
        ),
        "COUPON_INVALID_RETAILER_GCP_OR_GLN_LENGTH": (
            "coupon retailer company prefix or GLN length indicator must be 1 to 7"
        ),
        "COUPON_TRUNCATED_RETAILER_GCP_OR_GLN": (
            "coupon retailer company prefix or GLN is shorter than its length indicator says"
        ),
        "COUPON_MISSING_SAVE_VALUE_CODE": "coupon save value code is missing",
        "COUPON_INVALID_SAVE_VALUE_CODE": "coupon save value code must be 0, 1, 2, 5 or 6",
        "COUPON_MISSING_SAVE_VALUE_APPLIES_TO_ITEM": (
            "coupon 'save value applies to item' is missing"
        ),
        "COUPON_INVALID_SAVE_VALUE_APPLIES_TO_ITEM": (
            "coupon 'save value applies to item' must be 0 to 2"
        ),
        "COUPON_MISSING_STORE_COUPON_FLAG": "coupon store coupon flag is missing",
        "COUPON_MISSING_DONT_MULTIPLY_FLAG": "coupon don't-multiply flag is missing",
        "COUPON_INVALID_DONT_MULTIPLY_FLAG": "coupon don't-multiply flag must be 0 or 1",
        "COUPON_EXCESS_DATA": "coupon has data after its last recognised field",
    }
    for prefix, ordinal in (("1ST", "first"), ("2ND", "second"), ("3RD", "third")):
        what = f"coupon {ordinal} purchase"
        out |= {
            f"COUPON_MISSING_{prefix}_PURCHASE_REQUIREMENT_VLI": (
                f"{what} requirement length indicator is missing"
            ),
            f"COUPON_INVALID_{prefix}_PURCHASE_REQUIREMENT_LENGTH": (
                f"{what} requirement length indicator must be 1 to 5"
            ),
            f"COUPON_TRUNCATED_{prefix}_PURCHASE_REQUIREMENT": (
                f"{what} requirement is shorter than its length indicator says"
            ),
            f"COUPON_MISSING_{prefix}_PURCHASE_REQUIREMENT_CODE": (
                f"{what} requirement code is missing"
            ),
            f"COUPON_INVALID_{prefix}_PURCHASE_REQUIREMENT_CODE": (
                f"{what} requirement code must be 0 to 4 or 9"
            ),
            f"COUPON_TRUNCATED_{prefix}_PURCHASE_FAMILY_CODE": (
                f"{what} family code is shorter than three digits"
            ),
        }
        if prefix != "1ST":
            out |= {
                f"COUPON_MISSING_{prefix}_PURCHASE_GCP_VLI": (
                    f"{what} company prefix length indicator is missing"
                ),
                f"COUPON_INVALID_{prefix}_PURCHASE_GCP_LENGTH": (
                    f"{what} company prefix length indicator must be 0 to 6 or 9"
                ),
                f"COUPON_TRUNCATED_{prefix}_PURCHASE_GCP": (
                    f"{what} company prefix is shorter than its length indicator says"
                ),
            }
    return out


_DESCRIPTIONS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "NON_DIGIT_CHARACTER": "non-digit character where a digit is required",
        "INVALID_CSET82_CHARACTER": "character outside GS1 character set 82",
        "INVALID_CSET39_CHARACTER": "character outside GS1 character set 39",
        "INVALID_CSET32_CHARACTER": "check character outside GS1 character set 32",
        "INVALID_CSET64_CHARACTER": "character outside the base64url alphabet (CSET 64)",
        "INVALID_CSET64_PADDING": "wrong number of '=' padding characters",
        "INCORRECT_CHECK_DIGIT": "incorrect check digit",
        "TOO_SHORT_FOR_CHECK_DIGIT": "too short to carry a check digit",
        "INCORRECT_CHECK_PAIR": "incorrect check character pair",
        "TOO_SHORT_FOR_CHECK_PAIR": "too short to carry a check character pair",
        "TOO_LONG_FOR_CHECK_PAIR_IMPLEMENTATION": (
            "too long for the check character pair calculation"
        ),
        "TOO_SHORT_FOR_GCP": "too short to start with a GS1 Company Prefix",
        "INVALID_GCP_PREFIX": "does not start with a valid GS1 Company Prefix",
        "REQUIRES_NON_DIGIT_CHARACTER": "must contain at least one non-digit character",
        "IMPORTER_IDX_MUST_BE_ONE_CHARACTER": "importer index must be a single character",
        "INVALID_IMPORT_IDX_CHARACTER": "invalid importer index character",
        "ILLEGAL_ZERO_VALUE": "value must not be zero",
        "NOT_ZERO": "value must be zero",
        "ILLEGAL_ZERO_PREFIX": "number must not start with zero",
        "NOT_ZERO_OR_ONE": "value must be 0 or 1",
        "INVALID_WINDING_DIRECTION": "winding direction must be 0, 1 or 9",
        "NOT_ISO3166": "not an ISO 3166 three-digit country code",
        "NOT_ISO3166_OR_999": "not an ISO 3166 three-digit country code or 999",
        "NOT_ISO3166_ALPHA2": "not an ISO 3166 two-letter country code",
        "NOT_ISO4217": "not an ISO 4217 three-digit currency code",
        "INVALID_BIOLOGICAL_SEX_CODE": "not an ISO/IEC 5218 sex code (0, 1, 2 or 9)",
        "INVALID_PACKAGE_TYPE": "not a GS1 package type code",
        "INVALID_MEDIA_TYPE": "not an AIDC media type code",
        "IBAN_TOO_SHORT": "IBAN is too short",
        "IBAN_TOO_LONG": "IBAN is too long",
        "INVALID_IBAN_CHARACTER": "IBAN contains a character other than 0-9 and A-Z",
        "ILLEGAL_IBAN_COUNTRY_CODE": "IBAN does not start with an ISO 3166 country code",
        "INCORRECT_IBAN_CHECKSUM": "IBAN check digits are incorrect",
        "DATE_TOO_SHORT": "date is too short",
        "DATE_TOO_LONG": "date is too long",
        "ILLEGAL_MONTH": "month is not 01 to 12",
        "ILLEGAL_DAY": "day does not exist in that month",
        "HOUR_TOO_SHORT": "hour is shorter than two digits",
        "HOUR_TOO_LONG": "hour is longer than two digits",
        "MINUTE_TOO_SHORT": "minute is shorter than two digits",
        "MINUTE_TOO_LONG": "minute is longer than two digits",
        "SECOND_TOO_SHORT": "second is shorter than two digits",
        "SECOND_TOO_LONG": "second is longer than two digits",
        "HOUR_WITH_MINUTE_TOO_SHORT": "time is shorter than HHMI",
        "HOUR_WITH_MINUTE_TOO_LONG": "time is longer than HHMI",
        "ILLEGAL_HOUR": "hour is not 00 to 23",
        "ILLEGAL_MINUTE": "minute is not 00 to 59",
        "ILLEGAL_SECOND": "second is not 00 to 59",
        "INVALID_LENGTH_FOR_PIECE_OF_TOTAL": "piece and total must be numbers of equal width",
        "ZERO_PIECE_NUMBER": "piece number must not be zero",
        "ZERO_TOTAL_PIECES": "total number of pieces must not be zero",
        "PIECE_NUMBER_EXCEEDS_TOTAL": "piece number is greater than the total",
        "POSITION_IN_SEQUENCE_MALFORMED": "position must be written <position>/<end>",
        "POSITION_EXCEEDS_END": "position is greater than the end of the sequence",
        "INVALID_PERCENT_SEQUENCE": "'%' is not followed by two hexadecimal digits",
        "LATITUDE_INVALID_LENGTH": "latitude must be ten digits",
        "LONGITUDE_INVALID_LENGTH": "longitude must be ten digits",
        "INVALID_LATITUDE": "latitude is outside 0000000000 to 1800000000",
        "INVALID_LONGITUDE": "longitude is outside 0000000000 to 3600000000",
        "NOT_HYPHEN": "only a hyphen is allowed here",
        "GCP_DATASOURCE_OFFLINE": "the GS1 Company Prefix lookup is unavailable",
        **_coupon_descriptions(),
    }
)


ERROR_CODES: Final = frozenset(_DESCRIPTIONS)
"""Every error code (without ``GS1_LINTER_``) this module can return."""


def describe(code: str) -> str:
    """A short sentence for a linter error code (with or without ``GS1_LINTER_``).

    Every code a function of this module can return has a description; any
    other code is spelled out from its name so a report never fails on it.

    >>> describe("INCORRECT_CHECK_DIGIT")
    'incorrect check digit'
    >>> describe("GS1_LINTER_ILLEGAL_MONTH")
    'month is not 01 to 12'
    """
    code = code.removeprefix("GS1_LINTER_")
    text = _DESCRIPTIONS.get(code)
    if text is None:
        return code.lower().replace("_", " ")
    return text
