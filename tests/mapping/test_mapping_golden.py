"""Golden JSON-LD for representative products, compared byte for byte.

The files in tests/golden/ were reviewed by hand against the vocabulary. After a
deliberate change to the mapping, regenerate them with ``UPDATE_GOLDEN=1 pytest
tests/mapping/test_mapping_golden.py`` and review the diff before committing.
"""

from __future__ import annotations

import os
from datetime import date

import pytest

from gs1ld.catalog import read_catalog
from gs1ld.config import ExportConfig
from gs1ld.convert import serialize
from gs1ld.publish import to_jsonld
from support import EXAMPLE_CATALOG, PROJECT_ROOT

GOLDEN = PROJECT_ROOT / "tests" / "golden"
CONFIG = ExportConfig(base_url="https://id.brand.example", today=date(2026, 6, 1))
CASES = {
    "food-with-everything": "01-whole-milk.json",
    "non-food": "10-steel-water-bottle.json",
    "empty": "11-plain-sparkling-water.json",
    "compound-allergens": "13-apple-turnover.json",
    "french-eu-organic": "14-madeleines-fr.json",
    "eu-drink-per-100-ml": "15-oat-drink-eu.json",
    "canadian-per-serving": "16-maple-granola-ca.json",
    "us-supplement-units": "17-prenatal-gummies-us.json",
    "contradicted-claims": "18-cookies-false-claims.json",
    "german-compound-allergens": "21-nuss-nougat-creme-de.json",
    "dutch-allergens": "22-stroopwafels-nl.json",
    "polish-allergens": "23-pierniki-pl.json",
    "uk-retained-eu-allergens": "24-fish-pie-uk.json",
    "us-allergen-false-friends": "25-coconut-curry-us.json",
    "claims-its-panel-breaks": "26-yoghurt-claims-its-panel-breaks.json",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(name: str) -> None:
    (outcome,) = read_catalog(EXAMPLE_CATALOG / CASES[name])
    assert outcome.entry is not None
    produced = serialize(to_jsonld(outcome.entry, config=CONFIG), "jsonld")
    path = GOLDEN / f"{name}.jsonld"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_bytes(produced)
    assert produced == path.read_bytes()
