"""What ``gs1ld convert --format nquads|turtle`` writes is the graph ``gs1ld validate`` checks.

The two go from JSON-LD to RDF by different roads: ``convert`` through PyLD
(N-Quads, and rdflib for Turtle), ``validate`` through pyoxigraph
(:func:`gs1ld.validation.rdf.document_ntriples`).  One road would change what
``convert`` writes (pyoxigraph names blank nodes at random and orders triples its
own way) or slow ``validate`` tenfold, so this test holds them together instead:
for every example and 2,000 synthetic products, the graph in each file ``convert``
writes is the graph the validator reads from the JSON-LD ``convert`` writes for
the same product, term for term, blank nodes aside.

Each pair is compared by canonical form (RDFC-1.0, pyoxigraph), which is exact
and fast; a sample also by :func:`rdflib.compare.isomorphic`, the reference (at
some 15 ms a graph it would take minutes over every product).  rdflib's parser
normalises literals (``"10"^^xsd:float`` reads as ``"10.0"``), so only the
canonical forms see a lexical form that changed on the way.
"""

from __future__ import annotations

import re
import warnings
from datetime import date
from pathlib import Path
from typing import Literal

import orjson
import pyoxigraph
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from gs1ld.catalog import CatalogSource, parse_entry
from gs1ld.config import ExportConfig
from gs1ld.convert import Format, convert_catalog, serialize
from gs1ld.publish import publish_entry
from gs1ld.testing import synthetic_catalog, write_jsonl
from gs1ld.validation.rdf import document_ntriples
from support import EXAMPLE_CATALOG

CONFIG = ExportConfig(base_url="https://id.brand.example", today=date(2026, 6, 1))
_FORMATS: dict[Format, pyoxigraph.RdfFormat] = {
    "nquads": pyoxigraph.RdfFormat.N_QUADS,
    "turtle": pyoxigraph.RdfFormat.TURTLE,
}


def _converted(catalog: CatalogSource, folder: Path, fmt: Format) -> dict[str, bytes]:
    """Convert ``catalog`` into ``folder`` as ``fmt``: {GTIN: its file's bytes}; all written."""
    report = convert_catalog(catalog, folder, config=CONFIG, fmt=fmt)
    assert report.failed == []
    files = {path.stem: path.read_bytes() for path in folder.iterdir()}
    assert len(files) == report.written
    return files


def _canonical(data: bytes, fmt: pyoxigraph.RdfFormat) -> pyoxigraph.Dataset:
    """The graph in ``data``, its blank nodes renamed canonically (RDFC-1.0)."""
    dataset = pyoxigraph.Dataset(pyoxigraph.parse(data, format=fmt))
    dataset.canonicalize(pyoxigraph.CanonicalizationAlgorithm.UNSTABLE)
    return dataset


def _rdflib_graph(data: bytes, fmt: Format | Literal["nt"]) -> Graph:
    graph = Graph()
    with warnings.catch_warnings():  # rdflib's own N-Quads parser uses a deprecated API
        warnings.simplefilter("ignore", DeprecationWarning)
        graph.parse(data=data.decode("utf-8"), format=fmt)
    return graph


def _assert_convert_writes_what_validate_checks(
    catalog: CatalogSource, tmp_path: Path, *, rdflib_every: int
) -> int:
    """Every product's N-Quads and Turtle against its validated JSON-LD; how many products.

    Every product is compared by canonical form; every ``rdflib_every``-th also
    with :func:`rdflib.compare.isomorphic`, the reference the canonical forms must agree with.
    """
    documents = _converted(catalog, tmp_path / "jsonld", "jsonld")
    written = {fmt: _converted(catalog, tmp_path / fmt, fmt) for fmt in _FORMATS}
    with_blank_nodes = 0
    for n, (gtin, document) in enumerate(sorted(documents.items())):
        validated = document_ntriples(orjson.loads(document)).encode("utf-8")
        expected = _canonical(validated, pyoxigraph.RdfFormat.N_TRIPLES)
        assert len(expected) > 0
        with_blank_nodes += b"_:" in validated
        for fmt, rdf_format in _FORMATS.items():
            data = written[fmt][gtin]
            assert _canonical(data, rdf_format) == expected, f"{gtin}: {fmt} is another graph"
            if n % rdflib_every == 0:
                converted, checked = _rdflib_graph(data, fmt), _rdflib_graph(validated, "nt")
                assert isomorphic(converted, checked), f"{gtin}: {fmt} is another graph"
    assert with_blank_nodes > len(documents) // 2  # blank nodes are exercised, not only IRIs
    return len(documents)


def test_every_example_converts_to_the_graph_validation_checks(tmp_path: Path) -> None:
    examples = sorted(EXAMPLE_CATALOG.glob("*.json"))
    converted = _assert_convert_writes_what_validate_checks(
        EXAMPLE_CATALOG, tmp_path, rdflib_every=1
    )
    assert converted == len(examples)


@pytest.mark.slow
def test_2000_synthetic_products_convert_to_the_graphs_validation_checks(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog.jsonl"
    write_jsonl(synthetic_catalog(2000, seed=21), catalog)
    converted = _assert_convert_writes_what_validate_checks(catalog, tmp_path, rdflib_every=25)
    assert converted == 2000


def test_both_checks_see_a_changed_blank_node_and_not_a_renamed_one() -> None:
    """The checks can fail: a literal changed on a blank node is another graph; blank
    nodes renamed are the same graph."""
    entry = parse_entry(orjson.loads((EXAMPLE_CATALOG / "01-whole-milk.json").read_bytes()))
    document = publish_entry(entry, CONFIG).mapped.document
    quads = serialize(document, "nquads")
    validated = document_ntriples(document).encode("utf-8")
    expected = _canonical(validated, pyoxigraph.RdfFormat.N_TRIPLES)
    renamed = quads.replace(b"_:b", b"_:renamed")
    text_on_a_blank_node = rb'^(_:b\d+ <[^>]+> ")(?=[^\n]*"@)'
    changed = re.sub(text_on_a_blank_node, rb"\1x", quads, count=1, flags=re.MULTILINE)
    assert renamed != quads
    assert changed != quads
    for data, same in ((quads, True), (renamed, True), (changed, False)):
        assert (_canonical(data, pyoxigraph.RdfFormat.N_QUADS) == expected) is same
        assert isomorphic(_rdflib_graph(data, "nquads"), _rdflib_graph(validated, "nt")) is same


def test_turtle_is_the_same_bytes_every_time() -> None:
    """Blank nodes keep PyLD's labels, so their order in the Turtle does not change."""
    for path in sorted(EXAMPLE_CATALOG.glob("*.json")):
        entry = parse_entry(orjson.loads(path.read_bytes()))
        document = publish_entry(entry, CONFIG).mapped.document
        first = serialize(document, "turtle", label="g1")
        assert all(serialize(document, "turtle", label="g1") == first for _ in range(3))
