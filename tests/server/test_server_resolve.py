"""The resolver's decisions as pure functions: negotiation, link types, languages, safety."""

from __future__ import annotations

import orjson
import pytest

from gs1ld.publish import Link
from gs1ld.server._negotiate import best_media_type, language_preferences, language_score
from gs1ld.server.resolve import resolve_product
from gs1ld.server.store import ProductRecord, StaticFile

ANCHOR = "https://id.brand.example/01/09506000134352"
PAGE = f"{ANCHOR}/index.html"
CONTEXT = "https://id.brand.example/.well-known/linkset-context.jsonld"

LINKS = (
    Link("defaultLink", PAGE, "Page", "text/html", ("en",)),
    Link("pip", PAGE, "Page", "text/html", ("en",)),
    Link("pip", f"{ANCHOR}/fr.html", "Page FR", "text/html", ("fr",)),
    Link("certificationInfo", "https://registry.example/c?id=1", "Cert"),
    Link("relatedImage", "https://cdn.example/a.png", "A"),
    Link("relatedImage", "https://cdn.example/b.png", "B"),
)
RECORD = ProductRecord(
    gtin="09506000134352",
    anchor=ANCHOR,
    links=LINKS,
    linkset=StaticFile(b'{"linkset": []}', '"ls"'),
    jsonld=StaticFile(b'{"@id": "x"}', '"jl"'),
)


def _resolve(query: str = "", accept: str | None = None, language: str | None = None):  # type: ignore[no-untyped-def]
    return resolve_product(
        RECORD, query=query, accept=accept, accept_language=language, context_url=CONTEXT
    )


def test_html_redirects_307_to_the_default_link() -> None:
    answer = _resolve(accept="text/html,application/xhtml+xml")
    assert (answer.status, dict(answer.headers)) == (307, {"Location": PAGE})


def test_query_string_is_passed_on_with_the_right_separator() -> None:
    assert dict(_resolve("utm_source=pack&x=1").headers)["Location"] == (
        f"{PAGE}?utm_source=pack&x=1"
    )
    answer = _resolve("linkType=gs1:certificationInfo&batch=A1")
    assert dict(answer.headers)["Location"] == (
        "https://registry.example/c?id=1&linkType=gs1:certificationInfo&batch=A1"
    )


@pytest.mark.parametrize("query", ["linkType=linkset", "linkType=all"])
def test_linkset_by_query(query: str) -> None:
    answer = _resolve(query, accept="text/html")
    assert (answer.status, answer.media_type, answer.body) == (
        200,
        "application/linkset+json",
        RECORD.linkset.body,
    )
    assert dict(answer.headers)["Link"] == (
        f'<{CONTEXT}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"'
    )


def test_linkset_and_jsonld_by_accept() -> None:
    assert _resolve(accept="application/linkset+json").media_type == "application/linkset+json"
    answer = _resolve(accept="application/ld+json")
    assert (answer.status, answer.media_type, answer.body) == (
        200,
        "application/ld+json",
        RECORD.jsonld.body,
    )


@pytest.mark.parametrize(
    "link_type",
    [
        "gs1:certificationInfo",
        "https://ref.gs1.org/voc/certificationInfo",
        "https%3A%2F%2Fref.gs1.org%2Fvoc%2FcertificationInfo",
    ],
)
def test_link_type_as_curie_or_iri(link_type: str) -> None:
    answer = _resolve(f"linkType={link_type}")
    assert (answer.status, dict(answer.headers)["Location"]) == (
        307,
        f"https://registry.example/c?id=1&linkType={link_type}",
    )


def test_missing_link_type_is_a_404_problem() -> None:
    answer = _resolve("linkType=gs1:recallStatus")
    assert answer.status == 404
    assert answer.media_type == "application/problem+json"
    assert orjson.loads(answer.body)["detail"] == (
        "The product has no link of type 'gs1:recallStatus'."
    )


def test_accept_language_chooses_among_links_of_one_type() -> None:
    fr = _resolve("linkType=gs1:pip", language="fr-CA, en;q=0.5")
    assert dict(fr.headers)["Location"] == f"{ANCHOR}/fr.html?linkType=gs1:pip"
    en = _resolve("linkType=gs1:pip", language="en-GB")
    assert dict(en.headers)["Location"] == f"{PAGE}?linkType=gs1:pip"


def test_ties_give_300_with_the_candidates() -> None:
    answer = _resolve("linkType=gs1:relatedImage")
    assert answer.status == 300
    assert orjson.loads(answer.body) == {
        "anchor": ANCHOR,
        "linkset": [
            {"href": "https://cdn.example/a.png", "title": "A"},
            {"href": "https://cdn.example/b.png", "title": "B"},
        ],
    }


def test_media_negotiation() -> None:
    offers = ["text/html", "application/linkset+json"]
    assert best_media_type(None, offers) == "text/html"
    assert best_media_type("application/*;q=0.9, text/html;q=0.1", offers) == (
        "application/linkset+json"
    )
    assert best_media_type("text/html;q=0, */*;q=0.1", offers) == "application/linkset+json"
    assert best_media_type("image/png", offers) is None


def test_language_scores() -> None:
    prefs = language_preferences("fr-CA;q=0.9, en;q=0.5, de;q=0")
    assert prefs == [("fr-ca", 0.9), ("en", 0.5)]
    assert language_score(("fr",), prefs) == pytest.approx(0.81)
    assert language_score(("en-US",), prefs) == pytest.approx(0.45)
    assert language_score(("de",), prefs) == 0
