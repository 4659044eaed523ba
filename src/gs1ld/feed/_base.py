"""The base every feed model shares: keep unknown fields, reject them on request."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationInfo, model_validator

__all__ = ["STRICT", "FeedModel"]

STRICT: dict[str, Any] = {"strict": True}
"""Validation context that makes every feed model reject fields the API does not document.

Pass it as ``Model.model_validate(data, context=STRICT)``.
"""


class FeedModel(BaseModel):
    """A model of one documented API schema.

    The API may grow new fields before gs1ld knows them; by default they are kept
    (``model_extra``) and never break parsing.  Under the :data:`STRICT` context
    they are errors instead, which is how a pipeline notices the contract moved.
    """

    model_config = ConfigDict(extra="allow", frozen=True, str_strip_whitespace=False)

    @model_validator(mode="after")
    def _reject_unknown_fields_when_strict(self, info: ValidationInfo) -> FeedModel:
        context = info.context
        if context and context.get("strict") and self.model_extra:
            names = ", ".join(sorted(self.model_extra))
            raise ValueError(
                f"unknown field(s) {names} (strict mode accepts documented fields only)"
            )
        return self
