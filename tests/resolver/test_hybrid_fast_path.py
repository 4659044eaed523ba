"""The hybrid's fast path never touches the upstream: with `gs1ld serve` down, nginx and
Apache built with ``--upstream`` still answer every plain request themselves, and only
what they pass on fails (502).

The hybrid targets of ``test_resolver_http.py`` show the answers are right with the
upstream running; this shows which ones do not depend on it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest

from gs1ld.config import ExportConfig, SiteConfig
from gs1ld.digital_link import compress
from resolver.servers import APACHE, APACHE_MODULES, NGINX, deploy, running_apache, running_nginx
from support import EXAMPLE_CATALOG, free_port, under_ci

BASE = "https://id.brand.example"
G = "09506000134352"

FAST = [
    ("GET", f"/01/{G}", {"Accept": "text/html"}, 307),
    ("GET", f"/01/{G}", {"Accept-Language": "fr"}, 307),  # a product in one language
    ("HEAD", f"/01/{G}/10/LOT1", {}, 307),
    ("GET", f"/01/{G}?linkType=gs1:masterData", {}, 307),
    ("GET", f"/01/{G}?linkType=gs1:nosuchlt", {}, 404),
    ("GET", f"/01/{G}?linkType=linkset", {}, 200),
    ("GET", f"/01/{G}", {"Accept": "application/ld+json"}, 200),
    ("GET", f"/01/{G}/linkset.json", {}, 200),
    ("GET", f"/01/{G}/index.html", {}, 200),
    ("GET", f"/01/{G[1:]}", {}, 301),
    ("GET", f"/01/{G}/foo", {}, 400),
    ("OPTIONS", f"/01/{G}", {}, 204),
    ("GET", "/.well-known/gs1resolver", {}, 200),
    ("GET", "/", {}, 200),
]


def _needs(host: str) -> None:
    needed = {"nginx": [NGINX], "apache": [APACHE, str(APACHE_MODULES / "mod_proxy_http.so")]}
    missing = [path for path in needed[host] if not Path(path).exists()]
    if missing:
        reason = f"the {host} hybrid needs {', '.join(missing)} (apt-get install nginx apache2)"
        if under_ci():
            pytest.fail(f"{reason}, and CI=true requires it")
        pytest.skip(reason)


@pytest.fixture(scope="module", params=["nginx", "apache"])
def front_without_upstream(request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    """(host, URL) of nginx or Apache serving a site built with an upstream on a port
    nothing listens on."""
    host: str = request.param
    _needs(host)
    work = Path(tempfile.mkdtemp(prefix=f"gs1ld-{host}-alone-"))
    os.chmod(work, 0o755)
    try:
        from gs1ld.site.build import build_site

        export = ExportConfig(base_url=BASE, today=date(2026, 6, 1))
        upstream = f"http://127.0.0.1:{free_port()}"  # nothing listens there
        config = SiteConfig(export, validate=False, upstream=upstream)
        build_site(EXAMPLE_CATALOG, work / "built", config=config)
        site = deploy(work / "built", work / "site")
        (work / "front").mkdir()
        if host == "nginx":
            with running_nginx(site, work / "front") as url:
                yield host, url
        else:
            with running_apache(site, work / "front", proxy=True) as url:
                yield host, url
    finally:
        shutil.rmtree(work, ignore_errors=True)


def test_plain_requests_are_answered_without_the_upstream(
    front_without_upstream: tuple[str, str],
) -> None:
    _, url = front_without_upstream
    with httpx.Client(base_url=url, timeout=10) as client:
        got = [
            (method, path, client.request(method, path, headers=headers).status_code)
            for method, path, headers, _ in FAST
        ]
    assert got == [(method, path, status) for method, path, _, status in FAST]


def test_what_the_rules_pass_on_needs_the_upstream(front_without_upstream: tuple[str, str]) -> None:
    host, url = front_without_upstream
    compressed = compress(f"https://id.gs1.org/01/{G}", stem="")
    bad_check_digit = G[:-1] + str((int(G[-1]) + 1) % 10)
    with httpx.Client(base_url=url, timeout=10) as client:
        statuses = [
            client.get(compressed).status_code,
            client.get(f"/01/{bad_check_digit}").status_code,
        ]
    gateway_error = {"nginx": 502, "apache": 503}[host]  # what each says of a refused connection
    assert statuses == [gateway_error, gateway_error]
