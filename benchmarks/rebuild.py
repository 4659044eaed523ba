#!/usr/bin/env python3
"""Rebuild cost against a full build: a site's publishing should cost what changed.

For each size (``--products``, default 10,000 and 100,000) a synthetic catalog
is built into a fresh local site folder (the baseline: a full build), then
rebuilt unchanged, then rebuilt with 1% of its products changed (every 100th
entry gets a new description), then on the next day with those changes undone:
the daily rebuild, where the day moves as well (a certificate whose date the day
crosses is read and rendered again, as a changed line is).  Then ``--days`` more
daily rebuilds, each a day later with the same 1% changed again (a new recipe each
day): from the second on, each writes its products over the spare versions the
one before retired (:mod:`gs1ld.site.folder`), as a catalog changing every day does.
With ``--s3 N`` the same runs (but the daily ones) publish a catalog of N products to
a bucket on moto's S3 server on 127.0.0.1 (the server the tests use, here in a
process of its own).  Each rebuild is reported as wall time and as a share of the
same run's full build, beside the storage's own cost of the 1% rebuild's writes,
which no build can go below there: on a local folder the changed products' files
written once as plain files, just before and just after the 1% rebuild, and the
catalog read and every line digested once (what any rebuild must do to learn which
lines changed); on S3 their objects put again and one listing of a product folder,
right after it.  Under each local rebuild, where its time went: each phase's wall
time with this process's CPU time in it, and the CPU time of the pool's workers.

Goals (issue 26): a 1% rebuild (either) under 10% of the full build and under 5 s
plus 1 ms per changed product; a no-change rebuild under 2%.

Usage: python benchmarks/rebuild.py [--products N ...] [--s3 N] [--workers W]
       [--days D] [--dir DIR] [--no-validate]
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import orjson

GOAL_CHANGED_SHARE = 0.10
GOAL_UNCHANGED_SHARE = 0.02
GOAL_FIXED_S = 5.0
GOAL_PER_CHANGED_S = 0.001
CHANGED_EVERY = 100
"""Every 100th entry of the 1% catalog is changed."""


def _write_catalog(
    path: Path, count: int, *, changed_every: int = 0, recipe: str = "New recipe."
) -> int:
    """Write the synthetic catalog; every ``changed_every``-th entry altered (``recipe``
    added to its description). Returns changes."""
    from gs1ld.testing import synthetic_catalog

    changes = 0
    with path.open("wb") as out:
        for index, entry in enumerate(synthetic_catalog(count, seed=26)):
            if changed_every and index % changed_every == 0:
                entry["product"]["description"] += f" {recipe}"
                changes += 1
            out.write(orjson.dumps(entry, option=orjson.OPT_APPEND_NEWLINE))
    return changes


def _changed_gtins(changed: Path) -> list[str]:
    """The GTINs of the entries :func:`_write_catalog` changed in ``changed``."""
    with changed.open("rb") as lines:
        return [
            orjson.loads(line)["gtin"]
            for index, line in enumerate(lines)
            if index % CHANGED_EVERY == 0
        ]


def _next_day(config: Any, days: int = 1) -> Any:
    """The same site options ``days`` later."""
    export = replace(config.export, today=config.export.today + timedelta(days=days))
    return replace(config, export=export)


def _timed(run: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


class _Phases:
    """Where one build's time went (given to it as its progress): each phase's wall time
    and this process's CPU time in it, and the workers' CPU time (the pool's processes
    are this one's children, counted once they have ended, as they have by the end of
    a build).  On two cores a phase is CPU-bound when its CPU time is near what the
    cores give it, and then its time falls only with CPU taken out of it."""

    def __init__(self) -> None:
        self.marks: list[tuple[str, float, float]] = []
        self._children = _children_cpu()

    def __call__(self, name: str) -> None:
        self.marks.append((name, time.perf_counter(), time.process_time()))

    def line(self) -> str:
        """The phases as one line, read at the end of the build."""
        marks = [*self.marks, ("", time.perf_counter(), time.process_time())]
        phases = ", ".join(
            f"{name} {end - start:.2f} s ({cpu_end - cpu:.2f})"
            for (name, start, cpu), (_, end, cpu_end) in itertools.pairwise(marks)
        )
        workers = _children_cpu() - self._children
        return f"{phases}; workers {workers:.1f} s CPU"


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _build(catalog: Path, site: Path, config: Any) -> tuple[float, Any, str]:
    """One local build: its wall time, its report and where its time went."""
    from gs1ld.site.build import build_site
    from gs1ld.site.report import BuildProgress

    phases = _Phases()
    seconds, report = _timed(
        lambda: build_site(catalog, site, config=config, on_progress=BuildProgress(phase=phases))
    )
    return seconds, report, phases.line()


def _report(
    label: str,
    count: int,
    full_s: float,
    runs: dict[str, tuple[float, Any]],
    phases: dict[str, str] | None = None,
) -> bool:
    """Print one size's figures (each run's ``phases`` under it); True when its goals
    are met."""
    print(f"{label}, {count:,} products: full build {full_s:.2f} s (baseline, 100%)")
    met = True
    for name, (seconds, report) in runs.items():
        share = seconds / full_s
        if name == "no-change":
            goal = f"goal < {GOAL_UNCHANGED_SHARE:.0%}"
            ok = share < GOAL_UNCHANGED_SHARE
        else:
            changed = report.built
            budget = GOAL_FIXED_S + GOAL_PER_CHANGED_S * changed
            goal = f"goal < {GOAL_CHANGED_SHARE:.0%} and < {budget:.1f} s"
            ok = share < GOAL_CHANGED_SHARE and seconds < budget
        met &= ok
        print(
            f"  {name:>11} rebuild: {seconds:7.2f} s = {share:6.1%} of the full build "
            f"({report.summary()}; {goal}: {'met' if ok else 'NOT met'})"
        )
        if phases:
            print(f"{'':>23}{phases[name]}")
    return met


def _local(count: int, work: Path, config: Any, days: int) -> bool:
    catalog, changed = work / f"catalog-{count}.jsonl", work / f"changed-{count}.jsonl"
    _write_catalog(catalog, count)
    _write_catalog(changed, count, changed_every=CHANGED_EVERY)
    site = work / f"site-{count}"
    full_s, _, full_phases = _build(catalog, site, config)
    built = {"no-change": _build(catalog, site, config)}
    floors = [_folder_floor(site, changed, work / f"floor-{count}-before")]
    built["1%-changed"] = _build(changed, site, config)
    floors.append(_folder_floor(site, changed, work / f"floor-{count}-after"))
    reading_s = _catalog_floor(changed)
    built["next-day 1%"] = _build(catalog, site, _next_day(config))
    daily = work / f"daily-{count}.jsonl"
    for day in range(2, 2 + days):
        _write_catalog(daily, count, changed_every=CHANGED_EVERY, recipe=f"Recipe {day}.")
        built[f"day {day} 1%"] = _build(daily, site, _next_day(config, day))
    runs = {name: (seconds, report) for name, (seconds, report, _) in built.items()}
    phases = {name: line for name, (_, _, line) in built.items()}
    met = _report("local folder", count, full_s, runs, phases)  # before removing the site
    print(f"  the full build: {full_phases}")
    print(
        f"  the folder alone, same run: writing the changed products' {floors[0][1]:,} files "
        f"as plain files takes {floors[0][0]:.2f} s just before the 1% rebuild and "
        f"{floors[1][0]:.2f} s just after it"
    )
    print(
        f"  the catalog alone, same run: reading its {changed.stat().st_size / 1e6:,.0f} MB "
        f"and digesting every line takes {reading_s:.2f} s, just after the 1% rebuild"
    )
    for folder in (site, work / f"floor-{count}-before", work / f"floor-{count}-after"):
        shutil.rmtree(folder, ignore_errors=True)
    return met


def _catalog_floor(catalog: Path) -> float:
    """What any rebuild of a catalog must do to learn which of its lines changed: read
    it once and digest every line (the digest a build knows lines by,
    :func:`~gs1ld.catalog.lines.line_digest`), nothing else.  A naive peer of the
    build's reading phase, which also looks each digest up and parses the lines not
    known."""
    from gs1ld.catalog.lines import line_digest

    def read() -> None:
        with catalog.open("rb") as lines:
            for line in lines:
                line_digest(line.rstrip(b"\r\n"))

    seconds, _ = _timed(read)
    return seconds


def _folder_floor(site: Path, changed: Path, scratch: Path) -> tuple[float, int]:
    """The file system's own cost of what the 1% rebuild writes: every file of the
    changed products' folders (pages in every language, JSON-LD, linkset, QR code),
    read from the live site first, then written once into ``scratch``, a folder of
    its own per product, as plain files.  A naive peer that only writes; the files
    are left in place until the end of the size's runs, since removing many files
    slows the next creations on some file systems (online discard)."""
    from gs1ld.publish.layout import product_paths

    gtins = _changed_gtins(changed)
    live = site / "current"
    files = {
        (gtin, path.name): path.read_bytes()
        for gtin in gtins
        for path in (live / product_paths(gtin).folder).iterdir()
    }

    def write() -> None:
        scratch.mkdir()
        for gtin in gtins:
            (scratch / gtin).mkdir()
        for (gtin, name), data in files.items():
            (scratch / gtin / name).write_bytes(data)

    seconds, _ = _timed(write)
    return seconds, len(files)


def _s3(count: int, work: Path, config: Any) -> bool:
    import s3fs

    from gs1ld.site.store import StoreSite, build_site_to_store

    port = _free_port()
    with _moto_server(port):
        endpoint = f"http://127.0.0.1:{port}"
        for key, value in {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        }.items():
            os.environ[key] = value
        s3fs.S3FileSystem(endpoint_url=endpoint).mkdir("bench")
        catalog, changed = work / f"s3-catalog-{count}.jsonl", work / f"s3-changed-{count}.jsonl"
        _write_catalog(catalog, count)
        _write_catalog(changed, count, changed_every=CHANGED_EVERY)
        site = StoreSite("s3://bench/site")

        def build(source: Path) -> Any:
            return build_site_to_store(source, site, config=config, scratch=work)

        full_s, _ = _timed(lambda: build(catalog))
        runs = {
            "no-change": _timed(lambda: build(catalog)),
            "1%-changed": _timed(lambda: build(changed)),
        }
        met = _report("S3 (moto on 127.0.0.1)", count, full_s, runs)
        print(_store_floor(s3fs.S3FileSystem(endpoint_url=endpoint), "bench/site", changed))
        runs = {
            "next-day 1%": _timed(
                lambda: build_site_to_store(catalog, site, config=_next_day(config), scratch=work)
            )
        }
        met &= _report("S3 (moto on 127.0.0.1), then", count, full_s, runs)
    return met


def _store_floor(fs: Any, root: str, changed: Path) -> str:
    """The store's own cost of what the 1% rebuild wrote, measured right after it: the
    changed products' four files each put again as they are (same keys, same bytes, one
    batch, as the build puts them), and one listing of a product folder (what deleting
    a product's stale files asks). A naive peer that does only the store's part."""
    from gs1ld.publish.layout import product_paths

    gtins = _changed_gtins(changed)
    folders = [f"{root}/{product_paths(gtin).folder}" for gtin in gtins]
    fs.invalidate_cache()
    listing_s, _ = _timed(lambda: [fs.find(folder) for folder in folders[:10]])
    listing_s /= min(len(folders), 10)
    # the four files every product has (a few have language pages besides: left out,
    # so the floor is if anything low); found without listing a folder per product
    objects = {
        f"{root}/{path}": fs.cat_file(f"{root}/{path}")
        for gtin in gtins
        for path in product_paths(gtin).files
    }
    upload_s, _ = _timed(lambda: fs.pipe(objects))
    return (
        f"  the store alone, same run: putting the {len(gtins):,} changed products' "
        f"{len(objects):,} objects again takes {upload_s:.2f} s; one listing of a product "
        f"folder {listing_s * 1000:.0f} ms (moto reads every key of the bucket for it)"
    )


@contextlib.contextmanager
def _moto_server(port: int) -> Iterator[None]:
    """moto's S3 server in a process of its own on 127.0.0.1:``port``.

    Not in a thread of this one (as the tests start it): there it shares the
    build's interpreter lock, and every request it answers is time the build
    does not run.
    """
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,  # one line a request
    )
    try:
        deadline = time.monotonic() + 60
        while True:  # until it accepts connections: a start-up wait, not a measurement
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("moto's S3 server did not start") from None
                time.sleep(0.1)
        yield
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a server holding a large bucket is slow to go
            server.kill()
            server.wait()


def _free_port() -> int:
    """A port free on 127.0.0.1 now (closed again at once, for the S3 server to take)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--s3", type=int, default=0, help="also on moto's S3 server, N products")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--days", type=int, default=3, help="daily 1%% rebuilds after the next day's (local)"
    )
    parser.add_argument("--dir", type=Path, default=None, help="where to build (default: $TMPDIR)")
    parser.add_argument("--no-validate", action="store_true", help="skip SHACL validation")
    args = parser.parse_args()

    from gs1ld.config import ExportConfig, SiteConfig

    config = SiteConfig(
        ExportConfig(base_url="https://id.brand.example", today=date(2026, 6, 1)),
        workers=args.workers,
        validate=not args.no_validate,
    )
    print(
        f"{args.workers} workers, validation {'off' if args.no_validate else 'on'}, "
        f"load average {os.getloadavg()[0]:.2f} at the start"
    )
    if args.dir is not None:
        args.dir.mkdir(parents=True, exist_ok=True)  # a new folder for the runs is fine
    work = Path(tempfile.mkdtemp(prefix="gs1ld-bench-rebuild-", dir=args.dir))
    met = True
    try:
        for count in args.products:
            met &= _local(count, work, config, args.days)
        if args.s3:
            met &= _s3(args.s3, work, config)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"load average {os.getloadavg()[0]:.2f} at the end; written under {work.parent}")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
