#!/usr/bin/env python3
"""nginx and Apache with a site-wide link map of 1,000,000 entries, beside an empty one.

Writes a synthetic link map (``--entries``, default 1,000,000: "{gtin} {link
type}" keys with URL targets, as ``gs1ld site build`` writes them), the site's
``nginx.conf`` sized for it (``map_hash_max_size`` / ``map_hash_bucket_size``),
and the Apache map in ``txt:`` form and as GDBM (``httxt2dbm``).  Measures, each
beside the same figure for an empty map in the same run:

* nginx: start-up time (process start until the port accepts) and the resident
  memory of master + worker;
* Apache: ``httxt2dbm`` time, start-up time, and the time of a ``linkType``
  redirect whose key is the map's last line, with ``dbm=gdbm:`` and with
  ``txt:`` (which Apache scans line by line on a cache miss).

Needs Debian's nginx, apache2 and apache2-utils.
Usage: python benchmarks/host_maps.py [--entries N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from gs1ld import gtin as gtin_rules  # noqa: E402
from gs1ld.hosts.apache import (  # noqa: E402
    APACHE_MAP_DBM,
    APACHE_MAP_DIR,
    apache_conf,
    apache_map_lines,
)
from gs1ld.hosts.link_map import LINK_MAP_DIR, link_map_entries, map_shard  # noqa: E402
from gs1ld.hosts.nginx import nginx_conf  # noqa: E402
from gs1ld.hosts.rules import SITE_ROOT_PLACEHOLDER  # noqa: E402
from resolver.servers import (  # noqa: E402 (the test helpers run the servers)
    HTTXT2DBM,
    running_apache,
    running_nginx,
)

BASE = "https://id.brand.example"
LINK_MAP = map_shard(LINK_MAP_DIR, 1, ".map")
"""The whole map as one shard: the lookups time the map's size, not its file count."""
APACHE_MAP = map_shard(APACHE_MAP_DIR, 1, ".txt")
RELS = ("pip", "defaultLink", "masterData", "certificationInfo", "ingredientsInfo")


def _gtins(count: int) -> Iterator[str]:
    for n in range(count):
        payload = f"0950{n:09d}"
        yield payload + str(gtin_rules.check_digit(payload))


def write_site(site: Path, entries: int) -> str | None:
    """A site of ``entries`` map entries (and the files the rules need); the last GTIN."""
    site.mkdir(parents=True)
    (site / ".well-known").mkdir()
    (site / ".well-known" / "gs1resolver").write_text("{}")
    (site / LINK_MAP_DIR).mkdir()
    (site / APACHE_MAP_DIR).mkdir()
    products = (entries + len(RELS) - 1) // len(RELS)
    last = None
    written = 0
    with open(site / LINK_MAP, "w", encoding="utf-8") as out:
        for gtin in _gtins(products):
            out.write(f"# 01/{gtin}\n")
            for rel in RELS:
                if written == entries:
                    break
                out.write(f'"{gtin} {rel}" "https://brand.example/p/{gtin}/{rel}";\n')
                written += 1
            last = gtin
    if last is not None:  # the last product's files, for the redirect timed below
        (site / "01" / last).mkdir(parents=True)
        (site / "01" / last / "linkset.json").write_text("{}")
    with open(site / LINK_MAP, "rb") as source, open(site / APACHE_MAP, "wb") as target:
        target.writelines(apache_map_lines(link_map_entries(source)))
    (site / "nginx.conf").write_bytes(
        nginx_conf(BASE, site_root=SITE_ROOT_PLACEHOLDER, map_entries=written)
    )
    (site / "apache.conf").write_bytes(apache_conf(BASE, site_root=SITE_ROOT_PLACEHOLDER))
    for folder, _, files in os.walk(site):
        os.chmod(folder, 0o755)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o644)
    return last


def _rss_kib(pid_file: Path) -> int:
    """Resident memory (KiB) of the process in ``pid_file`` and its children."""
    master = int(pid_file.read_text().split()[0])
    pids = [master]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == master:
                pids.append(int(entry.name))
    total = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


@contextmanager
def _timed(label: str, results: dict[str, float]) -> Iterator[None]:
    start = time.perf_counter()
    yield
    results[label] = time.perf_counter() - start


def measure(entries: int, work: Path) -> dict[str, float]:
    """Every figure for a map of ``entries`` entries."""
    results: dict[str, float] = {}
    site = work / "site"
    last = write_site(site, entries)
    nginx_work = work / "nginx"
    nginx_work.mkdir()
    start = time.perf_counter()
    with running_nginx(site, nginx_work):
        results["nginx start-up (s)"] = time.perf_counter() - start
        results["nginx RSS master+worker (MiB)"] = _rss_kib(nginx_work / "nginx.pid") / 1024
    apache_work = work / "apache"
    apache_work.mkdir()
    start = time.perf_counter()
    with running_apache(site, apache_work) as url:
        # running_apache runs httxt2dbm first; time it alone below
        results["Apache start-up incl. httxt2dbm (s)"] = time.perf_counter() - start
        if last:
            with httpx.Client(base_url=url) as client, _timed("Apache gdbm lookup (s)", results):
                client.get(f"/01/{last}?linkType=gs1:{RELS[(entries - 1) % len(RELS)]}")
    os.remove(site / APACHE_MAP_DBM)
    with _timed("httxt2dbm (s)", results):
        os.system(f"{HTTXT2DBM} -f GDBM -i {site / APACHE_MAP} -o {site / APACHE_MAP_DBM}")
    conf = (site / "apache.conf").read_text()
    (site / "apache.conf").write_text(
        conf.replace(f'"dbm=gdbm:{SITE_ROOT_PLACEHOLDER}/{APACHE_MAP_DBM}"',
                     f'"txt:{SITE_ROOT_PLACEHOLDER}/{APACHE_MAP}"')
    )  # fmt: skip
    txt_work = work / "apache-txt"
    txt_work.mkdir()
    with running_apache(site, txt_work) as url:
        if last:
            with (
                httpx.Client(base_url=url, timeout=120) as client,
                _timed("Apache txt lookup (s)", results),
            ):
                client.get(f"/01/{last}?linkType=gs1:{RELS[(entries - 1) % len(RELS)]}")
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    args = parser.parse_args()
    rows = []
    for entries in (0, args.entries):
        work = Path(tempfile.mkdtemp(prefix="gs1ld-maps-"))
        os.chmod(work, 0o755)
        try:
            rows.append((entries, measure(entries, work)))
        finally:
            shutil.rmtree(work, ignore_errors=True)
    labels = list(rows[-1][1])
    print(f"{'figure':40} " + " ".join(f"{e:>12,} entries" for e, _ in rows))
    for label in labels:
        values = " ".join(f"{r.get(label, float('nan')):>20.3f}" for _, r in rows)
        print(f"{label:40} {values}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
