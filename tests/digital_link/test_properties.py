"""Property tests: round trips hold for valid input; bad input only ever raises our error."""

from __future__ import annotations

import contextlib

from hypothesis import given, settings
from hypothesis import strategies as st

from gs1ld.digital_link import DigitalLink, Options, build, parse, parse_element_string
from gs1ld.digital_link.element_string import to_bracketed, to_unbracketed
from gs1ld.errors import DigitalLinkError
from gs1ld.gtin import check_digit

CSET82 = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
NO_ASSOCIATIONS = Options(associations=False)


@st.composite
def gtins(draw: st.DrawFn) -> str:
    body = draw(st.text("0123456789", min_size=13, max_size=13))
    return body + str(check_digit(body))


def x_values(max_size: int) -> st.SearchStrategy[str]:
    return st.text(CSET82, min_size=1, max_size=max_size)


@st.composite
def dates(draw: st.DrawFn) -> str:
    year = draw(st.integers(0, 99))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, 28))
    return f"{year:02d}{month:02d}{day:02d}"


@st.composite
def links(draw: st.DrawFn) -> DigitalLink:
    chain = draw(st.sampled_from([("22", "10", "21"), ("235",)]))
    picked = [ai for ai in chain if draw(st.booleans())]
    lengths = {"22": 20, "10": 20, "21": 20, "235": 28}
    qualifiers = [(ai, draw(x_values(lengths[ai]))) for ai in picked]
    attributes: list[tuple[str, str]] = []
    if draw(st.booleans()):
        attributes.append(("17", draw(dates())))
    if draw(st.booleans()):
        attributes.append(("3103", draw(st.text("0123456789", min_size=6, max_size=6))))
    if draw(st.booleans()):
        attributes.append(("99", draw(x_values(90))))
    attributes = draw(st.permutations(attributes))
    stem = draw(
        st.sampled_from(["https://id.gs1.org", "https://brand.example/dl", "http://a.b:8080"])
    )
    others = draw(
        st.lists(
            st.tuples(st.sampled_from(["utm", "lang", "x-y"]), x_values(10)),
            max_size=2,
            unique_by=lambda p: p[0],
        )
    )
    return build(("01", draw(gtins())), qualifiers, attributes, stem=stem, other_params=others)


@settings(max_examples=1500)
@given(links())
def test_parse_of_build_is_identity(link: DigitalLink) -> None:
    again = parse(link.uri)
    assert again == link
    assert again.uri == link.uri


@settings(max_examples=500)
@given(links())
def test_element_strings_round_trip(link: DigitalLink) -> None:
    pairs = link.ai_data()
    assert parse_element_string(to_bracketed(pairs), options=NO_ASSOCIATIONS) == pairs
    assert parse_element_string(to_unbracketed(pairs), options=NO_ASSOCIATIONS) == pairs


def _only_our_error(text: str) -> None:
    with contextlib.suppress(DigitalLinkError):
        parse(text)


@settings(max_examples=3000)
@given(st.text())
def test_parse_never_raises_anything_else_on_arbitrary_text(text: str) -> None:
    _only_our_error(text)


URI_ALPHABET = "0123456789/?&=%+#AZaz~._-:[]!$'()*,;@\x00 "


@settings(max_examples=3000)
@given(
    st.text(URI_ALPHABET, max_size=60),
    st.sampled_from(["https://a/", "http://a/01/", "https://a/8004/"]),
)
def test_parse_never_raises_anything_else_on_uri_like_text(tail: str, head: str) -> None:
    _only_our_error(head + tail)


@settings(max_examples=2000)
@given(st.text(max_size=40), st.sampled_from(["(", "^", "\x1d", "(01)", "^01", "(8110)", "^8112"]))
def test_element_string_parse_never_raises_anything_else(tail: str, head: str) -> None:
    with contextlib.suppress(DigitalLinkError):
        parse_element_string(head + tail)
