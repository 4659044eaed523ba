"""Apache httpd 2.4 rules: ``apache.conf`` (server config), ``.htaccess`` and the link map.

``apache.conf`` goes inside the site's ``<VirtualHost>`` and answers like the
nginx rules (see :mod:`gs1ld.hosts.nginx`): walk-up, 301 for short
GTINs, 400 for other paths, 404 for unpublished GTINs, OPTIONS 204, the
linkset and JSON-LD by ``Accept`` or ``linkType``, and 307 redirects to the
product's links looked up in a ``RewriteMap``.  ``apache-links/*.txt`` are
that map's text form (``{gtin}/{link type} {target}``), in shards so no file
grows with the site; Apache scans a ``txt:`` map line by line on every miss, so
the deployment concatenates the shards into one DBM file with ``httxt2dbm``
(``benchmarks/host_maps.py`` measures both).

``.htaccess`` is for hosts that allow nothing else (``AllowOverride FileInfo
Indexes``, the site at the document root).  A ``RewriteMap`` cannot be declared
there, so it cannot redirect ``?linkType=gs1:X``: such requests get the linkset;
the default redirect goes to the product page, which is every product's default
link.

With an upstream, ``apache.conf`` passes to ``gs1ld serve`` (mod_proxy,
``RewriteRule [P]``) what nginx's rules pass to it (see :mod:`gs1ld.hosts.nginx`);
``.htaccess`` stays as it is: such hosts rarely have mod_proxy, and without a
``RewriteMap`` it could not tell which products have language pages.
"""

# ruff: noqa: E501 -- server configuration lines are written as the servers read them, unwrapped

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from gs1ld.hosts.syntax import QUALIFIERS, check_root, fill
from gs1ld.publish import product_paths
from gs1ld.publish.linkset_context import context_link

__all__ = ["APACHE_MAP_DBM", "APACHE_MAP_DIR", "apache_conf", "apache_map_lines", "htaccess"]

APACHE_MAP_DIR = "apache-links"
"""The folder of the link map's shards in ``RewriteMap txt:`` form (``*.txt``), site-relative."""
APACHE_MAP_DBM = "apache-links.dbm"
"""The DBM file the deployment builds from the shards (``httxt2dbm -f GDBM``)."""

_SPACE = re.compile(r"\s")
_PRODUCT = rf"^01/([0-9]{{14}}){QUALIFIERS}/?$"

_HEAD = r"""RewriteEngine On
RewriteBase /
DirectorySlash Off
Header always set Access-Control-Allow-Origin "*"
Header always set Access-Control-Allow-Methods "GET, HEAD, OPTIONS"
Header always set Access-Control-Allow-Headers "Accept, Accept-Language, If-None-Match"
Header always set Access-Control-Expose-Headers "Link, Location, ETag"
Header always set Vary "Accept, Accept-Language"
Header always set Cache-Control "@CACHE_CONTROL@"
<Files "@LINKSET_FILE@">
    ForceType @LINKSET_TYPE@
</Files>
<FilesMatch "\.jsonld$">
    ForceType @JSONLD_TYPE@
</FilesMatch>
<Files "gs1resolver">
    ForceType @JSON_TYPE@
</Files>
# Errors are RFC 9457 problem documents, as gs1ld serve answers them.
ErrorDocument 400 @BAD_REQUEST@
ErrorDocument 404 @NOT_FOUND@
<FilesMatch "^problem-[0-9]{3}\.json$">
    ForceType @PROBLEM_TYPE@
</FilesMatch>
# Product files, with the Link to the linkset (and to the JSON-LD context on linksets).
RewriteRule ^01/([0-9]{14})/@LINKSET_FILE_RE@$ - [E=GS1LD_LINKSET:$1,L]
Header always set Link "<@BASE@/01/%{GS1LD_LINKSET}e?linkType=linkset>; @LINKSET_PARAMS@, @CONTEXT_LINK@" env=GS1LD_LINKSET
RewriteRule ^01/([0-9]{14})/@JSONLD_FILE_RE@$ - [E=GS1LD_FILE:$1,L]
Header always set Link "<@BASE@/01/%{GS1LD_FILE}e?linkType=linkset>; @LINKSET_PARAMS@" env=GS1LD_FILE
RewriteRule ^01/[0-9]{14}/(?:@PAGE_FILE_RE@|@LANGUAGE_PAGE_RE@|@QR_FILE_RE@)$ - [L]
# The product, with any qualifiers (walk-up) and a trailing slash or not.
RewriteRule @PRODUCT@ - [E=GS1LD_GTIN:$1]
Header always set Link "<@BASE@/01/%{GS1LD_GTIN}e?linkType=linkset>; @LINKSET_PARAMS@" env=GS1LD_GTIN
RewriteCond %{REQUEST_METHOD} =OPTIONS
RewriteRule ^ - [R=204,L]
# An 8-, 12- or 13-digit GTIN: 301 to the 14-digit form.
RewriteRule ^01/([0-9]{13})(@QUALIFIERS@)/?$ @BASE@/01/0$1$2 [R=301,L,NE]
RewriteRule ^01/([0-9]{12})(@QUALIFIERS@)/?$ @BASE@/01/00$1$2 [R=301,L,NE]
RewriteRule ^01/([0-9]{8})(@QUALIFIERS@)/?$ @BASE@/01/000000$1$2 [R=301,L,NE]
@UNPUBLISHED@
RewriteCond %{QUERY_STRING} (?:^|&)linkType=(?:linkset|all)(?:&|$) [NC]
RewriteRule @PRODUCT@ 01/$1/@LINKSET_FILE@ [L]
"""

_LINK_TYPES = r"""@CHOOSE_TYPE@# A link type's target: the request's query goes before the target's #fragment, after
# the target's own query when it has one (kept byte for byte).
RewriteCond %{QUERY_STRING} (?:^|&)linkType=@CURIE@([A-Za-z][A-Za-z0-9]*)(?:&|$) [NC]
RewriteCond ${gs1ld_links:$1/%1} ^([^#?]*\?[^#]*)(#.*)?$
RewriteRule @PRODUCT@ %1&%{QUERY_STRING}%2 [R=307,L,NE,UnsafeAllow3F]
RewriteCond %{QUERY_STRING} (?:^|&)linkType=@CURIE@([A-Za-z][A-Za-z0-9]*)(?:&|$) [NC]
RewriteCond ${gs1ld_links:$1/%1} ^([^#]+)(#.*)?$
RewriteRule @PRODUCT@ %1?%{QUERY_STRING}%2 [R=307,L,NE,UnsafeAllow3F]
RewriteCond %{QUERY_STRING} (?:^|&)linkType= [NC]
RewriteRule @PRODUCT@ - [R=404,L]
"""

_NO_LINK_TYPES = r"""# No RewriteMap in .htaccess: a request for one link type gets the whole linkset.
RewriteCond %{QUERY_STRING} (?:^|&)linkType= [NC]
RewriteRule @PRODUCT@ 01/$1/@LINKSET_FILE@ [L]
"""

_TAIL = r"""RewriteCond %{HTTP_ACCEPT} @LINKSET_TYPE_RE@ [NC]
RewriteRule @PRODUCT@ 01/$1/@LINKSET_FILE@ [L]
RewriteCond %{HTTP_ACCEPT} (?:@JSONLD_TYPE_RE@|@JSON_TYPE_RE@) [NC]
RewriteRule @PRODUCT@ 01/$1/@JSONLD_FILE@ [L]
@CHOOSE@@DEFAULT@
# Anything else under /01/ is not GS1 Digital Link syntax.
RewriteRule ^01/ - [R=400,L]
@FALLBACK@"""

_PASS = r"""RewriteCond %{THE_REQUEST} ^\S+\s+(/\S*)
RewriteRule @PRODUCT@ @UPSTREAM_ORIGIN@%1 [P,NE,L,UnsafeAllow3F]"""
"""Pass the request on to the upstream as the client sent it: path and query from the raw
request line, still encoded (so the query's own ``?`` is the only one: ``UnsafeAllow3F``)."""

_UNPUBLISHED = "RewriteCond %{DOCUMENT_ROOT}/01/$1/@LINKSET_FILE@ !-f\n"

_STATIC = {
    "@UNPUBLISHED@": _UNPUBLISHED + "RewriteRule @PRODUCT@ - [R=404,L]",
    "@CHOOSE@": "",
    "@CHOOSE_TYPE@": "",
    "@FALLBACK@": "",
}
"""The rules' pieces without an upstream: they answer everything themselves."""

_HYBRID = {
    "@UNPUBLISHED@": "# Not published: gs1ld serve tells a wrong check digit (400) from an unknown GTIN.\n"
    + _UNPUBLISHED
    + _PASS,
    "@CHOOSE@": r"""# A default redirect asked for with Accept-Language: gs1ld serve picks among the
# product's language pages, if it has any.
RewriteCond %{HTTP:Accept-Language} [^\s,]
RewriteCond ${gs1ld_links:$1/defaultLinkMulti} .
"""
    + _PASS
    + "\n",
    "@CHOOSE_TYPE@": r"""# A link type with several links (the map has its second as "X+"): gs1ld serve picks
# by Accept-Language, or lists them all (300).
RewriteCond %{QUERY_STRING} (?:^|&)linkType=@CURIE@([A-Za-z][A-Za-z0-9]*)(?:&|$) [NC]
RewriteCond ${gs1ld_links:$1/%1+} .
"""
    + _PASS
    + "\n",
    "@FALLBACK@": r"""# Not a file: gs1ld serve answers it (compressed Digital Link paths).
RewriteCond %{REQUEST_FILENAME} !-f
RewriteCond %{REQUEST_FILENAME} !-d
"""
    + _PASS.replace("@PRODUCT@", "^")
    + "\n",
}
"""The hybrid's pieces: what the rules cannot answer goes to ``gs1ld serve`` (mod_proxy)."""

_UPSTREAM_NOTE = r"""# Hybrid: what these rules cannot answer (a GTIN that is not published, which gs1ld
# serve answers 400 when its check digit is wrong; a compressed Digital Link path; the
# language page an Accept-Language picks; the choice among a link type's several links)
# goes to gs1ld serve at @UPSTREAM_ORIGIN@, serving the same site folder; files and the
# plain /01/{gtin} answers stay here. Also needs mod_proxy and mod_proxy_http. The
# forwarded host and scheme are the base URL's, so gs1ld serve answers with it (also
# with --trust-proxy).
RequestHeader set X-Forwarded-Host "@BASE_AUTHORITY@"
RequestHeader set X-Forwarded-Proto "@BASE_SCHEME@"
# The headers the rules below set on every answer replace gs1ld serve's own (one of each).
Header unset Access-Control-Allow-Origin
Header unset Access-Control-Allow-Methods
Header unset Access-Control-Allow-Headers
Header unset Access-Control-Expose-Headers
Header unset Vary
Header unset Cache-Control
Header unset Link env=GS1LD_GTIN
"""

_DEFAULT_FROM_MAP = r"""RewriteCond ${gs1ld_links:$1/defaultLink} ^(.+)$
RewriteRule @PRODUCT@ %1 [R=307,L,NE,QSA]
RewriteRule @PRODUCT@ 01/$1/@LINKSET_FILE@ [L]"""

_CONF = r"""# gs1ld: GS1 Digital Link resolver rules for Apache httpd 2.4 (generated).
# Deploy: the root below, @ROOT@, is the "current" link of the site folder
# `gs1ld site build -o` writes (each build replaces it atomically; Apache follows
# it per request); for another folder replace its path below. After each build,
# build the link map from its shards with
#     cat @ROOT@/@MAP@/*.txt | httxt2dbm -f GDBM -i - -o @ROOT@/@DBM@
# and put this file inside the site's <VirtualHost> (Include). Needs mod_rewrite,
# mod_headers, mod_mime and mod_dir. Redirects and Link headers use @BASE@.
@UPSTREAM_NOTE@DocumentRoot "@ROOT@"
RewriteMap gs1ld_links "dbm=gdbm:@ROOT@/@DBM@"
<Directory "@ROOT@">
    Require all granted
    AllowOverride None
    Options FollowSymLinks
@RULES@</Directory>
"""

_HTACCESS = r"""# gs1ld: GS1 Digital Link resolver rules for Apache httpd 2.4 as .htaccess (generated).
# Prefer apache.conf. This file needs mod_rewrite, mod_headers, mod_mime, mod_dir,
# "AllowOverride FileInfo Indexes" and the site at the document root. What it cannot do:
# redirect ?linkType= to one link type (a RewriteMap cannot be declared in .htaccess), so such
# requests get the linkset, with 200; redirects to the default link (the product page)
# work. Redirects and Link headers use @BASE@.
@RULES@"""


def _fill(text: str, root: str) -> str:
    values = {
        "@PRODUCT@": _PRODUCT,
        "@CONTEXT_LINK@": context_link(root).replace('"', '\\"'),
        "@MAP@": APACHE_MAP_DIR,
        "@DBM@": APACHE_MAP_DBM,
        "@BASE@": root,
    }
    return fill(text, values)


def _rules(*, with_map: bool, page_base: str | None, upstream: str | None = None) -> str:
    pieces = _STATIC if upstream is None else _HYBRID
    if with_map:
        default = _DEFAULT_FROM_MAP
        link_types = _LINK_TYPES
    elif page_base is not None:  # the default link: the product page, wherever pages live
        page = f"{page_base}/{product_paths('$1').page}"  # $1: the GTIN the rule matched
        default = f"RewriteRule @PRODUCT@ {page} [R=307,L,NE]"
        link_types = _NO_LINK_TYPES
    else:  # no pages: the product's linkset is its default answer, as on the server
        default = "RewriteRule @PRODUCT@ 01/$1/@LINKSET_FILE@ [L]"
        link_types = _NO_LINK_TYPES
    text = _HEAD + link_types + _TAIL.replace("@DEFAULT@", default)
    for token, value in pieces.items():
        text = text.replace(token, value)
    return text.replace("@UPSTREAM_ORIGIN@", upstream or "")


def apache_conf(root: str, *, site_root: str, upstream: str | None = None) -> bytes:
    """The ``<VirtualHost>`` snippet of a site whose base URL is ``root``, deployed at ``site_root``.

    Args:
        root: the site's base URL.
        site_root: the folder the ``DocumentRoot`` names.
        upstream: the origin of a ``gs1ld serve`` to pass what the rules cannot
            answer to (with mod_proxy), or None.

    Raises:
        PublishError: ``root`` or ``upstream`` holds a character Apache would read as syntax.
    """
    check_root(root)
    note = ""
    if upstream is not None:
        check_root(upstream)
        base = urlsplit(root)
        note = _UPSTREAM_NOTE.replace("@BASE_AUTHORITY@", base.netloc).replace(
            "@BASE_SCHEME@", base.scheme
        )
    lines = _rules(with_map=True, page_base=None, upstream=upstream).splitlines()
    rules = "".join(f"    {line}\n" for line in lines)
    text = _CONF.replace("@UPSTREAM_NOTE@", note).replace("@RULES@", rules)
    text = text.replace("@ROOT@", site_root).replace("@UPSTREAM_ORIGIN@", upstream or "")
    return _fill(text, root).encode("utf-8")


def htaccess(root: str, *, page_base: str | None) -> bytes:
    """The ``.htaccess`` of a site whose base URL is ``root`` and pages are at ``page_base``
    (None: the site publishes no pages, so a product's default answer is its linkset).

    Raises:
        PublishError: ``root`` holds a character Apache would read as syntax.
    """
    check_root(root)
    return _fill(
        _HTACCESS.replace("@RULES@", _rules(with_map=False, page_base=page_base)), root
    ).encode("utf-8")


def apache_map_lines(entries: Iterable[tuple[str, str, str]]) -> Iterable[bytes]:
    """``RewriteMap`` text lines (``{gtin}/{link type} {target}``) for map entries.

    A target is one whitespace-free token in this format; the few characters
    that would end it are percent-encoded, as they are in a URL anyway.
    """
    for gtin, rel, target in entries:
        safe = _SPACE.sub(lambda m: f"%{ord(m.group()):02X}", target)
        yield f"{gtin}/{rel} {safe}\n".encode()
