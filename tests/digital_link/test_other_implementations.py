"""Other projects' Digital Link vectors, judged by the GS1 syntax engine's verdicts.

digital-link.js and biip disagree with the engine on a few points (padding
short GTINs, trailing slashes, mixing GTIN qualifier chains); each of their
cases carries the engine's verdict, and that verdict is what we must match.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from gs1ld.digital_link import from_element_string, parse
from gs1ld.errors import DigitalLinkError
from support import SHARED_DIR, require_shared

FILES = ("digital-link/digital-link-js-vectors.json", "digital-link/biip-vectors.json")


def _rows() -> list[Any]:
    rows = []
    for relative in FILES:
        path = SHARED_DIR / relative
        if not path.exists():
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        for row in data.get("uri_cases", []) + data.get("cases", []):
            verdict = row.get("syntax_engine_default")
            if verdict and row.get("kind", "parse") == "parse":
                name = relative.split("/")[-1].split("-vectors")[0]
                rows.append(pytest.param(row["input"], verdict, id=f"{name}-{row['input'][:70]}"))
    return rows


def test_every_vector_file_is_present_and_holds_cases() -> None:
    for relative in FILES:
        data = json.loads(require_shared(relative).read_text(encoding="utf-8"))
        assert data.get("uri_cases") or data.get("cases"), f"{relative} holds no cases"


@pytest.mark.parametrize(("uri", "verdict"), _rows())
def test_our_verdict_is_the_syntax_engines(uri: str, verdict: str) -> None:
    if verdict.startswith("valid: "):
        assert parse(uri).to_element_string() == verdict.removeprefix("valid: ")
    else:
        with pytest.raises(DigitalLinkError):
            parse(uri)


def test_biip_from_element_strings() -> None:
    data = json.loads(require_shared(FILES[1]).read_text(encoding="utf-8"))
    cases = [row for row in data["cases"] if row["kind"] == "from_element_strings"]
    assert cases
    for row in cases:
        assert from_element_string(row["element_strings"]).uri == row["expected"]
