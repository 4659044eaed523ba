#!/usr/bin/env python3
"""Write shapes/gs1-shapes.ttl, the SHACL shapes of every node type gs1ld's mapping emits.

Usage: python scripts/gen_shapes.py [GS1VOC_TTL] [OUTPUT] [EXTENSION_TTL]

GS1 publishes no SHACL shapes for the Web Vocabulary (MAPPING-NOTES section 7.3),
so gs1ld writes its own. Two parts meet here:

* ``SPEC`` below, written by hand: which node shapes exist, which class each
  targets, which properties each checks (the ones the mapping emits, seen by
  running it on the example and synthetic catalogs), and what the vocabulary
  cannot say: required properties (``min``), single values (``max``), lexical
  patterns and value ranges.
* Everything else comes from the vocabulary (``../shared/gs1/v1.17/gs1Voc.ttl``
  by default) and ``mappings/extension.ttl``:
  - a link type (``rdfs:subPropertyOf* gs1:linkType``) gets ``sh:nodeKind sh:IRI``,
    although the vocabulary gives link types an ``xsd:anyURI`` range (quirk 7.8):
    GS1 Digital Link links are resources, and the mapping emits ``{"@id": ...}``;
  - a code-list range (a subclass of ``gs1:TypeCode``; the code-list classes
    have no ``rdf:type``, quirk 7.9) gets ``sh:nodeKind sh:IRI`` and ``sh:in``
    with the exact current members: deprecated ones (``owl:deprecated`` holds
    the replacement, quirk 7.10) are left out, percent-encoded IRIs kept as is;
  - an ``xsd:*`` or ``rdf:langString`` range gets ``sh:datatype`` (a langString
    needs a language tag), whatever the property kind says (quirk 7.8:
    ObjectProperties with literal ranges, DatatypeProperties such as
    ``gs1:dietCode`` with class ranges);
  - another class range gets ``sh:class`` when the vocabulary has no subclass
    of it, else ``sh:nodeKind sh:BlankNodeOrIRI``: SHACL's instance test reads
    ``rdfs:subClassOf`` from the data graph, which documents do not carry, so
    ``sh:class gs1:QuantitativeValue`` would reject a ``gs1:NutritionMeasurementType``;
  - ``owl:FunctionalProperty`` gives ``sh:maxCount 1``;
  - for the same reason, a node shape targets its class and every vocabulary
    subclass of it (``gs1:Product`` shapes also check ``gs1:Beverage``...).

The GTIN check digit and the Digital Link ``@id`` cannot be said in SHACL core;
gs1ld's own rules (``gs1ld.validation.rules``) check them. The shapes use the
extension namespace of ``extension.ttl`` (``urn:gs1ld:voc:``); the validator
rebinds it to the namespace a document binds to the ``gs1ld`` prefix.

The output is deterministic and committed; a test regenerates it and compares.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import rdflib
from rdflib import OWL, RDF, RDFS, XSD

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_INPUT = ROOT.parent / "shared" / "gs1" / "v1.17" / "gs1Voc.ttl"
DEFAULT_OUTPUT = ROOT / "shapes" / "gs1-shapes.ttl"
DEFAULT_EXTENSION = ROOT / "mappings" / "extension.ttl"
GS1 = "https://ref.gs1.org/voc/"
GS1LD = "urn:gs1ld:voc:"
SCHEMA = "http://schema.org/"
SHAPES = "urn:gs1ld:shapes:"
STATUS = rdflib.URIRef("http://www.w3.org/2003/06/sw-vocab-status/ns#term_status")
PREFIXES = {
    "gs1": GS1,
    "gs1ld": GS1LD,
    "gs1sh": SHAPES,
    "rdf": str(RDF),
    "schema": SCHEMA,
    "sh": "http://www.w3.org/ns/shacl#",
    "xsd": str(XSD),
}


@dataclass(frozen=True)
class Prop:
    """What the hand-written spec says about one property of one node shape.

    Attributes:
        min: sh:minCount (a required property).
        max: sh:maxCount (None: the vocabulary's FunctionalProperty, else unbounded).
        pattern: sh:pattern on the lexical form.
        low: sh:minInclusive.
        high: sh:maxInclusive.
        datatype: sh:datatype for a property outside both vocabularies (schema:).
        iri: sh:nodeKind sh:IRI for a property outside both vocabularies.
    """

    min: int = 0
    max: int | None = None
    pattern: str | None = None
    low: int | None = None
    high: int | None = None
    datatype: str | None = None
    iri: bool = False


ONE = Prop(min=1, max=1)
LANG = Prop(datatype="rdf:langString")
LINK = Prop()
NON_NEGATIVE = Prop(max=1, low=0)

# Node shape name -> (target class, {property CURIE: Prop}). Link types sit on the
# product shape (their domain is owl:Thing, and every link the mapping emits is a
# product's); food-only properties (MAPPING-NOTES 7.7) on the food shape.
SPEC: dict[str, tuple[str, dict[str, Prop]]] = {
    "Product": (
        "gs1:Product",
        {
            "gs1:gtin": Prop(min=1, max=1, pattern="^[0-9]{14}$"),
            "gs1:productName": Prop(),
            "gs1:productDescription": Prop(),
            "gs1:brand": Prop(),
            "gs1:manufacturer": Prop(),
            "gs1:countryOfOrigin": Prop(),
            "gs1:netContent": Prop(),
            "gs1:image": Prop(),
            "gs1:certification": Prop(),
            "gs1:packagingMarkedLabelAccreditation": Prop(),
            "gs1:growingMethod": Prop(),
            "gs1:isProductRecalled": Prop(max=1),
            "gs1:regulatoryInformation": Prop(),
            "gs1:pip": LINK,
            "gs1:masterData": LINK,
            "gs1:certificationInfo": LINK,
            "gs1:ingredientsInfo": LINK,
            "gs1:allergenInfo": LINK,
            "gs1:nutritionalInfo": LINK,
            "gs1:relatedImage": LINK,
            "gs1:recallStatus": LINK,
            "gs1:sustainabilityInfo": LINK,
            "gs1:traceability": LINK,
            "gs1ld:ingredientStatement": Prop(),
            "gs1ld:claim": Prop(),
            "gs1ld:recall": Prop(),
            "gs1ld:circularity": Prop(max=1),
            "gs1ld:onFoodTraceabilityList": Prop(max=1),
            "gs1ld:containsFoodTraceabilityListSubstance": Prop(max=1),
            "gs1ld:foodTraceabilityListCategory": Prop(),
        },
    ),
    "FoodBeverageTobaccoProduct": (
        "gs1:FoodBeverageTobaccoProduct",
        {
            "gs1:allergenStatement": Prop(),
            "gs1:hasAllergen": Prop(),
            "gs1:ingredient": Prop(),
            "gs1:ingredientStatement": Prop(),
            "gs1:dietCode": Prop(),
            "gs1:nutritionalClaim": Prop(),
            "gs1:nutritionalClaimStatement": Prop(),
            "gs1:packagingMarkedFreeFrom": Prop(),
            "gs1:geneticallyModifiedDeclaration": Prop(max=1),
            "gs1:preservationTechnique": Prop(),
            "gs1:servingSize": Prop(),
            "gs1:servingSizeDescription": Prop(),
            "gs1:nutrientBasisQuantity": Prop(max=1),
            "gs1:nutrientBasisQuantityType": Prop(max=1),
            "gs1:numberOfServingsPerPackage": NON_NEGATIVE,
            "gs1ld:addedSugarsPerNutrientBasis": Prop(),
            "gs1ld:folateDFEPerNutrientBasis": Prop(),
            "gs1ld:vitaminARAEPerNutrientBasis": Prop(),
            "gs1ld:niacinNEPerNutrientBasis": Prop(),
            "gs1ld:vitaminEAlphaTEPerNutrientBasis": Prop(),
            # + every gs1:*PerNutrientBasis property of the vocabulary (added below)
        },
    ),
    "AllergenDetails": (
        "gs1:AllergenDetails",
        {"gs1:allergenType": ONE, "gs1:allergenLevelOfContainmentCode": Prop(max=1)},
    ),
    "CertificationDetails": (
        "gs1:CertificationDetails",
        {
            "gs1:certificationAgency": Prop(),
            "gs1:certificationStandard": Prop(),
            "gs1:certificationValue": Prop(),
            "gs1:certificationStatement": Prop(),
            "gs1:certificationIdentification": Prop(),
            "gs1:certificationStatus": Prop(max=1),
            "gs1:certificationStartDate": Prop(max=1),
            "gs1:certificationEndDate": Prop(max=1),
            "gs1:certificationAuditDate": Prop(max=1),
            "gs1:initialCertificationDate": Prop(max=1),
            "gs1:certificationURI": Prop(),
            "gs1ld:certificationCode": Prop(max=1),
            "gs1ld:verificationStatus": Prop(max=1),
            "gs1ld:certificateCountry": Prop(pattern="^[A-Z]{2}$"),
            "gs1ld:certificateExpiryDate": Prop(max=1),
            "gs1ld:assignmentExpirationDate": Prop(max=1),
            "schema:logo": Prop(iri=True),
            "schema:url": Prop(iri=True),
        },
    ),
    "FoodBeverageTobaccoIngredientDetails": (
        "gs1:FoodBeverageTobaccoIngredientDetails",
        {
            "gs1:ingredientName": Prop(min=1),
            "gs1:ingredientSequence": Prop(max=1),
            "gs1:ingredientContentPercentage": Prop(max=1, low=0, high=100),
            "gs1ld:ingredientOrigin": Prop(),
            "gs1ld:ingredientNote": Prop(),
        },
    ),
    "DietTypeCodeDetails": (
        "gs1:DietTypeCodeDetails",
        {"gs1:dietType": ONE, "gs1:dietTypeSubcode": Prop()},
    ),
    "ReferencedFileDetails": (
        "gs1:ReferencedFileDetails",
        {
            "gs1:referencedFileURL": ONE,
            "gs1:referencedFileType": Prop(max=1),
            "gs1:filePixelHeight": NON_NEGATIVE,
            "gs1:filePixelWidth": NON_NEGATIVE,
            "gs1ld:isPrimaryImage": Prop(max=1),
            "gs1ld:displayOrder": Prop(max=1),
            "schema:name": LANG,
            "schema:description": LANG,
            "schema:thumbnailUrl": Prop(iri=True),
            "schema:dateCreated": Prop(max=1, datatype="xsd:dateTime"),
        },
    ),
    "QuantitativeValue": (
        "gs1:QuantitativeValue",
        {
            "gs1:value": Prop(min=1, max=1, low=0),
            "gs1:unitCode": Prop(min=1, max=1, pattern="^[A-Z0-9]{2,3}$"),
        },
    ),
    "NutritionMeasurementType": (
        "gs1:NutritionMeasurementType",
        {
            # A nutrient row may state only its %DV (an FDA row in IU, which UN/ECE Rec 20
            # has no code for): the vocabulary requires neither value nor unit here.
            "gs1:value": Prop(max=1, low=0),
            "gs1:unitCode": Prop(max=1, pattern="^[A-Z0-9]{2,3}$"),
            "gs1:dailyValueIntakePercent": NON_NEGATIVE,
        },
    ),
    "RegulatoryInformation": (
        "gs1:RegulatoryInformation",
        {"gs1:regulationType": ONE, "gs1:regulatoryAct": Prop()},
    ),
    "Brand": ("gs1:Brand", {"gs1:brandName": Prop(min=1)}),
    "Organization": (
        "gs1:Organization",
        {
            "gs1:organizationName": Prop(),
            "gs1:globalLocationNumber": Prop(max=1, pattern="^[0-9]{13}$"),
        },
    ),
    "Country": ("gs1:Country", {"gs1:countryCode": ONE}),
    "Claim": (
        "gs1ld:Claim",
        {
            "gs1ld:claimCode": ONE,
            "gs1ld:claimCategory": Prop(max=1),
            "gs1ld:claimSource": Prop(max=1),
            "gs1ld:validFrom": Prop(max=1),
            "gs1ld:validThrough": Prop(max=1),
            "schema:name": LANG,
        },
    ),
    "Recall": (
        "gs1ld:Recall",
        {
            "gs1ld:hazard": Prop(),
            "gs1ld:remedy": Prop(),
            "gs1ld:recallingFirm": Prop(),
            "gs1ld:recallDate": Prop(max=1),
            "gs1ld:jurisdiction": Prop(),
            "schema:name": LANG,
            "schema:description": LANG,
            "schema:url": Prop(iri=True),
        },
    ),
    "CircularityAssessment": (
        "gs1ld:CircularityAssessment",
        {
            "gs1ld:overallScore": NON_NEGATIVE,
            "gs1ld:durabilityScore": NON_NEGATIVE,
            "gs1ld:recyclabilityScore": NON_NEGATIVE,
            "gs1ld:repairabilityScore": NON_NEGATIVE,
            "gs1ld:reusabilityScore": NON_NEGATIVE,
            "gs1ld:methodology": Prop(),
            "gs1ld:assessmentDate": Prop(max=1),
        },
    ),
}


def _iri(curie: str) -> rdflib.URIRef:
    prefix, _, local = curie.partition(":")
    return rdflib.URIRef(PREFIXES[prefix] + local)


def _curie(node: rdflib.term.Node) -> str:
    text = str(node)
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
        if text.startswith(namespace):
            local = text[len(namespace) :]
            if local and all(c.isalnum() or c in "_-" for c in local):
                return f"{prefix}:{local}"
    return f"<{text}>"


class Vocabulary:
    """The look-ups the generator needs over the GS1 vocabulary plus the extension."""

    def __init__(self, graph: rdflib.Graph) -> None:
        self.graph = graph
        self.link_types = set(
            graph.transitive_subjects(RDFS.subPropertyOf, rdflib.URIRef(GS1 + "linkType"))
        )
        self.type_code = rdflib.URIRef(GS1 + "TypeCode")

    def subclasses(self, cls: rdflib.URIRef) -> list[rdflib.URIRef]:
        """``cls`` and its subclasses, sorted."""
        found = self.graph.transitive_subjects(RDFS.subClassOf, cls)
        return sorted({c for c in found if isinstance(c, rdflib.URIRef)}, key=str)

    def is_code_list(self, cls: rdflib.URIRef) -> bool:
        """True for a subclass of gs1:TypeCode."""
        return self.type_code in set(self.graph.transitive_objects(cls, RDFS.subClassOf)) - {cls}

    def deprecated(self, term: rdflib.URIRef) -> bool:
        """True when the vocabulary deprecates ``term`` (either way it says so)."""
        value = self.graph.value(term, OWL.deprecated)
        if value is not None and value != rdflib.Literal(False):
            return True
        return str(self.graph.value(term, STATUS) or "") == "deprecated"

    def codes(self, code_list: rdflib.URIRef) -> list[rdflib.URIRef]:
        """The current (non-deprecated) members of a code list, sorted."""
        members = self.graph.subjects(RDF.type, code_list)
        return sorted(
            (m for m in members if isinstance(m, rdflib.URIRef) and not self.deprecated(m)),
            key=str,
        )

    def range(self, prop: rdflib.URIRef) -> rdflib.URIRef:
        """The property's single range (the generator refuses ambiguous ones)."""
        ranges = [r for r in self.graph.objects(prop, RDFS.range) if isinstance(r, rdflib.URIRef)]
        if len(ranges) != 1:
            raise SystemExit(f"{_curie(prop)}: expected one rdfs:range, got {ranges}")
        return ranges[0]


def _literal(value: int | str) -> str:
    if isinstance(value, int):
        return str(value)
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _property_lines(vocab: Vocabulary, curie: str, spec: Prop) -> list[str]:
    prop = _iri(curie)
    lines = [f"sh:path {curie}"]
    if spec.min:
        lines.append(f"sh:minCount {spec.min}")
    functional = (prop, RDF.type, OWL.FunctionalProperty) in vocab.graph
    maximum = spec.max if spec.max is not None else (1 if functional else None)
    if maximum is not None:
        lines.append(f"sh:maxCount {maximum}")
    if spec.datatype or spec.iri:
        if not curie.startswith("schema:"):
            raise SystemExit(f"{curie}: datatype/iri overrides are for schema: properties")
        lines.append(f"sh:datatype {spec.datatype}" if spec.datatype else "sh:nodeKind sh:IRI")
    elif prop in vocab.link_types:
        lines.append("sh:nodeKind sh:IRI")
    else:
        range_ = vocab.range(prop)
        if str(range_).startswith((str(XSD), str(RDF))):
            lines.append(f"sh:datatype {_curie(range_)}")
        elif vocab.is_code_list(range_):
            codes = vocab.codes(range_)
            if not codes:
                raise SystemExit(f"{curie}: code list {_curie(range_)} has no current member")
            members = "\n".join(f"        <{code}>" for code in codes)
            lines.append("sh:nodeKind sh:IRI")
            lines.append(f"sh:in (\n{members}\n    )")
        elif len(vocab.subclasses(range_)) == 1:
            lines.append(f"sh:class {_curie(range_)}")
        else:
            lines.append("sh:nodeKind sh:BlankNodeOrIRI")
    if spec.pattern is not None:
        lines.append(f"sh:pattern {_literal(spec.pattern)}")
    if spec.low is not None:
        lines.append(f"sh:minInclusive {spec.low}")
    if spec.high is not None:
        lines.append(f"sh:maxInclusive {spec.high}")
    return lines


def _spec_with_nutrients(vocab: Vocabulary) -> dict[str, tuple[str, dict[str, Prop]]]:
    """SPEC plus every *PerNutrientBasis property of the vocabulary on the food shape."""
    spec = {name: (target, dict(props)) for name, (target, props) in SPEC.items()}
    food = spec["FoodBeverageTobaccoProduct"][1]
    for prop in sorted(set(vocab.graph.subjects(RDF.type, None)), key=str):
        name = str(prop)
        if name.startswith(GS1) and name.endswith("PerNutrientBasis"):
            food.setdefault(_curie(prop), Prop())
    return spec


OWN_SHAPE_ONLY = frozenset({"gs1:NutritionMeasurementType"})
"""Subclasses their parent's node shape does not target (they have their own)."""


def build(graph: rdflib.Graph) -> str:
    """The shapes graph as Turtle text."""
    vocab = Vocabulary(graph)
    out = [
        "# SHACL shapes for the JSON-LD gs1ld emits. GENERATED by scripts/gen_shapes.py from",
        "# GS1 Web Vocabulary v1.17 (https://ref.gs1.org/voc/, (c) GS1 AISBL, Apache-2.0),",
        "# mappings/extension.ttl and the script's hand-written spec: do not edit by hand.",
        "# Not expressible here, so checked by gs1ld's own rules: the GTIN check digit and the",
        "# product @id being the GS1 Digital Link URI of its gs1:gtin.",
    ]
    out += [f"@prefix {prefix}: <{iri}> ." for prefix, iri in sorted(PREFIXES.items())]
    spec = _spec_with_nutrients(vocab)
    for name, (target, props) in spec.items():
        # gs1:NutritionMeasurementType is checked by its own shape only: it relaxes
        # gs1:QuantitativeValue's required value and unit (a %DV-only nutrient row)
        targets = ", ".join(
            _curie(c)
            for c in vocab.subclasses(_iri(target))
            if c == _iri(target) or _curie(c) not in OWN_SHAPE_ONLY
        )
        shape_names = [f"gs1sh:{name}-{curie.replace(':', '-')}" for curie in props]
        out.append("")
        out.append(f"gs1sh:{name} a sh:NodeShape ;")
        out.append(f"    sh:targetClass {targets} ;")
        out.append("    sh:property\n        " + ",\n        ".join(shape_names) + " .")
        for shape_name, (curie, spec) in zip(shape_names, props.items(), strict=True):
            lines = _property_lines(vocab, curie, spec)
            out.append("")
            out.append(f"{shape_name} a sh:PropertyShape ;")
            out.append("    " + " ;\n    ".join(lines) + " .")
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    source = Path(argv[1]) if len(argv) > 1 else DEFAULT_INPUT
    target = Path(argv[2]) if len(argv) > 2 else DEFAULT_OUTPUT
    extension = Path(argv[3]) if len(argv) > 3 else DEFAULT_EXTENSION
    graph = rdflib.Graph().parse(source)
    graph.parse(extension)
    text = build(graph)
    rdflib.Graph().parse(data=text, format="turtle")  # refuse to write broken Turtle
    target.write_text(text, encoding="utf-8")
    print(f"wrote {text.count('a sh:PropertyShape')} property shapes to {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
