"""The public compress/decompress check URIs on the way in and out."""

from __future__ import annotations

import pytest

from gs1ld.digital_link import DigitalLink, Options, compress, decompress, parse
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
    with pytest.raises(DigitalLinkError) as raised:
        compress("https://id.gs1.org/01/09506000134353")
    assert str(raised.value) == (
        "Invalid AI (01) check digit in '09506000134353': expected 2, got 3."
    )


def test_a_corrupt_segment_is_a_digital_link_error() -> None:
    with pytest.raises(DigitalLinkError, match=r"^Cannot decompress 'AAAAAAAB'"):
        decompress("https://id.gs1.org/AAAAAAAB")


def test_a_query_short_name_is_another_parameter_as_parse_reads_it() -> None:
    """``exp`` is no AI in a query (GS1 Digital Link gave short names to path keys only).

    The reference toolkit reads ``?exp=`` as (17); gs1ld compresses exactly what
    :func:`parse` read, so ``exp`` stays a non-GS1 parameter, on the way in and out.
    """
    uri = "https://id.gs1.org/01/09506000134352?exp=261231"
    assert parse(uri).other_params == (("exp", "261231"),)
    short = compress(uri)
    assert short == compress("https://id.gs1.org/01/09506000134352") + "?exp=261231"
    link = decompress(short)
    assert (link.attributes, link.other_params) == ((), (("exp", "261231"),))
    packed = decompress(compress(uri, compress_other=True))
    assert (packed.attributes, packed.other_params) == ((), (("exp", "261231"),))
    as_ai = decompress(compress("https://id.gs1.org/01/09506000134352?17=261231"))
    assert (as_ai.attributes, as_ai.other_params) == ((("17", "261231"),), ())


def test_path_short_names_are_read_only_when_the_options_allow_them() -> None:
    old = "https://id.gs1.org/gtin/09506000134352/lot/ABC"
    with pytest.raises(DigitalLinkError, match="no primary key in the path"):
        compress(old)
    relaxed = compress(old, options=Options(convenience_alphas=True))
    assert relaxed == compress("https://id.gs1.org/01/09506000134352/10/ABC")


def test_a_parsed_link_is_compressed_as_it_stands() -> None:
    link = parse(URI + "&utm=qr").with_stem("https://brand.example/dl")
    assert compress(link) == compress(URI + "&utm=qr", stem="https://brand.example/dl/")
    assert decompress(compress(link)) == link
