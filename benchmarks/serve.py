#!/usr/bin/env python3
"""`gs1ld serve --workers N` beside Debian's nginx serving the same site, in one run, with wrk.

Builds a synthetic site (``--products``, default 2,000), then serves it twice on
127.0.0.1: with ``gs1ld serve SITE --workers N`` (a real process, as a user
starts it) and with nginx running the site's generated ``nginx.conf`` with the
same number of worker processes (``tests/resolver/servers.py`` starts it, as
the resolver tests do).  Both run on the same cores; wrk (one thread) asks each
for linksets (``Accept: application/linkset+json``) spread over every product
with ``--connections`` open connections (default 16).  Each server gets a
warm-up pass, then the servers are measured in turns (``--rounds``, default 3)
and the median round of each is reported, so a burst of load from elsewhere on
the machine does not decide the comparison.

Goal: ``gs1ld serve`` answers at least half of nginx's requests per second with
a 99th percentile latency at most twice nginx's.  Needs wrk and nginx
(``apt-get install wrk nginx``).

Usage: python benchmarks/serve.py [--products N] [--workers N] [--seconds S]
       [--connections C] [--rounds R]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from resolver.servers import NGINX, deploy, running_nginx  # noqa: E402

BASE = "https://id.brand.example"
GOAL_RATE = 0.5
GOAL_P99 = 2.0

LUA = """
local gtins = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/01/" .. gtins[(i %% #gtins) + 1],
                    {["Accept"] = "application/linkset+json"})
end
"""


@dataclass(frozen=True)
class Round:
    """One wrk run against one server."""

    rps: float
    p50_ms: float
    p99_ms: float
    bad: int


def _latency_ms(text: str, label: str) -> float:
    match = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", text, re.MULTILINE)
    if not match:
        raise SystemExit(f"cannot read the {label}th percentile from wrk:\n{text}")
    value, unit = float(match.group(1)), match.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def _wrk(url: str, script: Path, connections: int, seconds: int) -> Round:
    out = subprocess.run(
        [
            "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency",
            "-s", str(script), url + "/",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout  # fmt: skip
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: .*", out)
    if errors:
        print(f"  wrk: {errors.group(0)}")
    count = int(bad.group(1)) if bad else 0
    return Round(rps, _latency_ms(out, "50"), _latency_ms(out, "99"), count)


@contextmanager
def _running_serve(site: Path, workers: int) -> Iterator[str]:
    """``gs1ld serve SITE --workers N --port 0`` as a process; yields its URL."""
    process = subprocess.Popen(
        [
            sys.executable, "-m", "gs1ld", "serve", str(site), "--base-url", BASE,
            "--port", "0", "--workers", str(workers),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    try:
        assert process.stdout is not None
        for line in process.stdout:  # printed once the socket listens
            if line.startswith("serving "):
                yield line.split(" at ", 1)[1].split("/ ", 1)[0]
                break
        else:
            raise SystemExit(f"gs1ld serve exited with {process.wait()}")
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def _median(rounds: list[Round]) -> Round:
    return sorted(rounds, key=lambda r: r.rps)[len(rounds) // 2]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=2_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    for tool in ("wrk", NGINX):
        if shutil.which(tool) is None:
            print(f"{tool} is not installed (apt-get install wrk nginx)", file=sys.stderr)
            return 2

    from gs1ld.config import ExportConfig, SiteConfig
    from gs1ld.publish import Manifest, product_paths
    from gs1ld.site.build import build_site
    from gs1ld.testing import synthetic_catalog, write_jsonl

    work = Path(tempfile.mkdtemp(prefix="gs1ld-bench-serve-"))
    os.chmod(work, 0o755)  # nginx's workers run as nobody when we are root
    try:
        catalog = work / "catalog.jsonl"
        entries = list(synthetic_catalog(args.products, seed=7))
        write_jsonl(entries, catalog)
        config = SiteConfig(
            ExportConfig(base_url=BASE, today=date(2026, 6, 1)), validate=False, workers=2
        )
        build_site(catalog, work / "built", config=config)
        site = deploy(work / "built", work / "site")
        manifest = Manifest.read(site)
        current = site / "current"  # the published build of the site folder
        gtins = sorted(
            path.name
            for path in (current / "01").iterdir()
            if manifest.has(path.name) and (current / product_paths(path.name).linkset).is_file()
        )
        script = work / "requests.lua"
        script.write_text(LUA % ", ".join(f'"{g}"' for g in gtins), encoding="utf-8")
        nginx_work = work / "nginx"
        nginx_work.mkdir()
        results: dict[str, list[Round]] = {"nginx": [], "gs1ld serve": []}
        with (
            running_nginx(site, nginx_work, workers=args.workers) as nginx_url,
            _running_serve(site, args.workers) as serve_url,
        ):
            urls = {"nginx": nginx_url, "gs1ld serve": serve_url}
            for url in urls.values():  # warm-up: every worker has read every product
                _wrk(url, script, args.connections, 3)
            for _ in range(args.rounds):
                for name, url in urls.items():
                    results[name].append(_wrk(url, script, args.connections, args.seconds))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    nginx, serve = _median(results["nginx"]), _median(results["gs1ld serve"])
    print(
        f"linkset requests over {len(gtins):,} products, {args.connections} connections, "
        f"{args.workers} workers each, {os.cpu_count()} cores, median of {args.rounds} "
        f"rounds of {args.seconds} s:"
    )
    print("| server | requests/s | p50 ms | p99 ms | non-2xx |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, row in (("nginx (generated nginx.conf)", nginx), ("gs1ld serve", serve)):
        print(f"| {name} | {row.rps:,.0f} | {row.p50_ms:.2f} | {row.p99_ms:.2f} | {row.bad} |")
    rate, p99 = serve.rps / nginx.rps, serve.p99_ms / nginx.p99_ms
    met = rate >= GOAL_RATE and p99 <= GOAL_P99 and serve.bad == 0
    print(
        f"gs1ld serve: {rate:.0%} of nginx's rate (goal >= {GOAL_RATE:.0%}), p99 {p99:.1f}x "
        f"nginx's (goal <= {GOAL_P99:.0f}x): {'goal met' if met else 'goal missed'}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
