"""The resolver server over real HTTP on 127.0.0.1."""

from __future__ import annotations

import gzip

import httpx
import pytest

BUILT_FOR = "https://id.brand.example"
GTIN = "09506000134352"

PATH = f"/01/{GTIN}"
PAGE = f"{BUILT_FOR}/01/{GTIN}/index.html"
LINKSET_LINK = (
    f'<{BUILT_FOR}/01/{GTIN}?linkType=linkset>; rel="linkset"; type="application/linkset+json"'
)


def test_html_request_redirects_to_the_default_link(client: httpx.Client) -> None:
    response = client.get(PATH, headers={"Accept": "text/html"})
    assert response.status_code == 307
    assert response.headers["location"] == PAGE
    assert response.headers["link"] == LINKSET_LINK
    assert response.headers["vary"] == "Accept, Accept-Language"
    assert response.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize("suffix", ["", "/"])
def test_trailing_slash_gives_the_same_answer(client: httpx.Client, suffix: str) -> None:
    response = client.get(PATH + suffix + "?a=1&b=2")
    assert (response.status_code, response.headers["location"]) == (307, PAGE + "?a=1&b=2")


def test_linkset_by_accept_and_by_query(client: httpx.Client) -> None:
    by_accept = client.get(PATH, headers={"Accept": "application/linkset+json"})
    by_query = client.get(PATH, params={"linkType": "linkset"})
    for response in (by_accept, by_query):
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/linkset+json"
        assert response.json()["linkset"][0]["anchor"] == f"{BUILT_FOR}/01/{GTIN}"
        assert 'rel="http://www.w3.org/ns/json-ld#context"' in response.headers["link"]
        assert response.headers["link"].startswith(LINKSET_LINK)
    assert by_accept.content == by_query.content


def test_jsonld_by_accept(client: httpx.Client) -> None:
    response = client.get(PATH, headers={"Accept": "application/ld+json"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/ld+json"
    assert response.json()["@id"] == f"{BUILT_FOR}/01/{GTIN}"


def test_link_type_redirect_and_404(client: httpx.Client) -> None:
    found = client.get(PATH, params={"linkType": "gs1:certificationInfo"})
    assert (found.status_code, found.headers["location"]) == (
        307,
        "https://registry.example/c/1?linkType=gs1%3AcertificationInfo",
    )
    missing = client.get(PATH, params={"linkType": "gs1:recallStatus"})
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.headers["link"] == LINKSET_LINK


def test_unknown_qualifiers_walk_up_to_the_product(client: httpx.Client) -> None:
    response = client.get(f"{PATH}/10/LOT42/21/SERIAL7")
    assert (response.status_code, response.headers["location"]) == (307, PAGE)


@pytest.mark.parametrize(
    ("path", "status"),
    [
        (f"{PATH}/foo", 400),
        ("/01/09506000134353", 400),
        (f"{PATH}/21/X/10/Y", 400),
        ("/01/09506000134369", 404),
        ("/nothing-here.txt", 404),
    ],
)
def test_errors_are_problem_json(client: httpx.Client, path: str, status: int) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == status


def test_zero_suppressed_gtin_moves_permanently(client: httpx.Client) -> None:
    response = client.get("/01/9506000134352/10/LOT1?x=1")
    assert response.status_code == 301
    assert response.headers["location"] == f"{BUILT_FOR}/01/{GTIN}/10/LOT1?x=1"


def test_compressed_digital_link_resolves_like_the_uncompressed_one(client: httpx.Client) -> None:
    from gs1ld.digital_link import compress

    short = compress(f"https://id.gs1.org{PATH}/10/LOT42", stem="")
    response = client.get(short + "?a=1")
    assert (response.status_code, response.headers["location"]) == (307, PAGE + "?a=1")
    bad_syntax = client.get(compress("https://id.gs1.org/01/09506000134369", stem=""))
    assert bad_syntax.status_code == 404


def test_other_keys_and_bad_syntax(client: httpx.Client) -> None:
    assert client.get("/00/106141412345678908").status_code == 404
    unknown_ai = client.get(f"{PATH}/99/X")
    assert unknown_ai.status_code == 400
    assert "(99) is not a qualifier of (01)" in unknown_ai.json()["detail"]


def test_options_and_head(client: httpx.Client) -> None:
    options = client.options(PATH)
    assert options.status_code == 204
    assert options.headers["access-control-allow-methods"] == "GET, HEAD, OPTIONS"
    assert options.headers["link"] == LINKSET_LINK
    head = client.head(PATH, headers={"Accept": "application/ld+json"})
    get = client.get(PATH, headers={"Accept": "application/ld+json"})
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-length"] == str(len(get.content))


def test_etag_and_if_none_match(client: httpx.Client) -> None:
    first = client.get(PATH, params={"linkType": "linkset"})
    etag = first.headers["etag"]
    again = client.get(PATH, params={"linkType": "linkset"}, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""


def test_gzip_for_large_bodies(client: httpx.Client) -> None:
    response = client.get(f"{PATH}/index.html", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["content-encoding"] == "gzip"
    raw = client.get(f"{PATH}/index.html", headers={"Accept-Encoding": "identity"})
    assert raw.headers.get("content-encoding") is None
    assert response.text == raw.text
    assert len(gzip.compress(raw.content)) < len(raw.content)


def test_well_known_description(client: httpx.Client) -> None:
    description = client.get("/.well-known/gs1resolver").json()
    assert description["resolverRoot"] == BUILT_FOR
    assert description["supportedPrimaryKeys"] == ["01"]
    context = client.get("/.well-known/linkset-context.jsonld")
    assert context.json()["@context"]["linkset"] == "@graph"


def test_forwarded_headers_set_absolute_uris(proxied_client: httpx.Client) -> None:
    headers = {"X-Forwarded-Host": "resolver.shop.example", "X-Forwarded-Proto": "https"}
    response = proxied_client.get(PATH, headers=headers)
    assert response.headers["location"] == (f"https://resolver.shop.example/01/{GTIN}/index.html")
    linkset = proxied_client.get(PATH, params={"linkType": "linkset"}, headers=headers).json()
    assert linkset["linkset"][0]["anchor"] == f"https://resolver.shop.example/01/{GTIN}"
    plain = proxied_client.get(PATH)
    assert plain.headers["location"] == f"http://other.example/01/{GTIN}/index.html"
