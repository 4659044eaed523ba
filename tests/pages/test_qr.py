"""The site's QR codes are exactly segno's: same mask, same modules, same SVG bytes."""

from __future__ import annotations

import io
import random

import pytest
import segno

from gs1ld.pages.qr import qr_svg, qr_svg_again

ALPHABET = "0123456789abcdefXYZ/-._~%&<>\"'"


def _uris(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    uris = []
    for _ in range(count):
        length = rng.choice([0, 5, 14, 30, 60, 100, 160, 250, 400])
        tail = "".join(rng.choice(ALPHABET) for _ in range(length))
        uris.append(rng.choice(["https://a.b/", "https://id.brand.example/01/"]) + tail)
    return uris


def _segno_svg(uri: str) -> tuple[str, int, int]:
    symbol = segno.make_qr(uri, error="M", boost_error=False)
    out = io.BytesIO()
    symbol.save(
        out, kind="svg", scale=4, border=4, xmldecl=False, svgns=True,
        title=f"QR code for {uri}", nl=False,
    )  # fmt: skip
    return out.getvalue().decode("utf-8"), int(symbol.version), int(symbol.mask)


@pytest.mark.parametrize("seed", range(4))
def test_svg_is_byte_for_byte_segnos(seed: int) -> None:
    masks: set[int] = set()
    versions: set[int] = set()
    for uri in _uris(400, seed):
        expected, version, mask = _segno_svg(uri)
        assert qr_svg(uri) == expected, uri
        masks.add(mask)
        versions.add(version)
    assert masks == set(range(8))  # every mask was the best one somewhere
    assert min(versions) <= 2
    assert max(versions) >= 10  # version information blocks (v7+) are covered


def test_title_is_escaped() -> None:
    svg = qr_svg('https://x.example/01/09506000134352?a=1&b="<x>')
    assert (
        '<title>QR code for https://x.example/01/09506000134352?a=1&amp;b="&lt;x&gt;</title>' in svg
    )


def _byte_mode_capacity(version: int) -> int:
    """The most bytes a level-M symbol of ``version`` holds in byte mode."""
    bits = segno.consts.SYMBOL_CAPACITY[version][segno.consts.ERROR_LEVEL_M]
    return (bits - 4 - (8 if version < 10 else 16)) // 8


@pytest.mark.parametrize("version", range(1, 41))
def test_every_version_at_its_largest_and_smallest_payload(version: int) -> None:
    """Each version's layout, block structure and remainder bits, at both ends of its range."""
    rng = random.Random(version)
    largest = _byte_mode_capacity(version)
    smallest = _byte_mode_capacity(version - 1) + 1 if version > 1 else 1
    for length in {largest, smallest}:
        uri = "".join(rng.choice(ALPHABET) for _ in range(length))
        expected, got_version, _ = _segno_svg(uri)
        assert got_version == version
        assert qr_svg(uri) == expected


@pytest.mark.parametrize(
    "content",
    [
        "HTTPS://ID.GS1.ORG/01/09506000134352",  # alphanumeric mode
        "09506000134352",  # numeric mode
        "https://id.brand.example/01/09506000134352?name=café",  # Latin-1, not ASCII
        "https://id.brand.example/01/09506000134352?name=雪",  # UTF-8
    ],
)
def test_content_segno_encodes_otherwise_than_ascii_bytes(content: str) -> None:
    assert qr_svg(content) == _segno_svg(content)[0]


URI = "https://id.brand.example/01/09506000134352"


def test_a_qr_code_made_before_for_the_same_uri_is_taken_again() -> None:
    earlier = qr_svg(URI)
    assert qr_svg_again(URI, earlier) is earlier
    assert qr_svg_again(URI, None) == earlier


@pytest.mark.parametrize(
    "earlier",
    [
        pytest.param(qr_svg(URI + "0"), id="another URI"),
        pytest.param(qr_svg("https://id.brand.example/01/09506000134369"), id="another GTIN"),
        pytest.param(qr_svg(URI, scale=5), id="another scale"),
        pytest.param(qr_svg(URI)[:-3], id="cut short"),
        pytest.param(qr_svg(URI).replace('d="M', 'd="X'), id="not a path"),
        pytest.param(qr_svg(URI).replace('h1"', 'h1<script>"'), id="more than a path"),
        pytest.param(qr_svg(URI).replace('width="', 'width="-'), id="a side that is no number"),
        pytest.param(qr_svg(URI).replace('height="', 'height="1', 1), id="height other than width"),
        pytest.param("", id="empty"),
    ],
)
def test_anything_else_is_encoded_again(earlier: str) -> None:
    assert qr_svg_again(URI, earlier) == qr_svg(URI)
