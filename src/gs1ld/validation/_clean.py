"""A fast, exact test that a document has no finding at all (the common case).

:func:`gs1ld.validation.report.validate_document` runs the shapes
(:meth:`~gs1ld.validation.shapes.Shapes.check`) and the rules
(:func:`~gs1ld.validation.rules.check_triples`) over every triple, building
findings on the way. Most documents of a catalog have none, and their triples
repeat the same few shapes of node: an ingredient with a name and a sequence
number, a nutrient with a value and a unit... So this module first answers one
question, "would both report nothing?", from pyoxigraph's N-Triples text, and
the report only runs the full checks when the answer is not a plain yes.

The answer is built from verdicts cached per process, each keyed by exactly
what it depends on, and each computed on a cache miss by the same public checks
the full checks use (so the two can never drift apart): the shapes' plan for a
set of classes (:meth:`~gs1ld.validation.shapes.Shapes.plan`) and their
:meth:`~gs1ld.validation.shapes.Shapes.value_failures`, the rules' plan
(:func:`~gs1ld.validation.rules.rule_plan`), their
:func:`~gs1ld.validation.rules.value_findings` and
:func:`~gs1ld.validation.rules.product_finding`:

* per node: its ``rdf:type`` terms and its predicates in order (the *subject
  plan*) decide the class terms (``vocabulary``), the predicate terms, the
  ``domain`` rule, sh:minCount / sh:maxCount, whether it is a product, and which
  property shapes and vocabulary property judge each of its values;
* per value: the value judged by those, keyed by the literal itself, or only
  its datatype or language tag where nothing looks at the lexical form, and for
  a node (IRI or blank node) by its ``rdf:type`` terms plus, where a check looks
  at it, its IRI (a blank node's label never matters).

Anything the cache cannot vouch for (a ``rdfs:subClassOf`` statement, a line
that is not canonical N-Triples, any failed check) makes the answer "no", and
the full checks then give the exact findings, messages and order as before.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from gs1ld.validation.rdf import RDF_TYPE, literal_parts, node_name
from gs1ld.validation.rules import (
    PredicateRules,
    RulePlan,
    product_finding,
    rule_plan,
    value_findings,
)
from gs1ld.validation.shapes import RDFS_SUBCLASSOF, PropertyShape, Shapes
from gs1ld.validation.terms import GS1, TermIndex

__all__ = ["CleanCheck"]

_TYPE = f"<{RDF_TYPE}>"
_SUBCLASS = f"<{RDFS_SUBCLASSOF}>"
_GTIN = f"<{GS1}gtin>"
_GS1_IRI = "<" + GS1
_CACHE_LIMIT = 50_000
_MISSING: Any = object()
# datatypes whose lexical forms rdflib (and so the shapes) may refuse
_LEXICAL_CHECKED = frozenset(
    "http://www.w3.org/2001/XMLSchema#" + name
    for name in ("float", "double", "decimal", "integer", "boolean", "date", "dateTime")
)


@dataclass(eq=False, slots=True)
class _Values:
    """How one predicate's values are judged for nodes of one class set.

    Attributes:
        shapes: the property shapes on this path that apply to the node.
        prop: the vocabulary property (CURIE) when the rules judge the values.
        lexical: a literal's verdict may depend on its lexical form (else only
            on its datatype or language tag).
        iri: an IRI's verdict may depend on the IRI itself (sh:in, sh:pattern).
        blank: a blank node's verdict may depend on its label (an sh:in member
            that is a blank node: never in shipped shapes, but then not cached).
        codes: gs1: IRIs are judged as code values (a vocabulary property
            that is not a link type).
        typed: a node's verdict may depend on its classes (sh:class, or a
            vocabulary range class for a node of the document); else the
            classes are left out of its key and not looked up.
        literals / nodes: value keys already judged clean.
    """

    shapes: tuple[PropertyShape, ...]
    prop: str | None
    lexical: bool
    iri: bool
    blank: bool
    codes: bool
    typed: bool
    literals: set[str] = field(default_factory=set)
    nodes: set[tuple[str, tuple[str, ...]]] = field(default_factory=set)


@dataclass(eq=False, slots=True)
class _SubjectPlan:
    """What a node's type terms and predicates decide, and how its values are judged.

    Attributes:
        values: one judge per predicate, in the node's order (None: nothing to check).
        product: the node is a gs1:Product (its gtin and IRI are checked).
        gtins: the positions of its gs1:gtin values among its predicates.
        repeats: the positions of each predicate it has more than once.
    """

    values: tuple[_Values | None, ...]
    product: bool
    gtins: tuple[int, ...]
    repeats: tuple[tuple[int, ...], ...]


@dataclass(eq=False, slots=True)
class _Profile:
    """What a node's ``rdf:type`` terms decide (see :meth:`CleanCheck._profile`).

    Attributes:
        classes: its classes as the shapes see them (IRIs).
        rules: what the rules check on such a node.
        minimum / maximum: (predicate term, sh:minCount / sh:maxCount) of its shapes.
        predicates: predicate term -> what :meth:`CleanCheck._decide` said about it.
    """

    classes: frozenset[str]
    rules: RulePlan
    minimum: tuple[tuple[str, int], ...]
    maximum: tuple[tuple[str, int], ...]
    predicates: dict[str, tuple[bool, _Values | None]]


class CleanCheck:
    """The "no finding at all" test for one compiled shapes set and term index."""

    def __init__(self, shapes: Shapes, index: TermIndex) -> None:
        self._shapes = shapes
        self._index = index
        # (type terms, predicates) -> plan, or None when the node has a finding
        self._plans: dict[tuple[tuple[str, ...], tuple[str, ...]], _SubjectPlan | None] = {}
        self._judges: dict[tuple[frozenset[str], str], _Values | None] = {}
        self._profiles: dict[tuple[str, ...], _Profile | None] = {}

    def gtin_if_clean(self, text: str) -> tuple[bool, str | None]:
        """(True, the document's gtin) when the full checks would find nothing, else (False, None).

        ``text`` is pyoxigraph's N-Triples output, read the way
        :func:`~gs1ld.validation.rdf.parse_ntriples` reads it; the gtin is the
        first gs1:gtin value, as the report takes it. Duplicate lines are not
        dropped first (that costs every document): a node stating a line twice
        is left to the full checks, which drop it.
        Objects are kept as they end their line (`` .`` included) until a
        verdict has to be computed: cutting each costs more than it saves.
        """
        lines = text.splitlines()
        # node -> (its predicates, their objects, its rdf:type objects), in line order;
        # an empty line fails to split: the full checks then read the text
        nodes: dict[str, tuple[list[str], list[str], list[str]]] = {}
        for line in lines:
            subject, predicate, rest = line.split(" ", 2)
            entry = nodes.get(subject)
            if entry is None:
                entry = nodes[subject] = ([], [], [])
            if predicate == _TYPE:
                entry[2].append(rest)
            else:
                entry[0].append(predicate)
                entry[1].append(rest)
        plans = self._plans
        gtin_nodes = 0
        gtin: str | None = None
        for subject, (predicates, objects, type_terms) in nodes.items():
            key = (tuple(type_terms), tuple(predicates))
            plan = plans.get(key, _MISSING)
            if plan is _MISSING:
                plan = self._plan(*key)
                if len(plans) > _CACHE_LIMIT:
                    plans.clear()
                plans[key] = plan
            if plan is None:
                return False, None
            for same in plan.repeats:  # a line stated twice: the full checks count it once
                if len({objects[i] for i in same}) != len(same):
                    return False, None
            for judge, rest in zip(plan.values, objects):  # noqa: B905 (same length)
                if judge is None:
                    continue
                if rest[0] == '"':
                    if (rest if judge.lexical else rest[rest.rindex('"') :]) in judge.literals:
                        continue
                    if not self._literal_miss(judge, rest):
                        return False, None
                    continue
                if judge.typed:
                    node = nodes.get(rest[:-2])
                    value_types = tuple(node[2]) if node is not None else ()
                else:
                    value_types = ()
                if rest[0] == "<":
                    keep = judge.iri or (judge.codes and rest.startswith(_GS1_IRI))
                    name = rest if keep else "<"
                else:
                    name = rest if judge.blank else "_"
                if (name, value_types) in judge.nodes:
                    continue
                if not self._node_miss(judge, rest, name, value_types):
                    return False, None
            if plan.gtins:
                gtin_nodes += 1
                gtin = objects[plan.gtins[0]][:-2]
                if plan.product and not self._clean_product(subject, plan, objects):
                    return False, None
        if gtin_nodes > 1:  # the first gtin line of the document, whichever node it is on
            gtin = next(line for line in lines if line.split(" ", 2)[1] == _GTIN)
            gtin = gtin.split(" ", 2)[2][:-2]
        if gtin is not None and gtin[0] == '"':
            gtin = literal_parts(gtin)[0]
        return True, gtin

    def _literal_miss(self, judge: _Values, rest: str) -> bool:
        """Judge a literal no cached verdict covers; remember it if clean.

        ``rest`` is the end of its line: the literal and `` .``.
        """
        if not self._clean_value(judge, rest[:-2], ()):
            return False
        if len(judge.literals) > _CACHE_LIMIT:
            judge.literals.clear()
        judge.literals.add(rest if judge.lexical else rest[rest.rindex('"') :])
        return True

    def _node_miss(
        self, judge: _Values, rest: str, name: str, value_types: tuple[str, ...]
    ) -> bool:
        """Judge a node value no cached verdict covers; remember it if clean."""
        if not self._clean_value(judge, rest[:-2], tuple(t[:-2] for t in value_types)):
            return False
        if len(judge.nodes) > _CACHE_LIMIT:
            judge.nodes.clear()
        judge.nodes.add((name, value_types))
        return True

    def _plan(
        self, type_terms: tuple[str, ...], predicates: tuple[str, ...]
    ) -> _SubjectPlan | None:
        """The plan of a node with these type terms and predicates; None if it has a finding.

        Type terms and predicates are as they stand in the N-Triples lines (the
        type terms with their `` .``). What the type terms decide, and what each
        predicate decides for them, are cached on their own
        (:meth:`_profile`), so a node with a new mix of properties costs a few
        look-ups; the counts are the shapes' sh:minCount and sh:maxCount.
        """
        profile = self._profiles.get(type_terms, _MISSING)
        if profile is _MISSING:
            profile = self._profile(type_terms)
            if len(self._profiles) > _CACHE_LIMIT:
                self._profiles.clear()
            self._profiles[type_terms] = profile
        if profile is None:
            return None
        decided = profile.predicates
        values: list[_Values | None] = []
        for predicate in predicates:
            decision = decided.get(predicate)
            if decision is None:
                decision = self._decide(profile, predicate)
                if len(decided) > _CACHE_LIMIT:
                    decided.clear()
                decided[predicate] = decision
            if not decision[0]:
                return None
            values.append(decision[1])
        counts = Counter(predicates)
        for predicate, least in profile.minimum:
            if counts.get(predicate, 0) < least:
                return None
        for predicate, most in profile.maximum:
            if counts.get(predicate, 0) > most:
                return None
        gtins: tuple[int, ...] = ()
        if _GTIN in counts:
            gtins = tuple(i for i, predicate in enumerate(predicates) if predicate == _GTIN)
        repeats: tuple[tuple[int, ...], ...] = ()
        if len(counts) != len(predicates):
            positions: dict[str, list[int]] = {}
            for i, predicate in enumerate(predicates):
                positions.setdefault(predicate, []).append(i)
            repeats = tuple(tuple(found) for found in positions.values() if len(found) > 1)
        return _SubjectPlan(tuple(values), profile.rules.product, gtins, repeats)

    def _profile(self, type_terms: tuple[str, ...]) -> _Profile | None:
        """What a node's ``rdf:type`` terms decide; None if they make a finding.

        The rules' plan for its types (whose ``vocabulary`` check of each class
        must pass), the classes the shapes see, and the sh:minCount and
        sh:maxCount of the shapes' plan for those classes.
        """
        if len(set(type_terms)) != len(type_terms):  # a type line stated twice
            return None
        type_terms = tuple(term[:-2] for term in type_terms)
        rules = rule_plan(frozenset(node_name(term) for term in type_terms), self._index)
        if rules.type_problems:
            return None
        classes = frozenset(term[1:-1] for term in type_terms if term[0] == "<")
        shape_plan = self._shapes.plan(classes) if classes else None
        minimum: tuple[tuple[str, int], ...] = ()
        maximum: list[tuple[str, int]] = []
        if shape_plan is not None:
            minimum = tuple((f"<{shape.path}>", shape.min_count) for shape in shape_plan.required)
            for path, shapes in shape_plan.by_path.items():
                maximum.extend(
                    (f"<{path}>", shape.max_count)
                    for shape in shapes
                    if shape.max_count is not None
                )
        return _Profile(classes, rules, minimum, tuple(maximum), {})

    def _decide(self, profile: _Profile, predicate: str) -> tuple[bool, _Values | None]:
        """(no finding from the predicate itself, the judge of its values) on such a node.

        The rules' ``vocabulary`` check of the predicate and its ``domain`` check.
        """
        if predicate == _SUBCLASS:  # the shapes then infer classes: not cached here
            return False, None
        rules = profile.rules.predicate(predicate[1:-1])
        if rules.problem or rules.domain is not None:
            return False, None
        return True, self._judge(profile.classes, predicate, rules)

    def _judge(
        self, classes: frozenset[str], predicate: str, rules: PredicateRules
    ) -> _Values | None:
        """The judge of ``predicate``'s values on nodes of these classes (cached).

        ``rules`` are the rules' decisions about the predicate; those the judge
        keeps (the property, and what its values' verdicts depend on) are the
        same for every class set.
        """
        key = (classes, predicate)
        if key in self._judges:
            return self._judges[key]
        shape_plan = self._shapes.plan(classes) if classes else None
        shapes = shape_plan.by_path.get(predicate[1:-1], ()) if shape_plan is not None else ()
        judge = None
        if shapes or rules.prop is not None:
            judge = _Values(
                shapes=shapes,
                prop=rules.prop,
                lexical=rules.lexical
                or any(
                    s.members is not None
                    or s.pattern is not None
                    or s.low is not None
                    or s.high is not None
                    or s.datatype in _LEXICAL_CHECKED
                    for s in shapes
                ),
                iri=any(s.members is not None or s.pattern is not None for s in shapes),
                blank=any(m[0] == "_" for s in shapes for m in s.members or ()),
                codes=rules.codes,
                typed=any(s.class_ is not None for s in shapes) or rules.typed,
            )
        if len(self._judges) > _CACHE_LIMIT:
            self._judges.clear()
        self._judges[key] = judge
        return judge

    def _clean_value(self, judge: _Values, term: str, value_types: tuple[str, ...]) -> bool:
        """True when neither the shapes nor the rules report this value of the property.

        ``value_types`` are the ``rdf:type`` terms of the value when it is a node.
        """
        shapes = self._shapes
        for shape in judge.shapes:
            if shapes.value_failures(shape, term):
                return False
            if shape.class_ is not None and (
                term[0] == '"' or f"<{shape.class_}>" not in value_types
            ):
                return False
        if judge.prop is None:
            return True
        index = self._index
        types = {}
        if value_types and term[0] != '"':
            names = frozenset(node_name(t) for t in value_types)
            types[node_name(term)] = rule_plan(names, index).types
        return not value_findings("", judge.prop, term, types, index)

    def _clean_product(self, subject: str, plan: _SubjectPlan, objects: list[str]) -> bool:
        """True when the rules find nothing wrong with a product's gtin and IRI."""
        gtins = [objects[i][:-2] for i in plan.gtins]
        values = [literal_parts(o)[0] if o[0] == '"' else node_name(o) for o in gtins]
        return product_finding(node_name(subject), values) is None
