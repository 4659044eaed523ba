"""axe-core finds no accessibility problem on any page of the example site, on a phone or a
desktop: every product page, each of its language pages, and the index page.

The rules run are WCAG 2.0 and 2.1, levels A and AA, and axe's best practices.
axe-core comes bundled in ``axe-playwright-python`` (a dev dependency: nothing of
it ships in the wheel), so the scan needs no network.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from browser_support import FULL_SIZE_IMAGES, VIEWPORTS, built_pages, product_pages
from support import EXAMPLE_CATALOG

RULE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": RULE_TAGS}, "resultTypes": ["violations"]}
INDEX_PAGE = "index.html"
PAGES = [page.path for page in product_pages(EXAMPLE_CATALOG)] + [INDEX_PAGE]


def scan(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it stands."""
    from axe_playwright_python.sync_playwright import Axe

    violations: list[dict[str, Any]] = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    return violations


def described(violations: list[dict[str, Any]], url: str, viewport: str) -> str:
    """One line per element axe flags: rule, impact, target, page and viewport."""
    size = "{width}x{height}".format(**VIEWPORTS[viewport])
    return "\n".join(
        f"{v['id']} ({v['impact']}) at {' '.join(map(str, node['target']))} on {url}"
        f" [{viewport} {size}]: {v['help']}"
        for v in violations
        for node in v["nodes"]
    )


def test_the_scan_covers_every_page_the_site_wrote(example_site: Path) -> None:
    assert built_pages(example_site) == set(PAGES) - {INDEX_PAGE}


def test_the_scan_sees_a_violation(open_tab: Any, example_server: str) -> None:
    tab = open_tab(example_server, "phone", FULL_SIZE_IMAGES)
    tab.page.set_content('<html><body><main><h1>x</h1><img src="a.png"></main></body></html>')
    found = described(scan(tab.page), "about:blank", "phone")
    assert "image-alt (critical) at img on about:blank [phone 390x844]" in found
    assert "html-has-lang (serious) at html" in found


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
@pytest.mark.parametrize("path", PAGES)
def test_no_accessibility_violation(
    path: str, viewport: str, open_tab: Any, example_server: str
) -> None:
    tab = open_tab(example_server, viewport, FULL_SIZE_IMAGES)
    response = tab.goto(path)
    violations = scan(tab.page)
    assert violations == [], "axe-core violations:\n" + described(
        violations, response.url, viewport
    )
