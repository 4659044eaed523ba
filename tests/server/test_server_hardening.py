"""The server under hostile or unusual requests: no 500, no traceback, nothing pasted unchecked.

Most tests call the ASGI app directly (``call_asgi``), which is where a path or a
header first reaches gs1ld; a few go over real HTTP to check what uvicorn adds.
"""

from __future__ import annotations

import json
import logging
from email.utils import formatdate
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gs1ld.server.app import HEALTH_PATH, ServerConfig, create_app
from support import call_asgi

BUILT_FOR = "https://id.brand.example"
GTIN = "09506000134352"  # the product of conftest's site
PATH = f"/01/{GTIN}"
LINKSET = {"Accept": "application/linkset+json"}
PROBLEM = "application/problem+json"


def _is_problem(status: int, headers: dict[str, str], body: bytes) -> bool:
    document = json.loads(body)
    return headers["content-type"] == PROBLEM and document["status"] == status


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/a\x00b", 404),
        (f"/01/{GTIN}/\x00", 400),
        (f"/01/{GTIN}/10/\x00", 400),
        ("/" + "x" * 256, 404),
        ("/" + "é" * 128, 404),  # 256 bytes in UTF-8
        (f"/01/{GTIN}/" + "y" * 300, 400),
        (f"/01/{GTIN}/10/" + "L" * 300, 400),
        ("/" + "A" * 300, 404),  # base64url: tried as a compressed Digital Link first
        ("/../../etc/passwd", 404),
        ("/voc/../../manifest.json/..", 404),
        ("*", 404),
    ],
)
def test_nul_long_and_escaping_paths_are_clean_client_errors(
    app: Any, path: str, status: int, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    got, headers, body = call_asgi(app, path)
    assert got == status
    assert _is_problem(status, headers, body)
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


def test_nul_and_long_segments_over_http(client: httpx.Client) -> None:
    for path, status in (("/a%00b", 404), (f"{PATH}/10/%00", 400), ("/" + "x" * 300, 404)):
        response = client.get(path)
        assert (response.status_code, response.headers["content-type"]) == (status, PROBLEM)


_SEGMENT = st.one_of(
    st.text(min_size=0, max_size=40),
    st.text(alphabet="0123456789", min_size=1, max_size=20),
    st.sampled_from(["01", "10", "21", "22", "..", ".", "index.html", "linkset.json", GTIN]),
    st.text(alphabet="ABCDEFGHabcdefgh0123456789-_", min_size=8, max_size=300),
    st.binary(max_size=20).map(lambda b: b.decode("latin-1")),
)


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    segments=st.lists(_SEGMENT, max_size=8),
    method=st.sampled_from(["GET", "HEAD", "OPTIONS", "POST"]),
)
def test_no_path_gives_a_server_error(app: Any, segments: list[str], method: str) -> None:
    status, headers, body = call_asgi(app, "/" + "/".join(segments), method=method)
    assert status < 500
    if status >= 400 and method != "HEAD":
        assert _is_problem(status, headers, body)


@pytest.mark.parametrize(
    ("host", "proto"),
    [
        ('evil.example/"><script>alert(1)</script>', "https"),
        ("evil.example\\", "https"),
        ("a b.example", "https"),
        ("javascript:alert(1)", "https"),
        ("host.example:99999", "https"),
        ("host.example:80x", "https"),
        ("[not-ipv6]", "https"),
        ('x"y.example', "https"),
        ("-leading.example", "https"),
        ("", "https"),
    ],
)
def test_forwarded_host_that_is_not_a_host_is_ignored(site: Path, host: str, proto: str) -> None:
    app = create_app(site, config=ServerConfig(base_url="http://other.example", trust_proxy=True))
    headers = {"X-Forwarded-Host": host, "X-Forwarded-Proto": proto, **LINKSET}
    status, answer, body = call_asgi(app, PATH, headers=headers)
    assert status == 200
    assert json.loads(body)["linkset"][0]["anchor"] == f"http://other.example/01/{GTIN}"
    status, answer, _ = call_asgi(app, PATH, headers={"X-Forwarded-Host": host})
    assert answer["location"] == f"http://other.example/01/{GTIN}/index.html"


@pytest.mark.parametrize(
    ("host", "proto", "root"),
    [
        ("resolver.shop.example", "javascript", "https://resolver.shop.example"),
        ("resolver.shop.example", "HTTP", "http://resolver.shop.example"),
        (
            "Resolver.Shop.Example:8443, proxy.internal",
            "https, http",
            "https://resolver.shop.example:8443",
        ),
        ("[2001:db8::1]:8080", "http", "http://[2001:db8::1]:8080"),
        ("192.0.2.7", "https", "https://192.0.2.7"),
    ],
)
def test_valid_forwarded_values_set_the_root(site: Path, host: str, proto: str, root: str) -> None:
    app = create_app(site, config=ServerConfig(base_url="http://other.example", trust_proxy=True))
    headers = {"X-Forwarded-Host": host, "X-Forwarded-Proto": proto}
    _, answer, _ = call_asgi(app, PATH, headers=headers)
    assert answer["location"] == f"{root}/01/{GTIN}/index.html"
    assert answer["vary"] == "Accept, Accept-Language, X-Forwarded-Host, X-Forwarded-Proto"
    _, answer, body = call_asgi(app, "/.well-known/gs1resolver", headers=headers)
    assert json.loads(body)["resolverRoot"] == root


def test_forwarded_headers_are_ignored_without_trust_proxy(app: Any) -> None:
    _, answer, _ = call_asgi(app, PATH, headers={"X-Forwarded-Host": "evil.example"})
    assert answer["location"] == f"{BUILT_FOR}/01/{GTIN}/index.html"
    assert answer["vary"] == "Accept, Accept-Language"


def test_a_rebased_body_has_its_own_entity_tag(site: Path) -> None:
    app = create_app(site, config=ServerConfig(base_url="http://other.example", trust_proxy=True))
    _, here, _ = call_asgi(app, PATH, headers=LINKSET)
    _, there, _ = call_asgi(app, PATH, headers={"X-Forwarded-Host": "a.example", **LINKSET})
    assert here["etag"] != there["etag"]


def _linkset_etag(app: Any) -> str:
    return call_asgi(app, PATH, headers=LINKSET)[1]["etag"]


@pytest.mark.parametrize(
    ("condition", "status"),
    [
        ("*", 304),
        ("{etag}", 304),
        ("W/{etag}", 304),
        ('"other", {etag}', 304),
        ('"other",W/{etag} , "x"', 304),
        ('"other"', 200),
        ('W/"other"', 200),
        ("", 200),
    ],
)
def test_if_none_match(app: Any, condition: str, status: int) -> None:
    etag = _linkset_etag(app)
    got, headers, body = call_asgi(
        app, PATH, headers={"If-None-Match": condition.format(etag=etag), **LINKSET}
    )
    assert got == status
    assert headers["etag"] == etag
    assert (body == b"") == (status == 304)
    if status == 304:
        assert "content-length" not in headers
        assert headers["vary"].startswith("Accept, Accept-Language")


def test_if_modified_since_needs_a_newer_file(app: Any, site: Path) -> None:
    _, headers, _ = call_asgi(app, PATH, headers=LINKSET)
    modified = (site / "01" / GTIN / "linkset.json").stat().st_mtime
    assert headers["last-modified"] == formatdate(int(modified), usegmt=True)
    later = formatdate(modified + 60, usegmt=True)
    earlier = formatdate(modified - 60, usegmt=True)
    assert call_asgi(app, PATH, headers={"If-Modified-Since": later, **LINKSET})[0] == 304
    assert call_asgi(app, PATH, headers={"If-Modified-Since": earlier, **LINKSET})[0] == 200
    assert call_asgi(app, PATH, headers={"If-Modified-Since": "yesterday", **LINKSET})[0] == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2)
    both = {"If-None-Match": '"other"', "If-Modified-Since": later, **LINKSET}
    assert call_asgi(app, PATH, headers=both)[0] == 200


def test_if_match_fails_with_412_problem(app: Any) -> None:
    etag = _linkset_etag(app)
    assert call_asgi(app, PATH, headers={"If-Match": etag, **LINKSET})[0] == 200
    assert call_asgi(app, PATH, headers={"If-Match": "*", **LINKSET})[0] == 200
    status, headers, body = call_asgi(app, PATH, headers={"If-Match": f"W/{etag}", **LINKSET})
    assert status == 412
    assert _is_problem(412, headers, body)


def test_conditions_apply_only_to_200_answers(app: Any) -> None:
    status, headers, _ = call_asgi(app, PATH, headers={"If-None-Match": "*"})
    assert (status, headers["location"]) == (307, f"{BUILT_FOR}/01/{GTIN}/index.html")
    assert call_asgi(app, "/01/09506000134369", headers={"If-None-Match": "*"})[0] == 404


def test_gzip_has_its_own_entity_tag(app: Any) -> None:
    page = f"{PATH}/index.html"
    _, plain, _ = call_asgi(app, page)
    _status, packed, _body = call_asgi(app, page, headers={"Accept-Encoding": "gzip"})
    assert packed["content-encoding"] == "gzip"
    assert packed["etag"] != plain["etag"]
    assert "Accept-Encoding" in packed["vary"]
    again = {"Accept-Encoding": "gzip", "If-None-Match": packed["etag"]}
    assert call_asgi(app, page, headers=again)[0] == 304
    refused = call_asgi(app, page, headers={"Accept-Encoding": "gzip;q=0, identity"})[1]
    assert "content-encoding" not in refused


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "BREW"])
def test_other_methods_are_405_problems_with_allow(app: Any, method: str) -> None:
    status, headers, body = call_asgi(app, PATH, method=method)
    assert status == 405
    assert headers["allow"] == "GET, HEAD, OPTIONS"
    assert _is_problem(405, headers, body)


@pytest.mark.parametrize("path", [PATH, f"/01/{GTIN[1:]}", "/01/09506000134369", "/index.html"])
def test_options_carries_no_location(app: Any, path: str) -> None:
    status, headers, body = call_asgi(app, path, method="OPTIONS")
    assert (status, body) == (204, b"")
    assert "location" not in headers
    assert headers["allow"] == "GET, HEAD, OPTIONS"


def test_health(app: Any, site: Path) -> None:
    status, headers, body = call_asgi(app, HEALTH_PATH)
    assert status == 200
    assert headers["cache-control"] == "no-store"
    from gs1ld.publish import Manifest

    assert json.loads(body) == {"status": "ok", "build_id": Manifest.read(site).build_id}


def test_access_log_lines_are_json_whatever_the_path(site: Path, tmp_path: Path) -> None:
    log = tmp_path / "access.jsonl"
    config = ServerConfig(base_url=BUILT_FOR, access_log=str(log))
    app = create_app(site, config=config)
    hostile = b'/x%22%0A%7B"status":200%7D'
    call_asgi(app, '/x"\n{"status":200}', raw_path=hostile, headers={"User-Agent": 'a"b'})
    call_asgi(app, PATH, query=b"a=1", headers=LINKSET)
    first, second = (json.loads(line) for line in log.read_text("utf-8").splitlines())
    assert (first["path"], first["status"], first["user_agent"]) == (hostile.decode(), 404, 'a"b')
    assert (second["method"], second["path"], second["query"], second["status"]) == (
        "GET",
        PATH,
        "a=1",
        200,
    )
    assert second["bytes"] == len((site / "01" / GTIN / "linkset.json").read_bytes())
