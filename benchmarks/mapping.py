#!/usr/bin/env python3
"""Mapping + serialisation throughput on one core, beside the same run's baselines.

Writes a synthetic catalog (``--products``, default 20,000) as JSON Lines, then
streams it in batches of 1,000: reads and validates a batch (pydantic), then maps
each entry with ``to_jsonld`` and serialises the document (orjson, sorted keys) to
/dev/null, timing the two phases apart. Reports mapping + serialisation products/s
per core (the goal: >= 15,000/s, issue 26), the reading rate and the peak resident
memory, which stays flat in catalog size because at most one batch is held. The
goal is judged on the synthetic catalog's rate scaled by the same run's baseline
(now / before x 10,600, the baseline's rate when issue 26 measured it), since this
machine's speed drifts by tens of percent; the plain figure is printed beside it.

Two catalogs are mapped: the synthetic one (fourteen ingredient names, so the
allergen matcher's memo answers most names), and the same products with every
ingredient name drawn from the allergen corpus (``tests/mapping/allergen_corpus``:
thirteen thousand label names in ten languages), so nearly every name is matched
afresh, as in a real catalog.

Beside each figure, measured in the same run and on the same core:

* **before**: the same streamed pass with the code of commit ``--baseline``
  (default: the commit before issue 26's mapping work), exported with
  ``git archive`` and run from its own ``src/`` and ``mappings/``;
* **JSON**: ``orjson.loads`` + ``orjson.dumps`` of the same lines, a yardstick of
  how fast the core is right now (the machine is shared).

Each round maps inside :func:`gs1ld.mapping.mapping_batch`, as ``gs1ld convert`` and
``gs1ld site build`` do (code from before it has none: the yardstick is measured
outside it).

Rounds alternate (before, now, before, now, ...), each a fresh process pinned to the
same CPU, so a burst of load from elsewhere hits both; the median of ``--repeat``
rounds (default 3) is printed with the ratio now / before.

Instructions (``--instructions``), which the machine's load does not change: each
catalog's first ``--products`` entries (default 4,000 in this mode) are streamed in
batches of 1,000 and the first K of them mapped and serialised inside
:func:`gs1ld.mapping.mapping_batch`, once with K = 1,000 and once with K = all, each
in a fresh process under valgrind's cachegrind (``--cache-sim=no``,
``PYTHONHASHSEED=0``), for the code now and for ``--baseline``; the difference of the
two runs' instruction counts over the products between them is the instructions per
product of mapping + serialisation (reading is the same in both runs and cancels out,
and the memos have filled as in a real run). It prints those and the ratio before /
now; valgrind makes a run about fifty times slower, so the eight runs (two catalogs,
two codes, two sizes, one after the other on one core) take several minutes. Without
valgrind on the PATH the mode says so and exits 0 without measuring.

Usage: python benchmarks/mapping.py [--products N] [--seed S] [--repeat R]
       [--baseline COMMIT] [--instructions]
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "mapping" / "allergen_corpus"
GOAL = 15_000
BASELINE_RATE = 10_600
"""What the default baseline mapped per second per core when issue 26 measured it: the
machine's speed drifts, so the goal is judged on the rate scaled by that of the same
run's baseline (now / before x 10,600), beside the plain figure."""
BATCH = 1_000
BASELINE = "c749dd4"
_TREE = ("src", "mappings", "contexts", "pyproject.toml")
FIRST = 1_000
"""In ``--instructions`` mode: the products mapped by the shorter of a catalog's two runs."""
_CACHEGRIND = ("valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null")
_I_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def _round(catalog: Path) -> dict[str, float]:
    """One streamed pass in this process: products, mapping, reading and JSON seconds."""
    from gs1ld.config import ExportConfig

    config = ExportConfig(base_url="https://id.brand.example", today=date(2026, 6, 1))
    try:  # as gs1ld convert and gs1ld site build do (code from before it has none)
        from gs1ld.mapping import mapping_batch

        batch_block: Any = mapping_batch(config)
    except ImportError:
        batch_block = contextlib.nullcontext()
    with batch_block:
        result = _stream(catalog, config)
    lines = catalog.read_bytes().splitlines()
    t0 = time.perf_counter()  # the yardstick, outside the batch block (as before it)
    for line in lines:
        orjson.dumps(orjson.loads(line), option=orjson.OPT_SORT_KEYS)
    return {**result, "json": time.perf_counter() - t0, "lines": len(lines)}


def _stream(catalog: Path, config: Any) -> dict[str, float]:
    """The streamed pass: products, mapping (wall and CPU) and reading seconds."""
    from gs1ld.catalog import read_catalog
    from gs1ld.publish import to_jsonld

    first = next(o.entry for o in read_catalog(catalog) if o.entry is not None)
    to_jsonld(first, config=config)  # tables loaded and compiled before the clock starts
    mapped = 0
    parse_time = map_time = map_cpu = 0.0
    outcomes = read_catalog(catalog)
    with open(os.devnull, "wb") as sink:
        while True:
            # Bounded batches: read and validate a batch, then map and serialise it,
            # timing each phase apart. Memory stays flat.
            t0 = time.perf_counter()
            batch = [o.entry for o in islice(outcomes, BATCH) if o.entry is not None]
            t1 = time.perf_counter()
            parse_time += t1 - t0
            if not batch:
                break
            c1 = time.process_time()
            for entry in batch:
                sink.write(
                    orjson.dumps(to_jsonld(entry, config=config), option=orjson.OPT_SORT_KEYS)
                )
            map_time += time.perf_counter() - t1
            map_cpu += time.process_time() - c1
            mapped += len(batch)
    return {
        "mapped": mapped,
        "map": map_time,
        "cpu": map_cpu,
        "parse": parse_time,
        "rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }


def _mapped_part(catalog: Path, count: int) -> None:
    """Stream ``catalog`` as :func:`_stream` does, mapping and serialising only its first
    ``count`` entries (the rest are read and validated, not mapped); no clock."""
    from gs1ld.catalog import read_catalog
    from gs1ld.config import ExportConfig
    from gs1ld.publish import to_jsonld

    config = ExportConfig(base_url="https://id.brand.example", today=date(2026, 6, 1))
    try:
        from gs1ld.mapping import mapping_batch

        batch_block: Any = mapping_batch(config)
    except ImportError:
        batch_block = contextlib.nullcontext()
    with batch_block, open(os.devnull, "wb") as sink:
        first = next(o.entry for o in read_catalog(catalog) if o.entry is not None)
        to_jsonld(first, config=config)
        outcomes = read_catalog(catalog)
        done = 0
        while batch := [o.entry for o in islice(outcomes, BATCH) if o.entry is not None]:
            for entry in batch:
                if done < count:
                    sink.write(
                        orjson.dumps(to_jsonld(entry, config=config), option=orjson.OPT_SORT_KEYS)
                    )
                done += 1


def _instructions(src: Path, catalog: Path, count: int) -> int:
    """Instructions a fresh process with the code of ``src`` executes mapping the first
    ``count`` entries of ``catalog`` (:func:`_mapped_part`), under cachegrind."""
    done = subprocess.run(
        [*_CACHEGRIND, sys.executable, __file__, "--worker", str(catalog), "--count", str(count)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(src), "PYTHONHASHSEED": "0"},
    )
    found = _I_REFS.search(done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"the cachegrind run with {src} failed:\n{done.stderr}")
    return int(found.group(1).replace(",", ""))


def _per_product(src: Path, catalog: Path, products: int) -> float:
    """Instructions per product of mapping + serialisation: products FIRST+1..all."""
    return (_instructions(src, catalog, products) - _instructions(src, catalog, FIRST)) / (
        products - FIRST
    )


def _corpus_names() -> list[str]:
    names: dict[str, None] = {}
    for path in sorted(CORPUS.glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as handle:
            names.update(
                dict.fromkeys(row["name"] for row in csv.DictReader(handle, delimiter="\t"))
            )
    return list(names)


def _with_corpus_names(
    entry: dict[str, Any], names: list[str], rng: random.Random
) -> dict[str, Any]:
    for row in entry["content"]["ingredients"]:
        row["name"] = rng.choice(names)
    return entry


def _export(commit: str, work: Path) -> Path:
    """The tree of ``commit`` (its code and bundled data) in ``work``; returns its ``src``."""
    archive = work / "baseline.tar"
    subprocess.run(
        ["git", "-C", str(ROOT), "archive", "-o", str(archive), commit, *_TREE],
        check=True,
    )
    with tarfile.open(archive) as tar:
        tar.extractall(work / "baseline", filter="data")
    return work / "baseline" / "src"


def _run(src: Path, catalog: Path, cpu: int) -> dict[str, float]:
    """One round in a fresh process on ``cpu`` with the code of ``src``."""
    done = subprocess.run(
        [sys.executable, __file__, "--worker", str(catalog), "--cpu", str(cpu)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(src)},
    )
    if done.returncode != 0:
        raise SystemExit(f"the round with {src} failed:\n{done.stderr}")
    result: dict[str, float] = json.loads(done.stdout)
    return result


def _median(rounds: list[dict[str, float]], key: str) -> float:
    return statistics.median(r["mapped" if key != "json" else "lines"] / r[key] for r in rounds)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline", default=BASELINE)
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="count instructions per product under valgrind's cachegrind instead of timing",
    )
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--cpu", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    cpu = sorted(os.sched_getaffinity(0))[-1] if args.cpu is None else args.cpu
    os.sched_setaffinity(0, {cpu})  # one core, as the goal says; fewer migrations
    if args.worker is not None and args.count is not None:
        _mapped_part(args.worker, args.count)
        return 0
    if args.worker is not None:
        print(json.dumps(_round(args.worker)))
        return 0
    if args.instructions and shutil.which("valgrind") is None:
        print("valgrind is not on the PATH: --instructions skipped, nothing measured")
        return 0
    if args.products is None:
        args.products = 4_000 if args.instructions else 20_000
    if args.instructions and args.products <= FIRST:
        parser.error(f"--instructions needs more than {FIRST:,} products")

    sys.path.insert(0, str(ROOT / "src"))
    from gs1ld.testing import synthetic_catalog, write_jsonl

    names = _corpus_names()
    met = False
    with tempfile.TemporaryDirectory(prefix="gs1ld-bench-") as tmp:
        work = Path(tmp)
        before_src = _export(args.baseline, work)
        catalogs = {
            "synthetic names": work / "synthetic.jsonl",
            "corpus names": work / "corpus.jsonl",
        }
        write_jsonl(synthetic_catalog(args.products, seed=args.seed), catalogs["synthetic names"])
        rng = random.Random(args.seed)
        write_jsonl(
            (
                _with_corpus_names(e, names, rng)
                for e in synthetic_catalog(args.products, seed=args.seed)
            ),
            catalogs["corpus names"],
        )
        load = os.getloadavg()
        if args.instructions:
            for label, catalog in catalogs.items():
                before = _per_product(before_src, catalog, args.products)
                now = _per_product(ROOT / "src", catalog, args.products)
                print(
                    f"{label}: {now / 1000:,.0f}k instructions per product mapped and "
                    f"serialised, before ({args.baseline}) {before / 1000:,.0f}k: now / "
                    f"before x{now / before:.3f} (products {FIRST + 1:,}-{args.products:,}, "
                    "cachegrind)"
                )
                if args.baseline == BASELINE:
                    print(
                        f"  at {args.baseline}'s {BASELINE_RATE:,}/s that is "
                        f"{BASELINE_RATE * before / now:,.0f} products/s per core (goal "
                        f">= {GOAL:,}; instructions a product stand for time here)"
                    )
            print(f"python {platform.python_version()}, {platform.machine()}")
            return 0
        for label, catalog in catalogs.items():
            now: list[dict[str, float]] = []
            before: list[dict[str, float]] = []
            for _ in range(args.repeat):
                before.append(_run(before_src, catalog, cpu))
                now.append(_run(ROOT / "src", catalog, cpu))
            rate_now, rate_before = _median(now, "map"), _median(before, "map")
            cpu_now, cpu_before = _median(now, "cpu"), _median(before, "cpu")
            json_now, json_before = _median(now, "json"), _median(before, "json")
            print(
                f"{label}: mapping + serialisation {rate_now:,.0f} products/s per core, "
                f"before ({args.baseline}) {rate_before:,.0f}: x{rate_now / rate_before:.2f} "
                f"(median of {args.repeat} alternating rounds of {int(now[0]['mapped']):,} "
                "products)"
            )
            print(
                f"  per CPU second (time waiting for the core left out): {cpu_now:,.0f} "
                f"products/s, before {cpu_before:,.0f}: x{cpu_now / cpu_before:.2f}"
            )
            print(
                f"  JSON loads + dumps of the same lines: {json_now:,.0f}/s beside now, "
                f"{json_before:,.0f}/s beside before; mapping now = "
                f"{rate_now / json_now:.3f} of JSON, before {rate_before / json_before:.3f}"
            )
            print(
                f"  reading + validating entries: {_median(now, 'parse'):,.0f} products/s; "
                f"peak RSS {max(r['rss_kib'] for r in now) / 1024:,.0f} MiB (streamed, flat "
                "in catalog size)"
            )
            if label == "synthetic names":
                scaled = rate_now / rate_before * BASELINE_RATE
                if args.baseline == BASELINE:
                    met = scaled >= GOAL
                    print(
                        f"  scaled to the machine issue 26 measured ({args.baseline} at "
                        f"{BASELINE_RATE:,}/s): {scaled:,.0f} products/s per core; goal "
                        f">= {GOAL:,}: {'met' if met else 'NOT met'}"
                    )
                else:
                    met = rate_now >= GOAL
        print(
            f"goal >= {GOAL:,}/s per core; load average at the start {load[0]:.2f} on "
            f"{os.cpu_count()} CPUs; python {platform.python_version()}, pinned to CPU {cpu}, "
            f"{platform.machine()}"
        )
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
