"""nginx rooted at the site folder's ``current`` link serves a rebuild without a reload.

The generated ``nginx.conf`` names ``{site}/current``; a rebuild into the same
folder switches the link, and nginx resolves it per request: a changed product
answers its new bytes, a removed one 404, an unchanged one as before.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from datetime import date
from pathlib import Path

import httpx
import pytest

from gs1ld.config import UNLIMITED_REMOVALS, ExportConfig, SiteConfig
from gs1ld.site.build import build_site
from resolver.conftest import BASE
from resolver.servers import NGINX, running_nginx
from support import EXAMPLE_CATALOG, under_ci

CHANGED = "09506000134352"
REMOVED = "09506000134369"
KEPT = "09506000134376"
LINKSET = {"Accept": "application/linkset+json"}


def _catalog(folder: Path, gtins: list[str], *, rename: str | None = None) -> Path:
    folder.mkdir()
    for path in sorted(EXAMPLE_CATALOG.glob("*.json")):
        entry = json.loads(path.read_text("utf-8"))
        if entry["gtin"] in gtins:
            if entry["gtin"] == rename:
                entry["product"]["name"] += " (new recipe)"
            (folder / path.name).write_text(json.dumps(entry), "utf-8")
    return folder


def test_nginx_serves_a_rebuild_of_its_site_folder_without_a_reload() -> None:
    if shutil.which(NGINX) is None:
        reason = "needs nginx (apt-get install nginx)"
        if under_ci():
            pytest.fail(f"{reason}, and CI=true requires it")
        pytest.skip(reason)
    work = Path(tempfile.mkdtemp(prefix="gs1ld-rebuild-"))
    os.chmod(work, 0o755)  # root's nginx workers run as nobody
    old_umask = os.umask(0o022)
    try:
        config = SiteConfig(
            ExportConfig(base_url=BASE, today=date(2026, 6, 1)),
            validate=False,
            max_removals=UNLIMITED_REMOVALS,
        )
        first = _catalog(work / "first", [CHANGED, REMOVED, KEPT])
        second = _catalog(work / "second", [CHANGED, KEPT], rename=CHANGED)
        site = work / "site"
        build_site(first, site, config=config)
        instance = work / "nginx"
        instance.mkdir()
        with running_nginx(site, instance) as url, httpx.Client(base_url=url) as client:

            def answers() -> dict[str, tuple[int, bytes]]:
                got = {}
                for gtin in (CHANGED, REMOVED, KEPT):
                    response = client.get(f"/01/{gtin}", headers=LINKSET)
                    got[gtin] = (response.status_code, response.content)
                return got

            def on_disk(gtin: str) -> bytes:
                return (site / "current" / "01" / gtin / "linkset.json").read_bytes()

            before = answers()
            assert before == {g: (200, on_disk(g)) for g in (CHANGED, REMOVED, KEPT)}
            build_site(second, site, config=config)
            after = answers()
            assert after[CHANGED] == (200, on_disk(CHANGED))
            assert after[CHANGED] != before[CHANGED]
            assert after[REMOVED][0] == 404
            assert after[KEPT] == before[KEPT]
    finally:
        os.umask(old_umask)
        shutil.rmtree(work, ignore_errors=True)
