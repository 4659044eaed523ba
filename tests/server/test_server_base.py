"""One base per answer: ``gs1ld serve SITE`` serves the base URL the site was built for."""

from __future__ import annotations

import signal
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from gs1ld.cli import cli
from gs1ld.config import ExportConfig, SiteConfig
from gs1ld.site import build_site
from support import EXAMPLE_CATALOG

BUILT_FOR = "https://id.brand.example"


def test_a_different_base_url_is_refused_naming_both(tmp_path: Path) -> None:
    site = tmp_path / "site"
    export = ExportConfig(base_url=BUILT_FOR, today=date(2026, 6, 1))
    build_site(EXAMPLE_CATALOG, site, config=SiteConfig(export, validate=False))
    result = CliRunner().invoke(cli, ["serve", str(site), "--base-url", "https://other.example"])
    assert result.exit_code == 2
    assert f"the site was built for --base-url {BUILT_FOR}" in result.output
    assert "rebuild the site with --base-url https://other.example" in result.output


def test_serving_a_catalog_needs_a_base_url() -> None:
    result = CliRunner().invoke(cli, ["serve", str(EXAMPLE_CATALOG)])
    assert result.exit_code == 2
    assert "serving a catalog needs --base-url" in result.output


def test_the_command_leaves_the_sigterm_handler_as_it_found_it(tmp_path: Path) -> None:
    """``serve`` stops on SIGTERM while it runs; a program (or test) calling it in its own
    process gets its own handler back, whichever way the command ended."""
    site = tmp_path / "site"
    export = ExportConfig(base_url=BUILT_FOR, today=date(2026, 6, 1))
    build_site(EXAMPLE_CATALOG, site, config=SiteConfig(export, validate=False))

    def own(signum: int, frame: object) -> None:
        raise AssertionError("not called")

    earlier = signal.signal(signal.SIGTERM, own)
    try:
        for args in (
            [str(EXAMPLE_CATALOG)],  # refused before serving
            [str(site), "--base-url", "https://other.example"],  # refused after reading the site
        ):
            result = CliRunner().invoke(cli, ["serve", *args])
            assert result.exit_code == 2
            assert signal.getsignal(signal.SIGTERM) is own
    finally:
        signal.signal(signal.SIGTERM, earlier)
