"""Retries, deadlines, waits and the rate governor on a mock transport and a hand-driven clock.

No test here waits a real second: time moves when the client sleeps (through
the injected ``sleep``) or when a mock body says a second has passed.
"""

from __future__ import annotations

import asyncio
import gzip
import random
import zlib
from collections.abc import Iterator

import httpx
import orjson
import pytest
from apihelpers import synthetic_products
from mocktime import KEY, FakeTime, async_client, sync_client

from adversarial.generate import gzip_bomb
from gs1ld.errors import ClientError
from gs1ld.feed._retry import RetryPolicy
from gs1ld.feed.errors import (
    ApiError,
    RateLimited,
    ResponseError,
    Unauthorized,
    WaitTooLong,
)
from gs1ld.feed.pull import pull_catalog, read_gtins

MILK = "09506000134352"
BUNDLE = synthetic_products(1)
CONTENT = next(iter(BUNDLE.values()))


def _ok(**headers: str) -> httpx.Response:
    return httpx.Response(200, json=CONTENT, headers=headers)


def _backoffs(count: int) -> list[float]:
    """The delays the mock options' seeded policy gives after attempts 1..count."""
    policy = RetryPolicy(max_attempts=4, base=1.0, cap=8.0, rng=random.Random(3))
    return [policy.backoff(n) for n in range(1, count + 1)]


def test_server_errors_are_retried_with_the_policy_backoff() -> None:
    time, answers = FakeTime(), iter([500, 503, 200])

    def handler(request: httpx.Request) -> httpx.Response:
        status = next(answers)
        return _ok() if status == 200 else httpx.Response(status, json={"title": "down"})

    with sync_client(handler, time) as client:
        assert client.content_json(MILK) == CONTENT
    assert time.slept == _backoffs(2)


def test_timeouts_and_dropped_connections_are_retried_then_reported() -> None:
    time = FakeTime()
    faults = [httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("dropped")] * 2

    def handler(request: httpx.Request) -> httpx.Response:
        raise faults.pop(0)

    with sync_client(handler, time) as client, pytest.raises(ClientError) as excinfo:
        client.content_json(MILK)
    assert str(excinfo.value) == f"Could not reach the API for GTIN {MILK}: RemoteProtocolError"
    assert time.slept == _backoffs(3)  # four attempts, three waits between them
    assert faults == []


def test_retry_after_seconds_is_waited_for() -> None:
    time, answers = FakeTime(), iter([429, 200])

    def handler(request: httpx.Request) -> httpx.Response:
        if next(answers) == 429:
            return httpx.Response(429, headers={"Retry-After": "7"}, json={"title": "slow down"})
        return _ok()

    with sync_client(handler, time) as client:
        client.content_json(MILK)
    assert time.slept == [7.0]


@pytest.mark.parametrize(
    "retry_after",
    ["1e9", "inf", "Infinity", "901", "Wed, 21 Oct 2099 07:28:00 GMT"],
    ids=["1e9", "inf", "Infinity", "just-over", "http-date-far"],
)
def test_a_wait_longer_than_max_wait_fails_the_request_instead(retry_after: str) -> None:
    time, calls = FakeTime(), []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(429, headers={"Retry-After": retry_after}, json={"title": "wait"})

    with sync_client(handler, time, max_wait=900) as client, pytest.raises(WaitTooLong) as excinfo:
        client.content_json(MILK)
    assert time.slept == []
    assert len(calls) == 1
    assert f"for GTIN {MILK}, longer than --max-wait 900 s; not waited for." in str(excinfo.value)


def test_garbage_retry_after_falls_back_to_the_backoff() -> None:
    time, answers = FakeTime(), iter([429, 200])

    def handler(request: httpx.Request) -> httpx.Response:
        if next(answers) == 429:
            return httpx.Response(429, headers={"Retry-After": "nan"}, json={"title": "wait"})
        return _ok()

    with sync_client(handler, time) as client:
        client.content_json(MILK)
    assert time.slept == _backoffs(1)


def test_429_after_every_attempt_is_rate_limited() -> None:
    time = FakeTime()

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(429, headers={"Retry-After": "1"}, json={"title": "wait"})

    with sync_client(handler, time) as client, pytest.raises(RateLimited):
        client.content_json(MILK)
    assert time.slept == [1.0, 1.0, 1.0]


def test_the_governor_waits_for_the_reset_when_nothing_remains() -> None:
    time, seen = FakeTime(), []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(time.now)
        return _ok(**{"RateLimit-Remaining": "0", "RateLimit-Reset": "30"})

    with sync_client(handler, time) as client:
        client.content_json(MILK)
        client.content_json(MILK)
    assert seen == [1000.0, pytest.approx(1030.01)]
    assert time.slept == [pytest.approx(30.01)]


@pytest.mark.parametrize(
    "headers",
    [
        {"RateLimit-Remaining": "0", "RateLimit-Reset": "1000000000"},
        {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "99999999999"},
    ],
    ids=["reset-seconds", "legacy-absolute"],
)
def test_a_reset_beyond_max_wait_fails_the_next_request_at_once(headers: dict[str, str]) -> None:
    time = FakeTime()

    def handler(request: httpx.Request) -> httpx.Response:
        return _ok(**headers)

    with sync_client(handler, time) as client:
        client.content_json(MILK)
        with pytest.raises(WaitTooLong, match="its rate-limit reset"):
            client.content_json(MILK)
    assert time.slept == []


def test_a_dripping_answer_trips_the_whole_request_deadline() -> None:
    time, attempts = FakeTime(), []

    def drip() -> Iterator[bytes]:
        while True:  # one byte a second, for ever
            time.now += 1.0
            yield b" "

    def handler(request: httpx.Request) -> httpx.Response:
        attempts.append(time.now)
        return httpx.Response(200, content=drip())

    with sync_client(handler, time, timeout=5.0) as client, pytest.raises(ResponseError) as excinfo:
        client.content_json(MILK)
    assert str(excinfo.value) == (
        f"The API's answer for GTIN {MILK} took longer than 5 s (--timeout, the whole request); "
        "not read further."
    )
    assert len(attempts) == 4  # a slow answer is retried like a timeout
    assert time.slept == _backoffs(3)


def test_an_endless_body_stops_at_the_size_limit_and_is_not_retried() -> None:
    attempts: list[int] = []

    def endless() -> Iterator[bytes]:
        while True:
            yield b"x" * 65536

    def handler(request: httpx.Request) -> httpx.Response:
        attempts.append(1)
        return httpx.Response(200, content=endless())

    client = sync_client(handler, FakeTime(), max_response_bytes=1 << 20)
    with client, pytest.raises(ResponseError, match=r"larger than 1,048,576 bytes"):
        client.content_json(MILK)
    assert attempts == [1]


def test_an_endless_async_body_stops_at_the_size_limit() -> None:
    async def endless() -> object:
        while True:
            yield b"x" * 65536

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=endless())  # type: ignore[arg-type]

    async def run() -> None:
        async with async_client(handler, FakeTime(), max_response_bytes=1 << 20) as client:
            await client.content_json(MILK)

    with pytest.raises(ResponseError, match=r"larger than 1,048,576 bytes"):
        asyncio.run(run())


def test_a_gzip_bomb_is_inflated_only_up_to_the_limit() -> None:
    bomb = gzip_bomb()
    assert len(bomb) < 1 << 20  # smaller than the limit: only inflating it can trip it

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["Accept-Encoding"] == "gzip, deflate"
        return httpx.Response(200, content=iter([bomb]), headers={"Content-Encoding": "gzip"})

    client = sync_client(handler, FakeTime(), max_response_bytes=1 << 20)
    with client, pytest.raises(ResponseError, match="larger than 1,048,576 bytes"):
        client.content_json(MILK)


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_a_compressed_answer_within_the_limit_is_read(encoding: str) -> None:
    raw = orjson.dumps(CONTENT)
    body = gzip.compress(raw) if encoding == "gzip" else zlib.compress(raw)

    def handler(request: httpx.Request) -> httpx.Response:
        headers = {"Content-Encoding": encoding}
        return httpx.Response(200, content=iter([body[:10], body[10:]]), headers=headers)

    with sync_client(handler, FakeTime()) as client:
        assert client.content_json(MILK) == CONTENT


def test_an_encoding_gs1ld_did_not_ask_for_is_refused() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=iter([b"\x00"]), headers={"Content-Encoding": "br"})

    with sync_client(handler, FakeTime()) as client, pytest.raises(ResponseError, match="'br'"):
        client.content_json(MILK)


def test_the_key_echoed_in_an_error_body_is_redacted() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        detail = f"key {request.headers['X-API-Key']} is revoked"
        return httpx.Response(401, json={"title": "Unauthorized", "detail": detail})

    with sync_client(handler, FakeTime()) as client, pytest.raises(Unauthorized) as excinfo:
        client.content_json(MILK)
    assert str(excinfo.value) == f"API error 401 for GTIN {MILK}: key *** is revoked"
    assert KEY not in repr(excinfo.value.detail)


def test_async_client_shares_the_deadline_and_retry_after_rules() -> None:
    time = FakeTime()

    async def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(429, headers={"Retry-After": "inf"}, json={"title": "wait"})

    async def run() -> None:
        async with async_client(handler, time) as client:
            await client.content_json(MILK)

    with pytest.raises(WaitTooLong):
        asyncio.run(run())
    assert time.slept == []


def _quota_api(time: FakeTime, quota: int, window: float, statuses: list[int]) -> object:
    """A handler that allows ``quota`` requests per ``window`` of the fake clock."""
    state = {"start": time.now, "used": 0}

    def handler(request: httpx.Request) -> httpx.Response:
        if time.now >= state["start"] + window:
            state["start"], state["used"] = time.now, 0
        state["used"] += 1
        reset = max(0.0, state["start"] + window - time.now)
        headers = {
            "RateLimit-Limit": str(quota),
            "RateLimit-Remaining": str(max(0, quota - state["used"])),
            "RateLimit-Reset": f"{reset:.3f}".rstrip("0").rstrip(".") or "0",
        }
        if state["used"] > quota:
            statuses.append(429)
            return httpx.Response(429, headers={**headers, "Retry-After": "1"}, json={})
        statuses.append(200)
        gtin = request.url.path.split("/")[-2]
        return httpx.Response(200, headers=headers, json=BIG[gtin])

    return handler


BIG = synthetic_products(120)


@pytest.mark.parametrize("governor", [True, False], ids=["governed", "ungoverned"])
def test_the_governor_keeps_a_long_pull_free_of_429(governor: bool, tmp_path: object) -> None:
    time, statuses = FakeTime(), []
    handler = _quota_api(time, quota=25, window=1.0, statuses=statuses)

    async def run() -> object:
        async with async_client(handler, time, governor=governor) as client:  # type: ignore[arg-type]
            return await pull_catalog(
                read_gtins(list(BIG)), f"{tmp_path}/c.jsonl", client=client, concurrency=8
            )

    report = asyncio.run(run())
    assert (report.written, report.failed) == (120, [])  # type: ignore[attr-defined]
    assert statuses.count(200) == 120
    if governor:
        assert 429 not in statuses
    else:
        assert 429 in statuses  # the quota was hit and the 429s retried


def test_errors_name_their_type() -> None:
    assert issubclass(ResponseError, ClientError)
    assert issubclass(WaitTooLong, ClientError)
    assert not issubclass(ResponseError, ApiError)
