"""Progress that informs: phases, a count and a rate on a terminal; a line per part on a cluster."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from click.testing import CliRunner

from gs1ld.cli import _output, cli
from gs1ld.config import ExportConfig, SiteConfig
from gs1ld.site import build_site
from gs1ld.site.report import BuildProgress
from support import EXAMPLE_CATALOG

PRODUCTS = len(list(EXAMPLE_CATALOG.glob("*.json")))
CONFIG = SiteConfig(ExportConfig(base_url="https://id.brand.example", today=date(2026, 6, 1)))


def test_a_build_reports_its_phases_in_order_and_every_entry(tmp_path: Path) -> None:
    phases: list[str] = []
    entries: list[int] = []
    progress = BuildProgress(phase=phases.append, entries=entries.append)
    build_site(EXAMPLE_CATALOG, tmp_path / "site", config=CONFIG, on_progress=progress)
    assert phases == ["reading", "staging", "site-wide files", "publishing"]
    assert sum(entries) == PRODUCTS


def test_a_build_on_a_cluster_reports_each_part(tmp_path: Path, dask_client: object) -> None:
    parts: list[tuple[int, int]] = []
    entries: list[int] = []
    progress = BuildProgress(
        entries=entries.append, part=lambda done, total: parts.append((done, total))
    )
    build_site(
        EXAMPLE_CATALOG, tmp_path / "site", config=CONFIG, on_progress=progress, client=dask_client
    )
    total = parts[-1][1]
    assert parts == [(n, total) for n in range(1, total + 1)]
    assert sum(entries) == PRODUCTS


def test_the_terminal_shows_the_phase_and_the_count() -> None:
    with _output.progress_reporter("Building site", enabled=True) as reporter:
        reporter.phase("staging")
        reporter.advance(7)
        task = reporter.task
        assert task is not None
        assert (task.description, task.completed) == ("Building site: staging", 7)
    with _output.progress_reporter("Building site", enabled=False) as hidden:
        hidden.advance(3)
        assert hidden.task is None


def test_the_cli_prints_a_line_per_part_under_a_scheduler(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "convert",
            str(EXAMPLE_CATALOG),
            "-o",
            str(tmp_path / "out"),
            "--no-validate",
            "--base-url",
            "https://id.brand.example",
            "--scheduler",
            "local:1",
        ],
    )
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if ": part " in line]
    assert lines, result.stderr
    assert lines[-1].startswith("Converting: part ")
    assert f"{PRODUCTS:,} products so far" in lines[-1]


def test_no_progress_is_printed_off_a_terminal(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["check", str(EXAMPLE_CATALOG)],
    )
    assert result.stderr == ""
