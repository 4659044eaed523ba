"""``gs1ld link``: each subcommand's output, and exit 2 with one line on bad input."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from gs1ld.cli import cli

URI = "https://id.gs1.org/01/09506000134352/10/ABC?17=261231&utm=qr"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["link", *args])
    return result.exit_code, result.stdout, result.stderr


def test_build_with_qualifiers_and_attributes() -> None:
    code, out, _ = run(
        "build", "--gtin", "09506000134352", "--serial", "S/1", "--lot", "L1",
        "--attr", "17=261231", "--base-url", "https://brand.example/dl/",
    )  # fmt: skip
    assert (code, out) == (
        0,
        "https://brand.example/dl/01/09506000134352/10/L1/21/S%2F1?17=261231\n",
    )


def test_build_pads_a_short_gtin_only_when_asked() -> None:
    code, _, err = run("build", "--gtin", "9506000134352")
    assert code == 2
    assert "zero-suppressed GTIN-13" in err
    assert err.count("\n") == 1
    assert run("build", "--gtin", "9506000134352", "--pad-gtin")[1] == (
        "https://id.gs1.org/01/09506000134352\n"
    )


def test_build_needs_exactly_one_key() -> None:
    assert run("build")[0] == 2
    assert run("build", "--key", "00=106141412345678908")[1] == (
        "https://id.gs1.org/00/106141412345678908\n"
    )


def test_parse_prints_the_documented_json() -> None:
    code, out, _ = run("parse", URI)
    assert code == 0
    assert json.loads(out) == {
        "primary_key": {"ai": "01", "value": "09506000134352"},
        "qualifiers": [{"ai": "10", "value": "ABC"}],
        "attributes": [{"ai": "17", "value": "261231"}],
        "other_params": {"utm": "qr"},
    }


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("canonical", "https://brand.example/x/01/09506000134352?utm=1"),
         "https://id.gs1.org/01/09506000134352"),
        (("to-element-string", URI), "(01)09506000134352(10)ABC(17)261231"),
        (("to-element-string", "--unbracketed", URI), "\x1d010950600013435210ABC\x1d17261231"),
        (("from-element-string", "(01)09506000134352(17)261231(10)ABC"), URI.split("&")[0]),
        (("from-element-string", "^010950600013435210ABC^17261231"), URI.split("&")[0]),
        (("compress", "--compress-other", "https://dlnkd.tn.gg/01/09780345418913/10/231/21/345345?15=120820"),
         "https://dlnkd.tn.gg/HxHKVAdpQgZzjr-hCDKigI"),
        (("decompress", "https://dlnkd.tn.gg/HxHKVAdpQgZzjr-hCDKigI"),
         "https://dlnkd.tn.gg/01/09780345418913/10/231/21/345345?15=120820"),
        (("compress", "--base-url", "https://id.gs1.org", "--no-optimise",
          "https://a/01/00614141123452?3103=000500"), "https://id.gs1.org/AQEd-1O2-GIGAD6A"),
    ],
)  # fmt: skip
def test_conversions(args: tuple[str, ...], expected: str) -> None:
    assert run(*args)[:2] == (0, expected + "\n")


@pytest.mark.parametrize(
    "args",
    [
        ("parse", "https://id.gs1.org/01/09506000134353"),
        ("parse", "not a uri"),
        ("canonical", "https://id.gs1.org/01/09506000134352/21/S/10/L"),
        ("to-element-string", "https://id.gs1.org/10/ABC"),
        ("from-element-string", "(99)ABC"),
        ("compress", "https://id.gs1.org/01/09506000134353"),
        ("decompress", "https://id.gs1.org/!!!"),
        ("decompress", "https://id.gs1.org/AAAAAAAB"),
    ],
)
def test_invalid_input_exits_2_with_one_line(args: tuple[str, ...]) -> None:
    code, out, err = run(*args)
    assert (code, out) == (2, "")
    assert err.startswith("error: ")
    assert err.count("\n") == 1
