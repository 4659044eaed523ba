#!/usr/bin/env python3
"""Static site build throughput (validation included) and a no-change rebuild.

Builds a synthetic catalog (``--products``, default 100,000) into a site with
every CPU (``--workers``, default all), then rebuilds it unchanged. Goals: >=
1,000 products/s for the build on 2 cores, < 10 s for the no-change rebuild.

Usage: python benchmarks/site.py [--products N] [--workers W] [--dir DIR]

``--dir`` chooses the file system the site is written to (default: the system
temporary directory).  Creating a product's folder and four files costs very
different amounts of kernel time on different file systems (on the 2-core VM
these figures come from: about 0.1 ms on tmpfs or a fresh ext4, but 1-4 ms on
its long-lived root ext4), so the figure is reported with the directory used
and with the CPU time the build took in user space and in the kernel.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

GOAL_RATE = 1_000
GOAL_REBUILD_S = 10.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--dir", type=Path, default=None, help="where to build (default: $TMPDIR)")
    args = parser.parse_args()

    from gs1ld.config import ExportConfig, SiteConfig
    from gs1ld.site.build import build_site
    from gs1ld.testing import synthetic_catalog, write_jsonl

    work = Path(tempfile.mkdtemp(prefix="gs1ld-bench-site-", dir=args.dir))
    try:
        catalog = work / "catalog.jsonl"
        write_jsonl(synthetic_catalog(args.products, seed=5), catalog)
        config = SiteConfig(
            ExportConfig(base_url="https://id.brand.example", today=date(2026, 6, 1)),
            workers=args.workers,
        )
        before = _cpu()
        start = time.perf_counter()
        first = build_site(catalog, work / "site", config=config)
        build_s = time.perf_counter() - start
        user_s, kernel_s = (after - earlier for after, earlier in zip(_cpu(), before, strict=True))
        start = time.perf_counter()
        second = build_site(catalog, work / "site", config=config)
        rebuild_s = time.perf_counter() - start
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"site build: {first.built:,} products in {build_s:.1f} s = "
        f"{first.built / build_s:,.0f} products/s with validation, {args.workers} workers "
        f"(goal >= {GOAL_RATE:,}/s); {len(first.invalid)} invalid; written under {work.parent}"
    )
    print(
        f"  CPU per product (all processes): {user_s / first.built * 1000:.2f} ms user, "
        f"{kernel_s / first.built * 1000:.2f} ms kernel"
    )
    print(
        f"no-change rebuild: {second.unchanged:,} unchanged in {rebuild_s:.1f} s "
        f"(goal < {GOAL_REBUILD_S:.0f} s)"
    )
    met = first.built / build_s >= GOAL_RATE and rebuild_s < GOAL_REBUILD_S
    return 0 if met else 1


def _cpu() -> tuple[float, float]:
    """User and kernel CPU seconds of this process and its finished workers."""
    own, workers = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + workers.ru_utime, own.ru_stime + workers.ru_stime


if __name__ == "__main__":
    raise SystemExit(main())
