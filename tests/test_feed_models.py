"""Every documented constraint of the feed models, at its boundary.

Each row is valid at the limit and invalid one step past it, so a loosened or
tightened rule fails here.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, ClassVar

import pytest
import shortuuid
from pydantic import BaseModel, ValidationError

from gs1ld.feed import (
    STRICT,
    CertificationAssignmentOut,
    CircularityScoreOut,
    ClaimAssignmentIn,
    ClaimAssignmentOut,
    ContentClaimOut,
    IngredientOut,
    NutrientOut,
    Page,
    PaginationMeta,
    ProblemDetails,
    ProductContentOut,
    ProductImageOut,
    RecallOut,
    to_shortuuid,
)

SID = "2" * 22

MINIMAL: dict[type[BaseModel], dict[str, Any]] = {
    CertificationAssignmentOut: {"id": SID, "label": "USDA Organic", "is_active": True},
    ClaimAssignmentOut: {
        "id": SID,
        "label": "Non-GMO",
        "code": "NON_GMO",
        "category": "INGREDIENT_ABSENCE",
        "source": "BRAND_SELF_DECLARED",
    },
    ContentClaimOut: {"id": SID, "label": "Vegan", "code": "VEGAN"},
    ClaimAssignmentIn: {"claim_id": SID},
    IngredientOut: {"id": SID, "name": "Milk"},
    ProductImageOut: {"id": SID, "image_url": "https://cdn.brand.example/a.jpg"},
    RecallOut: {"id": SID, "title": "Recall"},
    NutrientOut: {"name": "Protein"},
    CircularityScoreOut: {},
    PaginationMeta: {
        "page": 1,
        "page_size": 25,
        "total_count": 0,
        "total_pages": 0,
        "has_next": False,
        "has_previous": False,
    },
}


def _validate(model: type[BaseModel], **changes: Any) -> BaseModel:
    return model.model_validate({**MINIMAL[model], **changes})


def _metadata(keys: int = 1, key_length: int = 3, value_length: int = 1) -> dict[str, str]:
    return {
        f"{i:0{key_length}d}"[-key_length:].rjust(key_length, "k"): "v" * value_length
        for i in range(keys)
    }


BOUNDARIES = [
    # (model, field, valid at the limit, invalid one past it)
    (CertificationAssignmentOut, "label", "x" * 255, "x" * 256),
    (CertificationAssignmentOut, "code", "C" * 50, "C" * 51),
    (CertificationAssignmentOut, "certificate_number", "N" * 100, "N" * 101),
    (CertificationAssignmentOut, "issuing_body", "B" * 255, "B" * 256),
    (CertificationAssignmentOut, "certification_value", "V" * 255, "V" * 256),
    (CertificationAssignmentOut, "id", "z" * 22, "z" * 23),
    (CertificationAssignmentOut, "id", "z" * 22, "z" * 21),
    (CertificationAssignmentOut, "id", "Z" * 22, "O" * 22),  # O is not in the alphabet
    (CertificationAssignmentOut, "metadata", _metadata(keys=50), _metadata(keys=51)),
    (CertificationAssignmentOut, "metadata", _metadata(key_length=40), _metadata(key_length=41)),
    (
        CertificationAssignmentOut,
        "metadata",
        _metadata(value_length=500),
        _metadata(value_length=501),
    ),
    (CertificationAssignmentOut, "certificate_countries", ["US", "CA"], ["US", "us"]),
    (CertificationAssignmentOut, "certificate_countries", ["GB"], ["UK"]),
    (CertificationAssignmentOut, "verification_status", "expired", "revoked"),
    (CertificationAssignmentOut, "valid_from", "2024-02-29", "2023-02-29"),
    (CertificationAssignmentOut, "expiry_date", "2025-12-31", "2025-12-31T00:00:00"),
    (CertificationAssignmentOut, "audit_date", "2025-01-01", "01/01/2025"),
    (CertificationAssignmentOut, "audit_date", None, 1735689600),
    (CertificationAssignmentOut, "url", "", "javascript:alert(1)"),
    (
        CertificationAssignmentOut,
        "verification_url",
        "https://registry.example/c/1",
        "registry.example/c/1",
    ),
    (ClaimAssignmentOut, "label", "x" * 100, "x" * 101),
    (ClaimAssignmentOut, "code", "C" * 50, "C" * 51),
    (ClaimAssignmentOut, "category", "SUSTAINABILITY", "GREEN"),
    (ClaimAssignmentOut, "source", "THIRD_PARTY_VERIFIED", "THIRD_PARTY"),
    (ClaimAssignmentOut, "metadata", _metadata(keys=50), _metadata(keys=51)),
    (ClaimAssignmentIn, "claim_id", "a" * 22, "a" * 23),
    (ClaimAssignmentIn, "metadata", _metadata(key_length=40), _metadata(key_length=41)),
    (ClaimAssignmentIn, "source", "BRAND_SELF_DECLARED", "brand"),
    (ClaimAssignmentIn, "expiration_date", "2026-01-31", "2026-01-32"),
    (IngredientOut, "percentage", 100, 100.01),
    (IngredientOut, "percentage", 0, -0.01),
    (IngredientOut, "name", "S", ""),
    (NutrientOut, "amount", 0, -1),
    (NutrientOut, "daily_value_percent", 0, -1),
    (ProductImageOut, "width", 1, 0),
    (ProductImageOut, "created", "2023-11-07T05:31:56Z", "2023-11-07T05:31:56"),
    (RecallOut, "recall_date", "2025-07-04", "July 4, 2025"),
    (RecallOut, "public_url", "http://recalls.example/1", "ftp://recalls.example/1"),
    (CircularityScoreOut, "overall_score", 0, -0.5),
    (PaginationMeta, "page", 1, 0),
    (PaginationMeta, "page_size", 100, 101),
    (PaginationMeta, "page_size", 1, 0),
    (PaginationMeta, "total_count", 0, -1),
]


@pytest.mark.parametrize(
    ("model", "field", "valid", "invalid"),
    BOUNDARIES,
    ids=[f"{m.__name__}.{f}-{i}" for i, (m, f, _, _) in enumerate(BOUNDARIES)],
)
def test_constraint_boundary(model: type[BaseModel], field: str, valid: Any, invalid: Any) -> None:
    _validate(model, **{field: valid})
    with pytest.raises(ValidationError) as excinfo:
        _validate(model, **{field: invalid})
    locations = [error["loc"] for error in excinfo.value.errors()]
    assert all(loc[0] == field for loc in locations), locations


def test_canonical_uuid_is_normalised_to_shortuuid() -> None:
    canonical = "3c90c3cc-0d44-4b50-8888-8dd25736052a"
    expected = shortuuid.ShortUUID().encode(uuid.UUID(canonical))
    ingredient = _validate(IngredientOut, id=canonical)
    assert ingredient.id == expected  # type: ignore[attr-defined]
    assert len(expected) == 22
    assert to_shortuuid(expected) == expected
    assert to_shortuuid(canonical.upper()) == expected


def test_dates_become_date_objects() -> None:
    cert = _validate(CertificationAssignmentOut, valid_from="2024-02-29")
    assert cert.valid_from == date(2024, 2, 29)  # type: ignore[attr-defined]


def test_unknown_fields_are_kept_and_strict_rejects_them() -> None:
    data = {**MINIMAL[IngredientOut], "allergen_family": "dairy"}
    ingredient = IngredientOut.model_validate(data)
    assert ingredient.model_extra == {"allergen_family": "dairy"}
    assert ingredient.model_dump()["allergen_family"] == "dairy"
    with pytest.raises(ValidationError, match="unknown field\\(s\\) allergen_family"):
        IngredientOut.model_validate(data, context=STRICT)


def test_strict_applies_to_nested_models() -> None:
    bundle = {
        "images": [],
        "ingredients": [{**MINIMAL[IngredientOut], "x": 1}],
        "certifications": [],
        "claims": [],
        "recalls": [],
    }
    ProductContentOut.model_validate(bundle)
    with pytest.raises(ValidationError) as excinfo:
        ProductContentOut.model_validate(bundle, context=STRICT)
    assert excinfo.value.errors()[0]["loc"] == ("ingredients", 0)


def test_bundle_lists_are_required() -> None:
    with pytest.raises(ValidationError) as excinfo:
        ProductContentOut.model_validate({"images": []})
    missing = sorted(e["loc"][0] for e in excinfo.value.errors() if e["type"] == "missing")
    assert missing == ["certifications", "claims", "ingredients", "recalls"]


@pytest.mark.parametrize(
    ("row", "other"),
    [
        (ClaimAssignmentOut, CertificationAssignmentOut),
        (CertificationAssignmentOut, ClaimAssignmentOut),
    ],
)
def test_page_envelope_is_generic(row: type[BaseModel], other: type[BaseModel]) -> None:
    """``Page[X]`` reads its rows as X and refuses rows of another shape."""
    pagination = MINIMAL[PaginationMeta]
    page = Page[row].model_validate(
        {"data": [MINIMAL[row], MINIMAL[row]], "pagination": pagination}
    )  # type: ignore[valid-type]
    assert [type(item) for item in page.data] == [row, row]
    assert page.pagination == PaginationMeta.model_validate(pagination)
    with pytest.raises(ValidationError):
        Page[row].model_validate({"data": [MINIMAL[other]], "pagination": pagination})  # type: ignore[valid-type]


def test_problem_details_keeps_the_api_fields() -> None:
    problem = ProblemDetails.model_validate(
        {
            "type": "https://closient.com/docs/errors/rate_limited",
            "title": "Too Many Requests",
            "status": 429,
            "detail": "Slow down.",
            "error_code": "rate_limited",
            "retryable": True,
            "retry_after_seconds": 12,
        }
    )
    assert (problem.status, problem.error_code, problem.retryable) == (429, "rate_limited", True)
    assert problem.retry_after_seconds == 12


class TestClaimAssignmentInMetadata:
    """The POST body's documented clear/delete/preserve semantics."""

    existing: ClassVar[dict[str, str]] = {"a": "1", "b": "2"}

    def test_omitted_metadata_preserves_every_key(self) -> None:
        body = ClaimAssignmentIn(claim_id=SID)
        assert body.apply_metadata(self.existing) == self.existing
        assert "metadata" not in body.to_request_json()

    @pytest.mark.parametrize("value", [None, {}])
    def test_null_or_empty_clears(self, value: dict[str, str] | None) -> None:
        body = ClaimAssignmentIn.model_validate({"claim_id": SID, "metadata": value})
        assert body.clears_metadata
        assert body.apply_metadata(self.existing) == {}
        assert body.to_request_json()["metadata"] == value

    def test_empty_string_deletes_a_key_and_others_merge(self) -> None:
        body = ClaimAssignmentIn(claim_id=SID, metadata={"a": "", "c": "3"})
        assert body.apply_metadata(self.existing) == {"b": "2", "c": "3"}

    def test_defaults(self) -> None:
        body = ClaimAssignmentIn(claim_id=SID)
        assert body.source == "BRAND_SELF_DECLARED"
        assert (body.evidence_url, body.evidence_note) == ("", "")
