"""A build that would remove too many published products stops before changing the site.

Real site folders and a real S3-protocol server (moto on loopback): a partial
catalog export is refused with exit 2, one ``error:`` line naming the count and
how to allow it, and the live site (or bucket) is byte for byte what it was.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from gs1ld.cli import cli
from gs1ld.config import RemovalLimit
from support import EXAMPLE_CATALOG, sync_down, tree_bytes

BASE = "https://id.brand.example"
ARGS = ["site", "build", "--base-url", BASE, "--today", "2026-06-01", "--no-validate"]
PUBLISHED = len(list(EXAMPLE_CATALOG.glob("*.json")))


def _build(catalog: Path, output: str, *more: str) -> Any:
    return CliRunner().invoke(cli, [*ARGS, "--workers", "1", str(catalog), "-o", output, *more])


def _partial(tmp_path: Path, keep: int) -> Path:
    """The example catalog as an export that failed upstream: its first ``keep`` files."""
    folder = tmp_path / f"partial-{keep}"
    folder.mkdir()
    for path in sorted(EXAMPLE_CATALOG.glob("*.json"))[:keep]:
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture
def live(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    assert _build(EXAMPLE_CATALOG, str(site)).exit_code == 0
    return site


def test_a_partial_catalog_is_refused_and_the_site_is_untouched(live: Path, tmp_path: Path) -> None:
    before = tree_bytes(live)
    result = _build(_partial(tmp_path, 3), str(live))
    assert result.exit_code == 2, result.output
    removed = PUBLISHED - 3
    lines = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(lines) == 1
    assert f"would remove {removed} of the {PUBLISHED} published products" in lines[0]
    assert f"--max-removals {removed}" in lines[0]
    assert tree_bytes(live) == before
    assert not list((live / ".gs1ld-builds").glob(".staging-*"))


def test_removals_within_the_limit_or_allowed_go_through(live: Path, tmp_path: Path) -> None:
    one_less = _partial(tmp_path, PUBLISHED - 1)  # 1 of 19: within 10%
    assert _build(one_less, str(live)).exit_code == 0
    few = _partial(tmp_path, 3)
    allowed = _build(few, str(live), "--max-removals", str(PUBLISHED - 4))
    assert allowed.exit_code == 0, allowed.output
    assert f"{PUBLISHED - 4} removed" in allowed.output


def test_every_removal_passes_with_100_percent(live: Path, tmp_path: Path) -> None:
    result = _build(_partial(tmp_path, 1), str(live), "--max-removals", "100%")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("value", ["ten", "-1", "150%", "%"])
def test_a_bad_limit_is_a_usage_error(live: Path, value: str) -> None:
    result = _build(EXAMPLE_CATALOG, str(live), "--max-removals", value)
    assert result.exit_code == 2
    assert "--max-removals" in result.output
    assert "expected a number of products" in result.output


@pytest.mark.parametrize(
    ("text", "removed", "published", "allowed"),
    [("10%", 1, 19, True), ("10%", 2, 19, False), ("0", 0, 5, True), ("3", 3, 4, True)],
)
def test_the_limit(text: str, removed: int, published: int, allowed: bool) -> None:
    assert RemovalLimit.parse(text).allows(removed=removed, published=published) is allowed


def test_the_same_guard_holds_on_object_storage(s3_bucket: tuple[Any, str], tmp_path: Path) -> None:
    fs, name = s3_bucket
    url = f"s3://{name}/site"
    assert _build(EXAMPLE_CATALOG, url).exit_code == 0
    before = tree_bytes(sync_down(fs, url, tmp_path / "before"))
    result = _build(_partial(tmp_path, 2), url)
    assert result.exit_code == 2, result.output
    assert f"would remove {PUBLISHED - 2} of the {PUBLISHED}" in result.output
    assert tree_bytes(sync_down(fs, url, tmp_path / "after")) == before
