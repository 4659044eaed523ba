"""gs1ld's own checks on one document's triples, beside the SHACL shapes.

The shapes (:mod:`gs1ld.validation.shapes`) check the node types gs1ld emits.
These rules cover what SHACL core cannot say, and any GS1 document from any
tool, whatever classes and properties it uses. Each check is named after the
rule it enforces (the name is reported in parentheses):

* ``vocabulary`` — every gs1: class and property exists in v1.17 and is not
  deprecated; old-namespace terms get the fix, misspelt ones a suggestion.
* ``domain`` — the subject of a gs1: property has a type in its domain.
* ``datatype`` / ``language`` — literals match xsd:* and rdf:langString ranges.
* ``code-list`` — code values are current members of the range's code list.
* ``gtin`` — a product's gs1:gtin has a valid check digit (how many gtins and
  their 14 digits are the shapes' job: sh:minCount, sh:maxCount, sh:pattern).
* ``digital-link-id`` — a product's IRI is the Digital Link URI of its GTIN
  (a Warning when it is some other IRI, as documents from other tools may use).
* ``range`` — percentages within 0-100, nutrient values not negative.

When a shape already reports a (focus node, property), the ``datatype``,
``language``, ``code-list`` and ``range`` findings for it are left out
(:data:`COVERED_BY_SHAPES`): one problem, one line.

What the rules check on a node depends on its classes, so they are planned
once per set of classes (:func:`rule_plan`): the full checks
(:func:`check_triples`) and the cached fast path
(:class:`~gs1ld.validation._clean.CleanCheck`) both ask the plan, and judge
values with :func:`value_findings` and products with :func:`product_finding`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from gs1ld.gtin import check_digit, check_digit_message
from gs1ld.validation.rdf import RDF_TYPE, XSD, Triple, literal_parts, node_name
from gs1ld.validation.terms import GS1, OLD_NAMESPACES, Property, TermIndex

__all__ = [
    "COVERED_BY_SHAPES",
    "Finding",
    "PredicateRules",
    "RulePlan",
    "check_triples",
    "code_message",
    "product_finding",
    "rule_plan",
    "value_findings",
]

COVERED_BY_SHAPES = frozenset({"datatype", "language", "code-list", "range"})
_FOURTEEN_DIGITS = re.compile(r"[0-9]{14}")
_DL_GTIN = re.compile(r"https?://[^/?#]+(?:/[^?#]*?)?/01/(\d+)(?:/[^?#]*)?(?:[?#].*)?")
_PERCENTAGES = frozenset({"gs1:ingredientContentPercentage", "gs1:organicPercentClaim"})
_NON_NEGATIVE = frozenset({"gs1:value", "gs1:dailyValueIntakePercent"})

Severity = Literal["Violation", "Warning"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One broken rule.

    Attributes:
        focus: the node the rule is about (an IRI or ``_:`` blank node).
        path: the property (CURIE), or ``@type`` / ``@id``.
        message: what is wrong, quoting the value.
        rule: the rule's name (see the module docstring), or the SHACL constraint
            component for a shape's finding (``sh:MinCountConstraintComponent``).
        severity: ``Violation`` changes the verdict; ``Warning`` is reported only.
        value: the offending value, when there is one.
        shape: the SHACL property shape that failed (``gs1sh:Product-gs1-gtin``), else None.
    """

    focus: str
    path: str
    message: str
    rule: str
    severity: Severity = "Violation"
    value: str | None = None
    shape: str | None = None


@lru_cache(maxsize=8192)
def _curie(iri: str) -> str:
    return "gs1:" + iri[len(GS1) :] if iri.startswith(GS1) else iri


def _old_namespace(iri: str) -> str | None:
    for old in OLD_NAMESPACES:
        if iri.startswith(old):
            return GS1 + iri[len(old) :]
    return None


@lru_cache(maxsize=8192)
def _term_problem(iri: str, index: TermIndex) -> tuple[str, str] | None:
    """(message, rule) when an IRI used as a class or property is not a current gs1: term."""
    fix = _old_namespace(iri)
    if fix is not None:
        return f"{iri} is in GS1's old namespace: use {fix}", "vocabulary"
    if not iri.startswith(GS1):
        return None
    name = _curie(iri)
    if not index.exists(name):
        hint = index.suggest(name)
        extra = f"; did you mean {hint}?" if hint else ""
        return f"{name} is not a term of the GS1 Web Vocabulary v1.17{extra}", "vocabulary"
    if name in index.deprecated:
        replacement = index.deprecated[name]
        instead = f": use {replacement}" if replacement else ""
        return f"{name} is deprecated{instead}", "vocabulary"
    return None


def _literal_problem(prop: str, obj: str, ranges: tuple[str, ...]) -> tuple[str, str] | None:
    is_literal = obj[0] == '"'
    for range_ in ranges:
        if range_ == "rdf:langString":
            if not is_literal or literal_parts(obj)[2] is None:
                return (f"{prop} needs a language-tagged string, got {_show(obj)}", "language")
        elif range_.startswith("xsd:"):
            wanted = XSD + range_[4:]
            if not is_literal:
                return f"{prop} needs an {range_} literal, got {_show(obj)}", "datatype"
            datatype = literal_parts(obj)[1]
            if datatype != wanted:
                return (
                    f"{prop} needs an {range_} literal, got {_show(obj)} "
                    f"typed {_curie(datatype).replace(XSD, 'xsd:')}",
                    "datatype",
                )
    return None


def _show(term: str) -> str:
    """A term for a message: a literal's lexical form quoted, a node by name."""
    if term[0] == '"':
        return repr(literal_parts(term)[0])
    return node_name(term)


def code_message(code: str, prop: str, wanted: str | None, index: TermIndex) -> str:
    """Why ``code`` (a CURIE) is not a current member of the code list ``prop`` takes.

    >>> from gs1ld.validation.terms import term_index
    >>> code_message("gs1:AllergenTypeCode-MILK", "gs1:allergenType", "gs1:AllergenTypeCode",
    ...              term_index())
    'gs1:AllergenTypeCode-MILK is deprecated: use gs1:AllergenTypeCode-AM'
    """
    code_list = index.codes.get(code)
    if code_list is None:
        return f"{code} is not a code of {wanted or 'the code list ' + prop + ' takes'}"
    if wanted is not None and wanted not in index.closure({code_list}):
        return f"{code} is a {code_list}, but {prop} takes a {wanted}"
    if code in index.deprecated:
        replacement = index.deprecated[code]
        return f"{code} is deprecated" + (f": use {replacement}" if replacement else "")
    return f"{code} is not one of the codes {prop} takes"


_Template = tuple[str, str, str, str | None]
"""A finding without its subject: (path, message, rule, value)."""
_VALUE_MEMO: dict[int, dict[tuple[str, str], tuple[_Template, ...]]] = {}
_PLANS: dict[int, dict[frozenset[str], RulePlan]] = {}
_MEMO_LIMIT = 200_000
_ANY = frozenset({"owl:Thing", "rdfs:Resource"})
_GS1_IRI = "<" + GS1


def _value_templates(prop: str, obj: str, index: TermIndex) -> tuple[_Template, ...]:
    """The findings about one value of ``prop`` that is not a blank node (memoised).

    Such a finding depends on the property and the value alone, and catalogs
    repeat both (codes, units, types), so each pair is judged once per process.
    """
    memo = _VALUE_MEMO.setdefault(id(index), {})
    key = (prop, obj)
    found = memo.get(key)
    if found is not None:
        return found
    spec = index.properties[prop]
    templates: list[_Template] = []
    if spec.link:
        if obj[0] != "<":
            templates.append(
                (prop, f"link type {prop} needs an IRI, got {_show(obj)}", "datatype", None)
            )
    else:
        literal = _literal_problem(prop, obj, spec.range)
        if literal:
            templates.append((prop, literal[0], literal[1], _show(obj)))
        else:
            templates.extend(
                (f.path, f.message, f.rule, f.value)
                for f in _object_findings("", prop, obj, spec.range, {}, index)
            )
    if len(memo) > _MEMO_LIMIT:
        memo.clear()
    result = memo[key] = tuple(templates)
    return result


@dataclass(frozen=True, slots=True)
class PredicateRules:
    """What the rules decide about one predicate on nodes of one set of classes.

    Attributes:
        name: the predicate as findings name it (a CURIE for a gs1: term, else its IRI).
        problem: the ``vocabulary`` (message, rule) about the predicate itself, else None.
        prop: the vocabulary property (CURIE) whose values the rules judge
            (:func:`value_findings`); None when they judge nothing.
        spec: its vocabulary entry.
        domain: the ``domain`` finding's message when nodes of these classes may
            not carry the property, else None.
        lexical: a literal value's verdict may depend on its lexical form (the
            ``range`` rule), not only on its datatype or language tag.
        codes: a gs1: IRI among its values is a code value, judged by the IRI.
        typed: a node value's verdict depends on the node's classes (the range
            has a gs1: class).
    """

    name: str
    problem: tuple[str, str] | None
    prop: str | None
    spec: Property | None
    domain: str | None
    lexical: bool
    codes: bool
    typed: bool


class RulePlan:
    """The rules' checks for nodes with one set of ``rdf:type`` values.

    Built by :func:`rule_plan`, once per set of types; what it decides about
    each predicate (:meth:`predicate`) is worked out on first use and kept.

    Attributes:
        types: the type values as the rules name them (CURIEs for gs1: terms).
        type_problems: type value (a node name) -> the ``vocabulary``
            (message, rule) about it; empty when every type is a current term.
        product: the node is a gs1:Product (:func:`product_finding` applies).
    """

    __slots__ = ("_index", "_predicates", "product", "type_problems", "types")

    def __init__(self, types: frozenset[str], index: TermIndex) -> None:
        self._index = index
        self.types = frozenset(_curie(name) for name in types)
        self.type_problems = {
            name: problem for name in types if (problem := _term_problem(name, index))
        }
        self.product = "gs1:Product" in index.closure(self.types)
        self._predicates: dict[str, PredicateRules] = {}

    def predicate(self, iri: str) -> PredicateRules:
        """What the rules decide about predicate ``iri`` on these nodes (memoised)."""
        found = self._predicates.get(iri)
        if found is None:
            found = self._decide(iri)
            if len(self._predicates) > _MEMO_LIMIT:
                self._predicates.clear()
            self._predicates[iri] = found
        return found

    def _decide(self, iri: str) -> PredicateRules:
        index = self._index
        name = _curie(iri)
        problem = _term_problem(iri, index)
        prop = name if not problem and iri.startswith(GS1) and name in index.properties else None
        spec = index.properties[prop] if prop is not None else None
        domain = None
        if prop is not None and spec is not None:
            allowed = spec.domain
            if allowed - _ANY and not index.closure(self.types) & allowed:
                shown = ", ".join(sorted(self.types)) or "no type"
                domain = f"{prop} is for {', '.join(sorted(allowed))}; the subject is typed {shown}"
        return PredicateRules(
            name=name,
            problem=problem,
            prop=prop,
            spec=spec,
            domain=domain,
            lexical=prop in _PERCENTAGES or prop in _NON_NEGATIVE,
            codes=spec is not None and not spec.link,
            typed=spec is not None
            and not spec.link
            and any(r.startswith("gs1:") for r in spec.range),
        )


def rule_plan(types: frozenset[str], index: TermIndex) -> RulePlan:
    """The rules' checks for a node with these ``rdf:type`` values (memoised per set).

    Args:
        types: the node's type values as node names (bare IRIs, ``_:`` labels),
            as :func:`~gs1ld.validation.rdf.node_name` gives them.
        index: the vocabulary's term index.
    """
    plans = _PLANS.setdefault(id(index), {})
    plan = plans.get(types)
    if plan is None:
        plan = RulePlan(types, index)
        if len(plans) > _MEMO_LIMIT:
            plans.clear()
        plans[types] = plan
    return plan


def value_findings(
    subject: str,
    prop: str,
    obj: str,
    types: Mapping[str, frozenset[str]],
    index: TermIndex,
) -> list[Finding]:
    """The findings about one value of vocabulary property ``prop``.

    Args:
        subject: the node carrying the value (reported as the focus).
        prop: a property of the vocabulary (:attr:`PredicateRules.prop`).
        obj: the value as an N-Triples term.
        types: node name -> its types as the rules name them
            (:attr:`RulePlan.types`), for a value that is a node of the document.
        index: the vocabulary's term index.
    """
    spec = index.properties[prop]
    if not spec.link and (obj[0] == "_" or (obj[0] == "<" and not obj.startswith(_GS1_IRI))):
        # a node of this document: whether it has the range's class depends on it
        literal = _literal_problem(prop, obj, spec.range)
        if literal:
            return [Finding(subject, prop, literal[0], literal[1], value=_show(obj))]
        return _object_findings(subject, prop, obj, spec.range, types, index)
    return [
        Finding(subject, path, message, rule, value=value)
        for path, message, rule, value in _value_templates(prop, obj, index)
    ]


def check_triples(triples: Iterable[Triple], index: TermIndex) -> list[Finding]:
    """Every finding of these rules for the triples of one document."""
    triples = list(triples)
    named: dict[str, set[str]] = defaultdict(set)
    for s, p, o in triples:
        if p == RDF_TYPE:
            named[s].add(node_name(o))
    plans = {subject: rule_plan(frozenset(names), index) for subject, names in named.items()}
    types = {subject: plan.types for subject, plan in plans.items()}
    untyped = rule_plan(frozenset(), index)
    findings: list[Finding] = []
    gtins: dict[str, list[str]] = defaultdict(list)

    for subject, predicate, o in triples:
        plan = plans.get(subject, untyped)
        if predicate == RDF_TYPE:
            type_problem = plan.type_problems.get(node_name(o))
            if type_problem:
                findings.append(
                    Finding(subject, "@type", type_problem[0], type_problem[1], value=node_name(o))
                )
            continue
        rules = plan.predicate(predicate)
        if rules.problem:
            findings.append(Finding(subject, rules.name, rules.problem[0], rules.problem[1]))
            continue
        prop = rules.prop
        if prop is None:
            continue
        if prop == "gs1:gtin":
            gtins[subject].append(literal_parts(o)[0] if o[0] == '"' else node_name(o))
        if rules.domain is not None:
            findings.append(Finding(subject, prop, rules.domain, "domain"))
        findings.extend(value_findings(subject, prop, o, types, index))
    for subject, plan in sorted(plans.items()):
        if plan.product:
            finding = product_finding(subject, gtins.get(subject, []))
            if finding is not None:
                findings.append(finding)
    return findings


def _object_findings(
    subject: str,
    prop: str,
    obj: str,
    ranges: tuple[str, ...],
    types: Mapping[str, frozenset[str]],
    index: TermIndex,
) -> list[Finding]:
    found: list[Finding] = []
    if obj[0] == '"':
        value = literal_parts(obj)[0]
        if prop in _PERCENTAGES or prop in _NON_NEGATIVE:
            try:
                number = float(value)
            except ValueError:
                return found
            if number < 0 or (prop in _PERCENTAGES and number > 100):
                limits = "0 to 100" if prop in _PERCENTAGES else "0 or more"
                found.append(
                    Finding(
                        subject, prop, f"{prop} must be {limits}, got {value}", "range", value=value
                    )
                )
        class_ranges = [r for r in ranges if r.startswith("gs1:")]
        if class_ranges:
            found.append(
                Finding(
                    subject,
                    prop,
                    f"{prop} needs a {class_ranges[0]} node or code, got the literal {value!r}",
                    "code-list",
                    value=value,
                )
            )
        return found
    class_ranges = [r for r in ranges if r.startswith("gs1:")]
    if not class_ranges:
        return found
    node = node_name(obj)
    if obj[0] == "<" and node.startswith(GS1):
        code = _curie(node)
        code_list = index.codes.get(code)
        if (
            code_list is None
            or not index.closure({code_list}) & set(class_ranges)
            or code in index.deprecated
        ):
            message = code_message(code, prop, class_ranges[0], index)
            found.append(Finding(subject, prop, message, "code-list", value=code))
        return found
    object_types = index.closure(types.get(node, frozenset()))
    if not object_types & set(class_ranges):
        found.append(
            Finding(
                subject,
                prop,
                f"{prop} needs a {class_ranges[0]}, got {node} typed "
                f"{', '.join(sorted(types.get(node, ()))) or 'nothing'}",
                "datatype",
            )
        )
    return found


def product_finding(subject: str, values: list[str]) -> Finding | None:
    """The ``gtin`` or ``digital-link-id`` finding for a product with these gtin values.

    Args:
        subject: the product node (bare IRI or ``_:`` blank node).
        values: its gs1:gtin values (lexical forms, or node names), in document order.
    """
    if len(values) != 1 or not _FOURTEEN_DIGITS.fullmatch(values[0]):
        return None  # the shapes report a missing, repeated or malformed gtin
    value = values[0]
    expected = check_digit(value[:-1])
    if expected != int(value[-1]):
        return Finding(
            subject,
            "gs1:gtin",
            check_digit_message("GTIN", value, expected, value[-1]),
            "gtin",
            value=value,
        )
    match = _DL_GTIN.fullmatch(subject)
    if match is None:
        return Finding(
            subject,
            "@id",
            f"the product's IRI is not a GS1 Digital Link URI for {value}",
            "digital-link-id",
            "Warning",
            subject,
        )
    if match.group(1) != value:
        return Finding(
            subject,
            "@id",
            f"the Digital Link URI is for GTIN {match.group(1)}, but gs1:gtin is {value}",
            "digital-link-id",
            value=subject,
        )
    return None
