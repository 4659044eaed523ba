#!/usr/bin/env python3
"""Where the allergen information sits on each product page, on a phone (390 × 844).

Builds a catalog's site (default: ``examples/catalog``) for
``https://id.brand.example``, serves it with the resolver server on 127.0.0.1 and
opens every product page (each language's) in Debian's Chromium at 390 × 844.
Every image request is answered with a PNG of one size, once with a 1 × 1 image
(the page keeps the room its ``width``/``height`` attributes ask for: the
baseline) and once per ``--images`` size (default a full-size 1200 × 1600
photo), every image (lazy ones too) loaded.  It prints, per page, the top of the
allergen information in CSS pixels at scroll 0 and whether it starts on the
first screen (< 844 px).

The allergen information is the first of ``--selector`` (repeatable) the page
has: by default the summary box of issue 23 (``#allergen-summary``), else the
"Allergens:" line of the pages before it (``#allergens``).  Which one was
measured is printed beside each figure.  "allergens" says whether the product's
JSON-LD states an allergen it contains or may contain: a page with "yes" and no
figure hides its allergens.

Goal (issue 23): on every page with allergens, top < 844 with every image size;
the script exits 1 when a page misses it.

Usage: python benchmarks/allergen_position.py [--catalog DIR] [--selector CSS ...]
       [--images WxH ...] [--markdown]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))

from browser_support import (  # noqa: E402
    ALLERGEN_LINE,
    ALLERGEN_SUMMARY,
    BASE,
    PHONE,
    TINY_IMAGES,
    Images,
    ProductPage,
    build,
    launch,
    load_every_image,
    product_pages,
    serve_site,
    served,
    top_of,
)

Figure = tuple[str, float] | None
"""(the selector found, its top in px), or None when the page has none of them."""


def measure(
    browser: Any, server_url: str, images: Images, pages: list[ProductPage], selectors: list[str]
) -> dict[str, Figure]:
    """The top of the first of ``selectors`` each page has, with ``images`` loaded."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    serve_site(context, server_url=server_url, images=images)
    figures: dict[str, Figure] = {}
    try:
        page = context.new_page()
        for product_page in pages:
            response = page.goto(f"{BASE}/{product_page.path}")
            if response is None or response.status != 200:
                raise SystemExit(f"{product_page.path}: {response and response.status}")
            load_every_image(page)
            figures[product_page.path] = next(
                (
                    (selector, top)
                    for selector in selectors
                    if (top := top_of(page, selector)) is not None
                ),
                None,
            )
    finally:
        context.close()
    return figures


def _size(text: str) -> Images:
    width, _, height = text.partition("x")
    return Images(text, int(width), int(height))


def _cell(figure: Figure, *, selector: bool) -> str:
    if figure is None:
        return "—"
    found, top = figure
    screen = "first screen" if top < PHONE["height"] else "below"
    return f"{top:.0f} px ({screen}{', ' + found if selector else ''})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--catalog", type=Path, default=ROOT / "examples" / "catalog")
    parser.add_argument(
        "--selector",
        action="append",
        help=f"CSS selector of the allergen information, tried in order"
        f" (default: {ALLERGEN_SUMMARY}, then {ALLERGEN_LINE})",
    )
    parser.add_argument(
        "--images", action="append", type=_size, help="image size WxH (default 1200x1600)"
    )
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args()
    selectors: list[str] = args.selector or [ALLERGEN_SUMMARY, ALLERGEN_LINE]
    sizes: list[Images] = [TINY_IMAGES] + (args.images or [_size("1200x1600")])

    from playwright.sync_api import sync_playwright

    started = time.perf_counter()
    pages = list(product_pages(args.catalog.resolve()))
    with tempfile.TemporaryDirectory() as tmp:
        site = build(args.catalog, Path(tmp) / "site")
        with served(site) as server_url, sync_playwright() as playwright:
            browser = launch(playwright)
            try:
                columns = [measure(browser, server_url, s, pages, selectors) for s in sizes]
            finally:
                browser.close()

    header = ["GTIN", "page", "allergens"] + [f"top with {s.name} images" for s in sizes]
    rows = [
        [page.gtin, page.path.rsplit("/", 1)[1], "yes" if page.allergens else "no"]
        + [_cell(column[page.path], selector=i == 0) for i, column in enumerate(columns)]
        for page in pages
    ]
    if args.markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for row in rows:
            print("| " + " | ".join(row) + " |")
    else:
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
        for row in [header, *rows]:
            print(
                "  ".join(
                    cell.ljust(width) for cell, width in zip(row, widths, strict=True)
                ).rstrip()
            )
    stated = [p for p in pages if p.allergens]
    on_screen = [
        p for p in stated if all((c[p.path] or ("", 1e9))[1] < PHONE["height"] for c in columns)
    ]
    print(
        f"\n{len(on_screen)} of {len(stated)} pages with allergens show them on the first"
        f" {PHONE['width']}x{PHONE['height']} screen with every image size"
        f" ({len(pages)} pages, {time.perf_counter() - started:.0f} s);"
        f" goal: all of them"
    )
    return 0 if len(on_screen) == len(stated) else 1


if __name__ == "__main__":
    raise SystemExit(main())
