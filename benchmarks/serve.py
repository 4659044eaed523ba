#!/usr/bin/env python3
"""`gs1ld serve` beside nginx serving the same site, and an empty app, in one run, with wrk.

Builds a synthetic site (``--products``, default 2,000) and serves it on
127.0.0.1 by each target below, all with ``--workers`` worker processes
(default 2) on the same cores:

- **nginx** running the site's generated ``nginx.conf`` (``tests/resolver/servers.py``
  starts it, as the resolver tests do): the static baseline;
- **hybrid**: nginx with a ``gs1ld serve`` upstream for what rules cannot
  answer (``site build --upstream``; :func:`running_hybrid`), keeping the
  upstream's answers in its answer cache as shipped; goal: at least 90% of
  nginx alone on the mix, with no wrong answer;
- **hybrid, no answer cache**: the same with the cache lines taken out of
  ``nginx.conf``, so every request nginx passes on reaches ``gs1ld serve``: what
  requests that never repeat within the cache's minute cost (the mix repeats
  10,000 requests, so the cached hybrid answers its 10% from the cache once warm);
- **gs1ld serve** under each HTTP server it can run on (``--server uvicorn``,
  ``--server granian``), started as a user starts it;
- an **empty ASGI app** (one fixed 200 answer, no work at all) under uvicorn and
  under granian with the same workers: the most any app can get from that
  server, so the gap between it and ``gs1ld serve`` is the app's own time and
  the gap between it and nginx is the server's.

The request mix (``--mix mixed``, the default) is 90% requests a static web
server's rules can answer -- linksets (``Accept: application/linkset+json``),
``?linkType=gs1:pip`` redirects and plain redirects to the product page, a third
each -- and 10% that only the resolver server answers right: compressed Digital
Link paths (4%), a wrong check digit (400; 3%), ``Accept-Language`` choosing
among a product's language pages (2%) and a link type with two links in no
language (300; 1%).  ``--mix linkset`` asks for linksets only.  Requests are
spread over every product; the mix is 10,000 requests, sent over and over.
Before timing and again after it (the hybrid then answers from its cache),
every distinct request is sent once to every target and its answer checked
against the site's files; wrong answers are counted per target (nginx alone gets
the 10% wrong: that is why the hybrid exists).

``--vary`` gives each of the 10% a query string no other request has (the
server passes it on), so none of them is ever answered from the hybrid's answer
cache: what requests that do not repeat within its minute cost, such as a flood
of random GTINs.

wrk (one thread, ``--connections`` keep-alive connections, default 16) runs on
the same 2 cores as the servers, as in the issue's figures: the client's own
CPU time is taken from every target alike.  Each target gets a warm-up pass,
then the targets are measured in turns (``--rounds``, default 3) and the median
round of each is reported, so a burst of load from elsewhere on the machine does
not decide the comparison.

Goals: the hybrid answers at least 90% of nginx's requests per second with no
wrong answer; ``gs1ld serve`` at least half, with a 99th percentile latency at
most twice nginx's.  Needs wrk and nginx
(``apt-get install wrk nginx``); granian targets are skipped when granian (a
dependency of gs1ld) is not installed.

Usage: python benchmarks/serve.py [--products N] [--workers N] [--seconds S]
       [--connections C] [--rounds R] [--mix mixed|linkset] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))

from resolver.servers import NGINX, deploy, running_nginx  # noqa: E402
from support import free_port, wait_listening  # noqa: E402

BASE = "https://id.brand.example"
GOAL_RATE = 0.5
GOAL_HYBRID = 0.9
SERVER_ONLY = frozenset({"compressed", "check digit", "language", "several links"})
"""The request kinds only the resolver server answers right (the mix's 10%)."""
GOAL_P99 = 2.0
VOC = "https://ref.gs1.org/voc/"
LINKSET = "application/linkset+json"

LUA = """
local requests = {}
local raw = {}
local i = 0
local vary = %s
init = function(args)
  raw = {%s}
  for n, r in ipairs(raw) do
    requests[n] = wrk.format("GET", r[1], r[2])
  end
end
request = function()
  i = i + 1
  local n = (i %% #requests) + 1
  local r = raw[n]
  if vary and r[3] then
    -- a query no other request has: never in a cache (it is passed on verbatim)
    local separator = string.find(r[1], "?", 1, true) and "&" or "?"
    return wrk.format("GET", r[1] .. separator .. "n=" .. i, r[2])
  end
  return requests[n]
end
"""

EMPTY_APP = '''
"""The empty ASGI app: one fixed answer, no work -- what the server alone costs."""

BODY = b'{"linkset": []}'
START = {
    "type": "http.response.start",
    "status": 200,
    "headers": [(b"content-type", b"application/linkset+json"),
                (b"content-length", str(len(BODY)).encode())],
}
END = {"type": "http.response.body", "body": BODY}


async def app(scope, receive, send):
    if scope["type"] == "http":
        await send(START)
        await send(END)
    elif scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
'''


@dataclass(frozen=True)
class Request:
    """One request of the mix and how to tell a right answer."""

    kind: str
    path: str
    headers: tuple[tuple[str, str], ...]
    status: int
    location: str | None = None
    body: bytes | None = None


@dataclass(frozen=True)
class Round:
    """One wrk run against one target, and the CPU time its processes spent on it."""

    rps: float
    p50_ms: float
    p99_ms: float
    non_2xx_3xx: int
    requests: int
    cpu_us: float = 0.0
    """The target's processes' CPU time (user + system) per request, in microseconds."""


@dataclass(frozen=True)
class Target:
    """A running target: its base URL and the process whose tree serves it."""

    url: str
    pid: int
    more_pids: tuple[int, ...] = ()
    """Other process trees serving it (the hybrid's ``gs1ld serve`` upstream)."""


_TICK = os.sysconf("SC_CLK_TCK")


def _tree_cpu_seconds(root: int) -> float:
    """User + system CPU seconds of ``root`` and every live process beneath it.

    The machine is shared and busy, so requests per second move with everyone
    else's load; the CPU a target spends per request is its own cost, much
    steadier, and says which server does less work for the same answers.
    """
    parents: dict[int, int] = {}
    times: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        times[int(entry)] = int(fields[11]) + int(fields[12])
    total = 0
    for pid, ticks in times.items():
        ancestor = pid
        while ancestor > 1 and ancestor != root:
            ancestor = parents.get(ancestor, 0)
        total += ticks if ancestor == root else 0
    return total / _TICK


# --- the site and the request mix -------------------------------------------------------------


def _links(linkset: dict[str, object], rel: str) -> list[dict[str, object]]:
    context = linkset["linkset"][0]  # type: ignore[index]
    found: list[dict[str, object]] = context.get(VOC + rel, [])
    return found


def _with_wrong_check_digit(gtin: str) -> str:
    return gtin[:-1] + str((int(gtin[-1]) + 1) % 10)


def request_mix(current: Path, gtins: list[str], mix: str, count: int) -> list[Request]:
    """``count`` requests over ``gtins`` in the proportions of ``mix`` (the same every run)."""
    from gs1ld.digital_link import compress

    rng = random.Random(26)
    html = (("Accept", "text/html"),)
    wanted = (("Accept", LINKSET),)
    multilingual = []
    several: list[str] = []
    facts: dict[str, tuple[bytes, str, str]] = {}
    for gtin in gtins:
        raw = (current / "01" / gtin / "linkset.json").read_bytes()
        linkset = json.loads(raw)
        default = str(_links(linkset, "defaultLink")[0]["href"])
        pips = _links(linkset, "pip")
        # One pip link: a static server's rules answer it (several: a 300 only the server makes).
        pip = str(pips[0]["href"]) if len(pips) == 1 else ""
        facts[gtin] = (raw, default, pip)
        images = _links(linkset, "relatedImage")
        if len(images) > 1 and not any(link.get("hreflang") for link in images):
            several.append(gtin)  # two images in no language: 300 with both
        french = [
            link["href"]
            for link in _links(linkset, "defaultLinkMulti")
            if link.get("hreflang") == ["fr"]
        ]
        if french:
            multilingual.append((gtin, str(french[0])))
    requests = []
    for index in range(count):
        gtin = rng.choice(gtins)
        raw, default, pip = facts[gtin]
        slot = index % 100 if mix == "mixed" else 0
        if slot < 30:
            requests.append(Request("linkset", f"/01/{gtin}", wanted, 200, body=raw))
        elif slot < 60:
            while not pip:
                gtin = rng.choice(gtins)
                raw, default, pip = facts[gtin]
            path = f"/01/{gtin}?linkType=gs1:pip"
            requests.append(Request("linkType", path, html, 307, location=pip))
        elif slot < 90:
            requests.append(Request("redirect", f"/01/{gtin}", html, 307, location=default))
        elif slot < 94:
            path = compress(f"https://id.gs1.org/01/{gtin}", stem="")
            requests.append(Request("compressed", path, html, 307, location=default))
        elif slot < 97:
            path = f"/01/{_with_wrong_check_digit(gtin)}"
            requests.append(Request("check digit", path, html, 400))
        elif slot < 99:
            gtin, page = rng.choice(multilingual)
            headers = (("Accept", "text/html"), ("Accept-Language", "fr"))
            requests.append(Request("language", f"/01/{gtin}", headers, 307, location=page))
        else:
            path = f"/01/{rng.choice(several)}?linkType=gs1:relatedImage"
            requests.append(Request("several links", path, html, 300))
    return requests


def _lua(requests: list[Request], *, vary: bool = False) -> str:
    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    def row(request: Request) -> str:
        headers = ", ".join(f"[{quoted(k)}] = {quoted(v)}" for k, v in request.headers)
        only = "true" if request.kind in SERVER_ONLY else "false"
        return "{" + quoted(request.path) + ", {" + headers + "}, " + only + "}"

    rows = ",\n".join(row(r) for r in requests)
    return LUA % ("true" if vary else "false", rows)


def wrong_answers(url: str, requests: list[Request]) -> dict[str, int]:
    """How many distinct requests of each kind ``url`` answers wrong (status, Location, body)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    wrong: dict[str, int] = {}
    seen: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
    for request in requests:
        if (request.path, request.headers) in seen:
            continue
        seen.add((request.path, request.headers))
        connection.request("GET", request.path, headers=dict(request.headers))
        response = connection.getresponse()
        body = response.read()
        location = (response.getheader("Location") or "").split("?", 1)[0]
        right = response.status == request.status
        if request.location is not None:
            right = right and location == request.location
        if request.body is not None:
            right = right and json.loads(body) == json.loads(request.body)
        wrong[request.kind] = wrong.get(request.kind, 0) + (not right)
    connection.close()
    return {kind: n for kind, n in wrong.items() if n}


# --- wrk --------------------------------------------------------------------------------------


def _latency_ms(text: str, label: str) -> float:
    match = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", text, re.MULTILINE)
    if not match:
        raise SystemExit(f"cannot read the {label}th percentile from wrk:\n{text}")
    value, unit = float(match.group(1)), match.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def _wrk(target: Target, script: Path, connections: int, seconds: int) -> Round:
    cpu_before = sum(map(_tree_cpu_seconds, (target.pid, *target.more_pids)))
    out = subprocess.run(
        [
            "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency",
            "-s", str(script), target.url + "/",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout  # fmt: skip
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: .*", out)
    if errors:
        print(f"  wrk: {errors.group(0)}")
    count = int(bad.group(1)) if bad else 0
    cpu_after = sum(map(_tree_cpu_seconds, (target.pid, *target.more_pids)))
    cpu_us = (cpu_after - cpu_before) / max(total, 1) * 1e6
    return Round(rps, _latency_ms(out, "50"), _latency_ms(out, "99"), count, total, cpu_us)


# --- the targets ------------------------------------------------------------------------------


@contextmanager
def _process(command: list[str], port: int, work: Path, env: dict[str, str]) -> Iterator[Target]:
    """``command`` as a process listening on ``port``; stopped with SIGTERM."""
    log = work / f"server-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        wait_listening(process, port, log)
        yield Target(f"http://127.0.0.1:{port}", process.pid)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PYTHONUNBUFFERED": "1"}


def running_serve(
    site: Path, work: Path, workers: int, server: str
) -> AbstractContextManager[Target]:
    """``gs1ld serve SITE --workers N --server S``, as a user starts it."""
    port = free_port()
    command = [
        sys.executable, "-m", "gs1ld", "serve", str(site), "--port", str(port),
        "--workers", str(workers), "--server", server,
    ]  # fmt: skip
    return _process(command, port, work, _env())


def running_empty(work: Path, workers: int, server: str) -> AbstractContextManager[Target]:
    """The empty ASGI app under ``server`` with the same workers."""
    (work / "empty_asgi.py").write_text(EMPTY_APP, encoding="utf-8")
    port = free_port()
    env = {**_env(), "PYTHONPATH": f"{work}{os.pathsep}{ROOT / 'src'}"}
    common = ["--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    if server == "uvicorn":
        command = [
            sys.executable, "-m", "uvicorn", "empty_asgi:app", *common,
            "--log-level", "warning", "--no-access-log",
        ]  # fmt: skip
    else:
        command = [
            sys.executable, "-m", "granian", "--interface", "asgi", "empty_asgi:app", *common,
            "--log-level", "warning", "--no-ws", "--runtime-mode", "st",
        ]  # fmt: skip
    return _process(command, port, work, env)


@contextmanager
def running_hybrid(site: Path, work: Path, workers: int, *, cache: bool = True) -> Iterator[Target]:
    """nginx with the site's rules naming a ``gs1ld serve`` upstream, both with ``workers``.

    The same catalog is built again with ``--upstream`` (only ``nginx.conf`` and
    the site-wide files differ from ``site``'s), ``gs1ld serve`` is started on
    the upstream's port and nginx in front of it; the CPU column counts both.
    Without ``cache`` the answer cache's lines are taken out of ``nginx.conf``.
    """
    from gs1ld.config import ExportConfig, SiteConfig
    from gs1ld.site.build import build_site

    port = free_port()
    folder = work / ("hybrid" if cache else "hybrid-no-cache")
    folder.mkdir()
    config = SiteConfig(
        ExportConfig(base_url=BASE, today=date(2026, 6, 1)),
        validate=False,
        workers=2,
        upstream=f"http://127.0.0.1:{port}",
    )
    build_site(work / "catalog.jsonl", folder / "built", config=config)
    hybrid_site = deploy(folder / "built", folder / "site")
    if not cache:
        conf = hybrid_site / "current" / "nginx.conf"
        lines = conf.read_text("utf-8").splitlines(keepends=True)
        conf.write_text("".join(line for line in lines if "proxy_cache" not in line), "utf-8")
    (folder / "nginx").mkdir()
    command = [
        sys.executable, "-m", "gs1ld", "serve", str(hybrid_site), "--port", str(port),
        "--workers", str(workers),
    ]  # fmt: skip
    with (
        _process(command, port, folder, _env()) as upstream,
        running_nginx(hybrid_site, folder / "nginx", workers=workers) as url,
    ):
        nginx_pid = int((folder / "nginx" / "nginx.pid").read_text("utf-8"))
        yield Target(url, nginx_pid, (upstream.pid,))


def _median(rounds: list[Round]) -> Round:
    return sorted(rounds, key=lambda r: r.rps)[len(rounds) // 2]


def _targets(
    site: Path, work: Path, workers: int
) -> dict[str, Callable[[], AbstractContextManager[Target] | None]]:
    @contextmanager
    def nginx() -> Iterator[Target]:
        folder = work / "nginx"
        folder.mkdir()
        with running_nginx(site, folder, workers=workers) as url:
            yield Target(url, int((folder / "nginx.pid").read_text("utf-8")))

    targets: dict[str, Callable[[], AbstractContextManager[Target] | None]] = {
        "nginx": nginx,
        "hybrid": lambda: running_hybrid(site, work, workers),
        "hybrid, no answer cache": lambda: running_hybrid(site, work, workers, cache=False),
        "serve (uvicorn)": lambda: running_serve(site, work, workers, "uvicorn"),
        "empty app (uvicorn)": lambda: running_empty(work, workers, "uvicorn"),
    }
    if importlib.util.find_spec("granian") is not None:
        targets["serve (granian)"] = lambda: running_serve(site, work, workers, "granian")
        targets["empty app (granian)"] = lambda: running_empty(work, workers, "granian")
    return targets


# --- the run ----------------------------------------------------------------------------------


def _build(work: Path, products: int) -> tuple[Path, list[str]]:
    from gs1ld.config import ExportConfig, SiteConfig
    from gs1ld.publish import Manifest, product_paths
    from gs1ld.site.build import build_site
    from gs1ld.testing import synthetic_catalog, write_jsonl

    catalog = work / "catalog.jsonl"
    write_jsonl(synthetic_catalog(products, seed=7), catalog)
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
    return site, gtins


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=2_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=6)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--mix", choices=("mixed", "linkset"), default="mixed")
    parser.add_argument("--only", nargs="*", help="measure only these targets (and nginx)")
    parser.add_argument(
        "--vary", action="store_true", help="a query no other request has on each of the 10%%"
    )
    args = parser.parse_args()
    for tool in ("wrk", NGINX):
        if shutil.which(tool) is None:
            print(f"{tool} is not installed (apt-get install wrk nginx)", file=sys.stderr)
            return 2

    work = Path(tempfile.mkdtemp(prefix="gs1ld-bench-serve-"))
    os.chmod(work, 0o755)  # nginx's workers run as nobody when we are root
    load_before = os.getloadavg()
    try:
        site, gtins = _build(work, args.products)
        requests = request_mix(site / "current", gtins, args.mix, 10_000)
        script = work / "requests.lua"
        script.write_text(_lua(requests, vary=args.vary), encoding="utf-8")
        results: dict[str, list[Round]] = {}
        wrong: dict[str, dict[str, int]] = {}
        with_targets = _targets(site, work, args.workers)
        with_targets = {
            name: start
            for name, start in with_targets.items()
            if not args.only or name == "nginx" or name in args.only
        }
        urls: dict[str, Target] = {}
        from contextlib import ExitStack

        with ExitStack() as stack:
            for name, start in with_targets.items():
                manager = start()
                if manager is None:
                    print(f"{name}: not available, skipped")
                    continue
                urls[name] = stack.enter_context(manager)
                results[name] = []
            for name, url in urls.items():
                wrong[name] = wrong_answers(url.url, requests)
                _wrk(url, script, args.connections, 3)  # warm-up: every worker read every product
            for _ in range(args.rounds):
                for name, url in urls.items():
                    results[name].append(_wrk(url, script, args.connections, args.seconds))
            for name, url in urls.items():
                # again once warm: the hybrid now answers from its cache, checked too
                warm = wrong_answers(url.url, requests)
                wrong[name] = {
                    kind: max(wrong[name].get(kind, 0), warm.get(kind, 0))
                    for kind in sorted({*wrong[name], *warm})
                }
    finally:
        shutil.rmtree(work, ignore_errors=True)
    load_after = os.getloadavg()
    nginx = _median(results["nginx"])
    kinds = sorted({r.kind for r in requests})
    print(
        f"{args.mix} requests ({', '.join(kinds)}{'; the 10% varied' if args.vary else ''}) "
        f"over {len(gtins):,} products, "
        f"{args.connections} connections, {args.workers} workers each, {os.cpu_count()} cores "
        f"shared with wrk, median of {args.rounds} rounds of {args.seconds} s; load average "
        f"{load_before[0]:.2f} before, {load_after[0]:.2f} after:"
    )
    print(
        "| target | requests/s | of nginx | p50 ms | p99 ms | p99 / nginx | server CPU us/request "
        "| wrong answers |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for name, rounds in results.items():
        row = _median(rounds)
        errors = ", ".join(f"{kind} {n}" for kind, n in wrong[name].items()) or "none"
        if name.startswith("empty"):
            errors = "(not a resolver)"
        print(
            f"| {name} | {row.rps:,.0f} | {row.rps / nginx.rps:.0%} | {row.p50_ms:.2f} | "
            f"{row.p99_ms:.2f} | {row.p99_ms / nginx.p99_ms:.1f}x | "
            f"{sorted(r.cpu_us for r in rounds)[len(rounds) // 2]:.1f} | {errors} |"
        )
    met = True
    if "hybrid" in results:
        rate = _median(results["hybrid"]).rps / nginx.rps
        ok = rate >= GOAL_HYBRID and not wrong["hybrid"]
        met = met and ok
        print(
            f"hybrid: {rate:.0%} of nginx's rate (goal >= {GOAL_HYBRID:.0%}), "
            f"{'no' if not wrong['hybrid'] else 'some'} wrong answers: "
            f"{'goal met' if ok else 'goal missed'}"
        )
    for name in ("serve (uvicorn)", "serve (granian)"):
        if name not in results:
            continue
        serve = _median(results[name])
        rate, p99 = serve.rps / nginx.rps, serve.p99_ms / nginx.p99_ms
        ok = rate >= GOAL_RATE and p99 <= GOAL_P99 and not wrong[name]
        met = met and ok
        print(
            f"{name}: {rate:.0%} of nginx's rate (goal >= {GOAL_RATE:.0%}), p99 {p99:.1f}x "
            f"nginx's (goal <= {GOAL_P99:.0f}x): {'goal met' if ok else 'goal missed'}"
        )
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
