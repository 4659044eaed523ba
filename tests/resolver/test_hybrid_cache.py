"""The nginx hybrid keeps `gs1ld serve`'s answers: a request it passed on twice is
answered again from nginx's answer cache, also after the upstream has gone, while one
it passed on once or never needs the upstream; what varies the answer (``Accept``
here) is part of the cache's key.

``test_resolver_http.py`` shows the hybrid's answers are right with the cache on (its
``nginx+serve`` target runs the generated configuration as shipped); this shows the
cache is used, and does not mix up answers that differ.
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
from resolver.servers import NGINX, deploy, running_nginx, running_serve
from support import EXAMPLE_CATALOG, free_port, under_ci

BASE = "https://id.brand.example"
G = "09506000134352"


@pytest.fixture(scope="module")
def hybrid_site() -> Iterator[tuple[Path, int, Path]]:
    """(site folder, upstream port, work folder) of the example catalog built with an
    upstream on that port."""
    if not Path(NGINX).exists():
        if under_ci():
            pytest.fail("the nginx hybrid needs nginx, and CI=true requires it")
        pytest.skip("the nginx hybrid needs nginx (apt-get install nginx)")
    work = Path(tempfile.mkdtemp(prefix="gs1ld-hybrid-cache-"))
    os.chmod(work, 0o755)
    try:
        from gs1ld.site.build import build_site

        port = free_port()
        export = ExportConfig(base_url=BASE, today=date(2026, 6, 1))
        config = SiteConfig(export, validate=False, upstream=f"http://127.0.0.1:{port}")
        build_site(EXAMPLE_CATALOG, work / "built", config=config)
        yield deploy(work / "built", work / "site"), port, work
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _answer(client: httpx.Client, path: str, **headers: str) -> tuple[int, str | None]:
    response = client.get(path, headers=headers)
    return response.status_code, response.headers.get("Location")


def test_passed_on_answers_are_kept_and_told_apart(hybrid_site: tuple[Path, int, Path]) -> None:
    site, port, work = hybrid_site
    (work / "front").mkdir()
    (work / "upstream").mkdir()
    compressed = compress(f"https://id.gs1.org/01/{G}", stem="")
    bad_check_digit = f"/01/{G[:-1]}{(int(G[-1]) + 1) % 10}"
    with (
        running_nginx(site, work / "front") as url,
        httpx.Client(base_url=url, timeout=10) as client,
    ):
        with running_serve(site, work / "upstream", port=port):
            first = [
                _answer(client, compressed, Accept="text/html"),
                _answer(client, compressed, Accept="application/linkset+json"),
                _answer(client, bad_check_digit),
            ]
            second = [  # kept from the second request on
                _answer(client, compressed, Accept="text/html"),
                _answer(client, compressed, Accept="application/linkset+json"),
                _answer(client, bad_check_digit),
            ]
            asked_once = _answer(client, f"{compressed}?once=1", Accept="text/html")
        # gs1ld serve has stopped: what it answered twice is answered again from the cache
        again = [
            _answer(client, compressed, Accept="text/html"),
            _answer(client, compressed, Accept="application/linkset+json"),
            _answer(client, bad_check_digit),
        ]
        never_asked = _answer(client, compressed, Accept="application/ld+json")
        not_kept = _answer(client, f"{compressed}?once=1", Accept="text/html")
    assert [status for status, _ in first] == [307, 200, 400]
    assert second == first
    assert again == first
    # another Accept is another answer; a request asked once was not written
    assert never_asked == (502, None)
    assert asked_once[0] == 307
    assert not_kept == (502, None)
    assert any((work / "front" / "cache").rglob("*")), "nginx wrote no cache file"
