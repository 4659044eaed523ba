"""gs1ld's SHACL shapes (``shapes/gs1-shapes.ttl``) compiled to plain-Python checks.

pyshacl builds an rdflib graph and walks the shapes graph for every document: a
few hundred products a second. The shapes gs1ld ships use a small SHACL core
subset, so this module reads them once and checks a document's triples (from
:mod:`gs1ld.validation.rdf`) directly, giving the same verdicts as pyshacl (a
differential test runs both). The subset:

* targets: ``sh:targetClass`` (instances by ``rdf:type``, plus any
  ``rdfs:subClassOf`` the document itself states, as SHACL says);
* property shapes whose ``sh:path`` is one IRI, with ``sh:minCount``,
  ``sh:maxCount``, ``sh:datatype``, ``sh:nodeKind``, ``sh:class``, ``sh:in``,
  ``sh:pattern``, ``sh:minInclusive`` and ``sh:maxInclusive``.

Anything else in the shapes file is refused when it is loaded, so the shapes
cannot silently grow past what this engine checks. Where pyshacl departs from
the letter of SHACL the engine follows pyshacl, because verdicts must agree:
literal well-formedness for ``sh:datatype`` is rdflib's (``float()`` for
``xsd:float``, ``date.fromisoformat`` after stripping a time zone for
``xsd:date``...), and a ranged value of an odd kind (NaN, an ill-formed number,
another datatype) is ordered as pyshacl orders it (see ``_order``).

The shapes use the extension namespace of ``mappings/extension.ttl``
(``urn:gs1ld:voc:``); :func:`compiled_shapes` rebinds it to the namespace a
document uses (the one its context binds to ``gs1ld``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from gs1ld._resources import read_bytes
from gs1ld.validation.rdf import (
    RDF,
    RDF_LANGSTRING,
    RDF_TYPE,
    XSD,
    XSD_STRING,
    Triple,
    literal_parts,
)
from gs1ld.validation.rules import Finding, code_message
from gs1ld.validation.terms import GS1, TermIndex

__all__ = [
    "EXTENSION_NAMESPACE",
    "SH",
    "NodeShape",
    "PropertyShape",
    "ShapePlan",
    "Shapes",
    "compiled_shapes",
    "load_shapes",
    "shape_findings",
]

SH = "http://www.w3.org/ns/shacl#"
EXTENSION_NAMESPACE = "urn:gs1ld:voc:"
SHAPES_NAMESPACE = "urn:gs1ld:shapes:"
SCHEMA = "http://schema.org/"
RDFS_SUBCLASSOF = "http://www.w3.org/2000/01/rdf-schema#subClassOf"

_PROPERTY_KEYS = frozenset(
    SH + key
    for key in (
        "path",
        "minCount",
        "maxCount",
        "datatype",
        "nodeKind",
        "class",
        "in",
        "pattern",
        "minInclusive",
        "maxInclusive",
    )
)
_NODE_KEYS = frozenset({SH + "targetClass", SH + "property"})
_NUMERIC = frozenset(
    XSD + name
    for name in (
        "float",
        "double",
        "decimal",
        "integer",
        "long",
        "int",
        "short",
        "byte",
        "nonNegativeInteger",
        "nonPositiveInteger",
        "positiveInteger",
        "negativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
)
_DECIMALS = frozenset({XSD + "float", XSD + "double", XSD + "decimal"})
_BOUND_DATATYPE = XSD + "integer"
# datatypes whose rdflib value is a Python str: never in a numeric range for pyshacl
_STRING_VALUED = frozenset(
    {
        XSD_STRING,
        RDF_LANGSTRING,
        XSD + "normalizedString",
        XSD + "token",
        XSD + "language",
        XSD + "anyURI",
    }
)


@dataclass(frozen=True, slots=True)
class PropertyShape:
    """One compiled property shape.

    Attributes:
        name: the shape's CURIE (``gs1sh:Product-gs1-gtin``), reported with each finding.
        path: the property IRI.
        label: the property as a CURIE (``gs1:gtin``), reported as the finding's path.
        min_count / max_count: sh:minCount / sh:maxCount (0 / None when absent).
        datatype: sh:datatype IRI.
        node_kind: sh:nodeKind local name (``IRI``, ``BlankNodeOrIRI``...).
        class_: sh:class IRI.
        members: sh:in as N-Triples terms.
        pattern: sh:pattern, compiled.
        low / high: sh:minInclusive / sh:maxInclusive.
    """

    name: str
    path: str
    label: str
    min_count: int = 0
    max_count: int | None = None
    datatype: str | None = None
    node_kind: str | None = None
    class_: str | None = None
    members: frozenset[str] | None = None
    pattern: re.Pattern[str] | None = None
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True, slots=True)
class NodeShape:
    """One compiled node shape: its name, target classes and property shapes."""

    name: str
    targets: frozenset[str]
    properties: tuple[PropertyShape, ...]


@dataclass(frozen=True, slots=True)
class ShapePlan:
    """The property shapes that apply to a node with one set of classes.

    SHACL evaluates each node shape targeting one of the classes once per focus
    node, however many of its classes it targets; this is that union, in shape
    order.

    Attributes:
        required: the property shapes with sh:minCount above 0.
        by_path: every property shape, by its path IRI.
    """

    required: tuple[PropertyShape, ...]
    by_path: Mapping[str, tuple[PropertyShape, ...]]


@dataclass(frozen=True, slots=True)
class ShapeResult:
    """One SHACL validation result, as pyshacl would report it.

    Attributes:
        focus: the focus node (bare IRI or ``_:label``).
        shape: the property shape that failed.
        component: the constraint component's local name (``MinCountConstraintComponent``).
        value: the offending value node as an N-Triples term (None for cardinalities).
        count: the number of values (cardinality results only).
        types: the value node's classes (sh:class results only).
    """

    focus: str
    shape: PropertyShape
    component: str
    value: str | None = None
    count: int = 0
    types: tuple[str, ...] = ()


def _curie(iri: str, extension: str) -> str:
    for namespace, prefix in (
        (GS1, "gs1:"),
        (extension, "gs1ld:"),
        (SCHEMA, "schema:"),
        (XSD, "xsd:"),
        (RDF, "rdf:"),
        (SHAPES_NAMESPACE, "gs1sh:"),
    ):
        if iri.startswith(namespace):
            return prefix + iri[len(namespace) :]
    return iri


def _float(lexical: str) -> float | None:
    try:
        return float(lexical)
    except ValueError:
        return None


def _xsd_date(lexical: str) -> bool:
    """rdflib's ``parse_xsd_date`` acceptance: drop a zone or a time, then ISO 8601."""
    text = lexical[:-1] if lexical.endswith(("Z", "z")) else lexical
    minus = text.startswith("-")
    text = text[1:] if minus else text
    if "T" in text:
        text = text.split("T")[0]
    elif text.rfind("+") > 0:
        text = text[: text.rfind("+")]
    else:
        parts = text.rsplit("-", 1)
        if len(parts) > 1 and ":" in parts[-1]:
            text = parts[0]
    if "-" not in text:
        return False
    try:
        date.fromisoformat("-" + text if minus else text)
    except ValueError:
        return False
    return True


def well_formed(lexical: str, datatype: str) -> bool:
    """True when rdflib (and so pyshacl) accepts ``lexical`` for ``datatype``.

    >>> well_formed("2025-01-01", XSD + "date"), well_formed("2025-1-1", XSD + "date")
    (True, False)
    >>> well_formed("1.0", XSD + "integer"), well_formed("1.0", XSD + "float")
    (False, True)
    """
    if datatype in (XSD + "float", XSD + "double"):
        return _float(lexical) is not None
    if datatype == XSD + "decimal":
        try:
            Decimal(lexical)
        except InvalidOperation:
            return False
        return True
    if datatype == XSD + "integer":
        try:
            int(lexical)
        except ValueError:
            return False
        return True
    if datatype == XSD + "boolean":
        return lexical in ("true", "false", "1", "0")
    if datatype == XSD + "date":
        return _xsd_date(lexical)
    if datatype == XSD + "dateTime":
        try:
            datetime.fromisoformat(lexical)
        except ValueError:
            return False
        return True
    return True


def _order(term: str, bound: float) -> int | None:
    """How a value compares with a range bound, the way pyshacl decides it.

    None: never in range (a node, or a string-valued literal). Otherwise pyshacl's
    ``compare_literal``: 0 equal, 1 greater, and -1 for smaller *and* for a number
    it cannot order (NaN, an ill-formed lexical form), which so fails
    ``sh:minInclusive`` but passes ``sh:maxInclusive``. A literal of any other
    datatype (a date, a boolean, an unknown IRI) is ordered as rdflib orders
    literals of different datatypes: by the datatype IRIs as text, against the
    bound's ``xsd:integer`` (the generated shapes' bounds are all integers).
    """
    if term[0] != '"':
        return None
    lexical, datatype, _ = literal_parts(term)
    if datatype in _STRING_VALUED:
        return None
    if datatype not in _NUMERIC:
        return 1 if datatype > _BOUND_DATATYPE else -1
    lexical_type = datatype if datatype in _DECIMALS else XSD + "integer"
    if not well_formed(lexical, lexical_type):
        return -1
    number = float(lexical)
    return 0 if number == bound else 1 if number > bound else -1


class Shapes:
    """The compiled shapes, indexed by target class; checks one document's triples."""

    def __init__(self, node_shapes: Iterable[NodeShape]) -> None:
        self.node_shapes = tuple(node_shapes)
        by_class: dict[str, list[NodeShape]] = defaultdict(list)
        for shape in self.node_shapes:
            for target in shape.targets:
                by_class[target].append(shape)
        self.by_class = {cls: tuple(shapes) for cls, shapes in by_class.items()}
        self.paths = frozenset(p.path for s in self.node_shapes for p in s.properties)
        self._memo: dict[tuple[int, str], tuple[str, ...]] = {}
        self._plans: dict[frozenset[str], ShapePlan | None] = {}

    def value_failures(self, shape: PropertyShape, term: str) -> tuple[str, ...]:
        """The components of ``shape`` one value fails, all but sh:class (memoised).

        Args:
            shape: one of these shapes' property shapes.
            term: the value as an N-Triples term.

        Returns:
            The failing components' local names (``DatatypeConstraintComponent``),
            in a fixed order; empty when the value passes them all. sh:class is
            left out: it depends on the value node's classes, not on the term.
        """
        key = (id(shape), term)
        found = self._memo.get(key)
        if found is not None:
            return found
        failures: list[str] = []
        kind = term[0]
        if shape.datatype is not None:
            ok = False
            if kind == '"':
                lexical, datatype, _ = literal_parts(term)
                ok = datatype == shape.datatype and well_formed(lexical, datatype)
            if not ok:
                failures.append("DatatypeConstraintComponent")
        if shape.node_kind is not None:
            allowed = {
                "IRI": kind == "<",
                "BlankNode": kind == "_",
                "Literal": kind == '"',
                "BlankNodeOrIRI": kind != '"',
                "BlankNodeOrLiteral": kind != "<",
                "IRIOrLiteral": kind != "_",
            }[shape.node_kind]
            if not allowed:
                failures.append("NodeKindConstraintComponent")
        if shape.members is not None and term not in shape.members:
            failures.append("InConstraintComponent")
        if shape.pattern is not None:
            text = None
            if kind == "<":
                text = term[1:-1]
            elif kind == '"':
                text = literal_parts(term)[0]
            if text is None or shape.pattern.search(text) is None:
                failures.append("PatternConstraintComponent")
        if shape.low is not None:
            order = _order(term, shape.low)
            if order is None or order < 0:
                failures.append("MinInclusiveConstraintComponent")
        if shape.high is not None:
            order = _order(term, shape.high)
            if order is None or order > 0:
                failures.append("MaxInclusiveConstraintComponent")
        result = tuple(failures)
        if len(self._memo) > 200_000:
            self._memo.clear()
        self._memo[key] = result
        return result

    def plan(self, classes: frozenset[str]) -> ShapePlan | None:
        """The checks for a node with these classes (IRIs); None when no shape targets it.

        :meth:`check` judges every node through this, and so does the cached
        fast path (:class:`~gs1ld.validation._clean.CleanCheck`): the two cannot
        disagree on which shapes apply. Memoised: a catalog has a handful of
        class sets.
        """
        if classes in self._plans:
            return self._plans[classes]
        node_shapes: dict[str, NodeShape] = {}
        for cls in sorted(classes):
            for node_shape in self.by_class.get(cls, ()):
                node_shapes.setdefault(node_shape.name, node_shape)
        plan = None
        if node_shapes:
            shapes = [p for n in node_shapes.values() for p in n.properties]
            by_path: dict[str, list[PropertyShape]] = defaultdict(list)
            for shape in shapes:
                by_path[shape.path].append(shape)
            plan = ShapePlan(
                tuple(p for p in shapes if p.min_count > 0),
                {path: tuple(found) for path, found in by_path.items()},
            )
        if len(self._plans) < 4096:
            self._plans[classes] = plan
        return plan

    def check(self, triples: Iterable[Triple]) -> list[ShapeResult]:
        """Every SHACL result for one document's triples, in shape order per focus node."""
        types: dict[str, set[str]] = defaultdict(set)
        values: dict[str, dict[str, list[str]]] = defaultdict(dict)
        superclasses: dict[str, set[str]] = {}
        paths = self.paths
        for s, p, o in triples:
            if p == RDF_TYPE:
                if o[0] == "<":
                    types[s].add(o[1:-1])
            elif p in paths:
                values[s].setdefault(p, []).append(o)
            elif p == RDFS_SUBCLASSOF and o[0] == "<" and s[0] != "_":
                superclasses.setdefault(s, set()).add(o[1:-1])
        if superclasses:
            types = defaultdict(set, {n: _closure(t, superclasses) for n, t in types.items()})
        results: list[ShapeResult] = []
        for focus, classes in types.items():
            plan = self.plan(frozenset(classes))
            if plan is None:
                continue
            required, by_path = plan.required, plan.by_path
            props = values.get(focus, {})
            for shape in required:
                count = len(props.get(shape.path, ()))
                if count < shape.min_count:
                    results.append(
                        ShapeResult(focus, shape, "MinCountConstraintComponent", count=count)
                    )
            for path, found in props.items():
                for shape in by_path.get(path, ()):
                    if shape.max_count is not None and len(found) > shape.max_count:
                        results.append(
                            ShapeResult(
                                focus, shape, "MaxCountConstraintComponent", count=len(found)
                            )
                        )
                    for term in found:
                        for component in self.value_failures(shape, term):
                            results.append(ShapeResult(focus, shape, component, term))
                        if shape.class_ is None:
                            continue
                        node = None if term[0] == '"' else term if term[0] == "_" else term[1:-1]
                        if node is None or shape.class_ not in types.get(node, ()):
                            classes_of_value = tuple(sorted(types.get(node or "", ())))
                            results.append(
                                ShapeResult(
                                    focus,
                                    shape,
                                    "ClassConstraintComponent",
                                    term,
                                    types=classes_of_value,
                                )
                            )
        return results


def _closure(classes: set[str], superclasses: dict[str, set[str]]) -> set[str]:
    out = set(classes)
    todo = list(classes)
    while todo:
        for parent in superclasses.get(todo.pop(), ()):
            if parent not in out:
                out.add(parent)
                todo.append(parent)
    return out


def _term(value: Any) -> str:
    """An N-Triples term for a pyoxigraph term (IRIs of sh:in, sh:class...)."""
    name = type(value).__name__
    if name == "NamedNode":
        return f"<{value.value}>"
    if name == "BlankNode":
        return f"_:{value.value}"
    return str(value)


def load_shapes(data: bytes, *, extension: str = EXTENSION_NAMESPACE) -> list[NodeShape]:
    """Compile a Turtle shapes graph; refuses SHACL features the engine does not check.

    Raises:
        ValueError: the shapes use something outside the supported subset.
    """
    import pyoxigraph

    subjects: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for triple in pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.TURTLE):
        subjects[_term(triple.subject)][str(triple.predicate.value)].append(triple.object)

    def rebind(iri: str) -> str:
        return (
            extension + iri[len(EXTENSION_NAMESPACE) :]
            if iri.startswith(EXTENSION_NAMESPACE)
            else iri
        )

    def items(node: Any) -> list[Any]:
        out: list[Any] = []
        key = _term(node)
        while key != f"<{RDF}nil>":
            entry = subjects[key]
            out.append(entry[RDF + "first"][0])
            key = _term(entry[RDF + "rest"][0])
        return out

    def one(entry: dict[str, list[Any]], key: str) -> Any | None:
        found = entry.get(SH + key, [])
        if len(found) > 1:
            raise ValueError(f"sh:{key} given {len(found)} times")
        return found[0] if found else None

    def number(term: Any | None) -> float | None:
        return None if term is None else float(term.value)

    node_shapes: list[NodeShape] = []
    for subject, entry in subjects.items():
        kinds = {str(t.value) for t in entry.get(RDF_TYPE, [])}
        if SH + "NodeShape" not in kinds:
            continue
        extra = set(entry) - _NODE_KEYS - {RDF_TYPE}
        if extra:
            raise ValueError(f"{subject}: unsupported node-shape keys {sorted(extra)}")
        properties = []
        for ref in entry.get(SH + "property", []):
            pkey = _term(ref)
            pentry = subjects[pkey]
            extra = set(pentry) - _PROPERTY_KEYS - {RDF_TYPE}
            if extra:
                raise ValueError(f"{pkey}: unsupported property-shape keys {sorted(extra)}")
            path = one(pentry, "path")
            if path is None or type(path).__name__ != "NamedNode":
                raise ValueError(f"{pkey}: sh:path must be one IRI")
            path_iri = rebind(str(path.value))
            members = one(pentry, "in")
            member_terms = (
                frozenset(
                    f"<{rebind(m.value)}>" if type(m).__name__ == "NamedNode" else _term(m)
                    for m in items(members)
                )
                if members is not None
                else None
            )
            pattern = one(pentry, "pattern")
            datatype = one(pentry, "datatype")
            node_kind = one(pentry, "nodeKind")
            class_ = one(pentry, "class")
            min_count = one(pentry, "minCount")
            max_count = one(pentry, "maxCount")
            properties.append(
                PropertyShape(
                    name=_curie(pkey[1:-1], extension),
                    path=path_iri,
                    label=_curie(path_iri, extension),
                    min_count=int(min_count.value) if min_count is not None else 0,
                    max_count=int(max_count.value) if max_count is not None else None,
                    datatype=str(datatype.value) if datatype is not None else None,
                    node_kind=str(node_kind.value)[len(SH) :] if node_kind is not None else None,
                    class_=rebind(str(class_.value)) if class_ is not None else None,
                    members=member_terms,
                    pattern=re.compile(str(pattern.value)) if pattern is not None else None,
                    low=number(one(pentry, "minInclusive")),
                    high=number(one(pentry, "maxInclusive")),
                )
            )
        node_shapes.append(
            NodeShape(
                name=_curie(subject[1:-1], extension),
                targets=frozenset(rebind(str(t.value)) for t in entry.get(SH + "targetClass", [])),
                properties=tuple(sorted(properties, key=lambda p: p.name)),
            )
        )
    return sorted(node_shapes, key=lambda s: s.name)


@lru_cache(maxsize=16)
def compiled_shapes(extension: str = EXTENSION_NAMESPACE) -> Shapes:
    """The shipped shapes, compiled once per extension namespace."""
    return Shapes(load_shapes(read_bytes("shapes", "gs1-shapes.ttl"), extension=extension))


def code_list_of(shape: PropertyShape, index: TermIndex) -> str | None:
    """The code list an sh:in shape draws from (for messages)."""
    for member in sorted(shape.members or ()):
        found = index.codes.get(_curie(member[1:-1], EXTENSION_NAMESPACE))
        if found:
            return found
    return None


def _show(term: str) -> str:
    if term[0] == '"':
        lexical, datatype, language = literal_parts(term)
        if language is not None:
            return f"{lexical!r}@{language}"
        if datatype != XSD_STRING:
            return f"{lexical!r} typed {_curie(datatype, EXTENSION_NAMESPACE)}"
        return repr(lexical)
    return term[1:-1] if term[0] == "<" else "a blank node"  # its label is random


def _values(count: int) -> str:
    return f"{count} value" if count == 1 else f"{count} values"


def _message(result: ShapeResult, index: TermIndex) -> str:
    """What is wrong, quoting the value: expected vs got."""
    shape, component = result.shape, result.component
    prop = shape.label
    shown = _show(result.value) if result.value is not None else ""
    if component == "MinCountConstraintComponent":
        wanted = "exactly" if shape.max_count == shape.min_count else "at least"
        return f"{prop} needs {wanted} {_values(shape.min_count)}, got {result.count}"
    if component == "MaxCountConstraintComponent":
        return f"{prop} takes at most {_values(shape.max_count or 0)}, got {result.count}"
    if component == "DatatypeConstraintComponent":
        if shape.datatype == RDF_LANGSTRING:
            return f"{prop} needs a language-tagged string, got {shown}"
        wanted_type = _curie(shape.datatype or "", EXTENSION_NAMESPACE)
        value = result.value or ""
        if value[0] == '"' and literal_parts(value)[1] == shape.datatype:
            return f"{prop} needs a well-formed {wanted_type} literal, got {shown}"
        if value[0] == '"' and literal_parts(value)[1] == XSD_STRING:
            shown += " typed xsd:string"
        return f"{prop} needs an {wanted_type} literal, got {shown}"
    if component == "NodeKindConstraintComponent":
        kind = "an IRI" if shape.node_kind == "IRI" else f"a node ({shape.node_kind})"
        return f"{prop} needs {kind}, got {shown}"
    if component == "InConstraintComponent":
        value = result.value or ""
        if value[0] != "<":
            return f"{prop} needs a code IRI, got {shown}"
        code = _curie(value[1:-1], EXTENSION_NAMESPACE)
        return code_message(code, prop, code_list_of(shape, index), index)
    if component == "PatternConstraintComponent":
        pattern = shape.pattern.pattern if shape.pattern is not None else ""
        return f"{prop} must match {pattern}, got {shown}"
    if component == "MinInclusiveConstraintComponent":
        return f"{prop} must be a number >= {shape.low:g}, got {shown}"
    if component == "MaxInclusiveConstraintComponent":
        return f"{prop} must be a number <= {shape.high:g}, got {shown}"
    typed = ", ".join(_curie(t, EXTENSION_NAMESPACE) for t in result.types) or "nothing"
    wanted_class = _curie(shape.class_ or "", EXTENSION_NAMESPACE)
    return f"{prop} needs a {wanted_class}, got {shown} typed {typed}"


def shape_findings(results: Iterable[ShapeResult], index: TermIndex) -> list[Finding]:
    """The SHACL results as report findings: the rule is the constraint component."""
    return [
        Finding(
            r.focus,
            r.shape.label,
            _message(r, index),
            "sh:" + r.component,
            value=None if r.value is None else r.value if r.value[0] == "_" else _show(r.value),
            shape=r.shape.name,
        )
        for r in results
    ]
