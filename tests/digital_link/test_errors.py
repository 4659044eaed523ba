"""Errors say exactly what is wrong: the text of the important ones is part of the contract."""

from __future__ import annotations

import pytest

from gs1ld.digital_link import from_element_string, parse
from gs1ld.errors import DigitalLinkError, Gs1ldError

BASE = "https://id.gs1.org/01/09506000134352"
CHAIN = "after (01) the path may hold (22), (10), (21) in that order, or (235)."


def _message(uri: str) -> str:
    with pytest.raises(DigitalLinkError) as raised:
        parse(uri)
    assert isinstance(raised.value, Gs1ldError)
    return str(raised.value)


@pytest.mark.parametrize(
    ("uri", "message"),
    [
        pytest.param(
            "https://id.gs1.org/01/09506000134353",
            "Invalid AI (01) check digit in '09506000134353': expected 2, got 3.",
            id="check-digit",
        ),
        pytest.param(
            f"{BASE}/21/S1/10/L1",
            f"Invalid Digital Link URI '{BASE}/21/S1/10/L1': qualifiers out of order: {CHAIN}",
            id="order",
        ),
        pytest.param(
            f"{BASE}/99/X",
            f"Invalid Digital Link URI '{BASE}/99/X': (99) is not a qualifier of (01); {CHAIN}",
            id="not-a-qualifier",
        ),
        pytest.param(
            f"{BASE}/22/V/235/T",
            f"Invalid Digital Link URI '{BASE}/22/V/235/T': qualifiers (22), (235) mix "
            f"alternative chains; {CHAIN}",
            id="mixed-chains",
        ),
        pytest.param(
            f"{BASE}/10/A~B",
            "Invalid character '~' in AI (10) value 'A~B': "
            "only GS1 CSET 82 characters are allowed.",
            id="character",
        ),
        pytest.param(
            f"{BASE}/10/ABCDEFGHIJKLMNOPQRSTU",
            "AI (10) value 'ABCDEFGHIJKLMNOPQRSTU' is too long: at most 20 characters, got 21.",
            id="too-long",
        ),
        pytest.param(
            f"{BASE}?89=A",
            f"Invalid Digital Link URI '{BASE}?89=A': unknown AI (89) in the query: the syntax "
            "dictionary has no such AI.",
            id="unknown-ai",
        ),
        pytest.param(
            f"{BASE}/10/A?10=A",
            f"Invalid Digital Link URI '{BASE}/10/A?10=A': AI (10) appears more than once.",
            id="duplicate",
        ),
        pytest.param(
            "https://id.gs1.org/foo/bar",
            "Invalid Digital Link URI 'https://id.gs1.org/foo/bar': no primary key in the path; "
            "expected one of (00), (01), (253), (255), (401), (402), (414), (415), (417), "
            "(8003), (8004), (8006), (8010), (8013), (8017), (8018).",
            id="no-primary-key",
        ),
        pytest.param(
            "https://id.gs1.org/01/9506000134352",
            "Invalid Digital Link URI 'https://id.gs1.org/01/9506000134352': (01) "
            "'9506000134352' is a zero-suppressed GTIN-13; Digital Link URIs carry GTIN-14, "
            "i.e. '09506000134352' (pad_gtin accepts the short form).",
            id="zero-suppressed",
        ),
        pytest.param(
            f"{BASE}?10=ABC",
            f"Invalid Digital Link URI '{BASE}?10=ABC': AI (10) qualifies (01): it belongs in "
            "the path, not the query.",
            id="qualifier-in-query",
        ),
        pytest.param(
            f"{BASE}?21=S",
            f"Invalid Digital Link URI '{BASE}?21=S': AI (21) is not allowed as a Digital Link "
            "data attribute.",
            id="not-an-attribute",
        ),
        pytest.param(
            f"{BASE}?17=261331",
            "Invalid AI (17) value '261331': month is not 01 to 12.",
            id="linter",
        ),
    ],
)
def test_error_messages(uri: str, message: str) -> None:
    assert _message(uri) == message


def test_no_primary_key_in_element_string() -> None:
    with pytest.raises(DigitalLinkError, match=r"^No primary key in '\(99\)A'"):
        from_element_string("(99)A")


def test_excluded_pair() -> None:
    with pytest.raises(
        DigitalLinkError, match=r"^AI \(02\) must not appear together with \(01\)\.$"
    ):
        from_element_string("(01)09506000134352(02)09506000134352")
