"""Where a published product lives: its Digital Link URI and its files on the site.

The one statement of the site's layout. The site build writes these paths, the
linksets and the JSON-LD point at them, the resolver server reads them back,
and the static-host rules route to them.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import NamedTuple

from gs1ld.digital_link import DigitalLink

__all__ = [
    "BUILDS_FOLDER",
    "CURRENT_LINK",
    "JSONLD_FILE",
    "LANGUAGE_PAGE",
    "LANGUAGE_PAGE_TAG",
    "LINKSET_FILE",
    "MANIFEST_FILE",
    "MANIFEST_PARTITIONS",
    "PAGE_FILE",
    "PAGE_SECTIONS",
    "PROBLEM_FILES",
    "PRODUCTS_FOLDER",
    "PRODUCT_FILE_NAMES",
    "PRODUCT_VERSIONS",
    "QR_FILE",
    "SHARED_PRODUCTS",
    "SPARE_PARTITIONS",
    "ProductPaths",
    "is_product_file",
    "product_paths",
    "product_uri",
    "published_root",
]

CURRENT_LINK = "current"
"""In a local site folder: the relative symbolic link naming the build being served.

A local build writes each site into its own folder under :data:`BUILDS_FOLDER`
and publishes it by replacing this link atomically; the site folder itself is
never replaced, so a server or a container bind mount given it keeps seeing
the newest build, and a static host's root is ``{site}/current``.
"""

BUILDS_FOLDER = ".gs1ld-builds"
"""In a local site folder: the folder holding the builds (``current`` points into it)."""

SPARE_PARTITIONS = ".spare-partitions"
"""In :data:`BUILDS_FOLDER`: the manifest partitions of the last build removed, which the
next build that splices its manifest writes over (see :mod:`gs1ld.site.folder`)."""

SHARED_PRODUCTS = ".gs1ld-products"
"""In a local site folder: the products every build shares (see :mod:`gs1ld.site.folder`).

It holds ``01/{gtin}``, one link per product naming its current version, and
``v/{gtin}/{input hash}/``, the versions (a product's files, never changed once
written); every build's ``01`` is a link to the folder of product links.
"""

PRODUCT_VERSIONS = "v"
"""In :data:`SHARED_PRODUCTS`: the folder of product versions, ``{gtin}/{input hash}/``."""

MANIFEST_FILE = "manifest.json"
"""The site's manifest, at its root: what was published, and from what."""

PRODUCTS_FOLDER = "01"
"""The top folder of the site holding one folder per product (the GTIN's AI)."""

MANIFEST_PARTITIONS = "manifest"
"""The folder of the manifest's partitions (``manifest/{prefix}.jsonl``, one product a line)."""

PROBLEM_FILES = {
    400: ".well-known/gs1ld/problem-400.json",
    404: ".well-known/gs1ld/problem-404.json",
}
"""Status -> the RFC 9457 document a static host answers that error with (site-relative)."""

PAGE_SECTIONS = {
    "allergenInfo": "allergens",
    "ingredientsInfo": "ingredients",
    "nutritionalInfo": "nutrition",
    "sustainabilityInfo": "sustainability",
    "traceability": "traceability",
    "recallStatus": "recalls",
}
"""Link type -> the ``id`` of the product page's element that answers it."""


class ProductPaths(NamedTuple):
    """Site-relative paths of a product's files."""

    folder: str
    page: str
    jsonld: str
    linkset: str
    qr: str

    @property
    def files(self) -> tuple[str, str, str, str]:
        """The four files every product has, page first."""
        return (self.page, self.jsonld, self.linkset, self.qr)

    def language_page(self, language: str) -> str:
        """The page of the product in another of its languages: ``index.{language}.html``."""
        return f"{self.folder}/index.{language}.html"


PAGE_FILE = "index.html"
"""A product's human page in its main language (also the index page of the site)."""
JSONLD_FILE = "index.jsonld"
"""A product's GS1 Web Vocabulary JSON-LD."""
LINKSET_FILE = "linkset.json"
"""A product's RFC 9264 linkset."""
QR_FILE = "qr.svg"
"""A product's Digital Link QR code."""
PRODUCT_FILE_NAMES = frozenset({PAGE_FILE, JSONLD_FILE, LINKSET_FILE, QR_FILE})
"""The names of the four files every product folder holds."""
LANGUAGE_PAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
"""A language tag that may name a product page (``index.{tag}.html``)."""
LANGUAGE_PAGE = re.compile(rf"index\.({LANGUAGE_PAGE_TAG.pattern})\.html")
"""The name of a product's page in one of its other languages (group 1: the tag)."""


def is_product_file(name: str) -> bool:
    """Whether ``name`` is a file of a product's folder (its four files or a language page).

    >>> is_product_file("index.fr-CA.html"), is_product_file("10")
    (True, False)
    """
    return name in PRODUCT_FILE_NAMES or LANGUAGE_PAGE.fullmatch(name) is not None


def product_paths(gtin: str) -> ProductPaths:
    """Site-relative paths of the files of the product ``gtin`` (a GTIN-14).

    >>> product_paths("09506000134352").page
    '01/09506000134352/index.html'
    """
    folder = f"{PRODUCTS_FOLDER}/{gtin}"
    return ProductPaths(
        folder,
        f"{folder}/{PAGE_FILE}",
        f"{folder}/{JSONLD_FILE}",
        f"{folder}/{LINKSET_FILE}",
        f"{folder}/{QR_FILE}",
    )


def product_uri(base_url: str, gtin: str) -> str:
    """The product's GS1 Digital Link URI on the resolver root ``base_url``.

    >>> product_uri("https://id.brand.example/", "09506000134352")
    'https://id.brand.example/01/09506000134352'
    """
    stem = base_url.rstrip("/")
    if gtin.isascii() and gtin.isdigit():  # digits need no escaping: the URI DigitalLink builds
        return f"{stem}/01/{gtin}"
    return DigitalLink(("01", gtin), stem=stem).uri


def published_root(site: Path) -> Path:
    """The directory a site's files are read from: ``site/current`` when ``site`` holds one.

    ``site`` may be a local site folder (the folder of builds, which holds the
    ``current`` link), its ``current`` link, or a directory of site files (one
    build, an object store's scratch copy, a site from before builds had their
    own folders).  Looked up afresh at each call: the link changes with each
    build.
    """
    current = site / CURRENT_LINK
    return current if os.path.lexists(current) else site
