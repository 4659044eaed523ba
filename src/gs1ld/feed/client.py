"""Clients of the product API: ``Client`` (sync) and ``AsyncClient``, both on httpx.

Both share one sans-IO core (:class:`_Core`) that builds requests and reads
responses, so retries, rate limiting and error mapping behave the same. Callers
may pass their own ``httpx.Client`` / ``httpx.AsyncClient`` to control
transports. The API key and token never appear in reprs, logs or errors, even
when an error body echoes them.

Every request is bounded: its answer may not exceed ``max_response_bytes``
(compressed or inflated), the whole request may not take longer than
``timeout``, and no wait the API asks for (``Retry-After``, a rate-limit reset)
longer than ``max_wait`` is waited for: that request fails instead.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

import httpx
import orjson
from pydantic import BaseModel, ValidationError

from gs1ld import gtin as gtin_rules
from gs1ld.errors import ClientError, EntryError, ParseError
from gs1ld.feed._body import ACCEPT_ENCODING, BodyReader
from gs1ld.feed._ratelimit import Governor, parse_rate_limit
from gs1ld.feed._retry import RETRY_STATUSES, RetryPolicy
from gs1ld.feed.certification import CertificationAssignmentOut
from gs1ld.feed.claim import ClaimAssignmentIn, ClaimAssignmentOut
from gs1ld.feed.content import ProductContentOut
from gs1ld.feed.envelope import Page, ProblemDetails
from gs1ld.feed.errors import RateLimited, ResponseError, WaitTooLong, error_for, redact
from gs1ld.limits import DEFAULT_MAX_ENTRY_BYTES
from gs1ld.problems import problems_from_validation_error

__all__ = ["DEFAULT_API_URL", "AsyncClient", "Client", "ClientOptions", "RetryPolicy"]

DEFAULT_API_URL = "https://www.closient.com"
DEFAULT_MAX_WAIT = 900.0
"""Seconds: the longest wait the API may ask for before a request gives up (15 minutes)."""
_log = logging.getLogger(__name__)
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
        timeout: seconds per request attempt in all: connecting, sending and
            reading the whole answer (a server that drips its answer is cut off).
        retry: the backoff policy for 5xx, 429, timeouts and dropped connections.
        governor: pace requests by the rate-limit headers (on by default).
        max_wait: the longest single wait (``Retry-After``, a rate-limit reset)
            the client accepts; a longer one fails the request with
            :class:`~gs1ld.feed.errors.WaitTooLong` instead of waiting.
        max_response_bytes: the largest answer, compressed or inflated.
    """

    api_url: str = DEFAULT_API_URL
    api_key: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)
    timeout: float = 30.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    governor: bool = True
    max_wait: float = DEFAULT_MAX_WAIT
    max_response_bytes: int = DEFAULT_MAX_ENTRY_BYTES

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


class _RetryError(ClientError):
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
        headers = {
            "Accept": "application/json",
            "Accept-Encoding": ACCEPT_ENCODING,
            "User-Agent": "gs1ld",
        }
        if self.options.api_key:
            headers["X-API-Key"] = self.options.api_key
        if self.options.token:
            headers["Authorization"] = f"Bearer {self.options.token}"
        return headers

    def url(self, path: str) -> str:
        return self.options.api_url.rstrip("/") + path

    def redact(self, text: str) -> str:
        """``text`` without the key or token (for anything that may echo a request)."""
        return redact(text, (self.options.api_key, self.options.token))

    def pace(self, gtin: str | None) -> float:
        """Seconds to wait before the next request (0: go); raise past ``max_wait``."""
        delay = self.governor.delay()
        if delay > 0:
            self.bounded(delay, gtin, "its rate-limit reset")
        return delay

    def bounded(self, delay: float, gtin: str | None, why: str) -> float:
        """``delay``, or raise :class:`WaitTooLong` when it is longer than ``max_wait``."""
        if not delay <= self.options.max_wait:  # also catches inf and nan
            about = f" for GTIN {gtin}" if gtin else ""
            raise WaitTooLong(
                f"The API asked to wait {delay:,.0f} s ({why}){about}, longer than "
                f"--max-wait {self.options.max_wait:g} s; not waited for."
            )
        return delay

    def after_failure(self, attempt: int, error: ClientError) -> _RetryError:
        """The retry to make after a transport failure, or raise when attempts are used up."""
        self.governor.release(None)
        if attempt >= self.options.retry.max_attempts:
            raise error
        return _RetryError(self.options.retry.backoff(attempt), error)

    def body_reader(self, response: httpx.Response, gtin: str | None, started: float) -> BodyReader:
        """A reader holding ``response``'s body to the size limit and the deadline."""
        return BodyReader(
            limit=self.options.max_response_bytes,
            deadline=started + self.options.timeout,
            clock=self.clock,
            # a transport that answered from memory has inflated the body already
            encoding=""
            if response.is_stream_consumed
            else response.headers.get("content-encoding", ""),
            about=f" for GTIN {gtin}" if gtin else "",
            timeout=self.options.timeout,
        )

    def read(
        self, response: httpx.Response, body: bytes, attempt: int, gtin: str | None
    ) -> httpx.Response:
        """Return a successful response, raise a typed error, or raise :class:`_RetryError`.

        ``response`` was streamed; ``body`` is its content as :class:`BodyReader` read it.
        """
        state = parse_rate_limit(response.headers, now=self.clock(), wall_now=self.wall())
        self.governor.release(state)
        status = response.status_code
        if status < 400:
            return _with_body(response, body)
        problem = self.redacted(_problem(status, response.reason_phrase, body))
        error = error_for(status, problem, gtin)
        if status in RETRY_STATUSES and attempt < self.options.retry.max_attempts:
            if status == 429:
                wait = _retry_after(response, problem, self.wall())
                if wait is not None:
                    raise _RetryError(self.bounded(wait, gtin, "Retry-After"), error)
                raise _RetryError(self.options.retry.backoff(attempt), error)
            raise _RetryError(self.options.retry.backoff(attempt), error)
        if status == 429:
            raise RateLimited(status, problem, gtin)
        raise error

    def redacted(self, problem: ProblemDetails) -> ProblemDetails:
        """The problem body with the key and token taken out of its texts."""
        return problem.model_copy(
            update={"title": self.redact(problem.title), "detail": self.redact(problem.detail)}
        )

    def failed_attempt(self, exc: Exception, attempt: int, gtin: str | None) -> _RetryError:
        """The retry after a transport failure or an unusable answer, or raise."""
        if isinstance(exc, ResponseError):
            if not exc.retryable:
                self.governor.release(None)
                raise exc
            return self.after_failure(attempt, exc)
        assert isinstance(exc, httpx.HTTPError)
        _log.debug("attempt %d%s failed: %s", attempt, f" for {gtin}" if gtin else "", exc)
        return self.after_failure(attempt, _transport_error(exc, gtin))


async def _araw(response: httpx.Response) -> AsyncIterator[bytes]:
    """The raw body chunks (or the whole body, when a transport answered from memory)."""
    if response.is_stream_consumed:
        yield response.content
        return
    async for chunk in response.aiter_raw():
        yield chunk


_DROPPED_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


def _with_body(response: httpx.Response, body: bytes) -> httpx.Response:
    """A complete response holding the body that was streamed (already inflated)."""
    headers = [(k, v) for k, v in response.headers.multi_items() if k not in _DROPPED_HEADERS]
    return httpx.Response(
        response.status_code, headers=headers, content=body, request=response.request
    )


def _problem(status: int, reason: str, body: bytes) -> ProblemDetails:
    try:
        return ProblemDetails.model_validate(orjson.loads(body))
    except (orjson.JSONDecodeError, ValidationError, TypeError):
        return ProblemDetails(status=status, title=reason)


def _retry_after(
    response: httpx.Response, problem: ProblemDetails, wall_now: float
) -> float | None:
    """Seconds the API asks to wait: ``Retry-After`` (seconds or an HTTP date), or the body's.

    Any number is taken as given, however large (``1e9``, ``inf``): the caller
    refuses waits longer than ``max_wait``. Garbage (``nan``, words) is ignored.
    """
    header = (response.headers.get("retry-after") or "").strip()
    if header:
        try:
            seconds = float(header)
        except ValueError:
            try:
                seconds = parsedate_to_datetime(header).timestamp() - wall_now
            except (TypeError, ValueError, IndexError, OverflowError):
                seconds = math.nan
        if not math.isnan(seconds):
            return max(0.0, seconds)
    return problem.retry_after_seconds


def _json(body: bytes, gtin: str) -> Any:
    """The answer's JSON value; an answer that is not JSON is that GTIN's problem."""
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        kind = "empty" if not body.strip() else "not JSON"
        raise ResponseError(
            f"The API's answer for GTIN {gtin} is {kind} ({exc.msg} at line {exc.lineno}, "
            f"column {exc.colno}); an HTML page or a cut-off body?"
        ) from None


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
        data: dict[str, Any] = _json(body, code)
        _parse(ProductContentOut, data, code)  # validated, but returned as received
        return data

    return _Call("GET", f"/products/api/v1/products/{code}/content", code, parse)


def _certification_page_call(gtin: str, params: dict[str, Any], page: int, page_size: int) -> _Call:
    code = _gtin(gtin)
    if page < 1:
        raise ParseError(f"page: expected 1 or more (pages count from 1), got {page}")
    if not 1 <= page_size <= PAGE_SIZE:
        raise ParseError(f"page_size: expected 1 to {PAGE_SIZE} (the API's range), got {page_size}")

    def parse(body: bytes) -> Page[CertificationAssignmentOut]:
        return _parse(Page[CertificationAssignmentOut], _json(body, code), code)

    return _Call(
        "GET",
        f"/products/api/v1/products/{code}/certifications",
        code,
        parse,
        params={**params, "page": page, "page_size": page_size},
    )


def _claims_call(gtin: str) -> _Call:
    code = _gtin(gtin)
    return _Call(
        "GET",
        f"/certifications/api/v1/products/{code}/claims",
        code,
        lambda body: [_parse(ClaimAssignmentOut, item, code) for item in _json(body, code)],
    )


def _assign_call(gtin: str, body: ClaimAssignmentIn) -> _Call:
    code = _gtin(gtin)
    return _Call(
        "POST",
        f"/certifications/api/v1/products/{code}/claims",
        code,
        lambda answer: _parse(ClaimAssignmentOut, _json(answer, code), code),
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
        """Send one request with rate limiting and retries; return the successful response.

        Raises:
            ClientError: the API refused, failed after every attempt, answered with
                something unusable, or asked to wait longer than ``max_wait``.
        """
        core = self._core
        for attempt in range(1, self.options.retry.max_attempts + 1):
            while (delay := core.pace(gtin)) > 0:
                self._sleep(delay)
            request = self._http.build_request(
                method, core.url(path), params=params, json=json, headers=core.headers()
            )
            started = core.clock()
            try:
                response = self._http.send(request, stream=True)
                try:
                    chunks = (
                        iter([response.content])
                        if response.is_stream_consumed
                        else response.iter_raw()
                    )
                    body = core.body_reader(response, gtin, started).read(chunks)
                finally:
                    response.close()
            except (httpx.HTTPError, ResponseError) as exc:
                self._sleep(core.failed_attempt(exc, attempt, gtin).delay)
                continue
            try:
                return core.read(response, body, attempt, gtin)
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
        page_size: int = PAGE_SIZE,
    ) -> list[CertificationAssignmentOut]:
        """Every certification of the product, all pages fetched (``page_size`` per page)."""
        params = _cert_params(verification_status, is_active, ordering)
        out: list[CertificationAssignmentOut] = []
        page, more = 1, True
        while more:
            found = self._call(_certification_page_call(gtin, params, page, page_size))
            out.extend(found.data)
            more = found.pagination.has_next
            page += 1
        return out

    def certifications_page(
        self,
        gtin: str,
        *,
        page: int = 1,
        page_size: int = PAGE_SIZE,
        verification_status: str | None = None,
        is_active: bool | None = None,
        ordering: str | None = None,
    ) -> Page[CertificationAssignmentOut]:
        """One page of the product's certifications, with its pagination envelope.

        Raises:
            ParseError: ``page`` is below 1 or ``page_size`` outside 1-100 (the API's range).
        """
        params = _cert_params(verification_status, is_active, ordering)
        found: Page[CertificationAssignmentOut] = self._call(
            _certification_page_call(gtin, params, page, page_size)
        )
        return found

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
        """Send one request with rate limiting and retries; return the successful response.

        Raises:
            ClientError: the API refused, failed after every attempt, answered with
                something unusable, or asked to wait longer than ``max_wait``.
        """
        core = self._core
        for attempt in range(1, self.options.retry.max_attempts + 1):
            while (delay := core.pace(gtin)) > 0:
                await self._sleep(delay)
            request = self._http.build_request(
                method, core.url(path), params=params, json=json, headers=core.headers()
            )
            started = core.clock()
            try:
                response = await self._http.send(request, stream=True)
                try:
                    reader = core.body_reader(response, gtin, started)
                    body = await reader.aread(_araw(response))
                finally:
                    await response.aclose()
            except (httpx.HTTPError, ResponseError) as exc:
                await self._sleep(core.failed_attempt(exc, attempt, gtin).delay)
                continue
            try:
                return core.read(response, body, attempt, gtin)
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
        page_size: int = PAGE_SIZE,
    ) -> list[CertificationAssignmentOut]:
        """Every certification of the product, all pages fetched (``page_size`` per page)."""
        params = _cert_params(verification_status, is_active, ordering)
        out: list[CertificationAssignmentOut] = []
        page, more = 1, True
        while more:
            found = await self._call(_certification_page_call(gtin, params, page, page_size))
            out.extend(found.data)
            more = found.pagination.has_next
            page += 1
        return out

    async def certifications_page(
        self,
        gtin: str,
        *,
        page: int = 1,
        page_size: int = PAGE_SIZE,
        verification_status: str | None = None,
        is_active: bool | None = None,
        ordering: str | None = None,
    ) -> Page[CertificationAssignmentOut]:
        """One page of the product's certifications, with its pagination envelope.

        Raises:
            ParseError: ``page`` is below 1 or ``page_size`` outside 1-100 (the API's range).
        """
        params = _cert_params(verification_status, is_active, ordering)
        found: Page[CertificationAssignmentOut] = await self._call(
            _certification_page_call(gtin, params, page, page_size)
        )
        return found

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
