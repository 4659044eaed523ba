"""One exit-code promise, held for every command: 0 success, 1 some input invalid (the
rest processed), 2 could not run. (130, interrupted, is tests/test_interrupt.py's.)

Each command's cases run in a scratch folder with the example catalog, an
invalid copy of it and a built site; a command that talks to the product API
is run without a key (it cannot run: 2) and with a bad GTIN (2, before any
request); its 1 (the API refused) is tests/test_api_commands.py's.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from gs1ld.cli import cli
from gs1ld.cli._examples import leaf_commands
from support import EXAMPLE_CATALOG

BASE = ["--base-url", "https://id.brand.example", "--today", "2026-06-01"]
GOOD_URI = "https://id.gs1.org/01/09506000134352"
CASES: dict[str, list[tuple[list[str], int]]] = {
    "check": [(["check", "catalog"], 0), (["check", "mixed"], 1), (["check", "nowhere"], 2)],
    "convert": [
        (["convert", "catalog", "-o", "out.jsonl", *BASE], 0),
        (["convert", "mixed", "-o", "mixed.jsonl", *BASE], 1),
        (["convert", "nowhere", *BASE], 2),
    ],
    "explain": [
        (["explain", "catalog", "--gtin", "09506000134352", *BASE], 0),
        (["explain", "mixed", "--gtin", "09506000134369", *BASE], 1),
        (["explain", "catalog", "--gtin", "09506000134353", *BASE], 2),
    ],
    "validate": [
        (["validate", "docs", "--today", "2026-06-01"], 0),
        (["validate", "broken.jsonld"], 1),
        (["validate", "nowhere"], 2),
    ],
    "site build": [
        (["site", "build", "catalog", "-o", "site", *BASE, "--no-validate"], 0),
        (["site", "build", "mixed", "-o", "site2", *BASE, "--no-validate"], 1),
        (["site", "build", "nowhere", "-o", "site3", *BASE], 2),
    ],
    "schema": [(["schema"], 0), (["schema", "--bogus"], 2)],
    "serve": [
        (["serve", "nowhere"], 2),
        (["serve", "built", "--base-url", "https://other.example"], 2),
    ],
    "pull": [
        (["pull", "--gtins", "gtins.txt", "-o", "pulled"], 2),
        (["pull", "--gtins", "nowhere.txt", "-o", "pulled"], 2),
    ],
    "certifications": [(["certifications", "09506000134353"], 2)],
    "claims list": [(["claims", "list", "09506000134353"], 2)],
    "claims assign": [(["claims", "assign", "09506000134352", "--claim-id", "x"], 2)],
}
for name in ("build", "canonical", "compress", "parse", "to-element-string"):
    bad = ["link", name, "--gtin", "123"] if name == "build" else ["link", name, "not a uri"]
    good = (
        ["link", name, "--gtin", "09506000134352"] if name == "build" else ["link", name, GOOD_URI]
    )
    CASES[f"link {name}"] = [(good, 0), (bad, 2)]
CASES["link decompress"] = [
    (["link", "decompress", "https://id.gs1.org/CxFKk4XBoIlXgg"], 0),
    (["link", "decompress", "https://id.gs1.org/!!"], 2),
]
CASES["link from-element-string"] = [
    (["link", "from-element-string", "(01)09506000134352"], 0),
    (["link", "from-element-string", "(01)09506000134353"], 2),
]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("exit-codes")
    (work / "catalog").symlink_to(EXAMPLE_CATALOG)
    mixed = work / "mixed"
    shutil.copytree(EXAMPLE_CATALOG, mixed)
    broken = sorted(mixed.glob("*.json"))[1]
    entry = json.loads(broken.read_text("utf-8"))
    entry["content"]["images"] = "not a list"  # breaks a documented rule, GTIN kept
    broken.write_text(json.dumps(entry), "utf-8")
    (work / "docs").mkdir()
    runner = CliRunner()
    assert (
        runner.invoke(
            cli, ["convert", str(EXAMPLE_CATALOG), "-o", str(work / "docs"), *BASE]
        ).exit_code
        == 0
    )
    (work / "broken.jsonld").write_text("{not json", "utf-8")
    assert (
        runner.invoke(
            cli,
            [
                "site",
                "build",
                str(EXAMPLE_CATALOG),
                "-o",
                str(work / "built"),
                *BASE,
                "--no-validate",
            ],
        ).exit_code
        == 0
    )
    (work / "gtins.txt").write_text("09506000134352\n", "utf-8")
    return work


def test_every_command_has_its_exit_codes_tested() -> None:
    assert set(CASES) == {path for path, _ in leaf_commands(cli)}


@pytest.mark.parametrize(
    ("args", "code"),
    [case for cases in CASES.values() for case in cases],
    ids=[f"{' '.join(args[:2])}->{code}" for cases in CASES.values() for args, code in cases],
)
def test_exit_code(
    args: list[str], code: int, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(folder)
    monkeypatch.delenv("GS1LD_API_KEY", raising=False)
    monkeypatch.delenv("GS1LD_API_TOKEN", raising=False)
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
