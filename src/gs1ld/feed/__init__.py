"""The product API's documented responses as typed models, and the client that pulls them.

Every documented constraint is enforced where data enters gs1ld; unknown fields
are kept unless the :data:`STRICT` validation context is used.
"""

from gs1ld.feed._base import STRICT, FeedModel
from gs1ld.feed._types import SHORTUUID_ALPHABET, CountryCode, to_shortuuid
from gs1ld.feed.certification import CertificationAssignmentOut, VerificationStatus
from gs1ld.feed.claim import (
    ClaimAssignmentIn,
    ClaimAssignmentOut,
    ClaimCategory,
    ClaimSource,
    ContentClaimOut,
)
from gs1ld.feed.content import (
    CircularityScoreOut,
    FTLDataOut,
    IngredientOut,
    NutrientOut,
    NutritionFactsOut,
    ProductContentOut,
    ProductImageOut,
    RecallOut,
)
from gs1ld.feed.envelope import Page, PaginationMeta, ProblemDetails

__all__ = [
    "SHORTUUID_ALPHABET",
    "STRICT",
    "CertificationAssignmentOut",
    "CircularityScoreOut",
    "ClaimAssignmentIn",
    "ClaimAssignmentOut",
    "ClaimCategory",
    "ClaimSource",
    "ContentClaimOut",
    "CountryCode",
    "FTLDataOut",
    "FeedModel",
    "IngredientOut",
    "NutrientOut",
    "NutritionFactsOut",
    "Page",
    "PaginationMeta",
    "ProblemDetails",
    "ProductContentOut",
    "ProductImageOut",
    "RecallOut",
    "VerificationStatus",
    "to_shortuuid",
]
