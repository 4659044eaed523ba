"""GTIN rules: accepted forms, normalisation to GTIN-14, exact error messages."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gs1ld import gtin
from gs1ld.errors import GtinError


@pytest.mark.parametrize(
    ("given_value", "expected"),
    [
        pytest.param("09506000134352", "09506000134352", id="gtin14"),
        pytest.param("9506000134352", "09506000134352", id="gtin13"),
        pytest.param("950 6000 13435 2", "09506000134352", id="gtin13-spaces"),
        pytest.param("950-6000-13435-2", "09506000134352", id="gtin13-hyphens"),
        pytest.param("036000291452", "00036000291452", id="gtin12-upc-a"),
        pytest.param("95012346", "00000095012346", id="gtin8"),
        pytest.param("10614141000415", "10614141000415", id="gtin14-indicator-1"),
    ],
)
def test_normalize_accepts_every_gtin_form(given_value: str, expected: str) -> None:
    assert gtin.normalize(given_value) == expected


@pytest.mark.parametrize(
    ("given_value", "message"),
    [
        pytest.param(
            "09506000134353",
            "Invalid GTIN check digit in '09506000134353': expected 2, got 3.",
            id="check-digit",
        ),
        pytest.param(
            "0950600013435",
            "Invalid GTIN check digit in '0950600013435': expected 9, got 5.",
            id="check-digit-13",
        ),
        pytest.param(
            "123456789",
            "Invalid GTIN length in '123456789': expected 8, 12, 13 or 14 digits, got 9.",
            id="length-9",
        ),
        pytest.param(
            "",
            "Invalid GTIN length in '': expected 8, 12, 13 or 14 digits, got 0.",
            id="empty",
        ),
        pytest.param(
            "095060001343520",
            "Invalid GTIN length in '095060001343520': expected 8, 12, 13 or 14 digits, got 15.",
            id="length-15",
        ),
        pytest.param(
            "0950600013435X",
            "Invalid GTIN character in '0950600013435X': expected digits (spaces and hyphens "
            "are ignored), got 'X'.",
            id="letter",
        ),
        pytest.param(
            "０９５０６０００１３４３５２",
            "Invalid GTIN character in '０９５０６０００１３４３５２': expected digits (spaces "
            "and hyphens are ignored), got '０'.",
            id="fullwidth-digits",
        ),
    ],
)
def test_normalize_rejects_with_exact_message(given_value: str, message: str) -> None:
    with pytest.raises(GtinError) as excinfo:
        gtin.normalize(given_value)
    assert str(excinfo.value) == message
    assert excinfo.value.value == given_value


def test_non_string_is_rejected_not_crashed() -> None:
    with pytest.raises(GtinError, match="expected a string of digits"):
        gtin.normalize(9506000134352)  # type: ignore[arg-type]


def test_is_valid_mirrors_normalize() -> None:
    assert gtin.is_valid("9506000134352")
    assert not gtin.is_valid("9506000134353")
    assert not gtin.is_valid("abc")


def _with_check_digit(payload: str) -> str:
    return payload + str(gtin.check_digit(payload))


gtin13s = st.text(alphabet="0123456789", min_size=12, max_size=12).map(_with_check_digit)
any_valid = st.sampled_from([7, 11, 12, 13]).flatmap(
    lambda n: st.text(alphabet="0123456789", min_size=n, max_size=n).map(_with_check_digit)
)


@given(any_valid)
def test_normalize_is_idempotent(value: str) -> None:
    once = gtin.normalize(value)
    assert gtin.normalize(once) == once
    assert len(once) == 14


@given(gtin13s)
def test_every_valid_gtin13_pads_to_a_valid_gtin14(value: str) -> None:
    padded = "0" + value
    assert gtin.normalize(value) == padded
    assert gtin.check_digit(padded[:-1]) == int(padded[-1])


@given(any_valid, st.data())
def test_changing_any_one_digit_breaks_the_check(value: str, data: st.DataObject) -> None:
    position = data.draw(st.integers(min_value=0, max_value=len(value) - 1))
    replacement = data.draw(st.sampled_from([d for d in "0123456789" if d != value[position]]))
    broken = value[:position] + replacement + value[position + 1 :]
    assert not gtin.is_valid(broken)
