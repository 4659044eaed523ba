"""Pages: values in, bytes out.

Everything a person or a search engine reads, rendered from a
:class:`~gs1ld.publish.Publication` or manifest rows and nothing else: the
product page and its view model, the schema.org block, the pack QR code, the
product listings, sitemaps and the extension vocabulary's pages, with the
Jinja2 templates they use (autoescape on), the chrome's message catalogs
(``locales/``, :mod:`gs1ld.pages.i18n`) and a brand's theme
(:mod:`gs1ld.pages.theme`).  Nothing here touches a site folder:
:mod:`gs1ld.site` decides where the bytes go.
"""

from gs1ld.pages.languages import LanguagePage, language_pages
from gs1ld.pages.listings import ORDERS, IndexOrder, index_page_files
from gs1ld.pages.product import (
    environment,
    redate_page,
    render_page,
    render_product_page,
    render_view,
)
from gs1ld.pages.qr import QR_ERROR_CORRECTION, QR_QUIET_ZONE, qr_svg
from gs1ld.pages.schema_org import schema_org_product
from gs1ld.pages.sitemaps import sitemap_files
from gs1ld.pages.theme import Theme, load_theme
from gs1ld.pages.theme_check import check_theme
from gs1ld.pages.view import CertificationView, ProductView, build_view
from gs1ld.pages.vocabulary import vocabulary_files

__all__ = [
    "ORDERS",
    "QR_ERROR_CORRECTION",
    "QR_QUIET_ZONE",
    "CertificationView",
    "IndexOrder",
    "LanguagePage",
    "ProductView",
    "Theme",
    "build_view",
    "check_theme",
    "environment",
    "index_page_files",
    "language_pages",
    "load_theme",
    "qr_svg",
    "redate_page",
    "render_page",
    "render_product_page",
    "render_view",
    "schema_org_product",
    "sitemap_files",
    "vocabulary_files",
]
