"""Nothing is lost silently: every feed field has a row in mappings/README.md."""

from __future__ import annotations

import re

import pytest
from pydantic import BaseModel

from gs1ld.catalog.entry import CatalogEntry, NetContent, Organization, ProductInfo
from gs1ld.feed import (
    CertificationAssignmentOut,
    CircularityScoreOut,
    ClaimAssignmentOut,
    ContentClaimOut,
    FTLDataOut,
    IngredientOut,
    NutrientOut,
    NutritionFactsOut,
    ProductContentOut,
    ProductImageOut,
    RecallOut,
)
from support import PROJECT_ROOT

MODELS: list[type[BaseModel]] = [
    CatalogEntry,
    ProductInfo,
    Organization,
    NetContent,
    ProductContentOut,
    CertificationAssignmentOut,
    ContentClaimOut,
    ClaimAssignmentOut,
    ProductImageOut,
    IngredientOut,
    RecallOut,
    NutritionFactsOut,
    NutrientOut,
    CircularityScoreOut,
    FTLDataOut,
]
ROW = re.compile(r"^\| `([A-Z]\w+)\.(\w+)` \| (.+) \|$", re.MULTILINE)


def _table() -> dict[tuple[str, str], str]:
    text = (PROJECT_ROOT / "mappings" / "README.md").read_text(encoding="utf-8")
    return {(m.group(1), m.group(2)): m.group(3) for m in ROW.finditer(text)}


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_field_has_a_row(model: type[BaseModel]) -> None:
    table = _table()
    missing = [name for name in model.model_fields if (model.__name__, name) not in table]
    assert missing == []


def test_no_row_names_a_field_that_does_not_exist() -> None:
    fields = {(m.__name__, name) for m in MODELS for name in m.model_fields}
    assert set(_table()) - fields == set()
