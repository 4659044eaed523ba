"""Rules that make a static host behave like a GS1 resolver, as far as each host can.

nginx (``nginx.conf`` + ``nginx.map``) and Apache (``apache.conf`` +
``apache-links.txt``, or ``.htaccess`` alone) are run against the resolver
tests in ``tests/resolver/``; the README's host table is generated from those
tests.  ``_headers`` and ``_redirects`` (Netlify, Cloudflare Pages) are kept
for those hosts but not tested on them.
"""

from __future__ import annotations

from pathlib import Path

from gs1ld.errors import PublishError
from gs1ld.publish.linkset_context import LINKSET_CONTEXT_PATH, linkset_context_file
from gs1ld.site.apache_rules import APACHE_MAP, apache_conf, apache_map_lines, htaccess
from gs1ld.site.config import SiteConfig
from gs1ld.site.link_map import LINK_MAP, link_map_entries
from gs1ld.site.nginx_rules import nginx_conf

__all__ = ["HOST_FILES", "SITE_ROOT_PLACEHOLDER", "host_rules", "write_host_files"]

HOST_FILES = ("nginx.conf", "apache.conf", ".htaccess", "_headers", "_redirects")
SITE_ROOT_PLACEHOLDER = "/srv/gs1ld-site"
"""The site directory the server configurations name; the deployment replaces it."""

_HEADERS = """# gs1ld: headers for Netlify and Cloudflare Pages (generated; not tested on those hosts).
/*
  Access-Control-Allow-Origin: *
  Access-Control-Allow-Methods: GET, HEAD, OPTIONS
  Vary: Accept, Accept-Language
/01/:gtin/linkset.json
  Content-Type: application/linkset+json
/01/:gtin/index.jsonld
  Content-Type: application/ld+json
/01/:gtin
  Link: </01/:gtin?linkType=linkset>; rel="linkset"; type="application/linkset+json"
/.well-known/gs1resolver
  Content-Type: application/json
/.well-known/linkset-context.jsonld
  Content-Type: application/ld+json
"""

_REDIRECTS = """# gs1ld: redirects for Netlify (query matching) and Cloudflare Pages (generated;
# not tested on those hosts).
/01/:gtin linkType=linkset /01/:gtin/linkset.json 200
/01/:gtin linkType=all /01/:gtin/linkset.json 200
/01/:gtin /01/:gtin/index.html 307
/01/:gtin/ /01/:gtin/index.html 307
"""


def host_rules(config: SiteConfig, *, map_entries: int = 0) -> dict[str, bytes]:
    """The host configuration files written at the site's root.

    Args:
        config: the site options (its base URL is in every redirect and ``Link``).
        map_entries: entries of the site's link map (nginx sizes its hash for them).

    Raises:
        PublishError: the base URL holds a character the configurations would misread.
    """
    root = config.export.base_url
    return {
        "nginx.conf": nginx_conf(root, site_root=SITE_ROOT_PLACEHOLDER, map_entries=map_entries),
        "apache.conf": apache_conf(root, site_root=SITE_ROOT_PLACEHOLDER),
        ".htaccess": htaccess(root),
        "_headers": _HEADERS.encode("utf-8"),
        "_redirects": _REDIRECTS.encode("utf-8"),
        LINKSET_CONTEXT_PATH.lstrip("/"): linkset_context_file(),
    }


def write_host_files(site: Path, config: SiteConfig) -> None:
    """Write the host rules and the Apache link map into ``site``, from its ``nginx.map``.

    The map is streamed: a site of a million products never holds it in memory.

    Raises:
        PublishError: a file cannot be written, or the base URL is unusable.
    """
    entries = 0
    try:
        with open(site / LINK_MAP, "rb") as source, open(site / APACHE_MAP, "wb") as target:
            for line in apache_map_lines(link_map_entries(source)):
                target.write(line)
                entries += 1
        for relative, data in host_rules(config, map_entries=entries).items():
            path = site / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    except OSError as exc:
        raise PublishError(f"Cannot write the host rules into {site}: {exc}") from exc
