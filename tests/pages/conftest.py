"""Fixtures of the real-browser tests: one Chromium per module, the example site built once.

The helpers they use (viewports, image stand-ins, routing) live in
``tests/browser_support.py``, which the benchmarks import too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from browser_support import (
    VIEWPORTS,
    Images,
    Tab,
    build,
    launch,
    require_browser,
    serve_site,
    served,
)
from support import EXAMPLE_CATALOG

OpenTab = Callable[[str, str, Images], Tab]


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Debian's Chromium, launched once for the test module (skips when it is missing)."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example catalog's site, built once per session for ``https://id.brand.example``."""
    return build(EXAMPLE_CATALOG, tmp_path_factory.mktemp("example") / "site")


@pytest.fixture(scope="session")
def example_server(example_site: Path) -> Iterator[str]:
    """The resolver server on the example site, for the session: its 127.0.0.1 URL."""
    with served(example_site) as url:
        yield url


@pytest.fixture(scope="module")
def _contexts(chromium: Any) -> Iterator[Callable[[str, str, Images], Any]]:
    """The module's browser contexts, one per (server, viewport, images), made on demand."""
    contexts: dict[tuple[str, str, Images], Any] = {}

    def context_for(server_url: str, viewport: str, images: Images) -> Any:
        key = (server_url, viewport, images)
        if key not in contexts:
            phone = viewport == "phone"
            contexts[key] = chromium.new_context(
                viewport=VIEWPORTS[viewport], is_mobile=phone, has_touch=phone
            )
            serve_site(contexts[key], server_url=server_url, images=images)
        return contexts[key]

    yield context_for
    for context in contexts.values():
        context.close()


@pytest.fixture
def open_tab(_contexts: Callable[[str, str, Images], Any]) -> Iterator[OpenTab]:
    """``open_tab(server_url, viewport, images)``: a fresh page, on a ``"phone"`` or a
    ``"desktop"``, that sees the site at its base answered by the server at ``server_url``
    and every other request (the catalog's image hosts) answered with ``images``.

    Pages share a browser context per module (the sites are static: nothing a page does
    changes what the next one sees), which keeps a module of a hundred pages quick.
    """
    tabs: list[Tab] = []

    def open_(server_url: str, viewport: str, images: Images) -> Tab:
        tab = Tab(_contexts(server_url, viewport, images).new_page())
        tab.page.on("console", lambda m: tab.errors.append(m.text) if m.type == "error" else None)
        tab.page.on("pageerror", lambda e: tab.errors.append(str(e)))
        tabs.append(tab)
        return tab

    yield open_
    for tab in tabs:
        tab.page.close()
