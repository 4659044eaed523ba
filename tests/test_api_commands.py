"""``gs1ld certifications`` and ``gs1ld claims`` against the fake product API on 127.0.0.1.

The fake records every request it receives, so "filters are sent", "every page
is followed" and "nothing was sent" are observations of what reached it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from apihelpers import API_KEY, example_products
from click.testing import CliRunner, Result
from fakeapi import FakeApi

from gs1ld.cli import cli
from gs1ld.gtin import check_digit
from support import RunningServer

MILK = "09506000134352"  # one certification
BREAD = "09506000134529"  # two certifications, four claims in its bundle
ABSENT = "0950600099999" + str(check_digit("0950600099999"))
CLAIM = "2oLgjrDKpK2Ptv9poAH8Kj"
CERTS = "/products/api/v1/products/{}/certifications"
CLAIMS = "/certifications/api/v1/products/{}/claims"
NON_GMO = (
    "Hx8kfbszMfiHWHmh6TDY2K  Non-GMO Project Verified  verified  active  expires 2025-12-31"
    "  no. NGP-88120  by Non-GMO Project"
)
KOSHER = (
    "cBrSMrLLYoyYhcaDhMFzQB  Kosher  verified  inactive  expires 2028-08-31  no. OU-5521"
    "  by OU Kosher"
)


@pytest.fixture
def fake() -> FakeApi:
    products = example_products()
    return FakeApi(products=products, claims={BREAD: list(products[BREAD]["claims"])})


@pytest.fixture
def api_url(fake: FakeApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The fake's URL; the commands run in an empty folder (no config file around)."""
    monkeypatch.chdir(tmp_path)
    with RunningServer(fake.app()) as server:
        yield server.url


def run(url: str, *args: str, **env: str | None) -> Result:
    environment: dict[str, str | None] = {
        "GS1LD_API_URL": url,
        "GS1LD_API_KEY": API_KEY,
        "GS1LD_API_TOKEN": None,
        "GS1LD_API_KEY_127_0_0_1": None,
        **env,
    }
    result = CliRunner().invoke(cli, list(args), env=environment)
    assert API_KEY not in result.output
    assert "Traceback" not in result.output
    return result


def sent(fake: FakeApi) -> list[str]:
    """Every request the fake received, as ``METHOD path?query``, in sorted order."""
    return sorted(fake.requests.elements())


def api_line(url: str) -> str:
    return f"API: 127.0.0.1 ({url}, from GS1LD_API_URL)\n"


# --- certifications ----------------------------------------------------------------------


def test_certifications_prints_one_line_per_certification(fake: FakeApi, api_url: str) -> None:
    result = run(api_url, "certifications", BREAD)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{NON_GMO}\n{KOSHER}\n2 certifications for GTIN {BREAD}\n"
    assert result.stderr == api_line(api_url)
    assert sent(fake) == [f"GET {CERTS.format(BREAD)}?page=1&page_size=100"]


@pytest.mark.parametrize(
    ("options", "query", "rows"),
    [
        (["--verification-status", "verified"], "verification_status=verified", [NON_GMO, KOSHER]),
        (["--verification-status", "expired"], "verification_status=expired", []),
        (["--active"], "is_active=true", [NON_GMO]),
        (["--inactive"], "is_active=false", [KOSHER]),
        (["--ordering=-label"], "ordering=-label", [NON_GMO, KOSHER]),
        (["--ordering", "label"], "ordering=label", [KOSHER, NON_GMO]),
        (
            ["--inactive", "--ordering=-expiry_date", "--verification-status", "verified"],
            "verification_status=verified&is_active=false&ordering=-expiry_date",
            [KOSHER],
        ),
    ],
    ids=["status", "status-none", "active", "inactive", "desc", "asc", "all-three"],
)
def test_filters_are_sent_as_the_apis_query_parameters(
    options: list[str], query: str, rows: list[str], fake: FakeApi, api_url: str
) -> None:
    result = run(api_url, "certifications", BREAD, *options)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:-1] == rows
    assert sent(fake) == [f"GET {CERTS.format(BREAD)}?{query}&page=1&page_size=100"]


def test_every_page_is_followed(fake: FakeApi, api_url: str) -> None:
    result = run(api_url, "certifications", BREAD, "--page-size", "1")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{NON_GMO}\n{KOSHER}\n2 certifications for GTIN {BREAD}\n"
    assert sent(fake) == [
        f"GET {CERTS.format(BREAD)}?page=1&page_size=1",
        f"GET {CERTS.format(BREAD)}?page=2&page_size=1",
    ]


def test_page_fetches_that_page_only(fake: FakeApi, api_url: str) -> None:
    result = run(api_url, "certifications", BREAD, "--page", "2", "--page-size", "1")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"{KOSHER}\n1 certification for GTIN {BREAD} on page 2 of 2 (2 in all)\n"
    )
    assert sent(fake) == [f"GET {CERTS.format(BREAD)}?page=2&page_size=1"]


@pytest.mark.parametrize(
    "bad", [["--page", "0"], ["--page-size", "0"], ["--page-size", "101"], ["--ordering", "id"]]
)
def test_a_paging_or_ordering_value_the_api_refuses_is_refused_first(
    bad: list[str], fake: FakeApi, api_url: str
) -> None:
    result = run(api_url, "certifications", BREAD, *bad)
    assert result.exit_code == 2
    assert sent(fake) == []


NON_GMO_ID = "Hx8kfbszMfiHWHmh6TDY2K"


def _as_reported(certification_id: str, **changes: Any) -> dict[str, Any]:
    """A certification of the example catalog as the report shows it: every field, dates
    as text."""
    from gs1ld.feed import CertificationAssignmentOut

    rows = example_products()[BREAD]["certifications"]
    row = next(r for r in rows if r["id"] == certification_id)
    return CertificationAssignmentOut.model_validate({**row, **changes}).model_dump(mode="json")


def test_certifications_json_report(fake: FakeApi, api_url: str) -> None:
    result = run(
        api_url,
        "certifications",
        BREAD,
        "--active",
        "--page",
        "1",
        "--page-size",
        "1",
        "--report-format",
        "json",
    )
    assert result.exit_code == 0, result.output
    report = orjson.loads(result.stdout)
    assert report == {
        "gtin": BREAD,
        "api": {"host": "127.0.0.1", "url": api_url, "from": "GS1LD_API_URL"},
        "config_file": None,
        "options_from_config_file": [],
        "filters": {"verification_status": None, "is_active": True, "ordering": None},
        "pagination": {
            "page": 1,
            "page_size": 1,
            "total_count": 1,
            "total_pages": 1,
            "has_next": False,
            "has_previous": False,
        },
        "count": 1,
        "certifications": [_as_reported(NON_GMO_ID, is_active=True)],
    }


def test_format_json_is_accepted_for_symmetry_with_pull(fake: FakeApi, api_url: str) -> None:
    result = run(api_url, "certifications", MILK, "--report-format", "json")
    assert result.exit_code == 0, result.output
    report = orjson.loads(result.stdout)
    assert (report["count"], report["pagination"]) == (1, None)
    assert [c["label"] for c in report["certifications"]] == ["USDA Organic"]


# --- claims ------------------------------------------------------------------------------

BREAD_CLAIMS = [
    "ipeKnsva2NA5aiZUg4Qoga  Non-GMO (NON_GMO)  INGREDIENT_ABSENCE  THIRD_PARTY_VERIFIED"
    "  from 2024-01-01  until 2027-12-31",
]


@pytest.mark.parametrize("words", [["claims"], ["claims", "list"]], ids=["default", "list"])
def test_claims_lists_one_line_per_claim(words: list[str], fake: FakeApi, api_url: str) -> None:
    claims = example_products()[BREAD]["claims"]
    result = run(api_url, *words, BREAD)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == len(claims) + 1
    assert [line.split("  ")[0] for line in lines[:-1]] == [c["id"] for c in claims]
    assert lines[-1] == f"{len(claims)} claims for GTIN {BREAD}"
    assert sent(fake) == [f"GET {CLAIMS.format(BREAD)}?"]


def test_a_claim_line_shows_code_category_source_and_validity(fake: FakeApi, api_url: str) -> None:
    milk_claims = example_products()[MILK]["claims"]
    fake.claims[MILK] = milk_claims[:2]
    result = run(api_url, "claims", MILK)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "ipeKnsva2NA5aiZUg4Qoga  Non-GMO (NON_GMO)  INGREDIENT_ABSENCE  THIRD_PARTY_VERIFIED"
        "  from 2024-01-01  until 2027-12-31\n"
        "kUtE63raPyXxojfhy8k8er  Grass-fed (GRASS_FED)  PROCESS  BRAND_SELF_DECLARED\n"
        f"2 claims for GTIN {MILK}\n"
    )


def test_claims_json_report_holds_the_rows(fake: FakeApi, api_url: str) -> None:
    fake.claims[MILK] = example_products()[MILK]["claims"]
    result = run(api_url, "claims", "950-6000-1343-52", "--report-format", "json")
    assert result.exit_code == 0, result.output
    assert orjson.loads(result.stdout) == {
        "gtin": MILK,
        "api": {"host": "127.0.0.1", "url": api_url, "from": "GS1LD_API_URL"},
        "config_file": None,
        "options_from_config_file": [],
        "count": 3,
        "claims": example_products()[MILK]["claims"],
    }


def test_assign_sends_the_body_and_prints_the_assignment(fake: FakeApi, api_url: str) -> None:
    result = run(
        api_url,
        "claims",
        "assign",
        MILK,
        "--claim-id",
        CLAIM,
        "--source",
        "third_party_verified",
        "--valid-from",
        "2026-01-01",
        "--expiration-date",
        "2027-12-31",
        "--evidence-url",
        "https://lab.example/report.pdf",
        "--metadata",
        "batch=42",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"{CLAIM}  Claim (CLAIM)  OTHER  THIRD_PARTY_VERIFIED  from 2026-01-01  until 2027-12-31\n"
        f"assigned claim Claim (CLAIM) to GTIN {MILK}\n"
    )
    assert fake.claims[MILK] == [
        {
            "id": CLAIM,
            "label": "Claim",
            "code": "CLAIM",
            "category": "OTHER",
            "source": "THIRD_PARTY_VERIFIED",
            "metadata": {"batch": "42"},
            "valid_from": "2026-01-01",
            "expiration_date": "2027-12-31",
        }
    ]
    assert sent(fake) == [f"POST {CLAIMS.format(MILK)}?"]


def test_a_second_assignment_is_already_assigned_exit_1(fake: FakeApi, api_url: str) -> None:
    assert run(api_url, "claims", "assign", MILK, "--claim-id", CLAIM).exit_code == 0
    again = run(api_url, "claims", "assign", MILK, "--claim-id", CLAIM)
    assert again.exit_code == 1
    assert again.stdout == ""
    assert again.stderr == api_line(api_url) + (
        f"error: claim {CLAIM} is already assigned to GTIN {MILK}; nothing changed\n"
    )
    as_json = run(api_url, "claims", "assign", MILK, "--claim-id", CLAIM, "--report-format", "json")
    assert as_json.exit_code == 1
    assert orjson.loads(as_json.stdout) == {
        "error": f"claim {CLAIM} is already assigned to GTIN {MILK}; nothing changed",
        "exit_code": 1,
        "gtin": MILK,
        "status": 409,
        "error_code": "conflict",
        "claim_id": CLAIM,
    }
    assert len(fake.claims[MILK]) == 1


def test_an_assignment_whose_answer_was_lost_says_so_on_the_retrys_409(
    fake: FakeApi, api_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gs1ld.feed._retry import RetryPolicy

    monkeypatch.setattr(RetryPolicy, "backoff", lambda self, attempt: 0.0)  # no real waits
    fake.drop_first[MILK] = 1  # the first POST assigns, then its answer is cut off
    result = run(api_url, "claims", "assign", MILK, "--claim-id", CLAIM)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1] == (
        f"error: claim {CLAIM} is already assigned to GTIN {MILK}; nothing changed (the "
        "request was sent 2 times: an earlier attempt whose answer was lost may have "
        "assigned it)"
    )
    assert sent(fake) == [f"POST {CLAIMS.format(MILK)}?"] * 2
    assert [c["id"] for c in fake.claims[MILK]] == [CLAIM]


def test_assign_json_report_holds_the_assignment(fake: FakeApi, api_url: str) -> None:
    result = run(api_url, "claims", "assign", MILK, "--claim-id", CLAIM, "--report-format", "json")
    assert result.exit_code == 0, result.output
    report = orjson.loads(result.stdout)
    assert report == {
        "gtin": MILK,
        "api": {"host": "127.0.0.1", "url": api_url, "from": "GS1LD_API_URL"},
        "config_file": None,
        "options_from_config_file": [],
        "claim": fake.claims[MILK][0],
    }
    assert report["claim"]["source"] == "BRAND_SELF_DECLARED"  # the API's default, not sent


def test_a_body_breaking_the_documented_rules_is_not_sent(fake: FakeApi, api_url: str) -> None:
    result = run(
        api_url,
        "claims",
        "assign",
        MILK,
        "--claim-id",
        "not-an-id",
        "--valid-from",
        "2026-02-30",
        "--evidence-url",
        "ftp://lab.example/x",
        "--metadata",
        "k" * 41 + "=v",
    )
    assert result.exit_code == 2
    problems = result.output.removeprefix("error: ").rstrip("\n").split("; ")
    by_option = {p.split(":")[0]: p for p in problems}
    assert list(by_option) == ["--claim-id", "--metadata", "--valid-from", "--evidence-url"]
    assert by_option["--claim-id"].endswith("got 'not-an-id'")
    assert by_option["--metadata"] == (
        f"--metadata: String should have at most 40 characters, got {'k' * 41!r}"
    )
    assert by_option["--valid-from"] == (
        "--valid-from: expected an existing calendar date YYYY-MM-DD, got '2026-02-30'"
    )
    assert by_option["--evidence-url"] == (
        "--evidence-url: expected an absolute http(s) URL or an empty string, "
        "got 'ftp://lab.example/x'"
    )
    assert sent(fake) == []


def test_a_metadata_option_without_equals_is_not_sent(fake: FakeApi, api_url: str) -> None:
    result = run(api_url, "claims", "assign", MILK, "--claim-id", CLAIM, "--metadata", "batch")
    assert (result.exit_code, result.output) == (
        2,
        "error: --metadata: expected KEY=VALUE, got 'batch'\n",
    )
    assert sent(fake) == []


# --- what every command shares -----------------------------------------------------------

COMMANDS = [
    ["certifications"],
    ["claims"],
    ["claims", "list"],
    ["claims", "assign", "--claim-id", CLAIM],
]
IDS = ["certifications", "claims", "claims-list", "claims-assign"]


def _with_gtin(words: list[str], gtin: str, *more: str) -> list[str]:
    """The command with ``gtin`` where its argument goes (after the subcommand's name)."""
    names = [w for w in words if not w.startswith("-") and w != CLAIM]
    return [*names, gtin, *words[len(names) :], *more]


@pytest.mark.parametrize("words", COMMANDS, ids=IDS)
def test_an_unknown_gtin_is_exit_1_with_a_clear_line(
    words: list[str], fake: FakeApi, api_url: str
) -> None:
    result = run(api_url, *_with_gtin(words, ABSENT))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == api_line(api_url) + (
        f"error: no product has GTIN {ABSENT} (the API answered 404 not_found)\n"
    )
    as_json = run(api_url, *_with_gtin(words, ABSENT, "--report-format", "json"))
    assert as_json.exit_code == 1
    report = orjson.loads(as_json.stdout)
    assert {k: report[k] for k in ("exit_code", "gtin", "status", "error_code")} == {
        "exit_code": 1,
        "gtin": ABSENT,
        "status": 404,
        "error_code": "not_found",
    }


@pytest.mark.parametrize("words", COMMANDS, ids=IDS)
@pytest.mark.parametrize(
    ("gtin", "message"),
    [
        ("09506000134353", "Invalid GTIN check digit in '09506000134353': expected 2, got 3."),
        ("9506-0001-3435-3", "Invalid GTIN check digit in '9506-0001-3435-3': expected 2, got 3."),
        ("0950600013435", "Invalid GTIN check digit in '0950600013435': expected 9, got 5."),
        ("12345", "Invalid GTIN length in '12345': expected 8, 12, 13 or 14 digits, got 5."),
    ],
    ids=["check-digit", "as-typed", "gtin-13", "length"],
)
def test_a_bad_gtin_is_exit_2_before_any_request(
    words: list[str], gtin: str, message: str, fake: FakeApi, api_url: str
) -> None:
    result = run(api_url, *_with_gtin(words, gtin))
    assert (result.exit_code, result.output) == (2, f"error: {message}\n")
    as_json = run(api_url, *_with_gtin(words, gtin, "--report-format", "json"))
    assert as_json.exit_code == 2
    assert orjson.loads(as_json.stdout) == {"error": message, "exit_code": 2}
    assert sent(fake) == []


@pytest.mark.parametrize("words", COMMANDS, ids=IDS)
def test_no_key_is_exit_2_and_nothing_is_sent(
    words: list[str], fake: FakeApi, api_url: str
) -> None:
    result = run(api_url, *_with_gtin(words, MILK), GS1LD_API_KEY="")
    assert (result.exit_code, result.output) == (
        2,
        "error: no API key: pass --api-key or set GS1LD_API_KEY (or --token / GS1LD_API_TOKEN)\n",
    )
    assert sent(fake) == []


@pytest.mark.parametrize("words", COMMANDS, ids=IDS)
def test_a_wrong_key_is_a_refused_request_exit_1(
    words: list[str], fake: FakeApi, api_url: str
) -> None:
    result = run(api_url, *_with_gtin(words, MILK), GS1LD_API_KEY="wrong-key-0005")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1] == (
        f"error: API error 401 unauthorized for GTIN {MILK}: Missing or invalid API key."
    )
    assert "wrong-key-0005" not in result.output


def test_a_429_after_the_last_attempt_is_exit_1(fake: FakeApi, api_url: str) -> None:
    fake.quota = 0  # every request is over the quota
    result = run(api_url, "certifications", MILK, "--max-attempts", "1")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1] == (
        f"error: API error 429 rate_limited for GTIN {MILK}: Too many requests."
    )
    assert fake.statuses == {429: 1}


def test_an_unreachable_api_is_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with RunningServer(FakeApi(products={}).app()) as server:
        closed = server.url  # the port is free again once the server stops
    result = run(closed, "claims", MILK, "--max-attempts", "1")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[1] == (
        f"error: Could not reach the API for GTIN {MILK}: ConnectError"
    )


@pytest.mark.parametrize(
    ("words", "variable"),
    [
        (["certifications"], "GS1LD_CERTIFICATIONS_API_URL"),
        (["claims", "list"], "GS1LD_CLAIMS_LIST_API_URL"),
    ],
)
def test_the_commands_own_variable_names_the_api(
    words: list[str], variable: str, fake: FakeApi, api_url: str
) -> None:
    result = run("", *words, MILK, GS1LD_API_URL=None, **{variable: api_url})
    assert result.exit_code == 0, result.output
    assert result.stderr == f"API: 127.0.0.1 ({api_url}, from {variable})\n"


@pytest.mark.parametrize(
    ("table", "words"),
    [
        ("certifications", ["certifications"]),
        ("claims.list", ["claims", "list"]),
        ("claims.assign", ["claims", "assign", "--claim-id", CLAIM]),
    ],
)
def test_a_config_file_cannot_send_the_key_to_its_own_host(
    table: str, words: list[str], fake: FakeApi, api_url: str
) -> None:
    path = Path("gs1ld.toml").resolve()
    path.write_text(f'[{table}]\napi-url = "{api_url}"\n', "utf-8")
    refused = run("", *_with_gtin(words, MILK), GS1LD_API_URL=None)
    assert refused.exit_code == 2
    assert refused.output == (
        f"error: {path}: api-url names host 127.0.0.1, which you did not name; your API key "
        "goes only to www.closient.com or a host given with --api-url or GS1LD_API_URL. "
        "To use this host, set GS1LD_API_KEY_127_0_0_1 to its key\n"
    )
    assert sent(fake) == []
    bound = run(
        "",
        *_with_gtin(words, MILK),
        GS1LD_API_URL=None,
        GS1LD_API_KEY="user-key-NEVER-LEAVES-0001",
        GS1LD_API_KEY_127_0_0_1=API_KEY,
    )
    assert bound.exit_code == 0, bound.output
    assert bound.stderr == (
        f"API: 127.0.0.1 ({api_url}, from {path})\noptions from {path}: api-url\n"
    )
    assert len(sent(fake)) == 1


def _examples(words: list[str]) -> list[str]:
    """The example command lines of ``words``' --help, continuation lines joined."""
    shown = CliRunner().invoke(cli, [*words, "--help"])
    assert shown.exit_code == 0, shown.output
    body = shown.output.split("Examples:", 1)[1].replace("\\\n", " ")
    return [" ".join(line.split()) for line in body.splitlines() if line.strip()]


HELPS = [["certifications"], ["claims"], ["claims", "list"], ["claims", "assign"]]


@pytest.mark.parametrize("words", HELPS, ids=" ".join)
def test_every_help_has_two_or_three_examples(words: list[str]) -> None:
    examples = _examples(words)
    assert 2 <= len(examples) <= 3, examples
    assert all(e.startswith(f"gs1ld {words[0]} ") for e in examples), examples


EXAMPLES = sorted({e for words in HELPS for e in _examples(words)})


@pytest.mark.parametrize("example", EXAMPLES)
def test_every_example_runs_against_the_fake(example: str, fake: FakeApi, api_url: str) -> None:
    import shlex

    result = run(api_url, *shlex.split(example)[1:])
    assert result.exit_code == 0, result.output
    assert len(sent(fake)) == 1


def test_pull_shares_the_set_up_and_reports_its_fatal_error_as_json(
    fake: FakeApi, api_url: str
) -> None:
    Path("gtins.txt").write_text(f"{MILK}\n", "utf-8")
    result = run(
        api_url,
        "pull",
        "--gtins",
        "gtins.txt",
        "-o",
        "out",
        "--report-format",
        "json",
        GS1LD_API_KEY="",
    )
    message = "no API key: pass --api-key or set GS1LD_API_KEY (or --token / GS1LD_API_TOKEN)"
    assert result.exit_code == 2
    assert result.stderr == f"error: {message}\n"
    assert orjson.loads(result.stdout) == {"error": message, "exit_code": 2}
    assert sent(fake) == []


def test_an_interrupted_assignment_exits_130_and_says_what_to_check(
    fake: FakeApi, api_url: str
) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    from support import PROJECT_ROOT

    fake.slow_first[MILK] = (1, 2.0)  # the answer is late: the command is waiting for it
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            [str(PROJECT_ROOT / "src"), os.environ.get("PYTHONPATH", "")]
        ),
        "GS1LD_API_URL": api_url,
        "GS1LD_API_KEY": API_KEY,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gs1ld", "claims", "assign", MILK, "--claim-id", CLAIM],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not fake.requests:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the request never arrived"
        time.sleep(0.01)  # polling a condition, not a delay to synchronise on
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert out == b""
    assert err.decode().splitlines()[-1] == (
        f"interrupted: the claim may or may not be assigned; `gs1ld claims list {MILK}` shows"
    )
