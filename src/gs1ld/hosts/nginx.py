"""``nginx.conf``: the site's GS1 resolver rules for nginx (1.18 or later).

The file is included inside ``http {}``; it declares the maps and one
``server``.  What it answers for ``/01/{gtin14}`` (with any of the qualifiers
22, 10, 21 or 235 after it, and a trailing slash or not, all resolving to the
product: the walk-up rule):

* ``OPTIONS`` -> 204 with the CORS headers and ``Link: rel="linkset"``;
* an unpublished GTIN -> 404;
* ``?linkType=linkset|all`` or ``Accept: application/linkset+json`` -> the
  linkset, with the JSON-LD context ``Link``;
* ``Accept: application/ld+json`` (or ``application/json``) -> the JSON-LD;
* ``?linkType=`` a GS1 link type (``gs1:X``, ``gs1%3AX`` or the full IRI,
  plain or percent-encoded) -> 307 to the product's first link of that type,
  404 when it has none;
* anything else -> 307 to the default link.

Redirect targets come from the site-wide link map (``nginx-map/*.map``), so they are
exactly the linkset's hrefs; the query string is passed on verbatim.  An 8-,
12- or 13-digit GTIN gets a 301 to the 14-digit form on the configured base
URL, and any other path under ``/01/`` a 400.

With an upstream (``gs1ld site build --upstream``) the file also passes to that
``gs1ld serve``, through a named location ``@gs1ld``, what the rules cannot
answer: an unpublished GTIN (the server answers 400 for a wrong check digit), a
path that is no file (compressed Digital Link paths), a link type with several
links (chosen by ``Accept-Language``, or a 300 listing them), and, for a product
with pages in several languages, the default redirect asked for with
``Accept-Language``.  Everything else -- files and the plain product answers --
never leaves nginx, and nginx keeps the upstream's answers for
:data:`ANSWER_CACHE_SECONDS` in a cache at :data:`ANSWER_CACHE_DIR` (from a
request's second time on), so a repeated request is not passed on again within
that time.
"""

# ruff: noqa: E501 -- server configuration lines are written as the servers read them, unwrapped

from __future__ import annotations

import re
from urllib.parse import urlsplit

from gs1ld.hosts.link_map import LINK_MAP_DIR
from gs1ld.hosts.syntax import check_root, fill
from gs1ld.publish.linkset_context import context_link

__all__ = [
    "ANSWER_CACHE_DIR",
    "ANSWER_CACHE_SECONDS",
    "MAP_HASH_BUCKET_SIZE",
    "NGINX_CONF",
    "map_hash_max_size",
    "nginx_conf",
    "sized_for",
]

NGINX_CONF = "nginx.conf"
"""The file at the site's root nginx is given (the only host rule that depends on the
products: it sizes the link map's hash for their number)."""
ANSWER_CACHE_DIR = "/var/cache/gs1ld-nginx"
"""Where the hybrid's nginx keeps the upstream's answers (``proxy_cache_path``).

nginx's master (root) creates the folder at start and hands it to its workers'
user; its parent, ``/var/cache``, exists on every FHS system.
"""

ANSWER_CACHE_SECONDS = 60
"""How long the hybrid's nginx reuses an answer of ``gs1ld serve``: one minute.

The upstream's answers are the same bytes for a request line and the headers
they vary on for a whole build, so nginx keeps them rather than passing the
same compressed path or language choice on again; after a rebuild a passed-on
answer is at most this old, well inside the five minutes every answer allows a
browser or CDN (``Cache-Control: max-age=300``).
"""

MAP_HASH_BUCKET_SIZE = 256
"""Bytes per map hash bucket: room for about five ``"{gtin} {link type}"`` keys.

nginx builds the map's hash at start-up and gives up when a bucket overflows;
with a few keys per bucket a table as large as the map always fits
(``benchmarks/host_maps.py`` measures it at 1,000,000 entries).
"""

_CORS = """\
        add_header Access-Control-Allow-Origin "*" always;
        add_header Access-Control-Allow-Methods "GET, HEAD, OPTIONS" always;
        add_header Access-Control-Allow-Headers "Accept, Accept-Language, If-None-Match" always;
        add_header Access-Control-Expose-Headers "Link, Location, ETag" always;
        add_header Vary "Accept, Accept-Language" always;
        add_header Cache-Control "@CACHE_CONTROL@" always;
"""

_TEMPLATE = r"""# gs1ld: GS1 Digital Link resolver rules for nginx (generated; include inside http {}).
# Deploy: the root below, @ROOT@, is the "current" link of the site folder
# `gs1ld site build -o` writes; each build replaces the link atomically and nginx
# follows it per request (reload after a build to re-read the link maps). For
# another folder replace its path below (and the port of "listen" if not 80), then
# include this file in nginx.conf's http block after "include mime.types;".
# Redirects and Link headers use @BASE@.
@UPSTREAM_NOTE@map_hash_max_size @MAX_SIZE@;
map_hash_bucket_size @BUCKET_SIZE@;
geo $gs1ld_dollar { default "$"; }  # a literal "$" inside map values

# The link type asked for: its local name, "linkset", "" (none) or "?" (not a GS1 one).
map $arg_linkType $gs1ld_link_type {
    default "?";
    "" "";
    "~^(?:linkset|all)$" "linkset";
    "~^@CURIE@(?<gs1ld_name>[A-Za-z][A-Za-z0-9]*)$" $gs1ld_name;
}
map $http_accept $gs1ld_accept {
    default "";
    "~*@LINKSET_TYPE_RE@" "linkset";
    "~*(?:@JSONLD_TYPE_RE@|@JSON_TYPE_RE@)" "jsonld";
}
# The answer: the linkset, the JSON-LD, or a redirect to $gs1ld_target.
map "$gs1ld_link_type:$gs1ld_accept" $gs1ld_answer {
    default "redirect";
    "~^linkset:" "linkset";
    ":linkset" "linkset";
    ":jsonld" "jsonld";
}
map $gs1ld_link_type $gs1ld_rel {
    default $gs1ld_link_type;
    "" "defaultLink";
}
map "$gs1ld_gtin @TARGET_KEY@" $gs1ld_target {
@VOLATILE@    default "";
    include @ROOT@/@LINK_MAP@/*.map;
}
# The target without its #fragment, and the fragment: the query goes between them.
map $gs1ld_target $gs1ld_target_page {
    default $gs1ld_target;
    "~^(?<gs1ld_page>[^#]*)#" $gs1ld_page;
}
map $gs1ld_target $gs1ld_target_fragment {
    default "";
    "~^[^#]*(?<gs1ld_fragment>#.*)$" $gs1ld_fragment;
}
# "?" or "&" before the passed-on query string ("" when there is none).
map "$is_args$gs1ld_target_page" $gs1ld_separator {
    default "";
    "~^\?[^?]*\?" "&";
    "~^\?" "?";
}
@LANGUAGES@map $gs1ld_short $gs1ld_padded {
    default "0$gs1ld_short";
    "~^([0-9]{8})$" "000000$1";
    "~^([0-9]{12})$" "00$1";
}
@UPSTREAM@server {
    listen 80;
    server_name @HOST@;
    root @ROOT@;
    absolute_redirect off;
    # Errors are RFC 9457 problem documents, as gs1ld serve answers them.
    error_page 400 @BAD_REQUEST@;
    error_page 404 @NOT_FOUND@;
@NAMED@    location ~ "^/\.well-known/gs1ld/problem-[0-9]{3}\.json$" {
@CORS@        internal;
        types { }
        default_type @PROBLEM_TYPE@;
    }

    location = /.well-known/gs1resolver {
@CORS@        default_type @JSON_TYPE@;
    }
    location = @CONTEXT_PATH@ {
@CORS@        types { }
        default_type @JSONLD_TYPE@;
    }
    location ~ "^/01/(?<gs1ld_file>[0-9]{14})/@LINKSET_FILE_RE@$" {
@CORS@        add_header Link "<@BASE@/01/$gs1ld_file?linkType=linkset>; @LINKSET_PARAMS@, @CONTEXT_LINK@" always;
        types { }
        default_type @LINKSET_TYPE@;
    }
    location ~ "^/01/(?<gs1ld_file>[0-9]{14})/@JSONLD_FILE_RE@$" {
@CORS@        add_header Link "<@BASE@/01/$gs1ld_file?linkType=linkset>; @LINKSET_PARAMS@" always;
        types { }
        default_type @JSONLD_TYPE@;
    }
    location ~ "^/01/[0-9]{14}/(?:@PAGE_FILE_RE@|@LANGUAGE_PAGE_RE@|@QR_FILE_RE@)$" {
@CORS@    }
    # An 8-, 12- or 13-digit GTIN: 301 to the 14-digit form.
    location ~ "^/01/(?<gs1ld_short>[0-9]{8}|[0-9]{12,13})(?<gs1ld_rest>@QUALIFIERS@)/?$" {
@CORS@        return 301 @BASE@/01/$gs1ld_padded$gs1ld_rest$is_args$args;
    }
    # The product, with any qualifiers (walk-up) and a trailing slash or not.
    location ~ "^/01/(?<gs1ld_gtin>[0-9]{14})@QUALIFIERS@/?$" {
@CORS@        add_header Link "<@BASE@/01/$gs1ld_gtin?linkType=linkset>; @LINKSET_PARAMS@" always;
        if (!-f $document_root/01/$gs1ld_gtin/@LINKSET_FILE@) { return @UNPUBLISHED@; }
        if ($gs1ld_answer = linkset) { rewrite ^ /01/$gs1ld_gtin/@LINKSET_FILE@ last; }
        if ($gs1ld_answer = jsonld) { rewrite ^ /01/$gs1ld_gtin/@JSONLD_FILE@ last; }
@CHOOSE@        if ($gs1ld_target != "") {
            return 307 $gs1ld_target_page$gs1ld_separator$args$gs1ld_target_fragment;
        }
        return 404;
    }
    # Anything else under /01/ is not GS1 Digital Link syntax.
    location ~ ^/01/ {
@CORS@        return 400;
    }
    location ~ \.jsonld$ {
@CORS@        types { }
        default_type @JSONLD_TYPE@;
    }
    location / {
@CORS@@FALLBACK@    }
}
"""


_STATIC = {
    "@UPSTREAM_NOTE@": "",
    "@TARGET_KEY@": "$gs1ld_rel",
    "@VOLATILE@": "",
    "@LANGUAGES@": "",
    "@UPSTREAM@": "",
    "@NAMED@": "",
    "@UNPUBLISHED@": "404",
    "@CHOOSE@": "",
    "@FALLBACK@": "",
}
"""The template's pieces without an upstream: the rules answer everything themselves."""

_UPSTREAM_NOTE = """\
# Hybrid: what these rules cannot answer (a GTIN that is not published, which gs1ld
# serve answers 400 when its check digit is wrong; a compressed Digital Link path; the
# language page an Accept-Language picks; the choice among a link type's several links)
# goes to gs1ld serve at @UPSTREAM_ORIGIN@, serving the same site folder; files and the
# plain /01/{gtin} answers stay here.
"""

_UPSTREAM = """\
upstream gs1ld_upstream {
    server @UPSTREAM_AUTHORITY@;
    keepalive 16;
}
# The upstream's answers, kept @CACHE_SECONDS@ s (nginx creates the folder at start).
proxy_cache_path @CACHE_DIR@ levels=1:2 keys_zone=gs1ld_answers:10m max_size=256m inactive=10m use_temp_path=off;
"""

_NAMED = """\
    # What the rules cannot answer, passed on as the client sent it. gs1ld serve adds
    # its own CORS headers; its absolute URLs use the site's base URL (also with
    # --trust-proxy: the forwarded host and scheme below are the base URL's).
    error_page 418 = @gs1ld;
    location @gs1ld {
        proxy_pass @UPSTREAM_SCHEME@://gs1ld_upstream;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-Host "@BASE_AUTHORITY@";
        proxy_set_header X-Forwarded-Proto "@BASE_SCHEME@";
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        # The same request line and negotiated headers get the same answer for a whole
        # build: kept @CACHE_SECONDS@ s whatever max-age the answer allows a browser, from
        # its second request on (a flood of requests that never repeat writes nothing).
        proxy_cache gs1ld_answers;
        proxy_cache_key "$request_uri|$http_accept|$http_accept_language|$http_accept_encoding";
        proxy_cache_min_uses 2;
        proxy_ignore_headers Cache-Control Expires;
        proxy_cache_valid 200 300 301 307 308 400 404 406 410 @CACHE_SECONDS@s;
    }
"""

_HYBRID = {
    # the link map is looked up twice for a redirect (whether serve chooses, then the link)
    "@TARGET_KEY@": "$gs1ld_key",
    "@VOLATILE@": "    volatile;\n",
    "@LANGUAGES@": """\
# "1" when Accept-Language names a language ("" when absent or empty).
map $http_accept_language $gs1ld_languages {
    default "1";
    "" "";
    "~^[\\s,]*$" "";
}
# Where gs1ld serve chooses, if the product has the entry looked up: the default redirect
# asked for with Accept-Language (by the language pages), and a link type with several
# links (by Accept-Language, or 300 with them all; "X+" is the type's second link).
# The plain redirects are exact keys: no regular expression runs for them.
map "$gs1ld_answer:$gs1ld_link_type:$gs1ld_languages" $gs1ld_choice_key {
    default "";
    "redirect::1" "defaultLinkMulti";
    "redirect::" "defaultLink+";
    "~^redirect:(?<gs1ld_several>[A-Za-z0-9]+):" "$gs1ld_several+";
}
""",
    "@UNPUBLISHED@": "418",
    "@CHOOSE@": """\
        set $gs1ld_key $gs1ld_choice_key;
        if ($gs1ld_target != "") { return 418; }
        set $gs1ld_key $gs1ld_rel;
""",
    "@FALLBACK@": "        try_files $uri $uri/ @gs1ld;\n",
}
"""The hybrid's pieces (``@UPSTREAM@``, ``@NAMED@`` and the note are made per upstream)."""


def map_hash_max_size(entries: int) -> int:
    """``map_hash_max_size`` for a map of ``entries`` keys: at least the key count."""
    return max(_LEAST_HASH_SIZE, entries)


_LEAST_HASH_SIZE = 2048


def sized_for(conf: bytes) -> int | None:
    """The map entries an ``nginx.conf`` gs1ld wrote was sized for; None when it does not
    say (no more entries than :func:`map_hash_max_size`'s least, or not such a file)."""
    found = _SIZED.search(conf)
    size = int(found[1]) if found is not None else 0
    return size if size > _LEAST_HASH_SIZE else None


_SIZED = re.compile(rb"^map_hash_max_size (\d+);$", re.MULTILINE)


def nginx_conf(
    root: str, *, site_root: str, map_entries: int, upstream: str | None = None
) -> bytes:
    """The ``nginx.conf`` of a site whose base URL is ``root``, deployed at ``site_root``.

    Args:
        root: the site's base URL.
        site_root: the folder the server's root names.
        map_entries: entries of the link map (the hash is sized for them).
        upstream: the origin of a ``gs1ld serve`` to pass what the rules cannot
            answer to (see :data:`_HYBRID`), or None.

    Raises:
        PublishError: ``root`` or ``upstream`` holds a character nginx would read as syntax.
    """
    check_root(root)
    hybrid = _hybrid_values(root, upstream) if upstream is not None else _STATIC
    cors = _CORS + "        if ($request_method = OPTIONS) { return 204; }\n"
    host = root.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    values = {
        "@MAX_SIZE@": str(map_hash_max_size(map_entries)),
        "@BUCKET_SIZE@": str(MAP_HASH_BUCKET_SIZE),
        "@LINK_MAP@": LINK_MAP_DIR,
        "@HOST@": host,
        "@CONTEXT_LINK@": context_link(root).replace('"', '\\"'),
        "@ROOT@": site_root,
        "@BASE@": root,
    }
    text = _TEMPLATE.replace("@CORS@", cors)
    for token, value in hybrid.items():
        text = text.replace(token, value)
    return fill(text, values).encode("utf-8")


def _hybrid_values(root: str, upstream: str) -> dict[str, str]:
    """The hybrid's pieces of the template, for the site ``root`` and the ``upstream`` origin."""
    check_root(upstream)
    scheme, _, authority = upstream.partition("://")
    if ":" not in authority.rsplit("]", 1)[-1]:
        authority += ":443" if scheme == "https" else ":80"
    base = urlsplit(root)
    named = _NAMED.replace("@UPSTREAM_SCHEME@", scheme)
    if scheme == "https":
        # TLS to the upstream names its host (not the upstream block's name) for SNI
        host = authority.rsplit(":", 1)[0]
        tls = f"        proxy_ssl_server_name on;\n        proxy_ssl_name {host};\n"
        named = named.replace("        proxy_pass", tls + "        proxy_pass")
    values = {
        **_HYBRID,
        "@UPSTREAM@": _UPSTREAM.replace("@UPSTREAM_AUTHORITY@", authority).replace(
            "@CACHE_DIR@", ANSWER_CACHE_DIR
        ),
        "@NAMED@": named,
        "@UPSTREAM_NOTE@": _UPSTREAM_NOTE.replace("@UPSTREAM_ORIGIN@", upstream),
    }
    return {
        token: value.replace("@BASE_AUTHORITY@", base.netloc)
        .replace("@BASE_SCHEME@", base.scheme)
        .replace("@CACHE_SECONDS@", str(ANSWER_CACHE_SECONDS))
        for token, value in values.items()
    }
