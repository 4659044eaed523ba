"""The export says once, and only then, that page links are left out (no domain of the user's)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from gs1ld.cli import cli
from support import EXAMPLE_CATALOG

NOTE = "note: page links (gs1:pip"


@pytest.mark.parametrize(
    ("options", "said", "pip"),
    [
        ([], True, None),  # GS1's resolver and no pages URL
        (["--base-url", "https://id.brand.example"], False, "https://id.brand.example/01/"),
        (["--pages-url", "https://www.brand.example/p"], False, "https://www.brand.example/p/01/"),
    ],
)
def test_convert_says_once_when_page_links_are_left_out(
    tmp_path: Path, options: list[str], said: bool, pip: str | None
) -> None:
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(
        cli, ["convert", str(EXAMPLE_CATALOG), "-o", str(out), "--today", "2026-06-01", *options]
    )
    assert result.exit_code == 0, result.output
    assert result.output.count(NOTE) == (1 if said else 0)
    documents = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    pages = [d.get("gs1:pip") for d in documents]
    if pip is None:
        assert pages == [None] * len(documents)
        return
    for page in pages:
        assert page is not None
        for link in page if isinstance(page, list) else [page]:
            assert link["@id"].startswith(pip)


def test_a_json_summary_carries_the_note_instead_of_a_line(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(
        cli,
        ["convert", str(EXAMPLE_CATALOG), "-o", str(out), "--report-format", "json"],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert [note[: len(NOTE)] for note in summary["notes"]] == [NOTE]
