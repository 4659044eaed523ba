"""Checks of what a GS1 document says, not only how: facts that contradict each other.

The shapes and :mod:`gs1ld.validation.rules` check form (terms, types, ranges).
These rules read any GS1 Web Vocabulary document, from gs1ld or any other tool,
for statements that cannot all be true. Each finding names its rule:

* ``allergen-free-and-contains`` — the same allergen code FREE_FROM and CONTAINS
  (or MAY_CONTAIN) on one product.
* ``vegan-with-animal-allergen`` — a VEGAN diet type beside milk, egg, fish,
  crustaceans or molluscs contained.
* ``active-certificate-ended`` — a certificate declared ACTIVE whose end date is
  before the reference day (only when a day is given: ``gs1ld validate --today``).
* ``serving-basis-missing`` — nutrients given BY_SERVING with no
  ``gs1:nutrientBasisQuantity`` to say what a serving is.
* ``nutrient-value-without-unit`` — a nutrient amount with no ``gs1:unitCode``.
* ``empty-file-url`` — a ``gs1:referencedFileURL`` that is empty.
* ``claim-broken-by-nutrient`` — a claim code (``gs1:nutritionalClaim``,
  ``gs1:packagingMarkedFreeFrom``) beside the product's own nutrient value that breaks
  the claim's condition (``mappings/claim-conditions.csv``: low fat with 7 g of fat per
  serving). A per-100 g/ml document is read against the EU conditions and a per-serving
  one against the US conditions (``claim-regulations.csv``, BY_MEASURE / BY_SERVING);
  a value that is missing leaves the claim unchecked.

>>> from datetime import date
>>> G = "https://ref.gs1.org/voc/"
>>> triples = [("_:c", G + "certificationStatus", f"<{G}CertificationStatus-ACTIVE>"),
...     ("_:c", G + "certificationEndDate",
...      '"2025-01-31"^^<http://www.w3.org/2001/XMLSchema#date>')]
>>> [f.rule for f in meaning_findings(triples, today=date(2026, 1, 1))]
['active-certificate-ended']
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Literal

from gs1ld.claim_conditions import Amount, Panel, nutrient_breaches
from gs1ld.claim_rules import bundled_rules
from gs1ld.validation.rdf import Triple, literal_parts
from gs1ld.validation.rules import Finding

__all__ = ["MEANING_RULES", "meaning_findings", "might_have_meaning_findings"]

_GS1 = "https://ref.gs1.org/voc/"
_ALLERGEN = _GS1 + "AllergenTypeCode-"
_LEVEL = _GS1 + "LevelOfContainmentCode-"
# Animal allergens a vegan product cannot contain: milk, egg, fish, crustaceans, molluscs
# (and any code of a species under them that GS1 lists as a derivative).
_ANIMAL = frozenset({"AM", "GOM", "AE", "AF", "AC", "UM"})
MEANING_RULES = (
    "allergen-free-and-contains",
    "vegan-with-animal-allergen",
    "active-certificate-ended",
    "serving-basis-missing",
    "nutrient-value-without-unit",
    "empty-file-url",
    "claim-broken-by-nutrient",
)
_MARKERS = (
    "LevelOfContainmentCode-FREE_FROM",
    "DietTypeCode-VEGAN",
    "CertificationStatus-ACTIVE",
    "NutrientBasisQuantityCode-BY_SERVING",
    "referencedFileURL",
    "PerNutrientBasis",
)


_HAS_ALLERGEN = _GS1 + "hasAllergen"
_DIET_CODE = _GS1 + "dietCode"
_NUTRITION_SUFFIXES = ("PerNutrientBasis", "nutrientBasisQuantityType")
_CLAIM_PROPERTIES = ("nutritionalClaim", "packagingMarkedFreeFrom")
_BASIS_TYPE = _GS1 + "NutrientBasisQuantityCode-"
_TO_GRAMS_OR_ML = {"GRM": 1.0, "KGM": 1000.0, "MGM": 0.001, "MLT": 1.0, "CLT": 10.0}
_TO_GRAMS_OR_ML |= {"DLT": 100.0, "LTR": 1000.0}
_VOLUMES = frozenset({"MLT", "CLT", "DLT", "LTR"})
"""The properties the nutrition rules read: a subject with none of them cannot fail them."""


def might_have_meaning_findings(ntriples: str) -> bool:
    """False when no rule here can fire on this N-Triples text (a cheap pre-check)."""
    return any(marker in ntriples for marker in _MARKERS)


def _iri(term: str) -> str:
    return term[1:-1] if term.startswith("<") else term


def meaning_findings(triples: Iterable[Triple], *, today: date | None = None) -> list[Finding]:
    """Every finding of the meaning rules over one document's triples.

    Args:
        triples: the document's triples (see :mod:`gs1ld.validation.rdf`).
        today: the reference day for ``active-certificate-ended``; None skips that rule.
    """
    out: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for s, p, o in triples:
        out[s][p].append(o)
    findings: list[Finding] = []
    for subject, props in out.items():
        if _HAS_ALLERGEN in props or _DIET_CODE in props:
            findings.extend(_allergen_findings(subject, props, out))
        if any(prop.endswith(_NUTRITION_SUFFIXES) for prop in props):
            findings.extend(_nutrition_findings(subject, props, out))
            findings.extend(_claim_findings(subject, props, out))
        if today is not None:
            findings.extend(_certificate_findings(subject, props, today))
        for url in props.get(_GS1 + "referencedFileURL", []):
            if url.startswith('"') and not literal_parts(url)[0].strip():
                findings.append(
                    Finding(
                        subject,
                        "gs1:referencedFileURL",
                        "gs1:referencedFileURL is empty: a file reference needs the file's URL",
                        "empty-file-url",
                        value="",
                    )
                )
    return findings


def _allergen_findings(
    subject: str, props: dict[str, list[str]], nodes: dict[str, dict[str, list[str]]]
) -> list[Finding]:
    levels: dict[str, set[str]] = defaultdict(set)
    for node in props.get(_GS1 + "hasAllergen", []):
        detail = nodes.get(_iri(node), {})
        for kind in detail.get(_GS1 + "allergenType", []):
            for level in detail.get(_GS1 + "allergenLevelOfContainmentCode", []):
                code = _iri(kind).removeprefix(_ALLERGEN)
                levels[code].add(_iri(level).removeprefix(_LEVEL))
    found = []
    for code, present in sorted(levels.items()):
        if "FREE_FROM" in present and present & {"CONTAINS", "MAY_CONTAIN"}:
            other = "CONTAINS" if "CONTAINS" in present else "MAY_CONTAIN"
            found.append(
                Finding(
                    subject,
                    "gs1:hasAllergen",
                    f"gs1:AllergenTypeCode-{code} is declared both FREE_FROM and {other}",
                    "allergen-free-and-contains",
                    value=f"gs1:AllergenTypeCode-{code}",
                )
            )
    diets = {
        _iri(t)
        for node in props.get(_GS1 + "dietCode", [])
        for t in nodes.get(_iri(node), {}).get(_GS1 + "dietType", [])
    }
    if _GS1 + "DietTypeCode-VEGAN" in diets:
        animal = sorted(
            c for c, present in levels.items() if c in _ANIMAL and "CONTAINS" in present
        )
        if animal:
            found.append(
                Finding(
                    subject,
                    "gs1:dietCode",
                    "gs1:DietTypeCode-VEGAN beside contained animal allergen(s) "
                    + ", ".join(f"gs1:AllergenTypeCode-{c}" for c in animal),
                    "vegan-with-animal-allergen",
                    value="gs1:DietTypeCode-VEGAN",
                )
            )
    return found


def _nutrition_findings(
    subject: str, props: dict[str, list[str]], nodes: dict[str, dict[str, list[str]]]
) -> list[Finding]:
    found = []
    kinds = {_iri(t) for t in props.get(_GS1 + "nutrientBasisQuantityType", [])}
    if _GS1 + "NutrientBasisQuantityCode-BY_SERVING" in kinds and not props.get(
        _GS1 + "nutrientBasisQuantity"
    ):
        found.append(
            Finding(
                subject,
                "gs1:nutrientBasisQuantityType",
                "nutrients are given BY_SERVING but gs1:nutrientBasisQuantity does not say "
                "what a serving is",
                "serving-basis-missing",
                value="gs1:NutrientBasisQuantityCode-BY_SERVING",
            )
        )
    for prop, values in props.items():
        if not (prop.startswith(_GS1) and prop.endswith("PerNutrientBasis")):
            continue
        for value in values:
            measurement = nodes.get(_iri(value), {})
            if measurement.get(_GS1 + "value") and not measurement.get(_GS1 + "unitCode"):
                found.append(
                    Finding(
                        _iri(value),
                        "gs1:unitCode",
                        f"the gs1:{prop.removeprefix(_GS1)} amount has no gs1:unitCode",
                        "nutrient-value-without-unit",
                    )
                )
    return found


def _certificate_findings(subject: str, props: dict[str, list[str]], today: date) -> list[Finding]:
    if _GS1 + "CertificationStatus-ACTIVE" not in {
        _iri(s) for s in props.get(_GS1 + "certificationStatus", [])
    }:
        return []
    found = []
    for end in props.get(_GS1 + "certificationEndDate", []):
        try:
            ended = date.fromisoformat(literal_parts(end)[0]) < today
        except ValueError:
            continue  # an ill-typed date is the datatype rule's finding
        if ended:
            found.append(
                Finding(
                    subject,
                    "gs1:certificationStatus",
                    f"certificate is ACTIVE but its gs1:certificationEndDate "
                    f"{literal_parts(end)[0]} is before {today.isoformat()}",
                    "active-certificate-ended",
                    value="gs1:CertificationStatus-ACTIVE",
                )
            )
    return found


def _number(term: str) -> float | None:
    try:
        return float(literal_parts(term)[0]) if term.startswith('"') else None
    except ValueError:
        return None  # an ill-typed number is the datatype rule's finding


def _panel(
    props: dict[str, list[str]], nodes: dict[str, dict[str, list[str]]]
) -> tuple[Panel, str] | None:
    """The document's nutrient values on its basis, and the basis code; None without one."""
    kinds = {
        _iri(t).removeprefix(_BASIS_TYPE) for t in props.get(_GS1 + "nutrientBasisQuantityType", [])
    }
    if len(kinds) != 1 or not kinds <= {"BY_MEASURE", "BY_SERVING"}:
        return None
    (kind,) = kinds
    scale, liquid = 1.0, None
    for node in props.get(_GS1 + "nutrientBasisQuantity", [])[:1]:
        quantity = nodes.get(_iri(node), {})
        size = next((_number(v) for v in quantity.get(_GS1 + "value", [])), None)
        unit = next((literal_parts(u)[0] for u in quantity.get(_GS1 + "unitCode", [])), "")
        if kind == "BY_MEASURE" and size and unit in _TO_GRAMS_OR_ML:
            scale = 100 / (size * _TO_GRAMS_OR_ML[unit])  # figures per 100 g or 100 ml
            liquid = unit in _VOLUMES
    amounts: dict[str, list[Amount]] = {}
    for prop, values in props.items():
        if not (prop.startswith(_GS1) and prop.endswith("PerNutrientBasis")):
            continue
        for value in values:
            measurement = nodes.get(_iri(value), {})
            number = next((_number(v) for v in measurement.get(_GS1 + "value", [])), None)
            unit = next((literal_parts(u)[0] for u in measurement.get(_GS1 + "unitCode", [])), "")
            if number is not None and unit:
                curie = "gs1:" + prop.removeprefix(_GS1)
                amounts.setdefault(curie, []).append(Amount(number * scale, unit))
    basis: Literal["measure", "serving"] = "measure" if kind == "BY_MEASURE" else "serving"
    panel = Panel({k: tuple(v) for k, v in amounts.items()}, basis, liquid)
    return panel, kind


def _claim_findings(
    subject: str, props: dict[str, list[str]], nodes: dict[str, dict[str, list[str]]]
) -> list[Finding]:
    claims = sorted(
        (prop, _iri(value))
        for name in _CLAIM_PROPERTIES
        for prop in (_GS1 + name,)
        for value in props.get(prop, [])
        if _iri(value).startswith(_GS1)
    )
    if not claims:
        return []
    read = _panel(props, nodes)
    if read is None:
        return []
    panel, kind = read
    rules = bundled_rules()
    regulation = rules.regulations.get(kind)
    if regulation is None:
        return []
    found = []
    for prop, claim in claims:
        curie = "gs1:" + claim.removeprefix(_GS1)
        for breach in nutrient_breaches(curie, panel, rules, regulation):
            found.append(
                Finding(
                    subject,
                    "gs1:" + prop.removeprefix(_GS1),
                    f"{curie} is broken by the product's own nutrient values: {breach.describe()}",
                    "claim-broken-by-nutrient",
                    value=curie,
                )
            )
    return found
