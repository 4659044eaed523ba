"""Check RDF against the GS1 Web Vocabulary (and gs1ld's extension vocabulary).

For every triple whose predicate is a ``gs1:`` (or ``gs1ld:``) term: the term
exists and is not deprecated; the subject has a type that is the property's
domain or a subclass (``owl:unionOf`` domains included); literal datatypes and
language tags match ``rdf:langString`` / ``xsd:*`` ranges; code values are
current members of the range's code list. Every ``gs1:`` class used exists.
Link types (``rdfs:subPropertyOf gs1:linkType``) are checked for existence
only: the vocabulary declares them ObjectProperties with an ``xsd:anyURI`` range.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import rdflib
from rdflib import OWL, RDF, RDFS, XSD
from rdflib.collection import Collection

GS1 = "https://ref.gs1.org/voc/"


@dataclass(frozen=True)
class Violation:
    """One problem with one triple."""

    subject: str
    predicate: str
    message: str


class Vocabulary:
    """The parts of an RDFS/OWL vocabulary the checks need, precomputed."""

    def __init__(self, graphs: Iterable[rdflib.Graph]) -> None:
        graph = rdflib.Graph()
        for g in graphs:
            graph += g
        self.graph = graph
        self.terms = {s for s in graph.subjects() if isinstance(s, rdflib.URIRef)}
        self.deprecated = {
            s
            for s, _, o in graph.triples((None, OWL.deprecated, None))
            if o != rdflib.Literal(False)
        }
        status = rdflib.URIRef("http://www.w3.org/2003/06/sw-vocab-status/ns#term_status")
        self.deprecated |= {
            s for s, _, o in graph.triples((None, status, None)) if str(o) == "deprecated"
        }
        self.link_types = set(
            graph.transitive_subjects(RDFS.subPropertyOf, rdflib.URIRef(GS1 + "linkType"))
        )

    @cache  # noqa: B019 - one vocabulary per test session
    def superclasses(self, cls: rdflib.URIRef) -> frozenset[rdflib.term.Node]:
        return frozenset(self.graph.transitive_objects(cls, RDFS.subClassOf))

    def classes_of(self, node: rdflib.term.Node) -> set[rdflib.term.Node]:
        return set(self.graph.objects(node, RDF.type))

    def domains(self, prop: rdflib.URIRef) -> list[set[rdflib.term.Node]]:
        """The property's domain as one set of alternatives.

        Several ``rdfs:domain`` statements are read as alternatives, as GS1 means
        them (``gs1:gtin`` lists both ``gs1:Product`` and ``schema:Product``),
        not as RDFS's intersection; ``owl:unionOf`` members are alternatives too.
        """
        alternatives: set[rdflib.term.Node] = set()
        for domain in self.graph.objects(prop, RDFS.domain):
            union = self.graph.value(domain, OWL.unionOf)
            alternatives |= set(Collection(self.graph, union)) if union is not None else {domain}
        return [alternatives] if alternatives else []

    def ranges(self, prop: rdflib.URIRef) -> list[rdflib.term.Node]:
        return list(self.graph.objects(prop, RDFS.range))


@cache
def load_vocabulary(gs1_ttl: Path, extension_ttl: Path | None = None) -> Vocabulary:
    graphs = [rdflib.Graph().parse(gs1_ttl)]
    if extension_ttl is not None:
        graphs.append(rdflib.Graph().parse(extension_ttl))
    return Vocabulary(graphs)


_ANY = {OWL.Thing, RDFS.Resource}


def check(data: rdflib.Graph, vocab: Vocabulary, namespaces: tuple[str, ...]) -> list[Violation]:
    """Every violation in ``data`` for predicates and classes in ``namespaces``."""
    found: list[Violation] = []

    def flag(s: rdflib.term.Node, p: rdflib.term.Node, message: str) -> None:
        found.append(Violation(str(s), str(p), message))

    for s, p, o in data:
        if p == RDF.type:
            if str(o).startswith(namespaces):
                if o not in vocab.terms:
                    flag(s, p, f"class {o} does not exist")
                elif o in vocab.deprecated:
                    flag(s, p, f"class {o} is deprecated")
            continue
        if not str(p).startswith(namespaces):
            continue
        prop = rdflib.URIRef(p)
        if prop not in vocab.terms:
            flag(s, p, "property does not exist")
            continue
        if prop in vocab.deprecated:
            flag(s, p, "property is deprecated")
        types = {c for t in data.objects(s, RDF.type) for c in {t, *vocab.superclasses(t)}}
        for alternatives in vocab.domains(prop):
            if alternatives & _ANY:
                continue
            if not types & alternatives:
                flag(
                    s,
                    p,
                    f"subject types {sorted(map(str, types))} are not in the domain "
                    f"{sorted(map(str, alternatives))}",
                )
        if prop in vocab.link_types:
            if not isinstance(o, rdflib.URIRef):
                flag(s, p, f"link type value {o!r} is not an IRI")
            continue
        for range_ in vocab.ranges(prop):
            if range_ in _ANY:
                continue
            if range_ == RDF.langString:
                if not (isinstance(o, rdflib.Literal) and o.language):
                    flag(s, p, f"value {o!r} lacks a language tag (range rdf:langString)")
            elif str(range_).startswith(str(XSD)):
                datatype = o.datatype if isinstance(o, rdflib.Literal) else None
                if isinstance(o, rdflib.Literal) and datatype is None and not o.language:
                    datatype = XSD.string
                if datatype != range_:
                    flag(s, p, f"value {o!r} is not typed {range_}")
            elif isinstance(o, rdflib.Literal):
                flag(s, p, f"value {o!r} is a literal but the range is the class {range_}")
            else:
                object_types = vocab.classes_of(o) | set(data.objects(o, RDF.type))
                closure = {c for t in object_types for c in {t, *vocab.superclasses(t)}}
                if range_ not in closure:
                    flag(s, p, f"value {o} is not a {range_}")
                elif o in vocab.deprecated:
                    flag(
                        s, p, f"code {o} is deprecated (use {vocab.graph.value(o, OWL.deprecated)})"
                    )
    return found
