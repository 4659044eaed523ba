"""Rules that make a static host behave like a GS1 resolver, as far as each host can.

| behaviour                                   | nginx | Apache | Netlify | Cloudflare Pages |
| ------------------------------------------- | ----- | ------ | ------- | ---------------- |
| ``Accept: application/linkset+json``        | yes   | yes    | no      | no               |
| ``Accept: application/ld+json``             | yes   | yes    | no      | no               |
| ``?linkType=linkset`` / ``all``             | yes   | yes    | yes     | no               |
| ``?linkType=gs1:X`` -> 307 to that link     | yes   | no     | no      | no               |
| ``Link`` header with ``rel="linkset"``      | yes   | yes    | no      | yes              |
| CORS on every response                      | yes   | yes    | yes     | yes              |

What no static host does (the ``gs1ld serve`` server does): walking up from
unknown qualifiers, ``Accept-Language`` choice among links, 300 answers, 400
for malformed paths, 301 for zero-suppressed GTINs, compressed URIs.
"""

from __future__ import annotations

from gs1ld.site.config import SiteConfig
from gs1ld.site.link_map import LINK_MAP

__all__ = ["HOST_FILES", "host_rules"]

HOST_FILES = ("nginx.conf", ".htaccess", "_headers", "_redirects")
SITE_ROOT_PLACEHOLDER = "/srv/gs1ld-site"

_NGINX = r"""# gs1ld: GS1 Digital Link resolver rules for nginx (generated; include inside http {{}}).
# Replace {root} with the directory this site is deployed to.
map $http_accept $gs1ld_variant {{
    default                        html;
    "~*application/linkset\+json"  linkset;
    "~*application/ld\+json"       jsonld;
}}
geo $gs1ld_dollar {{ default "$"; }}  # a literal "$" inside map values
map "$gs1ld_gtin $gs1ld_link_type" $gs1ld_target {{
    default "";
    include {root}/{link_map};
}}
server {{
    listen 80;
    server_name {host};
    root {root};
    add_header Access-Control-Allow-Origin "*" always;
    add_header Access-Control-Allow-Methods "GET, HEAD, OPTIONS" always;
    add_header Access-Control-Expose-Headers "Link, Location" always;
    add_header Vary "Accept, Accept-Language" always;

    location = /.well-known/gs1resolver {{ default_type application/json; }}
    location ~ /linkset\.json$ {{ types {{ }} default_type application/linkset+json; }}
    location ~ \.jsonld$ {{ types {{ }} default_type application/ld+json; }}

    location ~ "^/01/(?<gs1ld_gtin>[0-9]{{14}})/?$" {{
        set $gs1ld_link_type "";
        if ($arg_linkType ~ "^(gs1:|https://ref\.gs1\.org/voc/|https%3A%2F%2Fref\.gs1\.org%2Fvoc%2F)(?<lt>[A-Za-z]+)$") {{
            set $gs1ld_link_type $lt;
        }}
        add_header Link "<$scheme://$host/01/$gs1ld_gtin/linkset.json>; rel=\"linkset\"; type=\"application/linkset+json\"" always;
        add_header Access-Control-Allow-Origin "*" always;
        add_header Vary "Accept, Accept-Language" always;
        if ($arg_linkType ~ "^(linkset|all)$") {{ rewrite ^ /01/$gs1ld_gtin/linkset.json last; }}
        if ($gs1ld_target != "") {{ return 307 $gs1ld_target; }}
        if ($gs1ld_link_type != "") {{ return 404; }}
        if ($gs1ld_variant = linkset) {{ rewrite ^ /01/$gs1ld_gtin/linkset.json last; }}
        if ($gs1ld_variant = jsonld) {{ rewrite ^ /01/$gs1ld_gtin/index.jsonld last; }}
        return 307 /01/$gs1ld_gtin/index.html$is_args$args;
    }}
}}
"""

_HTACCESS = r"""# gs1ld: GS1 Digital Link resolver rules for Apache (generated). Needs mod_rewrite,
# mod_headers and AllowOverride FileInfo. Apache cannot redirect ?linkType=gs1:X from an
# .htaccess (that needs a RewriteMap in the server config): such requests get the linkset.
RewriteEngine On
Header always set Access-Control-Allow-Origin "*"
Header always set Access-Control-Allow-Methods "GET, HEAD, OPTIONS"
Header always set Vary "Accept, Accept-Language"
AddType application/linkset+json .json
AddType application/ld+json .jsonld
<Files "gs1resolver">
    ForceType application/json
</Files>
RewriteRule ^01/([0-9]{14})/?$ - [E=GS1LD_GTIN:$1]
Header always set Link "</01/%{GS1LD_GTIN}e/linkset.json>; rel=\"linkset\"; type=\"application/linkset+json\"" env=GS1LD_GTIN
RewriteCond %{QUERY_STRING} (^|&)linkType= [NC]
RewriteRule ^01/([0-9]{14})/?$ 01/$1/linkset.json [L]
RewriteCond %{HTTP_ACCEPT} application/linkset\+json [NC]
RewriteRule ^01/([0-9]{14})/?$ 01/$1/linkset.json [L]
RewriteCond %{HTTP_ACCEPT} application/ld\+json [NC]
RewriteRule ^01/([0-9]{14})/?$ 01/$1/index.jsonld [L]
RewriteRule ^01/([0-9]{14})/?$ /01/$1/index.html [R=307,L]
"""

_HEADERS = """# gs1ld: headers for Netlify and Cloudflare Pages (generated).
/*
  Access-Control-Allow-Origin: *
  Access-Control-Allow-Methods: GET, HEAD, OPTIONS
  Vary: Accept, Accept-Language
/01/:gtin/linkset.json
  Content-Type: application/linkset+json
/01/:gtin/index.jsonld
  Content-Type: application/ld+json
/01/:gtin
  Link: </01/:gtin/linkset.json>; rel="linkset"; type="application/linkset+json"
/.well-known/gs1resolver
  Content-Type: application/json
"""

_REDIRECTS = """# gs1ld: redirects for Netlify (query matching) and Cloudflare Pages (generated).
/01/:gtin linkType=linkset /01/:gtin/linkset.json 200
/01/:gtin linkType=all /01/:gtin/linkset.json 200
/01/:gtin /01/:gtin/index.html 307
/01/:gtin/ /01/:gtin/index.html 307
"""


def host_rules(config: SiteConfig) -> dict[str, bytes]:
    """The host configuration files written at the site's root."""
    host = config.root.split("://", 1)[-1].split("/", 1)[0]
    return {
        "nginx.conf": _NGINX.format(
            root=SITE_ROOT_PLACEHOLDER, host=host, link_map=LINK_MAP
        ).encode("utf-8"),
        ".htaccess": _HTACCESS.encode("utf-8"),
        "_headers": _HEADERS.encode("utf-8"),
        "_redirects": _REDIRECTS.encode("utf-8"),
    }
