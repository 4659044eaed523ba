"""MappedProduct: allergen facts grouped on first read, and the same product as eager ones."""

from __future__ import annotations

import pickle
from datetime import date

import pytest

from gs1ld.catalog import parse_entry
from gs1ld.config import ExportConfig
from gs1ld.mapping import MappedProduct, map_entry
from gs1ld.mapping.allergen_facts import allergen_facts
from gs1ld.mapping.tables import load_tables
from gs1ld.publish import product_uri
from gs1ld.testing import synthetic_catalog

CONFIG = ExportConfig(base_url="https://id.brand.example", today=date(2026, 6, 1))


def _mapped(count: int) -> list[MappedProduct]:
    entries = [parse_entry(raw) for raw in synthetic_catalog(count, seed=7)]
    return [map_entry(e, uri=product_uri(CONFIG.base_url, e.gtin), config=CONFIG) for e in entries]


@pytest.fixture(scope="module")
def mapped() -> list[MappedProduct]:
    products = _mapped(300)
    states = [m.states_allergens for m in products]
    assert any(states)  # both kinds are checked below
    assert not all(states)
    return products


def test_states_allergens_says_whether_the_document_states_any_before_they_are_grouped(
    mapped: list[MappedProduct],
) -> None:
    for product in mapped:
        stated = "gs1:hasAllergen" in product.document
        assert product.states_allergens is stated
        assert bool(product.allergens) is stated
        assert product.states_allergens is stated  # and after


def test_the_facts_are_those_of_the_documents_allergen_nodes(
    mapped: list[MappedProduct],
) -> None:
    labels = load_tables().allergen_labels
    for product in mapped:
        nodes = product.document.get("gs1:hasAllergen", [])
        facts = allergen_facts(nodes if isinstance(nodes, list) else [nodes], (), labels)
        # grouped with the ingredients' readings or not, the same (code, level) pairs
        assert {(f.level, c) for f in product.allergens for c in f.codes} == {
            (f.level, c) for f in facts for c in f.codes
        }


def test_a_product_with_grouping_pending_equals_one_given_the_facts(
    mapped: list[MappedProduct],
) -> None:
    for fresh, product in zip(_mapped(300), mapped, strict=True):
        eager = MappedProduct(fresh.document, fresh.notes, fresh.claims, product.allergens)
        assert fresh == eager  # fresh's facts are grouped by the comparison itself
        if product.allergens:
            assert fresh != MappedProduct(fresh.document, fresh.notes, fresh.claims, ())


def test_pickling_carries_the_grouped_facts_not_what_they_are_grouped_from() -> None:
    product = next(p for p in _mapped(50) if p.states_allergens)
    data = pickle.dumps(product)  # before the facts were read: grouping still pending
    assert b"_StatedAllergens" not in data  # nor the label table and readings it holds
    assert b"AllergenFact" in data
    again = pickle.loads(data)
    assert again == product
    assert again.allergens == product.allergens
