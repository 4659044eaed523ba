"""A product published in several languages: the default redirect follows Accept-Language."""

from __future__ import annotations

import pytest

from gs1ld.publish import Link
from gs1ld.server.resolve import resolve_product
from gs1ld.server.store import ProductRecord, StaticFile

ANCHOR = "https://id.brand.example/01/09506000134468"
MAIN = f"{ANCHOR}/index.html"  # French, the product's main language
ENGLISH = f"{ANCHOR}/index.en.html"
RECORD = ProductRecord(
    gtin="09506000134468",
    anchor=ANCHOR,
    links=(
        Link("defaultLink", MAIN, "Croissant"),
        Link("defaultLinkMulti", ENGLISH, "Croissant", "text/html", ("en",)),
        Link("defaultLinkMulti", MAIN, "Croissant", "text/html", ("fr",)),
        Link("pip", ENGLISH, "Croissant", "text/html", ("en",)),
        Link("pip", MAIN, "Croissant", "text/html", ("fr",)),
    ),
    linkset=StaticFile(b'{"linkset": []}', '"ls"'),
    jsonld=StaticFile(b"{}", '"jl"'),
)


@pytest.mark.parametrize(
    ("accept_language", "location"),
    [
        (None, MAIN),  # no preference: the default link
        ("en-GB,en;q=0.8", ENGLISH),
        ("fr-CA", MAIN),
        ("de, en;q=0.5", ENGLISH),  # the best language the product has
        ("de", MAIN),  # none of its languages: the default link
        ("en;q=0.4, fr;q=0.9", MAIN),
    ],
)
def test_the_default_redirect_picks_the_callers_language(
    accept_language: str | None, location: str
) -> None:
    answer = resolve_product(
        RECORD, query="", accept=None, accept_language=accept_language, context_url="c"
    )
    assert (answer.status, dict(answer.headers)["Location"]) == (307, location)
