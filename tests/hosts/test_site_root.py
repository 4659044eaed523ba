"""The site folder's path on the web server, which nginx.conf and apache.conf name.

Every build writes the configurations, so a path edited into them by hand is
lost on the next build: ``--site-root`` (``SiteConfig.site_root``) is where it
is said once.  What a configuration serves is tested over HTTP in
``tests/resolver/``; these tests pin the paths written and the option's checks.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from gs1ld.cli import cli
from gs1ld.config import ExportConfig, SiteConfig
from gs1ld.errors import ParseError
from gs1ld.hosts.rules import SITE_ROOT_PLACEHOLDER, host_rules
from gs1ld.site.sitewide import site_inputs
from support import EXAMPLE_CATALOG

CONFIG = SiteConfig(
    ExportConfig(base_url="https://id.brand.example", today=date(2026, 6, 1)), validate=False
)
ROOT = "/var/www/brand-site"

_PATHS = re.compile(r"(/[\w./-]*/current)\b")


def _roots(config: SiteConfig, name: str) -> set[str]:
    """Every ``…/current`` path the configuration names."""
    return set(_PATHS.findall(host_rules(config)[name].decode("utf-8")))


@pytest.mark.parametrize("name", ["nginx.conf", "apache.conf"])
def test_the_configurations_name_the_site_root(name: str) -> None:
    assert _roots(CONFIG, name) == {f"{SITE_ROOT_PLACEHOLDER}/current"}
    assert _roots(replace(CONFIG, site_root=ROOT + "/"), name) == {f"{ROOT}/current"}


def test_the_site_root_is_a_site_input() -> None:
    rooted = site_inputs(replace(CONFIG, site_root=ROOT), "1.0")
    assert site_inputs(CONFIG, "1.0") != rooted
    assert site_inputs(replace(CONFIG, site_root=ROOT + "/"), "1.0") == rooted


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("var/www", "it does not start with '/'."),
        ("/var/www/my site", "it holds ' ', which nginx and Apache configurations"),
        ("/var/www/a;b", "it holds ';', which nginx and Apache configurations"),
    ],
)
def test_a_bad_site_root_is_refused(value: str, says: str) -> None:
    with pytest.raises(ParseError, match=re.escape(f"Invalid site root {value!r}")) as raised:
        replace(CONFIG, site_root=value)
    assert says in str(raised.value)


def test_the_cli_builds_for_the_site_root_and_refuses_a_bad_one(tmp_path: Path) -> None:
    args = ["site", "build", str(EXAMPLE_CATALOG), "-o", str(tmp_path / "site")]
    args += ["--base-url", "https://id.brand.example", "--no-validate"]
    done = CliRunner().invoke(cli, [*args, "--site-root", ROOT])
    assert done.exit_code == 0, done.output
    conf = (tmp_path / "site" / "current" / "nginx.conf").read_text("utf-8")
    assert f"root {ROOT}/current;" in conf
    refused = CliRunner().invoke(cli, [*args, "--site-root", "relative/path"])
    assert refused.exit_code == 2
    assert "Invalid site root 'relative/path'" in refused.output
    assert "Traceback" not in refused.output
