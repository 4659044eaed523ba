"""Which gs1: product properties need a food product (domain FoodBeverageTobaccoProduct).

From GS1 Web Vocabulary v1.17; the conformance test checks every emitted triple
against the vocabulary's domains, so a wrong entry here fails there.
"""

from __future__ import annotations

__all__ = ["FOOD_ONLY"]

FOOD_ONLY = frozenset(
    {
        "gs1:dietCode",
        "gs1:geneticallyModifiedDeclaration",
        "gs1:hasAllergen",
        "gs1:nutritionalClaim",
        "gs1:nutritionalClaimStatement",
        "gs1:packagingMarkedDietAllergenType",
        "gs1:packagingMarkedFreeFrom",
        "gs1:preservationTechnique",
    }
)
