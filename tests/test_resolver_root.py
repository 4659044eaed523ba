"""A base URL is a resolver root or an error, the same in the library and on the command line."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from gs1ld.cli import cli
from gs1ld.config import ExportConfig
from gs1ld.errors import ParseError
from gs1ld.resolver_root import resolver_root
from support import EXAMPLE_CATALOG

BAD = {
    "https://id.brand.example/?x=1": "it has a query '?x=1'",
    "https://id.brand.example?": "it has a query '?'",
    "https://id.brand.example/#top": "it has a fragment '#top'",
    "https://user:secret@id.brand.example": "it has user info 'user:secret@'",
    "ftp://id.brand.example": "the scheme is 'ftp', not http or https",
    "id.brand.example": "the scheme is 'missing', not http or https",
    "https://": "it has no host",
    "https://id brand.example": "the host 'id brand.example' is malformed",
    "https://id.brand.example:99999": "the port of 'id.brand.example:99999' is malformed",
    "https://id.brand.example/a b": "the path '/a b' holds a space, quote or control character",
}
GOOD = {
    "https://id.brand.example": "https://id.brand.example",
    "HTTPS://ID.Brand.Example/": "https://id.brand.example",
    "Https://id.brand.example/gs1/": "https://id.brand.example/gs1",
    "http://127.0.0.1:8080": "http://127.0.0.1:8080",
    "https://[2001:db8::1]:8443/r": "https://[2001:db8::1]:8443/r",
}


@pytest.mark.parametrize(("url", "problem"), BAD.items(), ids=list(BAD))
def test_what_cannot_be_a_resolver_root_is_refused_naming_why(url: str, problem: str) -> None:
    with pytest.raises(ParseError) as raised:
        resolver_root(url)
    assert str(raised.value) == (
        f"Invalid resolver root {url!r}: expected http(s)://host[:port][/path]; {problem}."
        if "user info" not in problem
        else f"Invalid resolver root {url!r}: expected http(s)://host[:port][/path]; "
        f"{problem}, which must never be printed on packs."
    )
    with pytest.raises(ParseError):
        ExportConfig(base_url=url)
    with pytest.raises(ParseError):
        ExportConfig(pages_url=url)


@pytest.mark.parametrize(("url", "root"), GOOD.items(), ids=list(GOOD))
def test_a_resolver_root_is_normalised(url: str, root: str) -> None:
    assert resolver_root(url) == root
    assert ExportConfig(base_url=url).base_url == root


@pytest.mark.parametrize("command", [["convert"], ["site", "build", "-o", "unused-site"]])
@pytest.mark.parametrize("url", ["https://id.brand.example/?x=1", "https://u:p@id.example"])
def test_the_command_line_refuses_it_with_exit_2(command: list[str], url: str) -> None:
    result = CliRunner().invoke(cli, [*command, str(EXAMPLE_CATALOG), "--base-url", url])
    assert result.exit_code == 2
    assert "Invalid resolver root" in result.output
    assert "Traceback" not in result.output


def test_plain_http_is_allowed_with_one_warning(tmp_path: object) -> None:
    result = CliRunner().invoke(
        cli,
        ["convert", str(EXAMPLE_CATALOG), "--base-url", "http://id.brand.example", "--no-validate"],
    )
    assert result.exit_code == 0
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1
    assert "plain http" in warnings[0]
    assert '"@id": "http://id.brand.example/01/' in result.stdout.replace('":"', '": "')


def test_loopback_http_needs_no_warning() -> None:
    result = CliRunner().invoke(
        cli,
        ["convert", str(EXAMPLE_CATALOG), "--base-url", "http://127.0.0.1:8080", "--no-validate"],
    )
    assert result.exit_code == 0
    assert "warning:" not in result.stderr
