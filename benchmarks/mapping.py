#!/usr/bin/env python3
"""Mapping + serialisation throughput on one core, streamed, with peak memory.

Writes a synthetic catalog (``--products``, default 100,000) as JSON Lines, then
streams it in batches of 1,000: reads and validates a batch (pydantic), then
maps each entry with ``to_jsonld`` and serialises the document (orjson, sorted
keys) to /dev/null, timing the two phases apart, in this one process. Reports
mapping + serialisation products/s (the goal: >= 10,000/s), the reading rate,
end to end, and the peak resident memory, which stays flat in catalog size
because at most one batch is held.

Usage: python benchmarks/mapping.py [--products N] [--seed S] [--repeat R]

The process is pinned to one CPU and the stream is mapped ``--repeat`` times
(default 3); the median, best and worst rates are printed, because timings on a
shared VM vary from run to run.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import tempfile
import time
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any

import orjson

GOAL = 10_000
BATCH = 1_000


def _round(
    catalog: Path, config: Any, read_catalog: Any, to_jsonld: Any
) -> tuple[int, float, float, float]:
    """One streamed pass: (products, mapping seconds, reading seconds, elapsed seconds)."""
    mapped = 0
    parse_time = map_time = 0.0
    outcomes = read_catalog(catalog)
    with open(os.devnull, "wb") as sink:
        start = time.perf_counter()
        while True:
            # Bounded batches: read and validate a batch, then map and serialise it,
            # timing each phase apart. Memory stays flat.
            t0 = time.perf_counter()
            batch = [o.entry for o in islice(outcomes, BATCH) if o.entry is not None]
            t1 = time.perf_counter()
            parse_time += t1 - t0
            if not batch:
                break
            for entry in batch:
                sink.write(
                    orjson.dumps(to_jsonld(entry, config=config), option=orjson.OPT_SORT_KEYS)
                )
            map_time += time.perf_counter() - t1
            mapped += len(batch)
        elapsed = time.perf_counter() - start
    return mapped, map_time, parse_time, elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):  # one core, as the goal says; fewer migrations
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[-1]})

    from gs1ld.catalog import read_catalog
    from gs1ld.config import ExportConfig
    from gs1ld.publish import to_jsonld
    from gs1ld.testing import synthetic_catalog, write_jsonl

    with tempfile.TemporaryDirectory(prefix="gs1ld-bench-") as work:
        catalog = Path(work) / "catalog.jsonl"
        write_jsonl(synthetic_catalog(args.products, seed=args.seed), catalog)
        config = ExportConfig(base_url="https://id.brand.example", today=date(2026, 6, 1))
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        rounds = [_round(catalog, config, read_catalog, to_jsonld) for _ in range(args.repeat)]
        peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rates = sorted(mapped / map_time for mapped, map_time, _, _ in rounds)
    mapped, _, parse_time, elapsed = rounds[0]
    print(
        f"mapping + serialisation: median {statistics.median(rates):,.0f} products/s, best "
        f"{rates[-1]:,.0f}, worst {rates[0]:,.0f} on one core over {args.repeat} rounds of "
        f"{mapped:,} products (goal >= {GOAL:,}/s)"
    )
    print(
        f"reading + validating entries: {mapped / parse_time:,.0f} products/s; end to end: "
        f"{mapped / elapsed:,.0f} products/s (first round)"
    )
    print(
        f"peak RSS {peak_mib:,.0f} MiB (before the run {rss_before / 1024:,.0f} MiB; streamed, "
        f"flat in catalog size); python {platform.python_version()}, pinned to CPU "
        f"{sorted(os.sched_getaffinity(0))[0]} of {os.cpu_count()}, {platform.machine()}"
    )
    return 0 if statistics.median(rates) >= GOAL else 1


if __name__ == "__main__":
    raise SystemExit(main())
