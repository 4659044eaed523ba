"""The build's summary rows come back in any order through an external merge sort."""

from __future__ import annotations

import errno
import multiprocessing
import os
import random
from pathlib import Path
from typing import Any

import pytest

from gs1ld.publish import ManifestEntry
from gs1ld.site import rows as rows_module
from gs1ld.site.rows import RowStore


@pytest.mark.parametrize("fan_in", [3, 256])
def test_rows_sort_across_runs_and_merge_passes_leaving_no_run_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fan_in: int
) -> None:
    monkeypatch.setattr(rows_module, "FAN_IN", fan_in)
    rng = random.Random(4)
    entries = [ManifestEntry(f"{n:014d}", "h", f"{rng.random():.6f}", "") for n in range(205)]
    store = RowStore(tmp_path / "rows", run_size=10)  # 21 runs: two merge passes at fan-in 3
    for entry in entries:
        store.add(entry)
    assert list(store.sorted(lambda e: e.name)) == sorted(entries, key=lambda e: e.name)
    assert list(store.sorted(lambda e: e.gtin)) == entries
    assert [p.name for p in (tmp_path / "rows").iterdir()] == ["rows.bin"]


def test_workers_sharing_a_process_id_sort_in_one_folder_without_clobbering_runs(
    tmp_path: Path,
) -> None:
    """Dask workers on two hosts (or in two containers) may have one process id, and
    the site-wide jobs sort rows in the shared rows folder at once: neither may write
    over the other's sort runs."""
    context = multiprocessing.get_context("fork")  # (each worker starts from one state)
    both_spilled = context.Barrier(2)
    finished = {}
    for name in ("a", "b"):
        store: RowStore[ManifestEntry] = RowStore(tmp_path, name=f"{name}.bin", run_size=10)
        for n in range(50):
            store.add(ManifestEntry(f"{n:014d}", "h", f"{name}{n * 37 % 50:02d}", ""))
        finished[name] = store.finished()

    def sort(name: str) -> None:
        os.getpid = lambda: 7  # (in the worker only: this process's bookkeeping needs its own)
        with finished[name].ordered(lambda e: e.name) as merged:
            both_spilled.wait(timeout=120)  # both have written their runs, neither merged
            names = [e.name for e in merged()]
        if names != [f"{name}{n:02d}" for n in range(50)]:
            raise SystemExit(f"{name} read {names[:3]}")

    workers = [context.Process(target=sort, args=(name,)) for name in finished]
    try:
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=120)
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.kill()
                worker.join()
    assert [worker.exitcode for worker in workers] == [0, 0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.bin", "b.bin"]


def test_a_run_that_cannot_be_written_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store: RowStore[ManifestEntry] = RowStore(tmp_path, run_size=10)
    for n in range(30):
        store.add(ManifestEntry(f"{n:014d}", "h", f"{n}", ""))
    finished = store.finished()

    def full_disk(target: Any, rows: Any, block: int) -> None:
        target.write(b"part of a run")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(rows_module, "_write_blocks", full_disk)
    with pytest.raises(OSError, match="No space left"), finished.ordered(lambda e: e.name):
        pass
    assert [p.name for p in tmp_path.iterdir()] == ["rows.bin"]
