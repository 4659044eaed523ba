"""One wording for a wrong check digit wherever gs1ld finds one: expected, then got.

The GTIN rules, the Digital Link parser (URIs and element strings), the
compression codec and the ``gtin`` validation rule all report it through
:func:`gs1ld.gtin.check_digit_message`; these are the exact texts a user sees.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from gs1ld.digital_link import compress, parse, parse_element_string
from gs1ld.digital_link._compression import compress_pairs
from gs1ld.errors import DigitalLinkError, Gs1ldError, GtinError
from gs1ld.gtin import normalize, verify_check_digit
from gs1ld.validation.rules import product_finding

BAD = "09506000134353"  # the check digit of 0950600013435 is 2
AI_MESSAGE = f"Invalid AI (01) check digit in '{BAD}': expected 2, got 3."


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        pytest.param(
            lambda: normalize(BAD),
            GtinError,
            f"Invalid GTIN check digit in '{BAD}': expected 2, got 3.",
            id="gtin",
        ),
        pytest.param(
            lambda: normalize("9506-0001-3435-3"),
            GtinError,
            "Invalid GTIN check digit in '9506-0001-3435-3': expected 2, got 3.",
            id="gtin-as-typed",
        ),
        pytest.param(
            lambda: verify_check_digit("9506000000006", kind="GLN"),
            GtinError,
            "Invalid GLN check digit in '9506000000006': expected 8, got 6.",
            id="gln",
        ),
        pytest.param(
            lambda: parse(f"https://id.gs1.org/01/{BAD}"), DigitalLinkError, AI_MESSAGE, id="uri"
        ),
        pytest.param(
            lambda: parse_element_string(f"(01){BAD}"),
            DigitalLinkError,
            AI_MESSAGE,
            id="element-string",
        ),
        pytest.param(
            lambda: compress(f"https://id.gs1.org/01/{BAD}"),
            DigitalLinkError,
            AI_MESSAGE,
            id="compress",
        ),
        pytest.param(
            lambda: compress_pairs([("01", BAD)]), DigitalLinkError, AI_MESSAGE, id="codec"
        ),
    ],
)
def test_each_reader_words_a_wrong_check_digit_the_same_way(
    call: Callable[[], object], error: type[Gs1ldError], message: str
) -> None:
    with pytest.raises(error) as raised:
        call()
    assert str(raised.value) == message


def test_the_validation_rule_words_it_the_same_way() -> None:
    finding = product_finding(f"https://id.gs1.org/01/{BAD}", [BAD])
    assert finding is not None
    assert (finding.rule, finding.message) == (
        "gtin",
        f"Invalid GTIN check digit in '{BAD}': expected 2, got 3.",
    )
