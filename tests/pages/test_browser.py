"""A real browser loads a product page from the resolver server (Debian's Chromium).

Skips when Chromium or Playwright is missing, unless GS1LD_REQUIRE_BROWSER=1
(set by .ci/run, which installs Chromium), where that is a failure.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from browser_support import TINY_IMAGES
from gs1ld.publish.layout import published_root
from support import PROJECT_ROOT

SCREENSHOTS = PROJECT_ROOT / "build" / "screenshots"


def test_product_page_in_chromium(
    example_site: Path, example_server: str, open_tab: Any, tmp_path: Path
) -> None:
    folders = published_root(example_site) / "01"
    gtin = sorted(p.name for p in folders.iterdir())[0]
    expected_jsonld = json.loads((folders / gtin / "index.jsonld").read_text("utf-8"))

    # Image hosts of the example catalog are fictional: they are answered with a tiny PNG,
    # so the page renders as it would online and nothing leaves the machine.
    tab = open_tab(example_server, "phone", TINY_IMAGES)
    tab.goto(f"01/{gtin}/index.html")
    dom_jsonld = json.loads(tab.page.inner_text("#gs1-jsonld"))
    alts = tab.page.eval_on_selector_all("img", "els => els.map(e => e.getAttribute('alt'))")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / f"{gtin}.png"
    tab.page.screenshot(path=str(shot), full_page=True)

    assert dom_jsonld == expected_jsonld
    assert all(alt for alt in alts), alts
    assert tab.errors == []
    assert shot.stat().st_size > 10_000
    shutil.copy(shot, tmp_path / "product.png")
