"""The public compress/decompress check URIs on the way in and out."""

from __future__ import annotations

import pytest

from gs1ld.digital_link import DigitalLink, compress, decompress, parse
from gs1ld.errors import DigitalLinkError

URI = "https://id.gs1.org/01/09506000134352/10/ABC%2F1/21/S1?17=261231&3103=000195"


@pytest.mark.parametrize("optimise", [True, False])
def test_compress_then_decompress_gives_the_same_link(optimise: bool) -> None:
    short = compress(URI, optimise=optimise)
    assert short.startswith("https://id.gs1.org/")
    assert len(short) < len(URI)
    link = decompress(short)
    assert isinstance(link, DigitalLink)
    assert link == parse(URI)


def test_other_parameters_stay_a_query_unless_packed() -> None:
    short = compress(URI + "&utm=qr")
    assert short.endswith("?utm=qr")
    packed = compress(URI + "&utm=qr", compress_other=True, stem="https://brand.example/dl")
    assert packed.startswith("https://brand.example/dl/")
    assert "?" not in packed
    assert decompress(packed).other_params == (("utm", "qr"),)


def test_an_invalid_uri_is_not_compressed() -> None:
    with pytest.raises(DigitalLinkError, match="expected 2, got 3"):
        compress("https://id.gs1.org/01/09506000134353")


def test_a_corrupt_segment_is_a_digital_link_error() -> None:
    with pytest.raises(DigitalLinkError, match=r"^Cannot decompress 'AAAAAAAB'"):
        decompress("https://id.gs1.org/AAAAAAAB")
