#!/usr/bin/env python3
"""Mapping + serialisation throughput on one core, streamed, with peak memory.

Writes a synthetic catalog (``--products``, default 100,000) as JSON Lines, then
streams it in batches of 1,000: reads and validates a batch (pydantic), then
maps each entry with ``to_jsonld`` and serialises the document (orjson, sorted
keys) to /dev/null, timing the two phases apart, in this one process. Reports
mapping + serialisation products/s (the goal: >= 10,000/s), the reading rate,
end to end, and the peak resident memory, which stays flat in catalog size
because at most one batch is held.

Usage: python benchmarks/mapping.py [--products N] [--seed S]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import tempfile
import time
from datetime import date
from itertools import islice
from pathlib import Path

import orjson

GOAL = 10_000
BATCH = 1_000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()

    from gs1ld.catalog import read_catalog
    from gs1ld.config import ExportConfig
    from gs1ld.mapping import to_jsonld
    from gs1ld.testing import synthetic_catalog, write_jsonl

    with tempfile.TemporaryDirectory(prefix="gs1ld-bench-") as work:
        catalog = Path(work) / "catalog.jsonl"
        write_jsonl(synthetic_catalog(args.products, seed=args.seed), catalog)
        config = ExportConfig(base_url="https://id.brand.example", today=date(2026, 6, 1))
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        mapped = 0
        parse_time = map_time = 0.0
        outcomes = read_catalog(catalog)
        with open(os.devnull, "wb") as sink:
            start = time.perf_counter()
            while True:
                # Stream in bounded batches: read and validate a batch, then map and
                # serialise it, timing each phase apart. Memory stays flat.
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
        peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"mapping + serialisation: {mapped / map_time:,.0f} products/s on one core "
        f"(goal >= {GOAL:,}/s; {mapped:,} products, {map_time:.1f} s)"
    )
    print(
        f"reading + validating entries: {mapped / parse_time:,.0f} products/s; "
        f"end to end: {mapped / elapsed:,.0f} products/s"
    )
    print(
        f"peak RSS {peak_mib:,.0f} MiB (before the run {rss_before / 1024:,.0f} MiB; streamed, "
        f"flat in catalog size); python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"{platform.machine()}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
