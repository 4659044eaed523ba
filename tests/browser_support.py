"""A real browser on a built site: Chromium, the site served at its own base, images routed.

The one owner of how the browser tests (``tests/pages/test_browser*.py``) and
``benchmarks/allergen_position.py`` drive Chromium: where the browser is, the
viewports a shopper has, the PNG images that stand in for a catalog's fictional
image hosts, and how a site built for ``https://id.brand.example`` is served to
the browser at that very base by the resolver server on 127.0.0.1.

Debian's Chromium (``/usr/bin/chromium``) is used through Playwright's sync API;
no browser build is downloaded.  The tests skip when Chromium or Playwright is
missing, unless ``GS1LD_REQUIRE_BROWSER=1`` (set by ``.ci/run``, which installs
Chromium), where that is a failure.
"""

from __future__ import annotations

import os
import struct
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest

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

BASE = "https://id.brand.example"
"""The base the browser tests build sites for, and the origin the browser sees them at."""
TODAY = date(2026, 6, 1)
"""The reference day of the browser tests' builds (certificate states depend on it)."""

PHONE = {"width": 390, "height": 844}
"""A phone held upright (CSS pixels): the screen a shopper sees after scanning the pack."""
DESKTOP = {"width": 1280, "height": 800}
"""A small desktop window."""
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}

ALLERGEN_SUMMARY = "#allergen-summary"
"""The page's allergen summary box (issue 23: "Contains: …", "May contain: …" under the name)."""
ALLERGEN_LINE = "#allergens"
"""Where the pages before issue 23 state allergens: the "Allergens:" line under the ingredients."""


def require_browser() -> None:
    """Skip the calling test when Playwright or Chromium is missing (fail under
    ``GS1LD_REQUIRE_BROWSER=1``)."""
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


def launch(playwright: Any) -> Any:
    """Debian's Chromium, headless, with nothing of its own going to the network."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def png(width: int, height: int, rgb: tuple[int, int, int] = (200, 138, 60)) -> bytes:
    """A real PNG of one colour (8-bit RGB), written with zlib alone.

    >>> image = png(3, 2)
    >>> image[:8] == b"\\x89PNG\\r\\n\\x1a\\n", struct.unpack(">II", image[16:24])
    (True, (3, 2))
    """

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = (b"\x00" + bytes(rgb) * width) * height
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 6))
        + chunk(b"IEND", b"")
    )


@dataclass(frozen=True)
class Images:
    """What every image request of a page is answered with."""

    name: str
    width: int
    height: int

    @property
    def body(self) -> bytes:
        """The PNG itself."""
        return _png_cached(self.width, self.height)


_PNGS: dict[tuple[int, int], bytes] = {}


def _png_cached(width: int, height: int) -> bytes:
    if (width, height) not in _PNGS:
        _PNGS[(width, height)] = png(width, height)
    return _PNGS[(width, height)]


TINY_IMAGES = Images("1x1", 1, 1)
"""A one-pixel image: the page keeps the room its ``width``/``height`` attributes ask for."""
FULL_SIZE_IMAGES = Images("1200x1600", 1200, 1600)
"""A full-size upright product photo, as a brand's image host serves it."""
TALL_IMAGES = Images("600x2400", 600, 2400)
"""An unusually tall image (a banner or a whole label unrolled)."""


def serve_site(context: Any, *, server_url: str, images: Images, base: str = BASE) -> None:
    """Route every request of a browser context: the site's base to the resolver server
    at ``server_url``, anything else (the catalog's fictional image hosts) to ``images``.

    The browser so sees the site at the base it was built for: its absolute links and
    ``hreflang`` alternates work as online, and nothing leaves the machine.  A redirect
    is answered as the server answers it, but Chromium does not let a route answer the
    request that follows it: open the target :func:`follow` finds instead.
    """
    body = images.body

    def answer(route: Any) -> None:
        url: str = route.request.url
        if url == base or url.startswith(base + "/"):
            response = route.fetch(url=server_url + url[len(base) :], max_redirects=0)
            route.fulfill(response=response)
        elif url.startswith(server_url):
            route.continue_()
        else:
            route.fulfill(status=200, content_type="image/png", body=body)

    context.route("**/*", answer)


BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
"""The ``Accept`` header of a browser following a link."""


def follow(url: str, *, server_url: str, base: str = BASE) -> tuple[list[int], str]:
    """The statuses of the redirects a browser meets at ``url`` (on the site at ``base``,
    answered by the server at ``server_url``), and the URL it lands on."""
    import httpx

    statuses: list[int] = []
    with httpx.Client(headers={"accept": BROWSER_ACCEPT}) as client:
        for _ in range(5):
            assert url.startswith(base + "/"), f"{url} leaves the site at {base}"
            response = client.get(server_url + url[len(base) :])
            statuses.append(response.status_code)
            if not response.is_redirect:
                return statuses, url
            url = urljoin(url, response.headers["location"])
    raise AssertionError(f"more than 5 redirects from {url}: {statuses}")


_EAGER_IMAGES = """() => {
  for (const img of document.images) img.loading = "eager";
}"""
_IMAGES_DONE = """() => Array.from(document.images).every(img => img.complete)"""
_IMAGE_SIZES = (
    """() => Array.from(document.images).map(img => [img.naturalWidth, img.naturalHeight])"""
)


def load_every_image(page: Any) -> list[tuple[int, int]]:
    """Load every image of the page, lazy ones too, as if the shopper had scrolled past
    each; then scroll back to the top.  Returns each image's natural size."""
    page.evaluate(_EAGER_IMAGES)
    page.wait_for_function(_IMAGES_DONE)
    page.evaluate("() => window.scrollTo(0, 0)")
    return [(w, h) for w, h in page.evaluate(_IMAGE_SIZES)]


_TOP = """(selector) => {
  const el = document.querySelector(selector);
  return el === null ? null : el.getBoundingClientRect().top + window.scrollY;
}"""


def top_of(page: Any, selector: str) -> float | None:
    """The top of the first element ``selector`` finds, in CSS pixels from the top of the
    page (its ``getBoundingClientRect().top`` at scroll 0), or None when there is none."""
    found = page.evaluate(_TOP, selector)
    return None if found is None else float(found)


def build(catalog: Path, target: Path) -> Path:
    """Build ``catalog``'s resolver site into ``target`` for :data:`BASE` on :data:`TODAY`;
    every product must be valid."""
    from gs1ld.config import ExportConfig, SiteConfig
    from gs1ld.site.build import build_site

    report = build_site(
        catalog, target, config=SiteConfig(ExportConfig(base_url=BASE, today=TODAY))
    )
    assert report.invalid == [], report.invalid
    return target


def built_pages(site: Path) -> set[str]:
    """Every product page (each language's) the build of ``site`` wrote, site-relative."""
    from gs1ld.publish import LANGUAGE_PAGE, PRODUCT_FILE_NAMES
    from gs1ld.publish.layout import published_root

    root = published_root(site)
    return {
        str(path.relative_to(root))
        for path in root.glob("01/*/*.html")
        if path.name in PRODUCT_FILE_NAMES or LANGUAGE_PAGE.fullmatch(path.name)
    }


@dataclass(frozen=True)
class ProductPage:
    """One page of one product, as the site build writes it."""

    gtin: str
    path: str
    """Site-relative, e.g. ``01/09506000134468/index.en.html``."""
    language: str
    """The language it is written in (its ``<html lang>``)."""
    languages: tuple[str, ...]
    """The languages of all the product's pages, the main one first."""
    allergens: bool
    """The product's JSON-LD states an allergen it contains or may contain."""
    images: int
    """How many images of the product the feed lists."""


_STATED = {"gs1:LevelOfContainmentCode-CONTAINS", "gs1:LevelOfContainmentCode-MAY_CONTAIN"}


@lru_cache(maxsize=8)
def product_pages(catalog: Path) -> tuple[ProductPage, ...]:
    """Every page a build of ``catalog`` writes, worked out from the catalog alone (so tests
    can be parametrised at collection, before any site is built), sorted by path."""
    from gs1ld.catalog import read_catalog
    from gs1ld.config import ExportConfig
    from gs1ld.publish import publish_entry

    config = ExportConfig(base_url=BASE, today=TODAY)
    pages: list[ProductPage] = []
    for outcome in read_catalog(catalog):
        assert outcome.entry is not None, outcome.problems
        publication = publish_entry(outcome.entry, config)
        stated = publication.document.get("gs1:hasAllergen", [])
        stated = stated if isinstance(stated, list) else [stated]
        allergens = any(
            (item.get("gs1:allergenLevelOfContainmentCode") or {}).get("@id") in _STATED
            for item in stated
        )
        main, *others = publication.languages
        paths = publication.paths
        for language, path in [(main, paths.page)] + [
            (tag, paths.language_page(tag)) for tag in others
        ]:
            pages.append(
                ProductPage(
                    publication.gtin,
                    path,
                    language,
                    publication.languages,
                    allergens,
                    len(outcome.entry.images),
                )
            )
    return tuple(sorted(pages, key=lambda page: page.path))


@contextmanager
def served(site: Path) -> Iterator[str]:
    """The resolver server on ``site`` (for the base it was built for): yields its URL."""
    from gs1ld.server.app import ServerConfig, create_app
    from support import RunningServer

    with RunningServer(create_app(site, config=ServerConfig(base_url=BASE))) as server:
        yield server.url


@dataclass
class Tab:
    """A page open in Chromium, with the errors it logged (console errors, exceptions)."""

    page: Any
    errors: list[str] = field(default_factory=list)

    def goto(self, path: str) -> Any:
        """Open ``path`` (site-relative) at the site's base; the response must be a 200."""
        response = self.page.goto(f"{BASE}/{path}")
        assert response is not None, path
        assert response.status == 200, (path, response.status)
        return response
