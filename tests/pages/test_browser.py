"""A real browser loads a product page from the resolver server (Debian's Chromium).

Skips when Chromium or Playwright is missing, unless GS1LD_REQUIRE_BROWSER=1
(set by .ci/run, which installs Chromium), where that is a failure.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from gs1ld.config import ExportConfig, SiteConfig
from gs1ld.server.app import ServerConfig, create_app
from gs1ld.site.build import build_site
from support import EXAMPLE_CATALOG, PROJECT_ROOT, RunningServer

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = PROJECT_ROOT / "build" / "screenshots"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=="
)


def _require_browser() -> None:
    missing = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing = "the playwright package is not installed"
    if missing is None and not Path(CHROMIUM).exists():
        missing = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    if missing:
        if os.environ.get("GS1LD_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{missing}, and GS1LD_REQUIRE_BROWSER=1 requires it")
        pytest.skip(missing)


def test_product_page_in_chromium(tmp_path: Path) -> None:
    _require_browser()
    from playwright.sync_api import sync_playwright

    base = "https://id.brand.example"
    site = tmp_path / "site"
    report = build_site(
        EXAMPLE_CATALOG,
        site,
        config=SiteConfig(ExportConfig(base_url=base, today=date(2026, 6, 1))),
    )
    assert report.invalid == []
    gtin = sorted(p.name for p in (site / "current" / "01").iterdir())[0]
    expected_jsonld = json.loads(
        (site / "current" / "01" / gtin / "index.jsonld").read_text("utf-8")
    )

    app = create_app(site, config=ServerConfig(base_url=base))
    with RunningServer(app) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844})
            # Image hosts of the example catalog are fictional: answer them with a tiny PNG,
            # so the page renders as it would online and nothing leaves the machine.
            page.route(
                lambda url: not url.startswith(server.url),
                lambda route: route.fulfill(status=200, content_type="image/png", body=PNG),
            )
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            response = page.goto(f"{server.url}/01/{gtin}/index.html")
            assert response is not None
            assert response.status == 200
            dom_jsonld = json.loads(page.inner_text("#gs1-jsonld"))
            alts = page.eval_on_selector_all("img", "els => els.map(e => e.getAttribute('alt'))")
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            shot = SCREENSHOTS / f"{gtin}.png"
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    assert dom_jsonld == expected_jsonld
    assert all(alt for alt in alts), alts
    assert errors == []
    assert shot.stat().st_size > 10_000
    shutil.copy(shot, tmp_path / "product.png")
