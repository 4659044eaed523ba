"""Clients of the product API: ``Client`` (sync) and ``AsyncClient``, both on httpx.

Both share one sans-IO core (:class:`_Core`) that builds requests and reads
responses, so retries, rate limiting and error mapping behave the same. Callers
may pass their own ``httpx.Client`` / ``httpx.AsyncClient`` to control
transports. The API key and token never appear in reprs, logs or errors.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx
import orjson
from pydantic import BaseModel, ValidationError

from gs1ld import gtin as gtin_rules
from gs1ld.problems import problems_from_validation_error
from gs1ld.errors import ClientError, EntryError
from gs1ld.feed._ratelimit import Governor, parse_rate_limit
from gs1ld.feed._retry import RETRY_STATUSES, RetryPolicy
from gs1ld.feed.certification import CertificationAssignmentOut
from gs1ld.feed.claim import ClaimAssignmentIn, ClaimAssignmentOut
from gs1ld.feed.content import ProductContentOut
from gs1ld.feed.envelope import Page, ProblemDetails
from gs1ld.feed.errors import RateLimited, error_for

__all__ = ["DEFAULT_API_URL", "AsyncClient", "Client", "ClientOptions"]

DEFAULT_API_URL = "https://www.closient.com"
PAGE_SIZE = 100
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class ClientOptions:
    """How a client talks to the API.

    Attributes:
        api_url: the API root (``--api-url`` / ``GS1LD_API_URL``; default the
            documented server).
        api_key: sent as ``X-API-Key`` (``GS1LD_API_KEY``). Never shown.
        token: a bearer token instead (``GS1LD_API_TOKEN``). Never shown.
        timeout: seconds per request.
        retry: the backoff policy for 5xx, 429, timeouts and dropped connections.
        governor: pace requests by the rate-limit headers (on by default).
    """

    api_url: str = DEFAULT_API_URL
    api_key: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)
    timeout: float = 30.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    governor: bool = True

    @classmethod
    def from_env(cls, **overrides: Any) -> ClientOptions:
        """Options from GS1LD_API_URL, GS1LD_API_KEY and GS1LD_API_TOKEN, then ``overrides``."""
        values: dict[str, Any] = {
            "api_url": os.environ.get("GS1LD_API_URL") or DEFAULT_API_URL,
            "api_key": os.environ.get("GS1LD_API_KEY") or None,
            "token": os.environ.get("GS1LD_API_TOKEN") or None,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


class _RetryError(Exception):
    """Internal: wait ``delay`` seconds, then try again."""

    def __init__(self, delay: float, error: ClientError) -> None:
        super().__init__(str(error))
        self.delay = delay
        self.error = error


@dataclass(slots=True)
class _Core:
    """Requests, responses and decisions, without I/O."""

    options: ClientOptions
    clock: Callable[[], float]
    wall: Callable[[], float]
    governor: Governor = field(init=False)

    def __post_init__(self) -> None:
        self.governor = Governor(self.clock, enabled=self.options.governor)

    def headers(self) -> dict[str, str]:
        headers = {"Accept": "application/json", "User-Agent": "gs1ld"}
        if self.options.api_key:
            headers["X-API-Key"] = self.options.api_key
        if self.options.token:
            headers["Authorization"] = f"Bearer {self.options.token}"
        return headers

    def url(self, path: str) -> str:
        return self.options.api_url.rstrip("/") + path

    def after_failure(self, attempt: int, error: ClientError) -> _RetryError:
        """The retry to make after a transport failure, or raise when attempts are used up."""
        self.governor.release(None)
        if attempt >= self.options.retry.max_attempts:
            raise error
        return _RetryError(self.options.retry.backoff(attempt), error)

    def read(self, response: httpx.Response, attempt: int, gtin: str | None) -> httpx.Response:
        """Return a successful response, raise a typed error, or raise :class:`_RetryError`."""
        state = parse_rate_limit(response.headers, now=self.clock(), wall_now=self.wall())
        self.governor.release(state)
        status = response.status_code
        if status < 400:
            return response
        problem = _problem(response)
        error = error_for(status, problem, gtin)
        if status in RETRY_STATUSES and attempt < self.options.retry.max_attempts:
            if status == 429:
                wait = _retry_after(response, problem)
                delay = wait if wait is not None else self.options.retry.backoff(attempt)
                raise _RetryError(delay, error)
            raise _RetryError(self.options.retry.backoff(attempt), error)
        if status == 429:
            raise RateLimited(status, problem, gtin)
        raise error


def _problem(response: httpx.Response) -> ProblemDetails:
    try:
        return ProblemDetails.model_validate(orjson.loads(response.content))
    except (orjson.JSONDecodeError, ValidationError, TypeError):
        return ProblemDetails(status=response.status_code, title=response.reason_phrase)


def _retry_after(response: httpx.Response, problem: ProblemDetails) -> float | None:
    header = response.headers.get("retry-after")
    if header is not None:
        try:
            return max(0.0, float(header))
        except ValueError:
            pass
    return problem.retry_after_seconds


def _gtin(value: str) -> str:
    return gtin_rules.normalize(value)


def _parse(model: type[M], data: Any, gtin: str | None) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise EntryError(problems_from_validation_error(exc), gtin=gtin) from None


def _transport_error(exc: httpx.HTTPError, gtin: str | None) -> ClientError:
    about = f" for GTIN {gtin}" if gtin else ""
    return ClientError(f"Could not reach the API{about}: {type(exc).__name__}")


@dataclass(frozen=True, slots=True)
class _Call:
    """One endpoint call: what to send and how to read the answer's body."""

    method: str
    path: str
    gtin: str
    parse: Callable[[bytes], Any]
    params: dict[str, Any] | None = None
    json: Any = None


def _content_call(gtin: str) -> _Call:
    code = _gtin(gtin)

    def parse(body: bytes) -> dict[str, Any]:
        data: dict[str, Any] = orjson.loads(body)
        _parse(ProductContentOut, data, code)  # validated, but returned as received
        return data

    return _Call("GET", f"/products/api/v1/products/{code}/content", code, parse)


def _certification_page_call(gtin: str, params: dict[str, Any], page: int) -> _Call:
    code = _gtin(gtin)

    def parse(body: bytes) -> tuple[list[CertificationAssignmentOut], bool]:
        parsed = _parse(Page[CertificationAssignmentOut], orjson.loads(body), code)
        return parsed.data, parsed.pagination.has_next

    return _Call(
        "GET",
        f"/products/api/v1/products/{code}/certifications",
        code,
        parse,
        params={**params, "page": page, "page_size": PAGE_SIZE},
    )


def _claims_call(gtin: str) -> _Call:
    code = _gtin(gtin)
    return _Call(
        "GET",
        f"/certifications/api/v1/products/{code}/claims",
        code,
        lambda body: [_parse(ClaimAssignmentOut, item, code) for item in orjson.loads(body)],
    )


def _assign_call(gtin: str, body: ClaimAssignmentIn) -> _Call:
    code = _gtin(gtin)
    return _Call(
        "POST",
        f"/certifications/api/v1/products/{code}/claims",
        code,
        lambda answer: _parse(ClaimAssignmentOut, orjson.loads(answer), code),
        json=body.to_request_json(),
    )


class Client:
    """A synchronous client of the product API.

    >>> Client(options=ClientOptions(api_key="secret"))
    Client(api_url='https://www.closient.com', auth='X-API-Key')
    """

    def __init__(
        self,
        *,
        options: ClientOptions | None = None,
        http: httpx.Client | None = None,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.options = options or ClientOptions.from_env()
        self._core = _Core(self.options, clock, wall)
        self._own_http = http is None
        self._http = http or httpx.Client(timeout=self.options.timeout)
        self._sleep = sleep

    def __repr__(self) -> str:
        return f"Client(api_url={self.options.api_url!r}, auth={_auth_kind(self.options)!r})"

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP client if this client created it."""
        if self._own_http:
            self._http.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        gtin: str | None = None,
        params: dict[str, Any] | None = None,
        json: Any = None,
    ) -> httpx.Response:
        """Send one request with rate limiting and retries; return the successful response."""
        core = self._core
        for attempt in range(1, self.options.retry.max_attempts + 1):
            while (delay := core.governor.delay()) > 0:
                self._sleep(delay)
            try:
                response = self._http.request(
                    method, core.url(path), params=params, json=json, headers=core.headers()
                )
            except httpx.HTTPError as exc:
                retry = core.after_failure(attempt, _transport_error(exc, gtin))
                self._sleep(retry.delay)
                continue
            try:
                return core.read(response, attempt, gtin)
            except _RetryError as retry:
                self._sleep(retry.delay)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _call(self, call: _Call) -> Any:
        response = self.request(
            call.method, call.path, gtin=call.gtin, params=call.params, json=call.json
        )
        return call.parse(response.content)

    def content_json(self, gtin: str) -> dict[str, Any]:
        """The raw content bundle, validated against the models but returned as received."""
        return self._call(_content_call(gtin))  # type: ignore[no-any-return]

    def content(self, gtin: str) -> ProductContentOut:
        """The product's content bundle."""
        return ProductContentOut.model_validate(self.content_json(gtin))

    def certifications(
        self,
        gtin: str,
        *,
        verification_status: str | None = None,
        is_active: bool | None = None,
        ordering: str | None = None,
    ) -> list[CertificationAssignmentOut]:
        """Every certification of the product, all pages fetched (100 per page)."""
        params = _cert_params(verification_status, is_active, ordering)
        out: list[CertificationAssignmentOut] = []
        page, more = 1, True
        while more:
            items, more = self._call(_certification_page_call(gtin, params, page))
            out.extend(items)
            page += 1
        return out

    def claims(self, gtin: str) -> list[ClaimAssignmentOut]:
        """Every claim assigned to the product."""
        return self._call(_claims_call(gtin))  # type: ignore[no-any-return]

    def assign_claim(self, gtin: str, body: ClaimAssignmentIn) -> ClaimAssignmentOut:
        """Assign a claim to the product (``AlreadyAssigned`` when it already is)."""
        return self._call(_assign_call(gtin, body))  # type: ignore[no-any-return]


class AsyncClient:
    """The asynchronous twin of :class:`Client` (same options, same behaviour)."""

    def __init__(
        self,
        *,
        options: ClientOptions | None = None,
        http: httpx.AsyncClient | None = None,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.options = options or ClientOptions.from_env()
        self._core = _Core(self.options, clock, wall)
        self._own_http = http is None
        self._http = http or httpx.AsyncClient(timeout=self.options.timeout)
        self._sleep = sleep

    def __repr__(self) -> str:
        return f"AsyncClient(api_url={self.options.api_url!r}, auth={_auth_kind(self.options)!r})"

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the HTTP client if this client created it."""
        if self._own_http:
            await self._http.aclose()

    async def request(
        self,
        method: str,
        path: str,
        *,
        gtin: str | None = None,
        params: dict[str, Any] | None = None,
        json: Any = None,
    ) -> httpx.Response:
        """Send one request with rate limiting and retries; return the successful response."""
        core = self._core
        for attempt in range(1, self.options.retry.max_attempts + 1):
            while (delay := core.governor.delay()) > 0:
                await self._sleep(delay)
            try:
                response = await self._http.request(
                    method, core.url(path), params=params, json=json, headers=core.headers()
                )
            except httpx.HTTPError as exc:
                retry = core.after_failure(attempt, _transport_error(exc, gtin))
                await self._sleep(retry.delay)
                continue
            try:
                return core.read(response, attempt, gtin)
            except _RetryError as retry:
                await self._sleep(retry.delay)
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def _call(self, call: _Call) -> Any:
        response = await self.request(
            call.method, call.path, gtin=call.gtin, params=call.params, json=call.json
        )
        return call.parse(response.content)

    async def content_json(self, gtin: str) -> dict[str, Any]:
        """The raw content bundle, validated against the models but returned as received."""
        return await self._call(_content_call(gtin))  # type: ignore[no-any-return]

    async def content(self, gtin: str) -> ProductContentOut:
        """The product's content bundle."""
        return ProductContentOut.model_validate(await self.content_json(gtin))

    async def certifications(
        self,
        gtin: str,
        *,
        verification_status: str | None = None,
        is_active: bool | None = None,
        ordering: str | None = None,
    ) -> list[CertificationAssignmentOut]:
        """Every certification of the product, all pages fetched (100 per page)."""
        params = _cert_params(verification_status, is_active, ordering)
        out: list[CertificationAssignmentOut] = []
        page, more = 1, True
        while more:
            items, more = await self._call(_certification_page_call(gtin, params, page))
            out.extend(items)
            page += 1
        return out

    async def claims(self, gtin: str) -> list[ClaimAssignmentOut]:
        """Every claim assigned to the product."""
        return await self._call(_claims_call(gtin))  # type: ignore[no-any-return]

    async def assign_claim(self, gtin: str, body: ClaimAssignmentIn) -> ClaimAssignmentOut:
        """Assign a claim to the product (``AlreadyAssigned`` when it already is)."""
        return await self._call(_assign_call(gtin, body))  # type: ignore[no-any-return]


def _cert_params(status: str | None, active: bool | None, ordering: str | None) -> dict[str, Any]:
    params: dict[str, Any] = {}
    if status is not None:
        params["verification_status"] = status
    if active is not None:
        params["is_active"] = "true" if active else "false"
    if ordering is not None:
        params["ordering"] = ordering
    return params


def _auth_kind(options: ClientOptions) -> str:
    if options.api_key:
        return "X-API-Key"
    return "Bearer" if options.token else "none"
