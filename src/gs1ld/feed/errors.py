"""Typed errors of the product API, built from its RFC 9457 problem bodies.

Every class derives from :class:`gs1ld.errors.ClientError`. Messages never contain
the API key or token.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote

from gs1ld.errors import ClientError
from gs1ld.feed.envelope import ProblemDetails

__all__ = [
    "AlreadyAssigned",
    "ApiError",
    "Forbidden",
    "ProductNotFound",
    "RateLimited",
    "ResponseError",
    "Unauthorized",
    "ValidationFailed",
    "WaitTooLong",
    "error_for",
    "redact",
]


class ApiError(ClientError):
    """The API answered with an error.

    Attributes:
        status: the HTTP status.
        error_code: the API's ``error_code`` (``not_found``, ``rate_limited``…).
        detail: the API's explanation.
        retryable: whether the API says a retry may succeed.
        gtin: the GTIN the request was about, if any.
    """

    def __init__(self, status: int, problem: ProblemDetails, gtin: str | None = None) -> None:
        self.status = status
        self.error_code = problem.error_code
        self.detail = problem.detail or problem.title
        self.retryable = problem.retryable
        self.gtin = gtin
        about = f" for GTIN {gtin}" if gtin else ""
        code = f" {problem.error_code}" if problem.error_code else ""
        super().__init__(f"API error {status}{code}{about}: {self.detail}")


class Unauthorized(ApiError):
    """401: the API key or token is missing or wrong."""


class Forbidden(ApiError):
    """403: the key may not do this."""


class ProductNotFound(ApiError):
    """404: no product has this GTIN."""


class ValidationFailed(ApiError):
    """422: the request broke a documented rule."""


class AlreadyAssigned(ApiError):
    """409: the claim is already assigned to the product."""


class RateLimited(ApiError):
    """429, after the client's retries were exhausted."""


_BY_STATUS: dict[int, type[ApiError]] = {
    401: Unauthorized,
    403: Forbidden,
    404: ProductNotFound,
    409: AlreadyAssigned,
    422: ValidationFailed,
    429: RateLimited,
}


def error_for(status: int, problem: ProblemDetails, gtin: str | None = None) -> ApiError:
    """The typed error for an HTTP status."""
    return _BY_STATUS.get(status, ApiError)(status, problem, gtin)


class ResponseError(ClientError):
    """The API's answer could not be used: too large, too slow, not JSON, badly encoded.

    Attributes:
        retryable: whether another attempt may succeed (a slow answer may).
    """

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable


class WaitTooLong(ClientError):
    """The API asked the client to wait longer than ``--max-wait``; not waited for."""


def redact(text: str, secrets: Iterable[str | None]) -> str:
    """``text`` with every secret (and its URL-encoded form) replaced by ``***``.

    For anything printed that may echo what was sent, such as an error body.

    >>> redact("bad key 'k3y/1' (k3y%2F1)", ["k3y/1"])
    "bad key '***' (***)"
    """
    for secret in secrets:
        if secret:
            for form in {secret, quote(secret, safe="")}:
                text = text.replace(form, "***")
    return text
