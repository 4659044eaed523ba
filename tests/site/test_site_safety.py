"""Where and how a site build may write: the lock, the output checks, workers, staging, modes."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from gs1ld.cli import cli
from gs1ld.config import ExportConfig, SiteConfig
from gs1ld.errors import PublishError
from gs1ld.site.build import build_site
from gs1ld.site.folder import hold_lock
from gs1ld.testing import synthetic_catalog, write_jsonl

BASE = "https://id.brand.example"
CONFIG = SiteConfig(ExportConfig(base_url=BASE, today=date(2026, 6, 1)), validate=False)


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("catalog") / "c.jsonl"
    write_jsonl(synthetic_catalog(40, seed=5), path)
    return path


def test_a_second_build_fails_at_once_naming_the_holder(catalog: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    with hold_lock(site), pytest.raises(PublishError) as excinfo:
        build_site(catalog, site, config=CONFIG)
    message = str(excinfo.value)
    assert message.startswith(f"Another build is writing {site} (pid {os.getpid()} on ")
    assert not site.exists()
    assert build_site(catalog, site, config=CONFIG).built == 40  # the lock was let go


def test_a_folder_that_is_not_a_site_is_refused_unless_forced(
    catalog: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me", encoding="utf-8")
    args = ["site", "build", str(catalog), "-o", str(folder), "--base-url", BASE, "--no-validate"]
    refused = CliRunner().invoke(cli, args)
    assert refused.exit_code == 2
    assert f"Output '{folder}' is a non-empty directory that is not a gs1ld site" in refused.output
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "keep me"
    forced = CliRunner().invoke(cli, [*args, "--force"])
    assert forced.exit_code == 0, forced.output
    assert not (folder / "notes.txt").exists()
    again = CliRunner().invoke(cli, args)  # now a gs1ld site: rebuilt without --force
    assert again.exit_code == 0, again.output


@pytest.mark.parametrize("output", [".", "..", "./"])
def test_the_current_directory_is_refused_clearly(
    output: str, catalog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inside = tmp_path / "work"
    inside.mkdir()
    monkeypatch.chdir(inside)
    result = CliRunner().invoke(
        cli, ["site", "build", str(catalog), "-o", output, "--base-url", BASE]
    )
    assert result.exit_code == 2
    assert "is the current directory or contains it" in result.output
    assert "Traceback" not in result.output
    assert inside.is_dir()


def test_a_symbolic_link_is_followed_and_kept(catalog: Path, tmp_path: Path) -> None:
    target = tmp_path / "releases" / "site"
    target.parent.mkdir()
    link = tmp_path / "site"
    link.symlink_to(target, target_is_directory=True)
    args = ["site", "build", str(catalog), "-o", str(link), "--base-url", BASE, "--no-validate"]
    for _ in range(2):  # the first build creates the target, the second replaces it
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        assert link.is_symlink()
        assert os.readlink(link) == str(target)
        assert (target / "current" / "manifest.json").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["releases", "site"]
    assert sorted(p.name for p in target.parent.iterdir()) == [".site.lock", "site"]


def test_a_failed_build_with_workers_leaves_no_staging_behind(
    catalog: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    workers = SiteConfig(
        ExportConfig(base_url=BASE, today=date(2026, 6, 1)), validate=False, workers=2
    )

    def fail(_: int) -> None:
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        build_site(catalog, site, config=workers, on_progress=fail)
    # the site folder (created empty) holds neither a build nor a staging folder
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "site"]
    assert [p.name for p in site.rglob("*")] == [".gs1ld-builds"]


def test_files_honour_the_umask(catalog: Path, tmp_path: Path) -> None:
    old = os.umask(0o002)
    try:
        build_site(catalog, tmp_path / "site", config=CONFIG)
        out = tmp_path / "jsonld"
        result = CliRunner().invoke(cli, ["convert", str(catalog), "-o", str(out), "--no-validate"])
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    product = next((tmp_path / "site" / "current" / "01").iterdir())
    modes = {p.stat().st_mode & 0o777 for p in product.iterdir()}
    modes |= {p.stat().st_mode & 0o777 for p in out.iterdir()}
    assert modes == {0o664}


WORKER_SCRIPT = """
import os, sys
from gs1ld._workers import worker_pool
pool = worker_pool(1)
print(pool.submit(os.getpid).result(), flush=True)
os.kill(os.getpid(), 9)
"""


def test_workers_die_with_their_parent_even_on_kill_9() -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", WORKER_SCRIPT], stdout=subprocess.PIPE, text=True
    )
    assert parent.stdout is not None
    worker = int(parent.stdout.readline())
    assert parent.wait(timeout=60) == -signal.SIGKILL
    try:
        handle = os.pidfd_open(worker)
    except ProcessLookupError:
        return  # already gone
    try:  # wait for the worker's exit without polling: a pidfd is readable once it is gone
        ready, _, _ = select.select([handle], [], [], 60)
    finally:
        os.close(handle)
    assert ready, f"worker {worker} outlived its killed parent"


def test_convert_keeps_the_first_of_duplicate_gtins_like_site_build(tmp_path: Path) -> None:
    entries = list(synthetic_catalog(2, seed=9))
    duplicate = {**entries[1], "gtin": entries[0]["gtin"]}
    catalog = tmp_path / "c.jsonl"
    write_jsonl([entries[0], entries[1], duplicate], catalog)
    out = tmp_path / "out"
    convert = CliRunner().invoke(cli, ["convert", str(catalog), "-o", str(out), "--no-validate"])
    site = CliRunner().invoke(
        cli,
        [
            "site",
            "build",
            str(catalog),
            "-o",
            str(tmp_path / "s"),
            "--base-url",
            BASE,
            "--no-validate",
            "--report-format",
            "json",
        ],
    )
    first = entries[0]["gtin"]
    rule = "duplicate GTIN: an earlier entry of the catalog has it"
    line = f"{catalog}:3 {first} gtin: {rule}, got '{first}'"
    assert convert.exit_code == site.exit_code == 1
    assert line in convert.output.splitlines()
    written = orjson.loads((out / f"{entries[0]['gtin']}.jsonld").read_bytes())
    assert written["@id"].endswith(entries[0]["gtin"])
    summary = orjson.loads(site.output)
    assert (summary["built"], summary["invalid"]) == (2, 1)
    assert summary["problems"][0]["message"] == line.split(" ", 2)[2]
