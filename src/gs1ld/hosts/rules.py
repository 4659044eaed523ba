"""Rules that make a static host behave like a GS1 resolver, as far as each host can.

nginx (``nginx.conf`` + ``nginx-map/*.map``) and Apache (``apache.conf`` +
``apache-links/*.txt``, or ``.htaccess`` alone) are run against the resolver
tests in ``tests/resolver/``; the documentation's host table
(docs/reference/resolver.md) is generated from those tests.  ``_headers`` and ``_redirects`` (Netlify, Cloudflare Pages) are kept
for those hosts but not tested on them.
"""

from __future__ import annotations

from collections.abc import Callable

import orjson

from gs1ld.config import SiteConfig
from gs1ld.hosts.apache import APACHE_MAP_DIR, apache_conf, apache_map_lines, htaccess
from gs1ld.hosts.link_map import LINK_MAP_DIR, MAP_SHARD_ENTRIES, link_map_lines, map_shard
from gs1ld.hosts.nginx import NGINX_CONF, nginx_conf
from gs1ld.hosts.syntax import check_root, fill
from gs1ld.publish import ManifestEntry
from gs1ld.publish.layout import CURRENT_LINK, PROBLEM_FILES
from gs1ld.publish.linkset_context import LINKSET_CONTEXT_PATH, linkset_context_file
from gs1ld.publish.wire import LINKSET_LINK_PARAMS, STATIC_PROBLEMS, problem_document

__all__ = ["HOST_FILES", "SITE_ROOT_PLACEHOLDER", "HostMapWriter", "host_rules"]

HOST_FILES = ("nginx.conf", "apache.conf", ".htaccess", "_headers", "_redirects")
SITE_ROOT_PLACEHOLDER = "/srv/gs1ld-site"
"""The site folder the server configurations name when ``SiteConfig.site_root`` is None
(their root is its ``current`` link, followed per request)."""


def _served_root(config: SiteConfig) -> str:
    """The document root: the build the site folder's ``current`` link names."""
    return f"{(config.site_root or SITE_ROOT_PLACEHOLDER).rstrip('/')}/{CURRENT_LINK}"


_HEADERS = """# gs1ld: headers for Netlify and Cloudflare Pages (generated; not tested on those hosts).
/*
  Access-Control-Allow-Origin: *
  Access-Control-Allow-Methods: GET, HEAD, OPTIONS
  Vary: Accept, Accept-Language
  Cache-Control: @CACHE_CONTROL@
/01/:gtin/@LINKSET_FILE@
  Content-Type: @LINKSET_TYPE@
/01/:gtin/@JSONLD_FILE@
  Content-Type: @JSONLD_TYPE@
/01/:gtin
  Link: </01/:gtin?linkType=linkset>; @LINKSET_LINK@
/.well-known/gs1resolver
  Content-Type: @JSON_TYPE@
@CONTEXT_PATH@
  Content-Type: @JSONLD_TYPE@
/.well-known/gs1ld/*
  Content-Type: @PROBLEM_TYPE@
"""

_REDIRECTS = """# gs1ld: redirects for Netlify (query matching) and Cloudflare Pages (generated;
# not tested on those hosts).
/01/:gtin linkType=linkset /01/:gtin/@LINKSET_FILE@ 200
/01/:gtin linkType=all /01/:gtin/@LINKSET_FILE@ 200
@DEFAULT@/01/* @NOT_FOUND@ 404
"""

_DEFAULT_PAGE = """/01/:gtin @PAGES@/01/:gtin/@PAGE_FILE@ 307
/01/:gtin/ @PAGES@/01/:gtin/@PAGE_FILE@ 307
"""
_DEFAULT_LINKSET = """/01/:gtin /01/:gtin/@LINKSET_FILE@ 200
/01/:gtin/ /01/:gtin/@LINKSET_FILE@ 200
"""


def host_rules(config: SiteConfig, *, map_entries: int = 0) -> dict[str, bytes]:
    """The host configuration files written at the site's root.

    With ``config.upstream``, ``nginx.conf`` and ``apache.conf`` pass what their
    rules cannot answer to that ``gs1ld serve``; ``.htaccess`` and the Netlify and
    Cloudflare files stay as they are (such hosts cannot proxy; see the README).

    Args:
        config: the site options (its base URL is in every redirect and ``Link``).
        map_entries: entries of the site's link map (nginx sizes its hash for them).

    Raises:
        PublishError: the base URL holds a character the configurations would misread.
    """
    root = config.export.base_url
    page_base = config.export.page_base
    if page_base is not None:
        check_root(page_base)
    # a page base on the site's own domain is named by its path alone, as before
    pages = page_base.removeprefix(root) if page_base is not None else ""
    default = _DEFAULT_PAGE if page_base is not None else _DEFAULT_LINKSET
    redirects = fill(_REDIRECTS.replace("@DEFAULT@", default), {"@PAGES@": pages})
    headers = fill(_HEADERS, {"@LINKSET_LINK@": LINKSET_LINK_PARAMS})
    return {
        NGINX_CONF: nginx_conf(
            root, site_root=_served_root(config), map_entries=map_entries, upstream=config.upstream
        ),
        "apache.conf": apache_conf(root, site_root=_served_root(config), upstream=config.upstream),
        ".htaccess": htaccess(root, page_base=page_base),
        "_headers": headers.encode("utf-8"),
        "_redirects": redirects.encode("utf-8"),
        LINKSET_CONTEXT_PATH.lstrip("/"): linkset_context_file(),
        **{
            path: orjson.dumps(problem_document(status, *STATIC_PROBLEMS[status]))
            for status, path in PROBLEM_FILES.items()
        },
    }


class HostMapWriter:
    """Writes the nginx and Apache link maps in shards, one product's entries at a time.

    Both maps come from each product's first link of each type
    (:attr:`ManifestEntry.links`), so they always agree.  A site with no links
    still gets one (empty) shard of each, so the configurations' wildcard
    includes always match a file.
    """

    def __init__(
        self,
        write: Callable[[str, bytes], None],
        *,
        shard_entries: int = MAP_SHARD_ENTRIES,
    ) -> None:
        self._write = write
        self._shard_entries = shard_entries
        self._nginx: list[bytes] = []
        self._apache: list[bytes] = []
        self._products = 0
        self._shards = 0
        self.entries = 0
        """Map entries written so far (nginx sizes its hash for them)."""

    def add(self, product: ManifestEntry) -> None:
        """Add one product's entries."""
        if not product.links:
            return
        self.add_lines(
            link_map_lines(product.gtin, product.links),
            b"".join(apache_map_lines((product.gtin, rel, href) for rel, href in product.links)),
            len(product.links),
        )

    def add_lines(self, nginx: bytes, apache: bytes, entries: int, products: int = 1) -> None:
        """Add the entries of ``products`` products as both maps' lines (a rebuild reuses
        unchanged products' lines from the last build's shards instead of writing them
        again); they must fit in the shard being filled (:attr:`room`)."""
        self._nginx.append(nginx)
        self._apache.append(apache)
        self.entries += entries
        self._products += products
        if self._products >= self._shard_entries:
            self._flush()

    @property
    def room(self) -> int:
        """Products the shard being filled takes before it is written."""
        return self._shard_entries - self._products

    def _flush(self) -> None:
        self._shards += 1
        self._write(map_shard(LINK_MAP_DIR, self._shards, ".map"), b"".join(self._nginx))
        self._write(map_shard(APACHE_MAP_DIR, self._shards, ".txt"), b"".join(self._apache))
        self._nginx, self._apache, self._products = [], [], 0

    def finish(self) -> int:
        """Write the last shard; return the number of map entries."""
        if self._products or self._shards == 0:
            self._flush()
        return self.entries
