"""GS1 syntax engine test vectors (../shared/digital-link/gs1-syntax-engine-vectors.json).

Every case of every group runs; none is left out.  Cases whose engine options
have no counterpart here are mapped to the :class:`Options` switch that means
the same (see ``_options``).
"""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest

from gs1ld.digital_link import Options, from_ai_data, parse, parse_element_string
from gs1ld.digital_link._linters import describe
from gs1ld.digital_link.element_string import parse_unbracketed, to_unbracketed
from gs1ld.digital_link.escape import decode, encode
from gs1ld.digital_link.uri import PRIMARY_KEYS
from gs1ld.errors import DigitalLinkError
from support import SHARED_DIR, require_shared

RELATIVE = "digital-link/gs1-syntax-engine-vectors.json"
_PATH = SHARED_DIR / RELATIVE
VECTORS: dict[str, Any] = json.loads(_PATH.read_text(encoding="utf-8")) if _PATH.exists() else {}


def cases(group: str) -> list[Any]:
    rows = VECTORS.get(group, [])
    return [
        pytest.param(row, id=f"L{row['source_line']}" if isinstance(row, dict) else "-".join(row))
        for row in rows
    ]


def _options(row: dict[str, Any], **overrides: bool) -> Options:
    given = row.get("options", {})
    settings = {
        "pad_gtin": given.get("permitZeroSuppressedGTINinDLuris", False),
        "convenience_alphas": given.get("permitConvenienceAlphas", False),
        "unknown_ais": given.get("permitUnknownAIs", False),
        "unknown_ais_as_attributes": given.get("validation_UNKNOWN_AI_NOT_DL_ATTR", True) is False,
    }
    settings.update(overrides)
    return Options(**settings)


def test_vector_file_is_present() -> None:
    data = json.loads(require_shared(RELATIVE).read_text(encoding="utf-8"))
    assert sum(len(v) for k, v in data.items() if k != "_meta") == 498


@pytest.mark.parametrize("row", cases("dl_uri_parse"))
def test_dl_uri_parse(row: dict[str, Any]) -> None:
    options = _options(row)
    if not row["valid"]:
        with pytest.raises(DigitalLinkError):
            parse(row["input"], options=options)
        return
    link = parse(row["input"], options=options)
    assert to_unbracketed(link.ai_data(), fnc1="^") == row["expected_ai_data"]


@pytest.mark.parametrize("row", cases("dl_uri_generate"))
def test_dl_uri_generate(row: dict[str, Any]) -> None:
    options = _options(row)
    stem = "https://id.gs1.org" if row["stem"] is None else row["stem"]

    def generate() -> str:
        if "input_dl_uri" in row:
            return parse(row["input_dl_uri"], options=options).with_stem(stem).uri
        text = row.get("ai_data") or row["input_fnc1_data"]
        pairs = parse_element_string(text, options=_options(row, associations=False))
        return from_ai_data(pairs, stem=stem, options=options).uri

    if not row["valid"]:
        with pytest.raises(DigitalLinkError):
            generate()
        return
    assert generate() == row["expected_uri"]


@pytest.mark.parametrize("sequence", cases("dl_path_valid_sequences"))
def test_valid_path_sequences_parse(sequence: list[str]) -> None:
    values = {"00": "006141411234567890", "01": "12312312312333", "253": "1231231231232",
              "255": "1231231231232", "401": "12345678", "402": "12345678901234560",
              "414": "1231231231232", "417": "1231231231232", "8003": "01231231231232",
              "8004": "12345678", "8006": "123123123123330102", "8010": "12345678",
              "8013": "1987654Ad4X4bL5ttr2310c2K",
              "8017": "123456789012345675", "8018": "123456789012345675",
              "7040": "1ABC", "8011": "123", "8019": "123", "254": "ABC",
              "21": "S", "10": "L", "22": "V", "235": "T"}  # fmt: skip
    uri = "https://a" + "".join(f"/{ai}/{values[ai]}" for ai in sequence)
    options = Options(associations=False)
    link = parse(uri, options=options)
    assert [ai for ai, _ in link.ai_data()] == sequence


def test_every_other_qualifier_order_is_rejected() -> None:
    """Each key with qualifiers: every ordering not listed as valid is refused."""
    valid = {tuple(row) for row in VECTORS.get("dl_path_valid_sequences", [])}
    if not valid:
        require_shared(RELATIVE)
    from gs1ld.digital_link.uri import _chain_for

    for key, entry in PRIMARY_KEYS.items():
        qualifiers = sorted({ai for chain in entry.dl_qualifiers or () for ai in chain})
        for size in range(1, len(qualifiers) + 1):
            for order in itertools.permutations(qualifiers, size):
                listed = (key, *order) in valid
                if key in {k[0] for k in valid}:
                    assert (_chain_for(key, order) is not None) == listed, (key, order)


@pytest.mark.parametrize("row", cases("uri_percent_decode"))
def test_percent_decode(row: dict[str, Any]) -> None:
    assert decode(row["input"]) == row["expected_path_component"]
    assert decode(row["input"], query=True) == row["expected_query_component"]


@pytest.mark.parametrize("row", cases("uri_percent_encode"))
def test_percent_encode(row: dict[str, Any]) -> None:
    assert encode(row["input"]) == row["expected_path_component"]
    assert encode(row["input"], query=True) == row["expected_query_component"]


@pytest.mark.parametrize("row", cases("ai_element_string_parse"))
def test_element_string_parse(row: dict[str, Any]) -> None:
    options = Options(associations=False)
    if not row["valid"]:
        with pytest.raises(DigitalLinkError):
            parse_element_string(row["input"], options=options)
        return
    pairs = parse_element_string(row["input"], options=options)
    assert to_unbracketed(pairs, fnc1="^") == row["expected_ai_data"]


@pytest.mark.parametrize("row", cases("ai_fnc1_string_validate"))
def test_fnc1_string_validate(row: dict[str, Any]) -> None:
    options = _options(row, associations=False)
    if not row["valid"]:
        with pytest.raises(DigitalLinkError):
            parse_unbracketed(row["input"], options=options)
        return
    pairs = parse_unbracketed(row["input"], options=options)
    # Nothing lost or invented: the AIs and values are the input without its FNC1s, and
    # writing them back (superfluous FNC1s dropped) reads the same.
    assert "".join(ai + value for ai, value in pairs) == row["input"].replace("^", "")
    assert parse_unbracketed(to_unbracketed(pairs, fnc1="^"), options=options) == pairs


_MESSAGE_FOR = {
    "INCORRECT_CHECK_DIGIT": " check digit in ",
    "NON_DIGIT_CHARACTER": "Invalid character",
    "INVALID_CSET82_CHARACTER": "Invalid character",
    "INVALID_CSET39_CHARACTER": "Invalid character",
    "INVALID_CSET64_CHARACTER": "Invalid character",
    "INVALID_CSET64_PADDING": "Invalid padding",
}


@pytest.mark.parametrize("row", cases("ai_linter_cases"))
def test_linters(row: dict[str, Any]) -> None:
    code = row["expected_linter_result"].removeprefix("GS1_LINTER_")
    options = Options(associations=False)
    if code == "OK":
        parse_element_string(row["input"], options=options)
        return
    with pytest.raises(DigitalLinkError) as raised:
        parse_element_string(row["input"], options=options)
    assert _MESSAGE_FOR.get(code, describe(code)) in str(raised.value)


@pytest.mark.parametrize("row", cases("ai_association_rules"))
def test_association_rules(row: dict[str, Any]) -> None:
    options = _options(row)
    if not row["valid"]:
        with pytest.raises(DigitalLinkError):
            parse_element_string(row["input"], options=options)
        return
    parse_element_string(row["input"], options=options)
