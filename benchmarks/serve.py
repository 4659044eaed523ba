#!/usr/bin/env python3
"""Resolver server throughput and latency on loopback, measured with wrk.

Builds a synthetic site (``--products``, default 2,000), starts ``gs1ld serve``'s
app under uvicorn on a free 127.0.0.1 port in a child process, and runs wrk
against linkset and JSON-LD answers spread over every product. Goal: >= 2,000
requests/s with p99 < 20 ms. Needs wrk (``apt-get install wrk``).

Usage: python benchmarks/serve.py [--products N] [--seconds S] [--connections C]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import re
import shutil
import socket
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

GOAL_RPS = 2_000
GOAL_P99_MS = 20.0

LUA = """
local gtins = {%s}
local i = 0
request = function()
  i = i + 1
  local gtin = gtins[(i %% #gtins) + 1]
  if i %% 2 == 0 then
    return wrk.format("GET", "/01/" .. gtin, {["Accept"] = "application/linkset+json"})
  end
  return wrk.format("GET", "/01/" .. gtin, {["Accept"] = "application/ld+json"})
end
"""


def _serve(site: str, sock: socket.socket) -> None:
    import uvicorn

    from gs1ld.server.app import ServerConfig, create_app

    app = create_app(site, config=ServerConfig(base_url="https://id.brand.example"))
    uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off")).run(sockets=[sock])


def _latency_ms(text: str, label: str) -> float:
    match = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", text, re.MULTILINE)
    if not match:
        raise SystemExit(f"cannot read the {label}th percentile from wrk:\n{text}")
    value, unit = float(match.group(1)), match.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=2_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return 2

    from gs1ld.site.build import build_site
    from gs1ld.site.config import SiteConfig
    from gs1ld.testing import synthetic_catalog, write_jsonl

    work = Path(tempfile.mkdtemp(prefix="gs1ld-bench-serve-"))
    catalog = work / "catalog.jsonl"
    write_jsonl(synthetic_catalog(args.products, seed=7), catalog)
    config = SiteConfig(
        base_url="https://id.brand.example", day=date(2026, 6, 1), validate=False, workers=2
    )
    build_site(catalog, work / "site", config=config)
    manifest = json.loads((work / "site" / "manifest.json").read_text("utf-8"))
    gtins = sorted(manifest["products"])
    script = work / "requests.lua"
    script.write_text(LUA % ", ".join(f'"{g}"' for g in gtins), encoding="utf-8")

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1024)
    port = sock.getsockname()[1]
    server = multiprocessing.get_context("fork").Process(
        target=_serve, args=(str(work / "site"), sock), daemon=True
    )
    server.start()
    try:
        out = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{args.connections}",
                f"-d{args.seconds}s",
                "--latency",
                "-s",
                str(script),
                f"http://127.0.0.1:{port}/",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        server.terminate()
        server.join()
        shutil.rmtree(work, ignore_errors=True)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50, p99 = _latency_ms(out, "50"), _latency_ms(out, "99")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    print(
        f"serve: {rps:,.0f} requests/s, p50 {p50:.2f} ms, p99 {p99:.2f} ms "
        f"over {len(gtins):,} products, {args.connections} connections, {args.seconds} s "
        f"(goal >= {GOAL_RPS:,}/s, p99 < {GOAL_P99_MS:.0f} ms)"
    )
    if errors:
        print(f"  non-2xx/3xx responses: {errors.group(1)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
