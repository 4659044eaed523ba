#!/usr/bin/env python3
"""GTIN-list preparation before a pull's first request: linear in the list's length.

Reads ``--gtins`` (default 80,000) GTINs, checks them, reads a JSON Lines
catalog that already holds them all and skips each (so ``pull_catalog`` runs its
whole preparation and sends nothing), and prints the time beside the baseline
measured in the same run: the former list-membership de-duplication of the same
GTINs (quadratic), timed on a tenth of the list and scaled by the square of the ratio.

Goal: 80,000 GTINs prepared in well under a second.

Usage: python benchmarks/pull_prepare.py [--gtins N]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

import orjson

from gs1ld.feed.client import AsyncClient, ClientOptions
from gs1ld.feed.pull import GtinLine, pull_catalog, read_gtins
from gs1ld.gtin import check_digit


def _gtins(n: int) -> list[str]:
    return [f"{body}{check_digit(body)}" for body in (f"0950{i:09d}" for i in range(n))]


def _list_dedup(lines: list[GtinLine], have: set[str]) -> int:
    todo: list[str] = []
    for line in lines:
        if line.gtin is not None and line.gtin not in have and line.gtin not in todo:
            todo.append(line.gtin)
    return len(todo)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gtins", type=int, default=80_000)
    n = parser.parse_args().gtins
    gtins = _gtins(n)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "c.jsonl"
        out.write_bytes(b"".join(orjson.dumps({"gtin": g}) + b"\n" for g in gtins))
        start = time.perf_counter()
        lines = list(read_gtins(gtins))

        async def run() -> int:
            async with AsyncClient(options=ClientOptions(api_key="unused")) as client:
                report = await pull_catalog(lines, out, client=client)
            return report.skipped

        skipped = asyncio.run(run())
        ours = time.perf_counter() - start
    assert skipped == n
    tenth = max(1, n // 10)
    small = list(read_gtins(gtins[:tenth]))
    start = time.perf_counter()
    _list_dedup(small, set())
    baseline = (time.perf_counter() - start) * (n / tenth) ** 2
    print(f"{n:,} GTINs prepared (read, checked, de-duplicated): {ours:.3f} s")
    print(f"baseline, list de-duplication (scaled from {tenth:,}): {baseline:.1f} s")


if __name__ == "__main__":
    main()
