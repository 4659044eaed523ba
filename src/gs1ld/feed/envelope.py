"""API-wide shapes: the pagination envelope and RFC 9457 problem details."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import Field

from gs1ld.feed._base import FeedModel

__all__ = ["Page", "PaginationMeta", "ProblemDetails"]

T = TypeVar("T")


class PaginationMeta(FeedModel):
    """Position of one page within the full result set."""

    page: int = Field(ge=1)
    page_size: int = Field(ge=1, le=100)
    total_count: int = Field(ge=0)
    total_pages: int = Field(ge=0)
    has_next: bool
    has_previous: bool


class Page(FeedModel, Generic[T]):
    """The envelope of every list endpoint: ``{"data": [...], "pagination": {...}}``."""

    data: list[T]
    pagination: PaginationMeta


class ProblemDetails(FeedModel):
    """An RFC 9457 error body, with the API's own ``error_code`` and ``retryable``."""

    type: str = "about:blank"
    title: str = ""
    status: int | None = Field(default=None, ge=100, le=599)
    detail: str = ""
    instance: str | None = None
    error_code: str = ""
    retryable: bool = False
    timestamp: str | None = None
    retry_after_seconds: float | None = Field(default=None, ge=0)
