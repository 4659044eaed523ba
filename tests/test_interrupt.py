"""Ctrl-C exits 130 with ``interrupted`` on every command, pools and all, leaving outputs whole.

A terminal's Ctrl-C sends SIGINT to the whole process group, workers included,
so each command runs in a session of its own and the signal goes to the group.
Each is interrupted at a point the test waits for (stdin still open, the
staging folder holding products, the first document written), never after a
fixed delay.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from gs1ld.testing import synthetic_catalog, write_jsonl
from support import EXAMPLE_CATALOG, tree_bytes

BASE = "https://id.brand.example"
DEADLINE = 120.0


def _start(*args: str, stdin: int | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "gs1ld", *args],
        stdin=stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _when(condition: Callable[[], bool], process: subprocess.Popen[bytes]) -> None:
    """Wait until ``condition`` holds (polled), failing if the process ends first."""
    deadline = time.monotonic() + DEADLINE
    while not condition():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the condition never held"
        time.sleep(0.01)  # polling a condition, not a delay to synchronise on


def _interrupt(process: subprocess.Popen[bytes]) -> tuple[int, str]:
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=DEADLINE)
    return process.returncode, err.decode("utf-8", "replace")


def _assert_interrupted(code: int, err: str) -> None:
    assert code == 130, err
    assert err.rstrip().endswith("interrupted"), err
    assert "Traceback" not in err
    assert "Aborted!" not in err


_READ = {"x86_64": "0", "aarch64": "63"}.get(os.uname().machine)


def _reading_stdin(process: subprocess.Popen[bytes]) -> Callable[[], bool]:
    """Whether the process is blocked in read(0, ...) (Linux's /proc/PID/syscall)."""

    def check() -> bool:
        try:
            fields = Path(f"/proc/{process.pid}/syscall").read_text().split()
        except OSError:
            return False
        return len(fields) > 1 and fields[0] == _READ and int(fields[1], 16) == 0

    return check


@pytest.mark.skipif(_READ is None or not Path("/proc/self/syscall").exists(), reason="Linux only")
@pytest.mark.parametrize("command", [["check", "-"], ["validate", "-"], ["convert", "-"]])
def test_a_command_reading_stdin_is_interrupted(command: list[str]) -> None:
    process = _start(*command, stdin=subprocess.PIPE)
    _when(_reading_stdin(process), process)
    _assert_interrupted(*_interrupt(process))


@pytest.fixture(scope="module")
def big_catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "catalog.jsonl"
    write_jsonl(synthetic_catalog(4000, seed=3), path)
    return path


def test_a_site_build_with_workers_is_interrupted_and_the_live_site_is_untouched(
    big_catalog: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    args = ["site", "build", "--base-url", BASE, "--today", "2026-06-01", "--no-validate"]
    built = subprocess.run(
        [sys.executable, "-m", "gs1ld", *args, str(EXAMPLE_CATALOG), "-o", str(site)],
        capture_output=True,
    )
    assert built.returncode == 0, built.stderr
    before = tree_bytes(site)
    process = _start(*args, "--workers", "2", str(big_catalog), "-o", str(site))

    def staging_has_products() -> bool:
        return any(any(p.glob("01/*")) for p in (site / ".gs1ld-builds").glob(".staging-*"))

    _when(staging_has_products, process)
    _assert_interrupted(*_interrupt(process))
    assert tree_bytes(site) == before
    assert not list((site / ".gs1ld-builds").glob(".staging-*"))


def test_a_convert_is_interrupted_and_what_it_wrote_is_whole(
    big_catalog: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    process = _start("convert", str(big_catalog), "-o", str(out), "--base-url", BASE)
    _when(lambda: out.is_dir() and any(out.glob("*.jsonld")), process)
    _assert_interrupted(*_interrupt(process))
    for path in out.iterdir():  # every file there is a whole document, no temporary left
        assert path.suffix == ".jsonld", path
        assert path.read_bytes().rstrip().endswith(b"}")
