"""The shipped SHACL shapes: regenerated from the vocabulary, and the example catalog passes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from gs1ld.catalog import read_catalog
from gs1ld.config import ExportConfig
from gs1ld.publish import to_jsonld
from gs1ld.validation import validate
from gs1ld.validation.shapes import compiled_shapes, load_shapes
from support import EXAMPLE_CATALOG, PROJECT_ROOT, regenerate, require_shared

CONFIGS = {
    "own-domain": ExportConfig(base_url="https://id.brand.example", today=date(2026, 6, 1)),
    "gs1-resolver": ExportConfig(today=date(2026, 6, 1)),
    "custom-extension": ExportConfig(
        base_url="https://id.brand.example",
        extension_namespace="https://vocab.brand.example/terms#",
        today=date(2026, 6, 1),
    ),
}


def test_shapes_are_generated_from_the_vocabulary(tmp_path: Path) -> None:
    source = require_shared("gs1/v1.17/gs1Voc.ttl")
    target = tmp_path / "gs1-shapes.ttl"
    produced = regenerate("gen_shapes.py", source, target)
    assert produced == (PROJECT_ROOT / "shapes" / "gs1-shapes.ttl").read_bytes()


def test_every_emitted_node_type_has_a_shape() -> None:
    targets = {t for s in compiled_shapes().node_shapes for t in s.targets}
    gs1 = "https://ref.gs1.org/voc/"
    emitted = {
        "Product",
        "FoodBeverageTobaccoProduct",
        "CertificationDetails",
        "AllergenDetails",
        "FoodBeverageTobaccoIngredientDetails",
        "DietTypeCodeDetails",
        "ReferencedFileDetails",
        "QuantitativeValue",
        "NutritionMeasurementType",
        "RegulatoryInformation",
        "Brand",
        "Organization",
        "Country",
    }
    assert {gs1 + name for name in emitted} <= targets
    assert {f"urn:gs1ld:voc:{n}" for n in ("Claim", "Recall", "CircularityAssessment")} <= targets


@pytest.mark.parametrize("config_name", sorted(CONFIGS))
def test_example_catalog_validates_clean(config_name: str) -> None:
    config = CONFIGS[config_name]
    documents = [
        to_jsonld(o.entry, config=config) for o in read_catalog(EXAMPLE_CATALOG) if o.entry
    ]
    assert len(documents) >= 12
    report = validate(documents)
    assert [f for d in report.documents for f in d.findings] == []
    # the extension shapes did run, in the namespace the documents use
    ext = config.extension_ns
    assert any(
        p.path.startswith(ext) for s in compiled_shapes(ext).node_shapes for p in s.properties
    )


def test_unsupported_shacl_is_refused() -> None:
    shapes = b"""@prefix sh: <http://www.w3.org/ns/shacl#> .
    <urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ; sh:property <urn:p> .
    <urn:p> sh:path <urn:x> ; sh:minLength 3 ."""
    with pytest.raises(ValueError, match="unsupported property-shape keys"):
        load_shapes(shapes)
