"""A fake of the documented product API, for tests over real HTTP on 127.0.0.1.

It serves a catalog and behaves as the API documents: X-API-Key check (401),
GTIN normalisation and 404, the pagination envelope, filters and ordering,
rate-limit headers with a small quota and 429 past it, POST claims with 409 on a
duplicate. Faults are injected per GTIN: 500s, dropped connections (of a content
answer, or of an assignment's answer after it was made), slow answers.
"""

from __future__ import annotations

import math
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import orjson
from apihelpers import API_KEY
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from gs1ld import gtin as gtin_rules
from gs1ld.errors import GtinError
from gs1ld.feed import ClaimAssignmentIn
from gs1ld.validity import is_active

ORDERINGS = {"expiry_date", "-expiry_date", "label", "-label"}


@dataclass
class FakeApi:
    """The fake's data, quota and injected faults; read them back in assertions."""

    products: dict[str, dict[str, Any]]  # gtin14 -> content bundle (raw JSON)
    today: date = date(2026, 6, 1)
    quota: int | None = None  # requests per window; None = no limit headers at all
    window: float = 1.0
    fail_first: dict[str, int] = field(default_factory=dict)  # gtin -> 500s before success
    drop_first: dict[str, int] = field(default_factory=dict)  # gtin -> dropped connections
    slow_first: dict[str, tuple[int, float]] = field(default_factory=dict)  # gtin -> (n, s)
    requests: Counter[str] = field(default_factory=Counter)  # "GET /path?query" -> count
    statuses: Counter[int] = field(default_factory=Counter)
    claims: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _window_start: float = 0.0
    _used: int = 0

    # --- helpers -----------------------------------------------------------------------------
    def _limit_headers(self, now: float) -> tuple[dict[str, str], bool]:
        if self.quota is None:
            return {}, True
        with self._lock:
            if now - self._window_start >= self.window:
                self._window_start, self._used = now, 0
            allowed = self._used < self.quota
            if allowed:
                self._used += 1
            remaining = max(0, self.quota - self._used)
            reset = max(0.0, self.window - (now - self._window_start))
        headers = {
            "RateLimit-Policy": f"{self.quota};w={self.window:g}",
            "RateLimit-Limit": str(self.quota),
            "RateLimit-Remaining": str(remaining),
            "RateLimit-Reset": f"{reset:.3f}",
            "X-RateLimit-Limit": str(self.quota),
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": str(int(time.time() + reset)),
        }
        if not allowed:
            headers["Retry-After"] = str(max(1, math.ceil(reset)))
        return headers, allowed

    @staticmethod
    def _problem(status: int, code: str, detail: str, **extra: Any) -> Response:
        body = {
            "type": f"https://closient.example/docs/errors/{code}",
            "title": code,
            "status": status,
            "detail": detail,
            "error_code": code,
            "retryable": status in (429, 500),
            **extra,
        }
        return Response(orjson.dumps(body), status, media_type="application/problem+json")

    def _take(self, faults: dict[str, Any], gtin: str) -> bool:
        with self._lock:
            left = faults.get(gtin, 0)
            if isinstance(left, tuple):
                count, _ = left
                if count > 0:
                    faults[gtin] = (count - 1, left[1])
                    return True
                return False
            if left > 0:
                faults[gtin] = left - 1
                return True
            return False

    # --- the endpoints -----------------------------------------------------------------------
    async def handle(self, request: Request) -> Response:
        key = f"{request.method} {request.url.path}?{request.url.query}"
        self.requests[key] += 1
        response = await self._answer(request)
        self.statuses[response.status_code] += 1
        return response

    async def _answer(self, request: Request) -> Response:
        headers, allowed = self._limit_headers(time.monotonic())
        if request.headers.get("x-api-key") != API_KEY:
            return self._with(
                self._problem(401, "unauthorized", "Missing or invalid API key."), headers
            )
        if not allowed:
            reset = float(headers["RateLimit-Reset"])
            return self._with(
                self._problem(429, "rate_limited", "Too many requests.", retry_after_seconds=reset),
                headers,
            )
        raw = request.path_params["gtin"]
        try:
            if not raw.isdigit() or not 8 <= len(raw) <= 14:
                raise GtinError("bad", raw)
            gtin = gtin_rules.normalize(raw)
        except GtinError:
            return self._with(
                self._problem(422, "validation_error", f"Invalid GTIN {raw!r}."), headers
            )
        if gtin not in self.products:
            return self._with(self._problem(404, "not_found", "No product has this GTIN."), headers)
        if self._take(self.fail_first, gtin):
            return self._with(self._problem(500, "internal_error", "Injected failure."), headers)
        if self._take(self.slow_first, gtin):
            import asyncio

            await asyncio.sleep(self.slow_first[gtin][1])
        kind = request.scope["route"].name
        if kind == "content":
            body = orjson.dumps(self.products[gtin])
            if self._take(self.drop_first, gtin):
                return _Dropped(body)
            return self._with(Response(body, media_type="application/json"), headers)
        if kind == "certifications":
            return self._with(self._certifications(request, gtin), headers)
        return self._with(await self._claims(request, gtin), headers)

    @staticmethod
    def _with(response: Response, headers: dict[str, str]) -> Response:
        response.headers.update(headers)
        return response

    def _certifications(self, request: Request, gtin: str) -> Response:
        q = request.query_params
        try:
            page = int(q.get("page", "1"))
            size = int(q.get("page_size", "25"))
        except ValueError:
            return self._problem(422, "validation_error", "page and page_size are integers.")
        if page < 1 or not 1 <= size <= 100:
            return self._problem(422, "validation_error", "page >= 1, 1 <= page_size <= 100.")
        rows = list(self.products[gtin].get("certifications", []))
        if (status := q.get("verification_status")) is not None:
            rows = [r for r in rows if r.get("verification_status") == status]
        if (active := q.get("is_active")) is not None:
            want = active == "true"
            rows = [r for r in rows if _active(r, self.today) == want]
        if (ordering := q.get("ordering")) is not None:
            if ordering not in ORDERINGS:
                return self._problem(422, "validation_error", f"Unknown ordering {ordering!r}.")
            field_name = ordering.lstrip("-")
            rows.sort(
                key=lambda r: (r.get(field_name) is None, r.get(field_name) or ""),
                reverse=ordering.startswith("-"),
            )
        total = len(rows)
        pages = math.ceil(total / size)
        data = rows[(page - 1) * size : page * size]
        rows_out = [{**r, "is_active": _active(r, self.today)} for r in data]
        body = {
            "data": rows_out,
            "pagination": {
                "page": page,
                "page_size": size,
                "total_count": total,
                "total_pages": pages,
                "has_next": page < pages,
                "has_previous": page > 1,
            },
        }
        return Response(orjson.dumps(body), media_type="application/json")

    async def _claims(self, request: Request, gtin: str) -> Response:
        assigned = self.claims.setdefault(gtin, [])
        if request.method == "GET":
            return Response(orjson.dumps(assigned), media_type="application/json")
        body = ClaimAssignmentIn.model_validate(orjson.loads(await request.body()))
        if any(c["id"] == body.claim_id for c in assigned):
            return self._problem(409, "conflict", "The claim is already assigned.")
        row = {
            "id": body.claim_id,
            "label": "Claim",
            "code": "CLAIM",
            "category": "OTHER",
            "source": body.source.value,
            "metadata": body.apply_metadata({}),
            "valid_from": body.valid_from.isoformat() if body.valid_from else None,
            "expiration_date": body.expiration_date.isoformat() if body.expiration_date else None,
        }
        assigned.append(row)
        if self._take(self.drop_first, gtin):  # assigned, but the answer is lost
            return _Dropped(orjson.dumps(row))
        return Response(orjson.dumps(row), 201, media_type="application/json")

    def app(self) -> Starlette:
        """The ASGI app."""
        return Starlette(
            routes=[
                Route("/products/api/v1/products/{gtin}/content", self.handle, name="content"),
                Route(
                    "/products/api/v1/products/{gtin}/certifications",
                    self.handle,
                    name="certifications",
                ),
                Route(
                    "/certifications/api/v1/products/{gtin}/claims",
                    self.handle,
                    methods=["GET", "POST"],
                    name="claims",
                ),
            ]
        )


def _active(row: dict[str, Any], today: date) -> bool:
    start = row.get("valid_from")
    end = row.get("expiration_date")
    return is_active(
        date.fromisoformat(start) if start else None,
        date.fromisoformat(end) if end else None,
        today=today,
    )


class _Dropped(Response):
    """Sends the headers and half the body, then fails: the client sees a dropped connection."""

    def __init__(self, body: bytes) -> None:
        super().__init__(body, media_type="application/json")
        self._body = body

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(self._body)).encode()),
                ],
            }
        )
        await send(
            {
                "type": "http.response.body",
                "body": self._body[: len(self._body) // 2],
                "more_body": True,
            }
        )
        raise ConnectionAbortedError("injected dropped connection")
