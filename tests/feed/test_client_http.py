"""The client against the fake API over real HTTP: pages, errors, faults, rate limits."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import orjson
import pytest
from apihelpers import options
from click.testing import CliRunner
from fakeapi import API_KEY, FakeApi

from gs1ld.cli import cli
from gs1ld.errors import ClientError
from gs1ld.feed import ClaimAssignmentIn
from gs1ld.feed.client import AsyncClient, Client
from gs1ld.feed.errors import (
    AlreadyAssigned,
    ProductNotFound,
    Unauthorized,
    ValidationFailed,
)
from gs1ld.feed.pull import pull_catalog, read_gtins
from gs1ld.gtin import check_digit

MILK = "09506000134352"
ABSENT = "0950600099999" + str(check_digit("0950600099999"))
SID = "2" * 22


def _cert(n: int) -> dict[str, object]:
    return {
        "id": f"{n:022d}".replace("0", "2").replace("1", "3"),
        "label": f"Seal {n:03d}",
        "is_active": True,
        "verification_status": "verified" if n % 2 else "unverified",
        "valid_from": "2026-01-01",
        "expiration_date": f"2026-{(n % 12) + 1:02d}-28",
    }


def test_content_and_every_certification_page_once(fake: FakeApi, api_url: str) -> None:
    certs = [_cert(n) for n in range(250)]
    for n, c in enumerate(certs):
        c["id"] = "".join("23456789ABCDEFGHJKLMNP"[(n + i) % 22] for i in range(22))
    fake.products[MILK] = {**fake.products[MILK], "certifications": certs}
    with Client(options=options(api_url)) as client:
        assert client.content(MILK).images[0].is_primary
        got = client.certifications("950 6000 13435 2")
    assert [c.label for c in got] == [c["label"] for c in certs]
    pages = {k: v for k, v in fake.requests.items() if "certifications" in k}
    assert sorted(pages.values()) == [1, 1, 1]
    assert len(pages) == 3


def test_filters_and_ordering(fake: FakeApi, api_url: str) -> None:
    with Client(options=options(api_url)) as client:
        coffee = "09506000134413"
        expired = client.certifications(coffee, verification_status="expired")
        assert [c.label for c in expired] == ["Fair Trade Certified"]
        active = client.certifications(coffee, is_active=True)
        assert [c.label for c in active] == ["Rainforest Alliance"]
        ordered = client.certifications(coffee, ordering="-label")
        assert [c.label for c in ordered] == ["Rainforest Alliance", "Fair Trade Certified"]
        with pytest.raises(ValidationFailed, match="Unknown ordering"):
            client.certifications(coffee, ordering="price")


def test_typed_errors(fake: FakeApi, api_url: str) -> None:
    with Client(options=options(api_url)) as client:
        with pytest.raises(ProductNotFound) as missing:
            client.content(ABSENT)
        assert (missing.value.status, missing.value.error_code) == (404, "not_found")
        body = ClaimAssignmentIn(claim_id=SID, metadata={"batch": "7"})
        assigned = client.assign_claim(MILK, body)
        assert (assigned.id, assigned.metadata) == (SID, {"batch": "7"})
        assert [c.id for c in client.claims(MILK)] == [SID]
        with pytest.raises(AlreadyAssigned):
            client.assign_claim(MILK, body)
    with Client(options=options(api_url, api_key="wrong")) as client, pytest.raises(Unauthorized):
        client.content(MILK)


def test_the_key_never_shows(fake: FakeApi, api_url: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    fake.fail_first[MILK] = 10  # more than the attempts: the error surfaces
    client = Client(options=options(api_url))
    try:
        with pytest.raises(ClientError) as excinfo:
            client.content(MILK)
        texts = [repr(client), str(excinfo.value), repr(client.options), caplog.text]
    finally:
        client.close()
    assert caplog.text  # httpx did log the requests at DEBUG
    assert all(API_KEY not in text for text in texts)


def _pull(api_url: str, gtins: list[str], output: Path, **kwargs: object) -> object:
    async def run() -> object:
        async with AsyncClient(options=options(api_url)) as client:
            return await pull_catalog(read_gtins(gtins), output, client=client, **kwargs)  # type: ignore[arg-type]

    return asyncio.run(run())


def test_faults_are_survived_and_every_product_arrives_once_and_intact(
    fake: FakeApi, api_url: str, tmp_path: Path
) -> None:
    gtins = sorted(fake.products)
    fake.fail_first.update({gtins[0]: 2, gtins[1]: 1})
    fake.drop_first.update({gtins[2]: 2, gtins[3]: 1})
    out = tmp_path / "catalog"
    report = _pull(api_url, gtins, out)
    assert (report.written, report.failed) == (len(gtins), [])  # type: ignore[attr-defined]
    files = sorted(p.name for p in out.iterdir())
    assert files == [f"{g}.json" for g in gtins]
    for gtin in gtins:
        entry = orjson.loads((out / f"{gtin}.json").read_bytes())
        assert entry == {"gtin": gtin, "content": fake.products[gtin]}


def test_resume_fetches_only_what_is_missing(fake: FakeApi, api_url: str, tmp_path: Path) -> None:
    gtins = sorted(fake.products)
    out = tmp_path / "c.jsonl"
    _pull(api_url, gtins[:5], out)
    with out.open("ab") as handle:  # an interrupted earlier run left half a line
        handle.write(b'{"gtin": "0950600013')
    fake.requests.clear()
    report = _pull(api_url, gtins, out)
    assert (report.written, report.skipped) == (len(gtins) - 5, 5)  # type: ignore[attr-defined]
    assert sum(fake.requests.values()) == len(gtins) - 5
    lines = out.read_bytes().splitlines()
    assert sorted(orjson.loads(line)["gtin"] for line in lines) == gtins


def test_cli_pull_reports_refused_and_failed_gtins(
    fake: FakeApi, api_url: str, tmp_path: Path
) -> None:
    gtins = tmp_path / "gtins.txt"
    gtins.write_text(f"# ours\n{MILK}\n\n9506000134353\n{ABSENT}\n", encoding="utf-8")
    runner = CliRunner()
    env = {"GS1LD_API_URL": api_url, "GS1LD_API_KEY": API_KEY}
    out = tmp_path / "pulled"
    result = runner.invoke(
        cli, ["pull", "--gtins", str(gtins), "-o", str(out), "--max-attempts", "2"], env=env
    )
    assert result.exit_code == 1, result.output
    host = api_url.removeprefix("http://").split(":")[0]
    assert result.stderr == f"API: {host} ({api_url}, from GS1LD_API_URL)\n"
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"{gtins}:4 9506000134353: Invalid GTIN check digit in '9506000134353': expected 2, got 3."
    )
    assert lines[1].startswith(f"{ABSENT}: API error 404 not_found for GTIN {ABSENT}")
    assert lines[2] == f"1 pulled, 0 already there, 1 failed, 1 refused -> {out}"
    assert API_KEY not in result.output
    no_key = runner.invoke(
        cli,
        ["pull", "--gtins", str(gtins), "-o", str(out)],
        env={"GS1LD_API_URL": api_url, "GS1LD_API_KEY": ""},
    )
    assert no_key.exit_code == 2
    assert "no API key" in no_key.output


def test_a_page_past_the_end_is_empty_with_true_metadata(fake: FakeApi, api_url: str) -> None:
    with Client(options=options(api_url)) as client:
        response = client.request(
            "GET",
            f"/products/api/v1/products/{MILK}/certifications",
            params={"page": 9, "page_size": 100},
        )
    assert orjson.loads(response.content) == {
        "data": [],
        "pagination": {
            "page": 9,
            "page_size": 100,
            "total_count": 1,
            "total_pages": 1,
            "has_next": False,
            "has_previous": True,
        },
    }


def test_a_corrupt_catalog_line_stops_a_resume_with_its_line(
    fake: FakeApi, api_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "c.jsonl"
    out.write_text(f'{{"gtin": "{MILK}", "content": {{}}}}\nnot json\n', encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        ["pull", "--gtins", "-", "-o", str(out)],
        input=MILK,
        env={"GS1LD_API_URL": api_url, "GS1LD_API_KEY": API_KEY},
    )
    assert result.exit_code == 2
    assert f"{out}:2: not a catalog entry line" in result.output


def test_one_certifications_page_comes_with_its_envelope(fake: FakeApi, api_url: str) -> None:
    bread = "09506000134529"  # two certifications
    path = f"GET /products/api/v1/products/{bread}/certifications?ordering=label"
    with Client(options=options(api_url)) as client:
        first = client.certifications_page(bread, page=1, page_size=1, ordering="label")
        every = client.certifications(bread, page_size=1, ordering="label")
        with pytest.raises(ValueError, match=r"^page_size: expected 1 to 100 .*, got 101$"):
            client.certifications_page(bread, page_size=101)
    assert [c.label for c in first.data] == ["Kosher"]
    assert (first.pagination.total_count, first.pagination.has_next) == (2, True)
    assert [c.label for c in every] == ["Kosher", "Non-GMO Project Verified"]
    assert dict(fake.requests) == {f"{path}&page=1&page_size=1": 2, f"{path}&page=2&page_size=1": 1}
