"""The hybrid: host rules built with an upstream pass what they cannot answer to it.

What the hybrid answers is tested over HTTP in ``tests/resolver/`` (targets
``nginx+serve`` and ``apache+serve``); these tests pin what is written: the
upstream and the forwarded base in the configurations, nothing of it without
one, the option's checks, and a rebuild that rewrites the configurations when
only the upstream changed.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from gs1ld.cli import cli
from gs1ld.config import ExportConfig, SiteConfig, upstream_origin
from gs1ld.errors import ParseError
from gs1ld.hosts.rules import host_rules
from gs1ld.site.build import build_site
from gs1ld.site.sitewide import site_inputs
from support import EXAMPLE_CATALOG

BASE = "https://id.brand.example"
CONFIG = SiteConfig(ExportConfig(base_url=BASE, today=date(2026, 6, 1)), validate=False)
HYBRID = replace(CONFIG, upstream="http://127.0.0.1:8081")


def _text(config: SiteConfig, name: str) -> str:
    return host_rules(config)[name].decode("utf-8")


def test_nginx_passes_what_its_rules_cannot_answer_to_the_upstream() -> None:
    conf = _text(HYBRID, "nginx.conf")
    assert "upstream gs1ld_upstream {\n    server 127.0.0.1:8081;\n    keepalive 16;\n}" in conf
    assert "proxy_pass http://gs1ld_upstream;" in conf
    # the upstream answers with the site's base, whatever Host the client sent
    assert 'proxy_set_header X-Forwarded-Host "id.brand.example";' in conf
    assert 'proxy_set_header X-Forwarded-Proto "https";' in conf
    # unpublished GTINs, language choice, several links and paths that are no file go there
    assert "linkset.json) { return 418; }" in conf
    assert "set $gs1ld_key $gs1ld_choice_key;" in conf
    assert '"~^redirect:(?<gs1ld_several>[A-Za-z0-9]+):" "$gs1ld_several+";' in conf
    assert "try_files $uri $uri/ @gs1ld;" in conf


def test_nginx_keeps_the_upstreams_answers_by_what_they_vary_on() -> None:
    conf = _text(HYBRID, "nginx.conf")
    assert "proxy_cache_path /var/cache/gs1ld-nginx " in conf
    # every header gs1ld serve's answer depends on is in the key (Vary is honoured too)
    key = "$request_uri|$http_accept|$http_accept_language|$http_accept_encoding"
    assert f'proxy_cache_key "{key}";' in conf
    assert "proxy_cache_min_uses 2;" in conf  # requests that never repeat write nothing
    # a minute, whatever the answer's own max-age: a rebuild shows within a minute
    assert "proxy_ignore_headers Cache-Control Expires;" in conf
    assert "proxy_cache_valid 200 300 301 307 308 400 404 406 410 60s;" in conf
    assert "proxy_cache" not in _text(CONFIG, "nginx.conf")


def test_an_https_upstream_gets_its_default_port_and_the_server_name() -> None:
    conf = _text(replace(CONFIG, upstream="https://app.internal"), "nginx.conf")
    assert "server app.internal:443;" in conf
    tls = (
        "proxy_ssl_server_name on;\n        proxy_ssl_name app.internal;\n        proxy_pass https"
    )
    assert tls in conf


def test_apache_proxies_with_mod_proxy_and_forwards_the_base() -> None:
    conf = _text(HYBRID, "apache.conf")
    # unpublished GTINs, language choice, several links, paths that are no file
    assert conf.count("http://127.0.0.1:8081%1 [P,NE,L,UnsafeAllow3F]") == 4
    assert 'RequestHeader set X-Forwarded-Host "id.brand.example"' in conf
    assert "RewriteCond ${gs1ld_links:$1/defaultLinkMulti} ." in conf
    assert "RewriteCond ${gs1ld_links:$1/%1+} ." in conf


def test_without_an_upstream_nothing_is_passed_on() -> None:
    files = host_rules(CONFIG)
    assert "proxy_pass" not in files["nginx.conf"].decode()
    assert "@gs1ld" not in files["nginx.conf"].decode()
    assert "[P" not in files["apache.conf"].decode()
    assert "RequestHeader" not in files["apache.conf"].decode()


def test_htaccess_and_the_netlify_files_do_not_change_with_an_upstream() -> None:
    plain, hybrid = host_rules(CONFIG), host_rules(HYBRID)
    for name in (".htaccess", "_headers", "_redirects"):
        assert plain[name] == hybrid[name], name


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "http://127.0.0.1:8081/app",
            "Invalid upstream 'http://127.0.0.1:8081/app': expected http(s)://host[:port]; "
            "it has the path '/app' (requests are passed on with their own).",
        ),
        (
            "127.0.0.1:8081",
            "Invalid upstream '127.0.0.1:8081': expected http(s)://host[:port]; "
            "the scheme is 'missing', not http or https.",
        ),
        (
            "http://user:secret@app.internal",
            "Invalid upstream 'http://user:secret@app.internal': expected http(s)://host[:port]; "
            "it has user info, which the host rules would publish.",
        ),
    ],
    ids=["path", "no-scheme", "user-info"],
)
def test_an_upstream_that_is_no_origin_is_refused_by_name(url: str, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        replace(CONFIG, upstream=url)
    assert str(caught.value) == message


def test_an_upstream_is_kept_as_its_origin() -> None:
    assert upstream_origin("HTTP://App.Internal:8081/") == "http://app.internal:8081"


def test_the_command_line_refuses_a_bad_upstream_with_exit_2(tmp_path: Path) -> None:
    args = ["site", "build", str(EXAMPLE_CATALOG), "-o", str(tmp_path / "site")]
    result = CliRunner().invoke(
        cli, [*args, "--base-url", BASE, "--upstream", "ftp://app.internal"]
    )
    assert result.exit_code == 2
    assert "Invalid upstream 'ftp://app.internal'" in result.output
    assert not (tmp_path / "site").exists()


def test_the_upstream_is_a_site_input_only_when_given() -> None:
    other = replace(CONFIG, upstream="http://127.0.0.1:9090")
    digests = {site_inputs(c, "1.0") for c in (CONFIG, HYBRID, other)}
    assert len(digests) == 3


def test_a_rebuild_with_another_upstream_rewrites_the_configurations(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    shutil.copytree(EXAMPLE_CATALOG, catalog)
    site = tmp_path / "site"
    build_site(catalog, site, config=CONFIG)
    assert "proxy_pass" not in (site / "current" / "nginx.conf").read_text("utf-8")
    build_site(catalog, site, config=HYBRID)
    assert "server 127.0.0.1:8081;" in (site / "current" / "nginx.conf").read_text("utf-8")
    assert "127.0.0.1:8081%1 [P" in (site / "current" / "apache.conf").read_text("utf-8")
    build_site(catalog, site, config=replace(CONFIG, upstream="http://127.0.0.1:9090"))
    assert "server 127.0.0.1:9090;" in (site / "current" / "nginx.conf").read_text("utf-8")
