"""The mapping's documented rules, one behaviour per test."""

from __future__ import annotations

import inspect
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import rdflib
import rdflib.compare

from gs1ld.catalog import CatalogEntry, read_catalog
from gs1ld.config import ExportConfig
from gs1ld.errors import MappingError
from gs1ld.jsonld import RemoteContextError, to_graph, to_nquads
from gs1ld.mapping import MAPPERS, map_entry
from gs1ld.mapping.allergens import allergen_index
from gs1ld.mapping.tables import load_tables
from gs1ld.publish import to_jsonld
from gs1ld.publish.layout import product_uri
from support import EXAMPLE_CATALOG, food_entry

BRAND = "https://id.brand.example"
DAY = date(2026, 6, 1)
SID = "2" * 22


def _entry(product: dict[str, Any] | None = None, **content: Any) -> CatalogEntry:
    entry: CatalogEntry = food_entry(product, **content)
    return entry


def _doc(entry: CatalogEntry, **options: Any) -> dict[str, Any]:
    return to_jsonld(entry, config=ExportConfig(today=DAY, **options))


def _cert(status: str, valid_from: str | None, until: str | None) -> dict[str, Any]:
    return {
        "id": SID,
        "label": "Seal",
        "is_active": True,
        "verification_status": status,
        "valid_from": valid_from,
        "expiration_date": until,
        "code": "USDA_ORGANIC",
    }


@pytest.mark.parametrize(
    ("status", "valid_from", "until", "expected", "seal"),
    [
        ("verified", "2026-01-01", "2026-06-01", "ACTIVE", True),
        ("unverified", None, None, "ACTIVE", False),
        ("verified", "2026-06-02", None, "INACTIVE", False),  # not yet in effect
        ("verified", None, "2026-05-31", "INACTIVE", False),
        ("expired", "2026-01-01", "2026-12-31", "INACTIVE", False),
    ],
)
def test_certification_status_rule(
    status: str, valid_from: str | None, until: str | None, expected: str | None, seal: bool
) -> None:
    doc = _doc(_entry(certifications=[_cert(status, valid_from, until)]))
    assert doc["gs1:certification"].get("gs1:certificationStatus") == (
        {"@id": f"gs1:CertificationStatus-{expected}"} if expected else None
    )
    assert doc.get("gs1:packagingMarkedLabelAccreditation") == (
        {"@id": "gs1:PackagingMarkedLabelAccreditationCode-USDA"} if seal else None
    )


def test_status_rule_can_be_overridden_by_a_mappings_folder(tmp_path: Path) -> None:
    (tmp_path / "certification-status.toml").write_text(
        '[verification_status]\nunverified = "INACTIVE"\n', encoding="utf-8"
    )
    entry = _entry(certifications=[_cert("unverified", None, None)])
    doc = _doc(entry, mappings_dir=tmp_path)
    assert doc["gs1:certification"]["gs1:certificationStatus"] == {
        "@id": "gs1:CertificationStatus-INACTIVE"
    }


def test_claims_out_of_window_are_noted_not_exported() -> None:
    entry = _entry(
        claims=[
            {"id": SID, "label": "Vegan", "code": "VEGAN", "expiration_date": "2026-05-31"},
            {"id": "3" * 22, "label": "Keto", "code": "KETO"},
        ]
    )
    config = ExportConfig(today=DAY)
    mapped = map_entry(entry, uri=product_uri(config.base_url, entry.gtin), config=config)
    assert "gs1:dietCode" not in mapped.document
    assert mapped.document["gs1:nutritionalClaimStatement"] == {"@value": "Keto", "@language": "en"}
    assert [str(n) for n in mapped.notes] == [
        "content.claims[1]: claim code 'KETO' has no row in claims.csv; exported as text",
        "content.claims[0]: claim 'VEGAN' is not in effect on 2026-06-01; not exported",
    ]


def test_allergens_from_ingredients_and_free_from_claims() -> None:
    entry = _entry(
        ingredients=[
            {"id": SID, "name": "Roasted Peanuts", "is_major_allergen": True, "priority": 1},
            {"id": "3" * 22, "name": "Sesame Seeds", "may_contain": True, "priority": 2},
            {"id": "4" * 22, "name": "Lupin flour", "is_major_allergen": True, "priority": 3},
            {"id": "5" * 22, "name": "Mystery Allergen", "is_major_allergen": True, "priority": 4},
        ],
        claims=[
            {"id": SID, "label": "Peanut free", "code": "PEANUT_FREE"},
            {"id": "3" * 22, "label": "Egg free", "code": "EGG_FREE"},
        ],
    )
    config = ExportConfig(today=DAY)
    mapped = map_entry(entry, uri=product_uri(config.base_url, entry.gtin), config=config)
    allergens = {
        (a["gs1:allergenType"]["@id"], a["gs1:allergenLevelOfContainmentCode"]["@id"])
        for a in mapped.document["gs1:hasAllergen"]
    }
    assert allergens == {
        ("gs1:AllergenTypeCode-AP", "gs1:LevelOfContainmentCode-CONTAINS"),
        ("gs1:AllergenTypeCode-AS", "gs1:LevelOfContainmentCode-MAY_CONTAIN"),
        ("gs1:AllergenTypeCode-NL", "gs1:LevelOfContainmentCode-CONTAINS"),
        ("gs1:AllergenTypeCode-AE", "gs1:LevelOfContainmentCode-FREE_FROM"),
    }
    assert mapped.document["gs1:allergenStatement"] == {
        "@value": "Contains: peanut, lupin. May contain: sesame.",
        "@language": "en",
    }
    assert "gs1:nutritionalClaim" in mapped.document  # EGG_FREE stands
    assert mapped.document["gs1:nutritionalClaim"] == {
        "@id": "gs1:NutritionalClaimTypeCode-EGG_FREE"
    }
    messages = [n.message for n in mapped.notes]
    assert (
        "claim 'Peanut free' (PEANUT_FREE) contradicts ingredient 'Roasted Peanuts', which "
        "contains peanut (AllergenTypeCode-AP); the claim is not exported"
    ) in messages
    assert (
        "'Mystery Allergen' is flagged as an allergen but names no allergen allergens.csv "
        "knows; not declared"
    ) in messages


@pytest.mark.parametrize(
    ("name", "languages", "codes"),
    [
        ("Whole Milk", ("en",), ["AM"]),
        ("Peanut Butter", ("en",), ["AP"]),
        ("Soy Lecithin", ("en",), ["AY"]),
        ("Almonds", ("en",), ["SA"]),
        ("Wheat flour", ("en",), ["UW"]),
        ("Coconut", ("en",), ["SO"]),  # named, but no regulation declares it
        ("Coconut milk", ("en",), ["SO"]),
        ("Sea Salt", ("en",), []),
        ("EGGS", ("en",), ["AE"]),
        ("Pastry (wheat flour, butter, eggs)", ("en",), ["UW", "AM", "AE"]),
        ("Dark Chocolate (Cocoa Butter, Soy Lecithin)", ("en",), ["AY"]),
        ("Semolina, spelt, barley malt", ("en",), ["UW", "GS", "GB"]),
        ("Ghee, whey, casein, albumen", ("en",), ["AM", "AE"]),
        ("Farine de blé, Beurre, Œufs", ("fr", "en"), ["UW", "AM", "AE"]),
        ("Farine de blé", ("en",), []),
        ("Weizenmehl, Vollmilchpulver, Haselnüsse", ("de", "en"), ["UW", "AM", "SH"]),
        ("Buchweizenmehl, Kokosmilch, Molkerei", ("de", "en"), ["SO"]),
        ("Harina de trigo, leche, huevo", ("es", "en"), ["UW", "AM", "AE"]),
        ("Farina di grano, latte, uova, sedano", ("it", "en"), ["UW", "AM", "AE", "BC"]),
        ("Tarwebloem, volle melk, pinda's", ("nl", "en"), ["UW", "AM", "AP"]),
    ],
)
def test_allergen_names(name: str, languages: tuple[str, ...], codes: list[str]) -> None:
    found = allergen_index(load_tables()).find(name, languages)
    assert list(dict.fromkeys(c for m in found for c in m.codes)) == codes


def test_non_food_products_never_get_food_terms() -> None:
    entry = _entry(
        {"kind": "non_food", "name": "Hand cream"},
        ingredients=[{"id": SID, "name": "Aqua"}],
        claims=[{"id": SID, "label": "Vegan", "code": "VEGAN"}],
        nutrition_facts={"nutrients": []},
    )
    doc = _doc(entry)
    assert doc["@type"] == "gs1:Product"
    assert not {
        "gs1:ingredient",
        "gs1:dietCode",
        "gs1:ingredientStatement",
        "gs1:nutrientBasisQuantityType",
    } & set(doc)
    assert doc["gs1ld:ingredientStatement"] == {"@value": "Aqua", "@language": "en"}


def test_output_is_byte_identical_for_the_same_input() -> None:
    entries = [o.entry for o in read_catalog(EXAMPLE_CATALOG) if o.entry is not None]
    config = ExportConfig(base_url="https://id.brand.example", today=DAY)
    first = [json.dumps(to_jsonld(e, config=config)) for e in entries]
    shuffled = [
        e.model_copy(
            update={
                "content": e.content.model_copy(
                    update={
                        "ingredients": list(reversed(e.content.ingredients)),
                        "certifications": list(reversed(e.content.certifications)),
                        "images": list(reversed(e.content.images)),
                    }
                )
            }
        )
        for e in entries
    ]
    assert [json.dumps(to_jsonld(e, config=config)) for e in shuffled] == first
    for text in first:
        keys = list(json.loads(text))
        assert keys[:3] == ["@context", "@id", "@type"]
        assert keys[3:] == sorted(keys[3:])


def test_pyld_and_rdflib_give_the_same_triples() -> None:
    for outcome in read_catalog(EXAMPLE_CATALOG):
        assert outcome.entry is not None
        doc = to_jsonld(outcome.entry, config=ExportConfig(base_url=BRAND, today=DAY))
        ours = to_graph(doc)
        theirs = rdflib.Graph().parse(data=json.dumps(doc), format="json-ld")
        assert rdflib.compare.isomorphic(ours, theirs), outcome.location
        assert len(ours) > 3


def test_context_url_is_loaded_offline_and_unknown_ones_are_refused() -> None:
    entry = _entry({"name": "Milk", "kind": "food"})
    inline = _doc(entry)
    referenced = _doc(entry, context_url="https://ref.gs1.org/voc/data/gs1Voc.jsonld")
    assert referenced["@context"][0] == "https://ref.gs1.org/voc/data/gs1Voc.jsonld"
    assert rdflib.compare.isomorphic(to_graph(inline), to_graph(referenced))
    with pytest.raises(RemoteContextError, match=r"'https://example\.org/c\.jsonld' is not known"):
        to_nquads({**inline, "@context": "https://example.org/c.jsonld"})


def test_extension_namespace_never_claims_someone_elses_domain() -> None:
    assert ExportConfig().extension_ns == "urn:gs1ld:voc:"
    assert ExportConfig(base_url="https://id.brand.example/").extension_ns == (
        "https://id.brand.example/voc/"
    )
    assert ExportConfig(extension_namespace="https://voc.brand.example/x#").extension_ns == (
        "https://voc.brand.example/x#"
    )


def test_every_mapper_meets_the_contract() -> None:
    names = [name for name, _ in MAPPERS]
    assert names == [
        "product",
        "certification",
        "claim",
        "ingredient",
        "nutrition",
        "image",
        "recall",
        "circularity",
        "ftl",
        "links",
    ]
    for name, mapper in MAPPERS:
        parameters = list(inspect.signature(mapper).parameters)
        assert parameters == ["entry", "ctx"], name
        assert isinstance(mapper(_entry(), _context()), dict), name


def _context() -> Any:
    from gs1ld.mapping._context import MappingContext

    return MappingContext(
        config=ExportConfig(today=DAY), tables=load_tables(), language="en", today=DAY
    )


def test_user_tables_extend_the_bundled_ones(tmp_path: Path) -> None:
    (tmp_path / "claims.csv").write_text(
        "# mine\ncode,target,value\nKETO,gs1:dietCode,gs1:DietTypeCode-DIETETIC\n", encoding="utf-8"
    )
    doc = _doc(
        _entry(
            claims=[
                {"id": SID, "label": "Keto", "code": "KETO"},
                {"id": "3" * 22, "label": "Vegan", "code": "VEGAN"},
            ]
        ),
        mappings_dir=tmp_path,
    )
    assert doc["gs1:dietCode"] == [
        {"@type": "gs1:DietTypeCodeDetails", "gs1:dietType": {"@id": "gs1:DietTypeCode-DIETETIC"}},
        {"@type": "gs1:DietTypeCodeDetails", "gs1:dietType": {"@id": "gs1:DietTypeCode-VEGAN"}},
    ]


def test_malformed_tables_name_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "units.csv").write_text("unit,code\ng,GRM\noz\n", encoding="utf-8")
    with pytest.raises(MappingError) as excinfo:
        load_tables(tmp_path)
    assert str(excinfo.value) == (
        f"{tmp_path / 'units.csv'}:3: expected 2 non-empty values (unit, code), got 'oz'"
    )
    (tmp_path / "units.csv").unlink()
    (tmp_path / "claims.csv").write_text(
        "code,target,value\nX,schema:name,gs1:Y\n", encoding="utf-8"
    )
    with pytest.raises(MappingError, match="expected a gs1: or gs1ld: term, got 'schema:name'"):
        load_tables(tmp_path)
