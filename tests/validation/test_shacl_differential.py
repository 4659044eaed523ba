"""gs1ld's compiled shapes give the same verdicts as plain pyshacl with the same shapes.

Both run over the same triples (pyoxigraph's parse of each document): every
planted-defect document, the example catalog in two extension namespaces, and
2,000 synthetic products of which about half carry one to three random defects
(strings for language-tagged text, codes as strings or from other lists, ill-
formed or out-of-range numbers, missing or repeated properties, wrong node
types...). The sets of (document, focus node, path, constraint component)
violations must be identical. pyshacl takes ~15 ms per product, so the
synthetic run is batched into data graphs of 500 documents.
"""

from __future__ import annotations

import copy
import random
from collections import Counter
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pytest

from gs1ld._resources import read_text
from gs1ld.catalog import CatalogEntry, read_catalog
from gs1ld.config import ExportConfig
from gs1ld.publish import to_jsonld
from gs1ld.testing import synthetic_catalog
from gs1ld.validation.rdf import XSD_STRING, Triple, literal_parts, parse_document
from gs1ld.validation.report import extension_namespace
from gs1ld.validation.shapes import EXTENSION_NAMESPACE, SH, compiled_shapes
from support import EXAMPLE_CATALOG, json_positions

DEFECTS = Path(__file__).parent / "defects"

Violation = tuple[int, str, str, str]
"""(document index, focus node, path IRI, constraint component local name)."""


def parse_all(documents: Sequence[Any]) -> tuple[list[list[Triple]], list[str]]:
    """Each document's triples and extension namespace."""
    return [parse_document(d) for d in documents], [extension_namespace(d) for d in documents]


def engine_violations(triples: Sequence[list[Triple]], namespaces: Sequence[str]) -> set[Violation]:
    """What gs1ld's compiled shapes report, per document."""
    found: set[Violation] = set()
    for index, (doc, ns) in enumerate(zip(triples, namespaces, strict=True)):
        for r in compiled_shapes(ns).check(doc):
            found.add((index, r.focus, r.shape.path, r.component))
    return found


def _rdflib_term(term: str, doc_index: int) -> Any:
    """An rdflib term; blank-node labels get the document's prefix so documents never merge.

    (pyoxigraph keeps explicit ``_:b0`` labels, so two documents may use the same
    one; rdflib's N-Triples parser would relabel them, hence building terms here.)
    """
    import rdflib

    if term[0] == "<":
        return rdflib.URIRef(term[1:-1])
    if term[0] == "_":
        return rdflib.BNode(f"d{doc_index}x{term[2:]}")
    lexical, datatype, language = literal_parts(term)
    if language is not None:
        return rdflib.Literal(lexical, lang=language)
    if datatype == XSD_STRING:
        return rdflib.Literal(lexical)
    return rdflib.Literal(lexical, datatype=rdflib.URIRef(datatype))


def _batches(triples: Sequence[list[Triple]], size: int) -> list[list[int]]:
    """Document indexes in batches of at most ``size`` that share no node IRI."""
    batches: list[tuple[list[int], set[str]]] = []
    for index, doc in enumerate(triples):
        subjects = {s for s, _, _ in doc if s[0] != "_"}
        for members, seen in batches:
            if len(members) < size and not subjects & seen:
                members.append(index)
                seen |= subjects
                break
        else:
            batches.append(([index], set(subjects)))
    return [members for members, _ in batches]


def pyshacl_violations(
    triples: Sequence[list[Triple]], namespaces: Sequence[str], *, batch: int = 500
) -> set[Violation]:
    """What plain pyshacl reports with the same shapes over the same triples."""
    import pyshacl
    import rdflib

    shapes_text = read_text("shapes", "gs1-shapes.ttl")
    sh = rdflib.Namespace(SH)
    found: set[Violation] = set()
    by_namespace: dict[str, list[int]] = {}
    for index, ns in enumerate(namespaces):
        by_namespace.setdefault(ns, []).append(index)
    for ns, indexes in by_namespace.items():
        shapes = rdflib.Graph().parse(
            data=shapes_text.replace(f"<{EXTENSION_NAMESPACE}>", f"<{ns}>"), format="turtle"
        )
        group = [triples[i] for i in indexes]
        for members in _batches(group, batch):
            data = rdflib.Graph()
            owner: dict[str, int] = {}
            for local in members:
                doc_index = indexes[local]
                for s, p, o in group[local]:
                    subject = _rdflib_term(s if s[0] == "_" else f"<{s}>", doc_index)
                    owner[str(subject)] = doc_index
                    data.add((subject, rdflib.URIRef(p), _rdflib_term(o, doc_index)))
            _, results, _ = pyshacl.validate(data, shacl_graph=shapes)
            for result in results.subjects(rdflib.RDF.type, sh.ValidationResult):
                focus = results.value(result, sh.focusNode)
                path = results.value(result, sh.resultPath)
                component = str(results.value(result, sh.sourceConstraintComponent))
                doc_index = owner[str(focus)]
                name = str(focus)
                if isinstance(focus, rdflib.BNode):
                    name = "_:" + name.split("x", 1)[1]
                found.add((doc_index, name, str(path), component.removeprefix(SH)))
    return found


_FLOAT_VALUES = ("-3", "150", "abc", "1e400", " 7", "NaN", "100", "0", "-0")
_CODES = (
    "gs1:AllergenTypeCode-MILK",
    "gs1:DietTypeCode-VEGAN",
    "gs1:LevelOfContainmentCode-CONTAINS",
    "gs1:NoSuchCode-X",
    "https://gs1.org/voc/AllergenTypeCode-AM",
)


def _mutate_once(doc: dict[str, Any], rng: random.Random) -> None:
    """Plant one random defect in ``doc`` (in place)."""
    spots = [(c, k, v) for c, k, v in json_positions(doc) if not (c is doc and k == "@id")]
    container, key, value = rng.choice(spots)
    if isinstance(value, dict) and "@language" in value:
        container[key] = rng.choice([value["@value"], {"@value": value["@value"]}, 42])
    elif isinstance(value, dict) and value.get("@type") in ("xsd:float", "xsd:integer"):
        value["@value"] = rng.choice(_FLOAT_VALUES)
        if rng.random() < 0.3:
            # not xsd:decimal: pyshacl 0.40 crashes comparing "NaN"^^xsd:decimal
            value["@type"] = rng.choice(["xsd:integer", "xsd:string"])
    elif isinstance(value, dict) and value.get("@type") in ("xsd:date", "xsd:dateTime"):
        container[key] = rng.choice(
            [
                value["@value"],
                {"@value": "2025-13-45", "@type": value["@type"]},
                {"@value": "2025-01-01T10:00:00", "@type": "xsd:date"},
            ]
        )
    elif isinstance(value, dict) and set(value) == {"@id"}:
        choice = rng.random()
        if choice < 0.4:
            container[key] = value["@id"]
        elif choice < 0.8:
            container[key] = {"@id": rng.choice(_CODES)}
        else:
            container[key] = {"@type": "gs1:Brand"}
    elif isinstance(value, dict) and "@type" in value and container is not doc:
        keys = [k for k in value if not k.startswith("@")]
        if keys and rng.random() < 0.6:
            del value[rng.choice(keys)]
        else:
            value["@type"] = rng.choice(["gs1:Organization", "gs1:Brand", "gs1:QuantitativeValue"])
    elif isinstance(value, str) and key == "gs1:gtin":
        container[key] = rng.choice([value[1:], [value, value[:-1] + "0"], 1234, {"@id": "urn:x"}])
    elif isinstance(value, bool):
        container[key] = rng.choice(["yes", {"@value": "yes", "@type": "xsd:boolean"}, 1])
    elif isinstance(value, int | float):
        container[key] = -abs(value) - 1
    elif isinstance(value, str) and not str(key).startswith("@"):
        container[key] = rng.choice(
            [[value, value + "!"], {"@id": "https://x.example/" + value[:5]}, ""]
        )
    elif isinstance(container, dict) and (key == "@type" or not str(key).startswith("@")):
        del container[key]


def mutated(documents: Sequence[dict[str, Any]], *, seed: int, share: float = 0.5) -> list[Any]:
    """Copies of ``documents``; a ``share`` of them with one to three random defects."""
    rng = random.Random(seed)
    out = []
    for original in documents:
        doc = copy.deepcopy(original)
        if rng.random() < share:
            for _ in range(rng.randint(1, 3)):
                _mutate_once(doc, rng)
            if rng.random() < 0.1:
                doc.pop("gs1:gtin", None)
        out.append(doc)
    return out


def _parseable(documents: list[Any]) -> list[Any]:
    """The documents that become RDF at all (the rest are reported as errors, not shapes)."""
    out = []
    for document in documents:
        try:
            parse_document(document)
        except ValueError:
            continue
        out.append(document)
    return out


def _corpus() -> list[Any]:
    documents: list[Any] = []
    for path in sorted(DEFECTS.glob("*.jsonld")):
        try:
            value = orjson.loads(path.read_bytes())
        except orjson.JSONDecodeError:
            continue
        documents.extend(value if isinstance(value, list) else [value])
    return _parseable(documents)


def _compare(documents: list[Any]) -> Counter[str]:
    triples, namespaces = parse_all(documents)
    ours = engine_violations(triples, namespaces)
    theirs = pyshacl_violations(triples, namespaces)
    assert sorted(ours - theirs) == []
    assert sorted(theirs - ours) == []
    return Counter(component for _, _, _, component in ours)


def test_planted_defects_and_example_catalog() -> None:
    day = date(2026, 6, 1)
    entries = [o.entry for o in read_catalog(EXAMPLE_CATALOG) if o.entry is not None]
    examples = [
        to_jsonld(entry, config=config)
        for config in (
            ExportConfig(today=day),
            ExportConfig(base_url="https://b.example", today=day),
        )
        for entry in entries
    ]
    corpus = _corpus()
    assert len(corpus) >= 28
    found = _compare(corpus + examples)
    assert set(found) >= {
        "MinCountConstraintComponent",
        "MaxCountConstraintComponent",
        "DatatypeConstraintComponent",
        "NodeKindConstraintComponent",
        "ClassConstraintComponent",
        "InConstraintComponent",
        "PatternConstraintComponent",
        "MinInclusiveConstraintComponent",
        "MaxInclusiveConstraintComponent",
    }


@pytest.mark.slow
def test_two_thousand_synthetic_products_half_of_them_broken() -> None:
    config = ExportConfig(today=date(2026, 6, 1))
    clean = [
        to_jsonld(CatalogEntry.model_validate(raw), config=config)
        for raw in synthetic_catalog(2_000, seed=29)
    ]
    documents = _parseable(mutated(clean, seed=29))
    assert len(documents) >= 1_900
    found = _compare(documents)
    assert sum(found.values()) >= 1_000  # not vacuous: most components fire many times
    assert len(found) >= 7


@pytest.mark.parametrize(
    "datatype",
    [
        "urn:x:count",  # after xsd:integer as text: passes sh:minInclusive 0 in pyshacl
        "https://ref.gs1.org/voc/Brand",
        "http://a.example/number",  # before it: fails
        "http://www.w3.org/2001/XMLSchema#date",
        "http://www.w3.org/2001/XMLSchema#boolean",
    ],
)
def test_ranged_values_of_other_datatypes_are_ordered_as_pyshacl_orders_them(
    datatype: str,
) -> None:
    entries = [o.entry for o in read_catalog(EXAMPLE_CATALOG) if o.entry is not None]
    documents = [to_jsonld(e, config=ExportConfig(today=date(2026, 6, 1))) for e in entries]
    changed = 0
    for _, key, value in json_positions(documents):
        if key == "gs1:value" and isinstance(value, dict) and "@type" in value:
            value["@type"] = datatype
            changed += 1
    assert changed > 10
    _compare(documents)
