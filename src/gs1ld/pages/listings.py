"""The product listing: pages of at most 1,000 products in three orders, and an index of pages.

One page listing every product is about 100 bytes a product: 100 MB at a
million.  Each order (name, brand, GTIN) is instead cut into pages of
:data:`PAGE_SIZE` products with previous/next links; page 1 of each order
keeps its old address at the site's root (``index.html``, ``index-brand.html``,
``index-gtin.html``), later pages live at ``index/{order}/{n}.html``, and
``index/{order}/pages.html`` lists every page by its first and last product
(itself cut into parts of :data:`PAGE_SIZE` links).  Pages are written from a
stream in the order's sort, so nothing holds the whole listing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice

from markupsafe import Markup
from markupsafe import escape as escape_html

from gs1ld.config import PAGE_SIZE, SiteConfig
from gs1ld.pages.i18n import N_
from gs1ld.pages.product import render_page
from gs1ld.publish import ManifestEntry, product_paths

__all__ = ["ORDERS", "PAGE_SIZE", "IndexOrder", "index_page_files"]


@dataclass(frozen=True, slots=True)
class IndexOrder:
    """One sort order of the listing.

    Attributes:
        key: the :class:`ManifestEntry` field it sorts by (then by GTIN).
        first: the site-relative path of its first page.
        label: how the pages name it (in English; the pages translate it).
    """

    key: str
    first: str
    label: str

    def sort_key(self, entry: ManifestEntry) -> tuple[str, str]:
        """Where ``entry`` sorts in this order."""
        return str(getattr(entry, self.key)).casefold(), entry.gtin

    @property
    def folder(self) -> str:
        """The site-relative folder of its later pages and its index of pages."""
        return f"index/{self.key}"

    def page(self, number: int) -> str:
        """The site-relative path of page ``number`` (from 1)."""
        return self.first if number == 1 else f"{self.folder}/{number}.html"

    def pages_list(self, part: int) -> str:
        """The site-relative path of part ``part`` (from 1) of the index of pages."""
        return f"{self.folder}/pages{'' if part == 1 else f'-{part}'}.html"


ORDERS = (
    IndexOrder("name", "index.html", N_("name")),
    IndexOrder("brand", "index-brand.html", N_("brand")),
    IndexOrder("gtin", "index-gtin.html", N_("GTIN")),
)


def _up(path: str) -> str:
    """The relative prefix from ``path``'s folder back to the site's root."""
    return "../" * path.count("/")


def _row(p: ManifestEntry, prefix: str) -> str:
    """One product's row, every value escaped for HTML text and attributes."""
    gtin, name, brand = escape_html(p.gtin), escape_html(p.name), escape_html(p.brand)
    page = escape_html(prefix + product_paths(p.gtin).page)
    return (
        f'<tr data-name="{escape_html(p.name.lower())}" data-brand="{escape_html(p.brand.lower())}"'
        f' data-gtin="{gtin}"><td><a href="{page}">{name}</a></td>'
        f'<td class="brand">{brand}</td><td class="gtin">{gtin}</td></tr>\n'
    )


def _label(order: IndexOrder, entry: ManifestEntry) -> str:
    """How the index of pages names a page's first or last product."""
    return entry.gtin if order.key == "gtin" else entry.name


def _chunks(items: Iterable[ManifestEntry], size: int) -> Iterator[list[ManifestEntry]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def index_page_files(
    sorted_products: Callable[[IndexOrder], Iterable[ManifestEntry]],
    count: int,
    config: SiteConfig,
    *,
    page_size: int = PAGE_SIZE,
    orders: Sequence[IndexOrder] = ORDERS,
) -> Iterator[tuple[str, bytes]]:
    """Yield every listing page and index-of-pages part (site-relative path, bytes).

    Args:
        sorted_products: the products in an order's :meth:`IndexOrder.sort_key` order.
        count: how many products there are.
        config: the site options.
        page_size: products a page holds at most.
        orders: the orders whose pages to give (each links to the others all the same).
    """
    pages = max(1, -(-count // page_size))
    for order in orders:
        summaries: list[tuple[int, str, str]] = []
        chunks = _chunks(sorted_products(order), page_size)
        for number in range(1, pages + 1):
            chunk = next(chunks, [])
            path = order.page(number)
            up = _up(path)
            if chunk:
                summaries.append((number, _label(order, chunk[0]), _label(order, chunk[-1])))
            yield (
                path,
                render_page(
                    "index.html.j2",
                    language=config.export.language,
                    theme=config.theme,
                    site_root=up,
                    name=config.name,
                    root=config.export.base_url,
                    contact=config.contact,
                    count=count,
                    rows=Markup("".join(_row(p, up) for p in chunk)),
                    sort_label=order.label,
                    orders=[(up + o.first, o.label) for o in ORDERS if o != order],
                    page=number,
                    pages=pages,
                    previous=up + order.page(number - 1) if number > 1 else "",
                    next=up + order.page(number + 1) if number < pages else "",
                    pages_href=up + order.pages_list(1),
                ).encode("utf-8"),
            )
        yield from _pages_lists(order, summaries, count, pages, config, page_size)


def _pages_lists(
    order: IndexOrder,
    summaries: list[tuple[int, str, str]],
    count: int,
    pages: int,
    config: SiteConfig,
    page_size: int,
) -> Iterator[tuple[str, bytes]]:
    """The index of pages of one order: each page by its first and last product."""
    parts = max(1, -(-len(summaries) // page_size))
    for part in range(1, parts + 1):
        path = order.pages_list(part)
        up = _up(path)
        window = summaries[(part - 1) * page_size : part * page_size]
        yield (
            path,
            render_page(
                "pages.html.j2",
                language=config.export.language,
                theme=config.theme,
                site_root=up,
                name=config.name,
                sort_label=order.label,
                count=count,
                total_pages=pages,
                part=part,
                parts=parts,
                start=window[0][0] if window else 1,
                items=[(up + order.page(n), first, last) for n, first, last in window],
                previous=up + order.pages_list(part - 1) if part > 1 else "",
                next=up + order.pages_list(part + 1) if part < parts else "",
            ).encode("utf-8"),
        )
