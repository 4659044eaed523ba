"""Scale: in-process build vs ``--scheduler local:2`` on the same cores, at two sizes.

For each size N (synthetic products, one JSON Lines catalog, ``--no-validate``):

* products/s of the in-process build (this process and ``workers`` processes:
  the baseline) and of the Dask build on a two-process LocalCluster;
* the share of the build spent on the site-wide files (sitemaps, listings,
  maps, manifest), timed by writing them again from the built site's rows;
* the driver's peak memory (``ru_maxrss`` of the process that runs
  ``build_site``; worker processes are not counted) at each size;
* a rebuild with 1% of the products changed, on Dask.

Each build runs in a fresh subprocess, so peak memory is that build's own.

    python benchmarks/scale.py --sizes 20000 100000
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_CHILD = r"""
import json, resource, sys, time
from datetime import date
from pathlib import Path
from gs1ld.config import ExportConfig
from gs1ld.site.build import build_site
from gs1ld.site.config import SiteConfig

catalog, site, engine, workers = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
config = SiteConfig(
    ExportConfig(base_url="https://id.brand.example", today=date(2026, 6, 1)),
    validate=False,
    workers=workers,
)
if engine == "dask":
    from distributed import Client, LocalCluster
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                           dashboard_address=None, host="127.0.0.1")
    with cluster, Client(cluster) as client:
        client.run(lambda: None)  # the cluster is up before the clock starts
        start = time.perf_counter()
        report = build_site(catalog, site, config=config, client=client)
        seconds = time.perf_counter() - start
else:
    start = time.perf_counter()
    report = build_site(catalog, site, config=config)
    seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "built": report.built, "unchanged": report.unchanged,
                  "peak_mib": peak / 1024}))
"""

_SITEWIDE = r"""
import json, sys, tempfile, time
from datetime import date
from pathlib import Path
from gs1ld.config import ExportConfig
from gs1ld.publish import Manifest
from gs1ld.site.config import SiteConfig
from gs1ld.site.rows import RowStore
from gs1ld.site.sitewide import directory_writer, write_sitewide

config = SiteConfig(ExportConfig(base_url="https://id.brand.example", today=date(2026, 6, 1)),
                    validate=False)
work = Path(tempfile.mkdtemp())
start = time.perf_counter()
rows = RowStore(work / "rows")
for entry in Manifest.read(sys.argv[1]).entries():
    rows.add(entry)
write_sitewide(rows, directory_writer(work / "site"), config, "bench")
print(json.dumps({"seconds": time.perf_counter() - start}))
"""


def _run(script: str, *args: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", script, *args], check=True, capture_output=True, text=True
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _change_one_percent(catalog: Path) -> int:
    lines = catalog.read_bytes().splitlines(keepends=True)
    changed = 0
    with catalog.open("wb") as out:
        for n, line in enumerate(lines):
            if n % 100 == 0:
                line = line.replace(b'"description":"', b'"description":"Changed. ', 1)
                changed += 1
            out.write(line)
    return changed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 100_000])
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    from gs1ld.testing import synthetic_catalog, write_jsonl

    print(f"{'products':>9} {'engine':>10} {'s':>8} {'products/s':>11} {'driver MiB':>11}")
    peaks: dict[str, list[float]] = {"in-process": [], "dask": []}
    for size in args.sizes:
        work = Path(tempfile.mkdtemp(prefix="gs1ld-bench-scale-"))
        catalog = work / "catalog.jsonl"
        write_jsonl(synthetic_catalog(size, seed=21), catalog)
        rates = {}
        for engine in ("in-process", "dask"):
            site = work / f"site-{engine}"
            kind = "dask" if engine == "dask" else "local"
            result = _run(_CHILD, str(catalog), str(site), kind, str(args.workers))
            rates[engine] = size / result["seconds"]
            peaks[engine].append(result["peak_mib"])
            print(
                f"{size:>9,} {engine:>10} {result['seconds']:>8.1f} {rates[engine]:>11,.0f} "
                f"{result['peak_mib']:>11,.0f}"
            )
        sitewide = _run(_SITEWIDE, str(work / "site-dask"))["seconds"]
        build_seconds = size / rates["dask"]
        print(
            f"{size:>9,}  Dask / in-process rate: {rates['dask'] / rates['in-process']:.0%}; "
            f"site-wide files: {sitewide:.1f} s = {sitewide / build_seconds:.0%} of the Dask build"
        )
        changed = _change_one_percent(catalog)
        again = _run(_CHILD, str(catalog), str(work / "site-dask"), "dask", str(args.workers))
        print(
            f"{size:>9,}  rebuild, {changed:,} changed (1%): {again['built']:,.0f} built, "
            f"{again['unchanged']:,.0f} unchanged in {again['seconds']:.1f} s "
            f"(full build {build_seconds:.1f} s)"
        )
    if len(args.sizes) > 1:
        for engine, values in peaks.items():
            print(
                f"driver peak memory, {engine}: {values[0]:,.0f} MiB at {args.sizes[0]:,}, "
                f"{values[-1]:,.0f} MiB at {args.sizes[-1]:,} "
                f"(ratio {values[-1] / values[0]:.2f})"
            )
    return 0


if __name__ == "__main__":
    start = time.perf_counter()
    status = main()
    print(f"total {time.perf_counter() - start:.0f} s")
    sys.exit(status)
