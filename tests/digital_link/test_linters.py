"""The GS1 Barcode Syntax Tests ("linters") against GS1's reference results.

Two kinds of test:

* every ``ai_linter_cases`` vector of the GS1 Syntax Engine (an element string
  and the first linter error the engine reports for it), replayed here by
  splitting each AI's data into the components the Barcode Syntax Dictionary
  describes and running the character-set check and the linters in order;
* direct cases for each linter, many of them the reference's own unit-test
  inputs, covering each error code the linter can return.

The vector tests need ``../shared``; they skip without it (and fail under CI).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from gs1ld.digital_link._linters import (
    CSET39,
    CSET64,
    CSET82,
    ERROR_CODES,
    ISO3166_ALPHA2,
    ISO3166_NUM3,
    ISO4217_NUM3,
    LINTERS,
    MEDIA_TYPES,
    PACKAGE_TYPES,
    cset_error,
    describe,
)
from support import SHARED_DIR, require_shared

VECTORS = "digital-link/gs1-syntax-engine-vectors.json"
DICTIONARY = "digital-link/gs1-syntax-dictionary.txt"
UNRELEASED_DICTIONARY = "digital-link/gs1-syntax-dictionary.unreleased.txt"

# ---------------------------------------------------------------------------
# A minimal reading of the Barcode Syntax Dictionary
# ---------------------------------------------------------------------------

# "N13,csum,gcppos1", "[X..17]", "[N3],iso3166", "X..70,couponcode" ...
_COMPONENT = re.compile(r"^(\[)?([NXYZ])(\.\.)?(\d+)\]?((?:,\w+)*)$")
_ELEMENT = re.compile(r"\((\d+)\)([^(]*)")


@dataclass(frozen=True)
class Component:
    """One component of an AI's format: type, length, optionality, linters."""

    kind: str
    length: int
    variable: bool
    optional: bool
    linters: tuple[str, ...]


def parse_dictionary(text: str) -> dict[str, tuple[Component, ...]]:
    """Map each AI (ranges expanded) to its components."""
    specs: dict[str, tuple[Component, ...]] = {}
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        first, *tokens = line.split()
        components: list[Component] = []
        for token in tokens:
            match = _COMPONENT.match(token)
            if match is None:
                if components:  # attributes follow the components
                    break
                continue  # flags such as "*?" precede them
            optional, kind, dots, length, linters = match.groups()
            components.append(
                Component(
                    kind=kind,
                    length=int(length),
                    variable=bool(dots),
                    optional=bool(optional),
                    linters=tuple(name for name in linters.split(",") if name),
                )
            )
        low, _, high = first.partition("-")
        for number in range(int(low), int(high or low) + 1):
            specs[str(number).zfill(len(low))] = tuple(components)
    return specs


def first_error(element_string: str, specs: dict[str, tuple[Component, ...]]) -> str | None:
    """The first error over all AIs of a bracketed element string, or None."""
    for ai, data in _ELEMENT.findall(element_string):
        pos = 0
        for component in specs[ai]:
            if component.optional and pos >= len(data):
                break
            part = data[pos : pos + component.length]
            pos += len(part)
            error = cset_error(component.kind, part)
            for name in component.linters:
                if error is not None:
                    break
                error = LINTERS[name](part)
            if error is not None:
                return error
    return None


def _shared_text(relative: str) -> str:
    text: str = require_shared(relative).read_text(encoding="utf-8")
    return text


def _vector_cases() -> Iterator[Any]:
    """The engine's linter cases, or one placeholder that skips without ../shared."""
    path = SHARED_DIR / VECTORS
    if not path.exists():
        yield pytest.param(None, id="shared-vectors-missing")
        return
    for case in json.loads(path.read_text(encoding="utf-8"))["ai_linter_cases"]:
        yield pytest.param(case, id=f"{case['source_line']}:{case['input']}")


@pytest.fixture(scope="module")
def dictionary_specs() -> dict[str, tuple[Component, ...]]:
    return parse_dictionary(_shared_text(DICTIONARY))


@pytest.mark.parametrize("case", list(_vector_cases()))
def test_engine_linter_vector(
    case: dict[str, Any] | None, dictionary_specs: dict[str, tuple[Component, ...]]
) -> None:
    if case is None:  # pragma: no cover - only without ../shared
        require_shared(VECTORS)
        return
    expected = case["expected_linter_result"].removeprefix("GS1_LINTER_")
    got = first_error(case["input"], dictionary_specs)
    assert (got or "OK") == expected


def test_vector_count() -> None:
    cases = json.loads(_shared_text(VECTORS))["ai_linter_cases"]
    assert len(cases) == 99


@pytest.mark.parametrize("relative", [DICTIONARY, UNRELEASED_DICTIONARY])
def test_every_dictionary_linter_is_implemented(relative: str) -> None:
    specs = parse_dictionary(_shared_text(relative))
    named = {name for components in specs.values() for c in components for name in c.linters}
    assert named, "no linters found: the dictionary parser is broken"
    assert named <= set(LINTERS), sorted(named - set(LINTERS))


def test_dictionary_parser_reads_optional_and_ranged_components() -> None:
    specs = parse_dictionary(_shared_text(DICTIONARY))
    assert specs["3103"] == (Component("N", 6, False, False, ()),)
    assert specs["253"] == (
        Component("N", 13, False, False, ("csum", "gcppos1")),
        Component("X", 17, True, True, ()),
    )
    assert specs["423"][1] == Component("N", 3, False, True, ("iso3166",))
    assert specs["8014"][0].linters == ("csumalpha", "gcppos1", "hasnondigit")


# ---------------------------------------------------------------------------
# Character sets
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("N", "", None),
        ("N", "0123456789", None),
        ("N", "12A4", "NON_DIGIT_CHARACTER"),
        ("N", "١٢٣", "NON_DIGIT_CHARACTER"),  # non-ASCII digits are not GS1 digits
        ("X", CSET82, None),
        ("X", "ABC ", "INVALID_CSET82_CHARACTER"),
        ("X", "#", "INVALID_CSET82_CHARACTER"),
        ("X", "é", "INVALID_CSET82_CHARACTER"),
        ("Y", CSET39, None),
        ("Y", "123456_", "INVALID_CSET39_CHARACTER"),
        ("Y", "abc", "INVALID_CSET39_CHARACTER"),
        ("Z", "", None),
        ("Z", CSET64, None),
        ("Z", "12", None),  # padding is optional
        ("Z", "12=", None),
        ("Z", "1==", None),
        ("Z", "===", "INVALID_CSET64_PADDING"),
        ("Z", "123=", "INVALID_CSET64_PADDING"),
        ("Z", "12==", "INVALID_CSET64_PADDING"),
        ("Z", "1234=", "INVALID_CSET64_PADDING"),
        ("Z", "12===", "INVALID_CSET64_PADDING"),
        ("Z", "AB C", "INVALID_CSET64_CHARACTER"),
        ("Z", "ABC:123", "INVALID_CSET64_CHARACTER"),
        ("Z", "A+/", "INVALID_CSET64_CHARACTER"),  # base64, not base64url
    ],
)
def test_cset_error(kind: str, value: str, expected: str | None) -> None:
    assert cset_error(kind, value) == expected


def test_cset_error_rejects_unknown_kind() -> None:
    with pytest.raises(ValueError, match="unknown component type"):
        cset_error("C", "A")


def test_alphabets() -> None:
    assert len(CSET82) == len(set(CSET82)) == 82
    assert len(CSET39) == len(set(CSET39)) == 39
    assert len(CSET64) == len(set(CSET64)) == 64
    assert list(CSET82) == sorted(CSET82)  # csumalpha relies on this order


def test_code_lists() -> None:
    assert len(ISO3166_NUM3) == 249
    assert len(ISO3166_ALPHA2) == 249
    assert {"840", "978", "826", "392"} <= ISO4217_NUM3
    assert "999" not in ISO3166_NUM3
    assert {"01", "10", "80", "99"} <= MEDIA_TYPES
    assert {"00", "11", "79"}.isdisjoint(MEDIA_TYPES)
    assert {"1A", "200", "8", "9", "X11", "ZZ", "PLP"} <= PACKAGE_TYPES
    for codes in (ISO3166_NUM3, ISO4217_NUM3):
        assert all(len(code) == 3 and code.isdigit() for code in codes)
    assert all(len(code) == 2 and code.isupper() for code in ISO3166_ALPHA2)


# ---------------------------------------------------------------------------
# Each linter directly
# ---------------------------------------------------------------------------

LONG_CSUMALPHA_OK = "1234567890" * 9 + "1234567HA"  # 99 characters
LONG_CSUMALPHA_TOO_LONG = "1234567890" * 9 + "12345678ZZ"  # 100 characters

CASES: list[tuple[str, str, str | None]] = [
    # csum
    ("csum", "02345673", None),
    ("csum", "416000336108", None),
    ("csum", "1234567890128", None),
    ("csum", "12345678901231", None),
    ("csum", "123456789012345675", None),
    ("csum", "09506000134352", None),
    ("csum", "12345673", "INCORRECT_CHECK_DIGIT"),
    ("csum", "123456789012345670", "INCORRECT_CHECK_DIGIT"),
    ("csum", "", "TOO_SHORT_FOR_CHECK_DIGIT"),
    ("csum", "12345678 012345675", "NON_DIGIT_CHARACTER"),
    ("csum", "12345678901234567 ", "NON_DIGIT_CHARACTER"),
    # csumalpha
    ("csumalpha", "1987654Ad4X4bL5ttr2310c2K", None),
    ("csumalpha", "22", None),
    ("csumalpha", "!22", None),
    ("csumalpha", "12345678901234567890123NT", None),
    ("csumalpha", "12345_ABCDEFGHIJKLMCP", None),
    ("csumalpha", "12345_abcdefghijklmN3", None),
    ("csumalpha", "12345_!\"%&'()*+,-./LC", None),
    ("csumalpha", "12345_0123456789:;<=>?62", None),
    ("csumalpha", "00000!HV", None),
    ("csumalpha", "99999zzzzzzzzzzzzzzzzzzT2", None),
    ("csumalpha", LONG_CSUMALPHA_OK, None),
    ("csumalpha", "33", "INCORRECT_CHECK_PAIR"),
    ("csumalpha", "1987654Ad4X4bL5ttr2310cXK", "INCORRECT_CHECK_PAIR"),
    ("csumalpha", "1987654Ad4X4bL5ttr2310c2X", "INCORRECT_CHECK_PAIR"),
    ("csumalpha", "", "TOO_SHORT_FOR_CHECK_PAIR"),
    ("csumalpha", "2", "TOO_SHORT_FOR_CHECK_PAIR"),
    ("csumalpha", LONG_CSUMALPHA_TOO_LONG, "TOO_LONG_FOR_CHECK_PAIR_IMPLEMENTATION"),
    ("csumalpha", " 2345678901234567890123NT", "INVALID_CSET82_CHARACTER"),
    ("csumalpha", "12345678901234567890123 T", "INVALID_CSET32_CHARACTER"),
    ("csumalpha", "1234567890123456789012311", "INVALID_CSET32_CHARACTER"),
    # gcppos1 / gcppos2
    ("gcppos1", "0123", None),
    ("gcppos1", "01234", None),
    ("gcppos1", "0123A", None),
    ("gcppos1", "012", "TOO_SHORT_FOR_GCP"),
    ("gcppos1", "", "TOO_SHORT_FOR_GCP"),
    ("gcppos1", "012A5", "INVALID_GCP_PREFIX"),
    ("gcppos1", "A1234", "INVALID_GCP_PREFIX"),
    ("gcppos2", "I0123", None),
    ("gcppos2", "I0123A", None),
    ("gcppos2", "I012", "TOO_SHORT_FOR_GCP"),
    ("gcppos2", "I", "TOO_SHORT_FOR_GCP"),
    ("gcppos2", "", "TOO_SHORT_FOR_GCP"),
    ("gcppos2", "I012A", "INVALID_GCP_PREFIX"),
    ("gcppos2", "0A234", "INVALID_GCP_PREFIX"),
    # hasnondigit
    ("hasnondigit", "A", None),
    ("hasnondigit", "012345678/", None),
    ("hasnondigit", "1A1", None),
    ("hasnondigit", "", "REQUIRES_NON_DIGIT_CHARACTER"),
    ("hasnondigit", "0123456789", "REQUIRES_NON_DIGIT_CHARACTER"),
    # yymmd0 / yymmdd
    ("yymmd0", "200131", None),
    ("yymmd0", "200229", None),
    ("yymmd0", "000229", None),  # 2000 is a leap year
    ("yymmd0", "960229", None),  # 1996 is a leap year
    ("yymmd0", "200600", None),  # day 00 means "unspecified"
    ("yymmd0", "210229", "ILLEGAL_DAY"),
    ("yymmd0", "200431", "ILLEGAL_DAY"),
    ("yymmd0", "200132", "ILLEGAL_DAY"),
    ("yymmd0", "200010", "ILLEGAL_MONTH"),
    ("yymmd0", "201310", "ILLEGAL_MONTH"),
    ("yymmd0", "2x0131", "NON_DIGIT_CHARACTER"),
    ("yymmd0", "11111", "DATE_TOO_SHORT"),
    ("yymmd0", "", "DATE_TOO_SHORT"),
    ("yymmd0", "1111111", "DATE_TOO_LONG"),
    ("yymmdd", "240229", None),
    ("yymmdd", "991231", None),
    ("yymmdd", "200600", "ILLEGAL_DAY"),
    ("yymmdd", "240230", "ILLEGAL_DAY"),
    ("yymmdd", "209910", "ILLEGAL_MONTH"),
    ("yymmdd", "20013x", "NON_DIGIT_CHARACTER"),
    ("yymmdd", "1", "DATE_TOO_SHORT"),
    # yyyymmdd
    ("yyyymmdd", "20200131", None),
    ("yyyymmdd", "19960229", None),
    ("yyyymmdd", "20000229", None),
    ("yyyymmdd", "24000229", None),
    ("yyyymmdd", "21000229", "ILLEGAL_DAY"),  # divisible by 100, not by 400
    ("yyyymmdd", "20210229", "ILLEGAL_DAY"),
    ("yyyymmdd", "20200600", "ILLEGAL_DAY"),
    ("yyyymmdd", "20201310", "ILLEGAL_MONTH"),
    ("yyyymmdd", "2020x131", "NON_DIGIT_CHARACTER"),
    ("yyyymmdd", "1111111", "DATE_TOO_SHORT"),
    ("yyyymmdd", "111111111", "DATE_TOO_LONG"),
    # hh / mi / ss / hhmi
    ("hh", "00", None),
    ("hh", "23", None),
    ("hh", "24", "ILLEGAL_HOUR"),
    ("hh", "x0", "NON_DIGIT_CHARACTER"),
    ("hh", "1", "HOUR_TOO_SHORT"),
    ("hh", "111", "HOUR_TOO_LONG"),
    ("mi", "59", None),
    ("mi", "60", "ILLEGAL_MINUTE"),
    ("mi", "0x", "NON_DIGIT_CHARACTER"),
    ("mi", "", "MINUTE_TOO_SHORT"),
    ("mi", "111", "MINUTE_TOO_LONG"),
    ("ss", "00", None),
    ("ss", "59", None),
    ("ss", "60", "ILLEGAL_SECOND"),
    ("ss", "x0", "NON_DIGIT_CHARACTER"),
    ("ss", "1", "SECOND_TOO_SHORT"),
    ("ss", "1111", "SECOND_TOO_LONG"),
    ("hhmi", "0000", None),
    ("hhmi", "2359", None),
    ("hhmi", "2400", "ILLEGAL_HOUR"),
    ("hhmi", "0060", "ILLEGAL_MINUTE"),
    ("hhmi", "00x0", "NON_DIGIT_CHARACTER"),
    ("hhmi", "111", "HOUR_WITH_MINUTE_TOO_SHORT"),
    ("hhmi", "11111", "HOUR_WITH_MINUTE_TOO_LONG"),
    # code lists
    ("iso3166", "004", None),
    ("iso3166", "894", None),
    ("iso3166", "999", "NOT_ISO3166"),
    ("iso3166", "000", "NOT_ISO3166"),
    ("iso3166", "0040", "NOT_ISO3166"),
    ("iso3166999", "999", None),
    ("iso3166999", "250", None),
    ("iso3166999", "998", "NOT_ISO3166_OR_999"),
    ("iso3166999", "9999", "NOT_ISO3166_OR_999"),
    ("iso3166alpha2", "GB", None),
    ("iso3166alpha2", "AA", "NOT_ISO3166_ALPHA2"),
    ("iso3166alpha2", "gb", "NOT_ISO3166_ALPHA2"),
    ("iso3166alpha2", "", "NOT_ISO3166_ALPHA2"),
    ("iso4217", "978", None),
    ("iso4217", "840", None),
    ("iso4217", "987", "NOT_ISO4217"),
    ("iso4217", "000", "NOT_ISO4217"),
    ("iso4217", "AAA", "NOT_ISO4217"),
    ("iso5218", "0", None),
    ("iso5218", "9", None),
    ("iso5218", "3", "INVALID_BIOLOGICAL_SEX_CODE"),
    ("iso5218", "01", "INVALID_BIOLOGICAL_SEX_CODE"),
    ("iso5218", "", "INVALID_BIOLOGICAL_SEX_CODE"),
    ("packagetype", "1A", None),
    ("packagetype", "200", None),
    ("packagetype", "8", None),
    ("packagetype", "ZZ", None),
    ("packagetype", "_1A", "INVALID_PACKAGE_TYPE"),
    ("packagetype", "0000", "INVALID_PACKAGE_TYPE"),
    ("packagetype", "", "INVALID_PACKAGE_TYPE"),
    ("mediatype", "01", None),
    ("mediatype", "99", None),
    ("mediatype", "00", "INVALID_MEDIA_TYPE"),
    ("mediatype", "11", "INVALID_MEDIA_TYPE"),
    ("mediatype", "79", "INVALID_MEDIA_TYPE"),
    # IBAN
    ("iban", "GB82WEST12345698765432", None),
    ("iban", "FR7630006000011234567890189", None),
    ("iban", "DE91100000000123456789", None),
    ("iban", "MU43BOMM0101123456789101000MUR", None),
    ("iban", "MT90MALT011000012345MTLCAST001SABC", None),  # 34 characters
    ("iban", "BE71096123456769", None),
    ("iban", "BE71096123456760", "INCORRECT_IBAN_CHECKSUM"),
    ("iban", "FR12345678901234", "INCORRECT_IBAN_CHECKSUM"),
    ("iban", "", "IBAN_TOO_SHORT"),
    ("iban", "BE7", "IBAN_TOO_SHORT"),
    ("iban", "FR1234", "IBAN_TOO_SHORT"),
    ("iban", "MTXXMALT011000012345MTLCAST001SABCD", "IBAN_TOO_LONG"),
    ("iban", "LC14BOSLxx3456789012345678901230", "INVALID_IBAN_CHARACTER"),
    ("iban", "FR12_45678901234", "INVALID_IBAN_CHARACTER"),
    ("iban", "XX361234567890", "ILLEGAL_IBAN_COUNTRY_CODE"),
    ("iban", "AB12345678901234", "ILLEGAL_IBAN_COUNTRY_CODE"),
    # percent-encoding
    ("pcenc", "", None),
    ("pcenc", "ABC%20XYZ", None),
    ("pcenc", "%Ff", None),
    ("pcenc", "ABCDEFGHIJKLMNOPQRSTUVWXYZ%00+12345", None),
    ("pcenc", "ABC%fg", "INVALID_PERCENT_SEQUENCE"),
    ("pcenc", "ABC%gXYZ", "INVALID_PERCENT_SEQUENCE"),
    ("pcenc", "ABC%0g", "INVALID_PERCENT_SEQUENCE"),
    ("pcenc", "%2", "INVALID_PERCENT_SEQUENCE"),
    ("pcenc", "%20%", "INVALID_PERCENT_SEQUENCE"),
    # coordinates
    ("latitude", "0279085848", None),
    ("latitude", "0000000000", None),
    ("latitude", "1800000000", None),
    ("latitude", "1800000001", "INVALID_LATITUDE"),
    ("latitude", "027908584", "LATITUDE_INVALID_LENGTH"),
    ("latitude", "02790858481", "LATITUDE_INVALID_LENGTH"),
    ("latitude", "02790858x8", "NON_DIGIT_CHARACTER"),
    ("longitude", "3015297971", None),
    ("longitude", "3600000000", None),
    ("longitude", "3600000001", "INVALID_LONGITUDE"),
    ("longitude", "301529797", "LONGITUDE_INVALID_LENGTH"),
    ("longitude", "30152979x1", "NON_DIGIT_CHARACTER"),
    # small flags and values
    ("hyphen", "-", None),
    ("hyphen", "--", None),
    ("hyphen", "", "NOT_HYPHEN"),
    ("hyphen", "X", "NOT_HYPHEN"),
    ("hyphen", "-X", "NOT_HYPHEN"),
    ("importeridx", "-", None),
    ("importeridx", "_", None),
    ("importeridx", "z", None),
    ("importeridx", "7", None),
    ("importeridx", "=", "INVALID_IMPORT_IDX_CHARACTER"),
    ("importeridx", "/", "INVALID_IMPORT_IDX_CHARACTER"),
    ("importeridx", "", "IMPORTER_IDX_MUST_BE_ONE_CHARACTER"),
    ("importeridx", "AA", "IMPORTER_IDX_MUST_BE_ONE_CHARACTER"),
    ("nonzero", "0009", None),
    ("nonzero", "1", None),
    ("nonzero", "0000", "ILLEGAL_ZERO_VALUE"),
    ("nonzero", "", "ILLEGAL_ZERO_VALUE"),
    ("nonzero", "9A99", "NON_DIGIT_CHARACTER"),
    ("zero", "0", None),
    ("zero", "000", None),
    ("zero", "", "NOT_ZERO"),
    ("zero", "1", "NOT_ZERO"),
    ("zero", "0X", "NOT_ZERO"),
    ("nozeroprefix", "", None),
    ("nozeroprefix", "1234567890", None),
    ("nozeroprefix", "0", "ILLEGAL_ZERO_PREFIX"),
    ("nozeroprefix", "0123", "ILLEGAL_ZERO_PREFIX"),
    ("nozeroprefix", "99A9", "NON_DIGIT_CHARACTER"),
    ("yesno", "0", None),
    ("yesno", "1", None),
    ("yesno", "2", "NOT_ZERO_OR_ONE"),
    ("yesno", "01", "NOT_ZERO_OR_ONE"),
    ("yesno", "", "NOT_ZERO_OR_ONE"),
    ("winding", "0", None),
    ("winding", "9", None),
    ("winding", "2", "INVALID_WINDING_DIRECTION"),
    ("winding", "01", "INVALID_WINDING_DIRECTION"),
    # piece of total
    ("pieceoftotal", "11", None),
    ("pieceoftotal", "0103", None),
    ("pieceoftotal", "999999", None),
    ("pieceoftotal", "", "INVALID_LENGTH_FOR_PIECE_OF_TOTAL"),
    ("pieceoftotal", "111", "INVALID_LENGTH_FOR_PIECE_OF_TOTAL"),
    ("pieceoftotal", "55x55555", "NON_DIGIT_CHARACTER"),
    ("pieceoftotal", "0001", "ZERO_PIECE_NUMBER"),
    ("pieceoftotal", "0000", "ZERO_PIECE_NUMBER"),
    ("pieceoftotal", "0100", "ZERO_TOTAL_PIECES"),
    ("pieceoftotal", "0908", "PIECE_NUMBER_EXCEEDS_TOTAL"),
    ("pieceoftotal", "100099", "PIECE_NUMBER_EXCEEDS_TOTAL"),
    # position in sequence
    ("posinseqslash", "1/1", None),
    ("posinseqslash", "9/10", None),
    ("posinseqslash", "999/999", None),
    ("posinseqslash", "", "POSITION_IN_SEQUENCE_MALFORMED"),
    ("posinseqslash", "111", "POSITION_IN_SEQUENCE_MALFORMED"),
    ("posinseqslash", "1/", "POSITION_IN_SEQUENCE_MALFORMED"),
    ("posinseqslash", "/1", "POSITION_IN_SEQUENCE_MALFORMED"),
    ("posinseqslash", "1//2", "POSITION_IN_SEQUENCE_MALFORMED"),
    ("posinseqslash", "x/y", "POSITION_IN_SEQUENCE_MALFORMED"),
    ("posinseqslash", "0/3", "ILLEGAL_ZERO_PREFIX"),
    ("posinseqslash", "1/02", "ILLEGAL_ZERO_PREFIX"),
    ("posinseqslash", "2/1", "POSITION_EXCEEDS_END"),
    ("posinseqslash", "10/9", "POSITION_EXCEEDS_END"),
    ("posinseqslash", "999/998", "POSITION_EXCEEDS_END"),
    # AI (8112)
    ("couponposoffer", "001234561234560123456", None),
    ("couponposoffer", "101234561234560123456", None),
    ("couponposoffer", "061234567890121234569123456789012345", None),
    ("couponposoffer", "a01234561234560123456", "NON_DIGIT_CHARACTER"),
    ("couponposoffer", "", "COUPON_MISSING_FORMAT_CODE"),
    ("couponposoffer", "201234561234560123456", "COUPON_INVALID_FORMAT_CODE"),
    ("couponposoffer", "0", "COUPON_MISSING_FUNDER_VLI"),
    ("couponposoffer", "07", "COUPON_INVALID_FUNDER_LENGTH"),
    ("couponposoffer", "01123456", "COUPON_TRUNCATED_FUNDER"),
    ("couponposoffer", "00123456", "COUPON_TRUNCATED_OFFER_CODE"),
    ("couponposoffer", "00123456123456", "COUPON_MISSING_SERIAL_NUMBER_VLI"),
    ("couponposoffer", "001234561234560", "COUPON_TRUNCATED_SERIAL_NUMBER"),
    ("couponposoffer", "0012345612345601234567", "COUPON_EXCESS_DATA"),
    # AI (8110)
    ("couponcode", "012345612345611110123", None),
    ("couponcode", "a12345612345611110123", "NON_DIGIT_CHARACTER"),
    ("couponcode", "", "COUPON_MISSING_GCP_VLI"),
    ("couponcode", "71234567890123", "COUPON_INVALID_GCP_LENGTH"),
    ("couponcode", "01", "COUPON_TRUNCATED_GCP"),
    ("couponcode", "0123456", "COUPON_TRUNCATED_OFFER_CODE"),
    ("couponcode", "0123456123456", "COUPON_MISSING_SAVE_VALUE_VLI"),
    ("couponcode", "01234561234560", "COUPON_INVALID_SAVE_VALUE_LENGTH"),
    ("couponcode", "01234561234561", "COUPON_TRUNCATED_SAVE_VALUE"),
]

_BASE = "012345612345611110123"  # GCP, offer, save value, 1st purchase: all valid
_PURCHASE_2 = "1" + "0" + "11" + "0" + "123" + "9"  # rules 0, req "1", code 0, family, no GCP
_PURCHASE_3 = "2" + "11" + "0" + "123" + "0123456"  # req "1", code 0, family, 6-digit GCP

# expiry 251231, start 250101, serial (VLI 0), retailer GCP (VLI 1), misc 6/2/0/1
_LATER_FIELDS = "".join(("3251231", "4250101", "50123456", "610123456", "96201"))

COUPON_OPTIONAL_CASES: list[tuple[str, str | None]] = [
    (_BASE + _PURCHASE_2, None),
    (_BASE + "1" + "0" + "11" + "0" + "123" + "0123456", None),
    (_BASE + _PURCHASE_3, None),
    (_BASE + _PURCHASE_2 + _PURCHASE_3, None),
    (_BASE + "3" + "991231", None),
    (_BASE + "4" + "240101", None),
    (_BASE + "3" + "250101" + "4" + "240101", None),
    (_BASE + "3" + "240101" + "4" + "240101", None),  # same day is fine
    (_BASE + "5" + "0123456", None),
    (_BASE + "5" + "9" + "123456789012345", None),  # serial VLI 9: 15 digits
    (_BASE + "6" + "1" + "0123456", None),
    (_BASE + "6" + "7" + "0123456789012", None),
    (_BASE + "9" + "0" + "0" + "5" + "1", None),
    (_BASE + _PURCHASE_2 + _PURCHASE_3 + _LATER_FIELDS, None),
    (_BASE + "5", "COUPON_MISSING_SERIAL_NUMBER_VLI"),
    (_BASE + "5" + "1" + "123456", "COUPON_TRUNCATED_SERIAL_NUMBER"),
    (_BASE + "6" + "8" + "01234567890123", "COUPON_INVALID_RETAILER_GCP_OR_GLN_LENGTH"),
    (_BASE + "9" + "0" + "3", "COUPON_INVALID_SAVE_VALUE_APPLIES_TO_ITEM"),
    (_BASE + "7", "COUPON_EXCESS_DATA"),
    (_BASE + "4" + "240101" + "3" + "250101", "COUPON_EXCESS_DATA"),  # fields out of order
    (_BASE + "3" + "240101" + "4" + "241301", "COUPON_INVALID_START_DATE"),
    (_BASE + "3" + "240100", "COUPON_INVALID_EXIPIRATION_DATE"),  # day 00 not allowed
]


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [pytest.param(n, v, e, id=f"{n}:{v or 'empty'}") for n, v, e in CASES],
)
def test_linter(name: str, value: str, expected: str | None) -> None:
    assert LINTERS[name](value) == expected


@pytest.mark.parametrize(("value", "expected"), COUPON_OPTIONAL_CASES)
def test_couponcode_optional_fields(value: str, expected: str | None) -> None:
    assert LINTERS["couponcode"](value) == expected


def test_every_linter_has_direct_cases() -> None:
    tested = {name for name, _, _ in CASES}
    assert tested == set(LINTERS)
    passing = {name for name, _, expected in CASES if expected is None}
    assert passing == set(LINTERS)


def test_gcppos2_matches_gcppos1_shifted() -> None:
    for tail in ("0123", "012A", "12", "9876543"):
        assert LINTERS["gcppos2"]("X" + tail) == LINTERS["gcppos1"](tail)


@pytest.mark.parametrize("yy", range(100))
def test_two_digit_years_follow_the_reference_horizon(yy: int) -> None:
    # The reference reads 00-71 as 20YY and 72-99 as 19YY; only 29 February shows it.
    year = 1900 + yy if yy >= 72 else 2000 + yy
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    expected = None if leap else "ILLEGAL_DAY"
    assert LINTERS["yymmdd"](f"{yy:02d}0229") == expected


# ---------------------------------------------------------------------------
# Descriptions
# ---------------------------------------------------------------------------


def _all_codes() -> set[str]:
    codes = {expected for _, _, expected in CASES if expected}
    codes |= {expected for _, expected in COUPON_OPTIONAL_CASES if expected}
    codes |= {
        "INVALID_CSET82_CHARACTER",
        "INVALID_CSET39_CHARACTER",
        "INVALID_CSET64_CHARACTER",
        "INVALID_CSET64_PADDING",
        "GCP_DATASOURCE_OFFLINE",
    }
    for ordinal in ("1ST", "2ND", "3RD"):
        for template in (
            "COUPON_MISSING_{}_PURCHASE_REQUIREMENT_VLI",
            "COUPON_INVALID_{}_PURCHASE_REQUIREMENT_LENGTH",
            "COUPON_TRUNCATED_{}_PURCHASE_REQUIREMENT",
            "COUPON_MISSING_{}_PURCHASE_REQUIREMENT_CODE",
            "COUPON_INVALID_{}_PURCHASE_REQUIREMENT_CODE",
            "COUPON_TRUNCATED_{}_PURCHASE_FAMILY_CODE",
        ):
            codes.add(template.format(ordinal))
    for ordinal in ("2ND", "3RD"):
        for template in (
            "COUPON_MISSING_{}_PURCHASE_GCP_VLI",
            "COUPON_INVALID_{}_PURCHASE_GCP_LENGTH",
            "COUPON_TRUNCATED_{}_PURCHASE_GCP",
        ):
            codes.add(template.format(ordinal))
    codes |= {
        "COUPON_MISSING_ADDITIONAL_PURCHASE_RULES_CODE",
        "COUPON_INVALID_ADDITIONAL_PURCHASE_RULES_CODE",
        "COUPON_TOO_SHORT_FOR_EXPIRATION_DATE",
        "COUPON_TOO_SHORT_FOR_START_DATE",
        "COUPON_EXPIRATION_BEFORE_START",
        "COUPON_MISSING_RETAILER_GCP_OR_GLN_VLI",
        "COUPON_TRUNCATED_RETAILER_GCP_OR_GLN",
        "COUPON_MISSING_SAVE_VALUE_CODE",
        "COUPON_INVALID_SAVE_VALUE_CODE",
        "COUPON_MISSING_SAVE_VALUE_APPLIES_TO_ITEM",
        "COUPON_MISSING_STORE_COUPON_FLAG",
        "COUPON_MISSING_DONT_MULTIPLY_FLAG",
        "COUPON_INVALID_DONT_MULTIPLY_FLAG",
    }
    return codes


def _source_codes() -> set[str]:
    """Every literal error code written in the module (f-string coupon codes aside)."""
    from gs1ld.digital_link import _linters

    source = Path(_linters.__file__).read_text(encoding="utf-8")
    literals = set(re.findall(r'"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)"', source))
    return {code for code in literals - set(_linters.__all__) if not code.startswith("GS1_")}


@pytest.mark.parametrize("code", sorted(_all_codes() | _source_codes()))
def test_describe_has_a_sentence_for_every_code(code: str) -> None:
    assert code in ERROR_CODES, f"no description for {code}"
    text = describe(code)
    assert text == text.strip()
    assert text
    assert describe(f"GS1_LINTER_{code}") == text


def test_error_codes_are_exactly_the_codes_returned() -> None:
    # Nothing described that the module cannot produce (keeps the table honest).
    assert _all_codes() | _source_codes() == ERROR_CODES


def test_describe_examples() -> None:
    assert describe("INCORRECT_CHECK_DIGIT") == "incorrect check digit"
    assert describe("SOMETHING_NEW") == "something new"


def test_engine_vector_codes_are_described() -> None:
    cases = json.loads(_shared_text(VECTORS))["ai_linter_cases"]
    for case in cases:
        code = case["expected_linter_result"].removeprefix("GS1_LINTER_")
        if code != "OK":
            assert code in ERROR_CODES, code
