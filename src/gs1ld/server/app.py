"""The resolver server: a plain ASGI app over a built site, for uvicorn or any ASGI server.

It answers GS1 Digital Link URIs the way the GS1-Conformant Resolver Standard
describes (redirects, linksets, JSON-LD, ``linkType``, languages, walking up
from unknown qualifiers), serves the site's own files, and adds CORS, ``Link``
and ``Vary`` headers, entity tags, ``Last-Modified``, conditional requests
(RFC 9110) and gzip to everything.  Every error status is an RFC 9457
``application/problem+json`` answer, and no request path reaches a traceback.

It is written against ASGI directly rather than a framework: the resolver's
hot path (one dictionary lookup and a few header lines) is small enough that
a framework's request and response objects would cost more than the answer.

Two ways to run it: ``gs1ld serve`` (which also takes ``--workers``), or any
ASGI server through the factory :func:`app_from_env`, configured by the same
``GS1LD_SERVE_*`` environment variables as the command::

    GS1LD_SERVE_SITE=/srv/site GS1LD_SERVE_BASE_URL=https://id.brand.example \\
        uvicorn --factory gs1ld.server.app:app_from_env --workers 4
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import logging
import os
import posixpath
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson

from gs1ld.errors import DigitalLinkError, PublishError
from gs1ld.publish import (
    LINKSET_CONTEXT,
    LINKSET_CONTEXT_PATH,
    RESOLVER_DESCRIPTION_PATH,
    resolver_description,
)
from gs1ld.publish.layout import LINKSET_FILE, PAGE_FILE
from gs1ld.publish.wire import (
    CACHE_CONTROL,
    JSON_MEDIA_TYPE,
    JSONLD_MEDIA_TYPE,
    LINKSET_MEDIA_TYPE,
)
from gs1ld.server._conditional import precondition
from gs1ld.server._forwarded import forwarded_root
from gs1ld.server._paths import ProductPath, parse_product_path
from gs1ld.server._replies import Reply, ReplyCache
from gs1ld.server.access_log import AccessLog, AccessRecord
from gs1ld.server.resolve import Answer, problem, product_link_header, resolve_product
from gs1ld.server.store import Generation, ProductRecord, SiteStore, etag_of

__all__ = ["HEALTH_PATH", "ResolverApp", "ServerConfig", "app_from_env", "create_app"]

logger = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
Headers = list[tuple[bytes, bytes]]
RequestKey = tuple[object, ...]

HEALTH_PATH = "/.well-known/gs1ld/health"
"""The health check: under ``/.well-known/`` (RFC 8615), so never a Digital Link path.

A Digital Link path starts with a numeric AI, and a compressed one is a single
segment of base64url characters, which have no ``.``; and no site build writes
a file there.
"""

ALLOWED_METHODS = "GET, HEAD, OPTIONS"
_ALLOWED = ALLOWED_METHODS.encode()
_CORS: Headers = [
    (b"access-control-allow-origin", b"*"),
    (b"access-control-allow-methods", ALLOWED_METHODS.encode()),
    (b"access-control-allow-headers", b"Accept, Accept-Language, If-None-Match"),
    (b"access-control-expose-headers", b"Link, Location, ETag"),
]
_CACHE_CONTROL = CACHE_CONTROL.encode()
_MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".jsonld": JSONLD_MEDIA_TYPE,
    ".json": JSON_MEDIA_TYPE,
    ".svg": "image/svg+xml",
    ".xml": "application/xml",
    ".ttl": "text/turtle",
    ".map": "text/plain; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".conf": "text/plain; charset=utf-8",
}
_COMPRESSIBLE = ("text/", "application/", "image/svg+xml")
_GZIP_MINIMUM = 512
_KEYED = frozenset(
    {
        b"accept",
        b"accept-language",
        b"accept-encoding",
        b"if-match",
        b"if-none-match",
        b"if-modified-since",
        b"if-unmodified-since",
    }
)
"""The request headers an answer depends on (with the forwarded ones behind a trusted proxy)."""
_KEYED_BEHIND_PROXY = _KEYED | {b"x-forwarded-host", b"x-forwarded-proto"}
_WANTED = _KEYED_BEHIND_PROXY | {b"user-agent", b"referer"}


DEFAULT_NAME = "gs1ld resolver"


@dataclass(frozen=True, slots=True)
class ServerConfig:
    """How the server answers.

    Attributes:
        base_url: the resolver root used in absolute URIs (anchors, Link targets).
        trust_proxy: take the root from ``X-Forwarded-Host`` / ``X-Forwarded-Proto``
            (checked to be a host and ``http``/``https``; anything else is ignored).
        name: the resolver's name in ``/.well-known/gs1resolver``.
        access_log: where JSON-lines access records go (a file, ``-`` for
            standard output), or None for none.
        refresh_interval: the least number of seconds between two looks for a
            rebuild of the site.
    """

    base_url: str
    trust_proxy: bool = False
    name: str = DEFAULT_NAME
    access_log: str | None = None
    refresh_interval: float = 1.0


def _request_headers(scope: Scope) -> dict[bytes, str]:
    """The request headers the resolver reads (repeated ones joined with commas)."""
    found: dict[bytes, str] = {}
    for name, value in scope["headers"]:
        if name in _WANTED:
            text = value.decode("latin-1")
            found[name] = f"{found[name]}, {text}" if name in found else text
    return found


def _accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether ``Accept-Encoding`` accepts gzip (an explicit ``q=0`` refuses it)."""
    if not accept_encoding or ("gzip" not in accept_encoding and "*" not in accept_encoding):
        return False
    verdict = {}
    for item in accept_encoding.lower().split(","):
        coding, *params = (part.strip() for part in item.split(";"))
        quality = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        verdict[coding] = quality > 0
    return verdict.get("gzip", verdict.get("x-gzip", verdict.get("*", False)))


def _static_media_type(path: str) -> str:
    name = path.rstrip("/").rsplit("/", 1)[-1]
    if name == LINKSET_FILE:
        return LINKSET_MEDIA_TYPE
    suffix = posixpath.splitext(name)[1] if path.endswith(name) else ""
    return _MEDIA_TYPES.get(suffix or ".html", "application/octet-stream")


def _parse_uncached(path: str) -> tuple[ProductPath | None, str | None]:
    """(the product path, None), (None, None) for a site file, or (None, why it is a 400)."""
    try:
        return parse_product_path(path), None
    except DigitalLinkError as exc:
        return None, str(exc)


_parse_path = lru_cache(maxsize=16384)(_parse_uncached)
"""Paths repeat (the same products are asked for again and again): each is read once."""


def _rebased_etag(etag: str, base_url: str) -> str:
    """A distinct tag for a body rewritten for another base URL (the same base, the same tag)."""
    salt = hashlib.blake2b(base_url.encode(), digest_size=4).hexdigest()
    return f'{etag[:-1]}-{salt}"'


class ResolverApp:
    """The ASGI application.

    Args:
        store: the site, followed across rebuilds.
        config: how to answer.
        access_log: where to write access records, or None.
    """

    def __init__(
        self, store: SiteStore, config: ServerConfig, *, access_log: AccessLog | None = None
    ) -> None:
        self.store = store
        self.config = config
        self.access_log = access_log
        self._base_url = config.base_url.rstrip("/")
        vary = "Accept, Accept-Language"
        if config.trust_proxy:
            vary += ", X-Forwarded-Host, X-Forwarded-Proto"
        self._vary = vary.encode()
        self._vary_encoding = (vary + ", Accept-Encoding").encode()
        self._gzipped: OrderedDict[str, bytes] = OrderedDict()
        self._replies = ReplyCache()
        self._keyed = _KEYED_BEHIND_PROXY if config.trust_proxy else _KEYED
        """Finished replies of the current generation (the same request, the same bytes)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer one ASGI connection scope (``http``, or ``lifespan``)."""
        kind = scope["type"]
        if kind == "http":
            await self._http(scope, send)
        elif kind == "lifespan":
            await self._lifespan(receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self.access_log is not None:
                    self.access_log.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _http(self, scope: Scope, send: Send) -> None:
        started = time.perf_counter()
        method: str = scope["method"]
        keyed = self._keyed
        # What the answer depends on besides the build: the request line and the headers
        # the resolver reads, as sent (validators too: a 304 is as fixed as a 200).
        key: RequestKey = (
            method,
            scope["path"],
            scope["query_string"],
            *[pair for pair in scope["headers"] if pair[0] in keyed],
        )
        headers: dict[bytes, str] | None = None
        try:
            generation = self.store.generation
            if self.store.due():
                loop = asyncio.get_running_loop()
                generation = await loop.run_in_executor(None, self.store.refresh)
            reply = self._replies.get(generation, key)
            if reply is None:
                headers = _request_headers(scope)
                reply, answered = await self._answer(scope, method, headers, generation)
                if answered is self.store.generation:
                    self._replies.put(answered, key, reply)
        except Exception as exc:  # a bug must cost one answer, never the connection
            logger.error("internal error answering %s %r: %r", method, scope.get("path"), exc)
            logger.debug("traceback", exc_info=True)
            reply = self._reply(
                method,
                headers or _request_headers(scope),
                problem(500, "Internal Server Error", "The server failed to answer."),
            )
        await send(
            {"type": "http.response.start", "status": reply.status, "headers": reply.headers}
        )
        body = b"" if method == "HEAD" else reply.body
        await send({"type": "http.response.body", "body": body})
        if self.access_log is not None:
            headers = headers or _request_headers(scope)
            client = scope.get("client")
            self.access_log.write(
                AccessRecord(
                    method=method,
                    path=scope.get("raw_path", scope["path"].encode()).decode("latin-1"),
                    query=scope.get("query_string", b"").decode("latin-1"),
                    status=reply.status,
                    bytes=len(body),
                    duration_ms=(time.perf_counter() - started) * 1000,
                    client=client[0] if client else None,
                    user_agent=headers.get(b"user-agent"),
                    referer=headers.get(b"referer"),
                )
            )

    def _request_base_url(self, headers: dict[bytes, str]) -> str:
        if self.config.trust_proxy:
            forwarded = forwarded_root(
                headers.get(b"x-forwarded-host"), headers.get(b"x-forwarded-proto")
            )
            if forwarded is not None:
                return forwarded
        return self._base_url

    async def _answer(
        self, scope: Scope, method: str, headers: dict[bytes, str], generation: Generation
    ) -> tuple[Reply, Generation | None]:
        """The reply, and the generation it is the same for every time (None: no such one)."""
        path: str = scope["path"]
        if method not in ("GET", "HEAD", "OPTIONS"):
            answer = problem(
                405,
                "Method Not Allowed",
                f"{method} is not allowed: this resolver answers {ALLOWED_METHODS}.",
            )
            return self._reply(method, headers, answer, extra=[(b"allow", _ALLOWED)]), None
        base_url = self._request_base_url(headers)
        if path.startswith("/.well-known/"):
            if path == HEALTH_PATH:
                return self._health(method, headers, generation), None
            if path == RESOLVER_DESCRIPTION_PATH:
                body = orjson.dumps(
                    resolver_description(base_url, self.config.name), option=orjson.OPT_INDENT_2
                )
                answer = Answer(200, (), body, JSON_MEDIA_TYPE, etag_of(body))
                return self._reply(method, headers, answer), generation
            if path == LINKSET_CONTEXT_PATH:
                body = orjson.dumps(LINKSET_CONTEXT)
                answer = Answer(200, (), body, JSONLD_MEDIA_TYPE, etag_of(body))
                return self._reply(method, headers, answer), generation
            return self._reply(method, headers, await self._static(generation, path)), None
        target, error = _parse_path(path) if len(path) <= 256 else _parse_uncached(path)
        if error is not None:
            return self._reply(method, headers, problem(400, "Bad Request", error)), generation
        if target is None:
            return self._reply(method, headers, await self._static(generation, path)), None
        return await self._product(scope, method, headers, generation, target, base_url)

    def _health(self, method: str, headers: dict[bytes, str], generation: Generation) -> Reply:
        failure = self.store.failure
        if failure is not None:
            answer = problem(503, "Service Unavailable", failure)
        else:
            body = orjson.dumps({"status": "ok", "build_id": generation.build_id})
            answer = Answer(200, (), body, JSON_MEDIA_TYPE)
        return self._reply(method, headers, answer, extra=[(b"cache-control", b"no-store")])

    async def _static(self, generation: Generation, path: str) -> Answer:
        relative = path.lstrip("/") or PAGE_FILE
        if self.store.file_in_memory(generation, relative):
            _, found = self.store.file(generation, relative)
        else:
            loop = asyncio.get_running_loop()
            _, found = await loop.run_in_executor(None, self.store.file, generation, relative)
        if found is None:
            return problem(404, "Not Found", f"Nothing is published at {path!r}.")
        return Answer(200, (), found.body, _static_media_type(path), found.etag, found)

    async def _record(
        self, generation: Generation, gtin: str
    ) -> tuple[Generation, ProductRecord | None]:
        if self.store.product_in_memory(generation, gtin):
            return self.store.product(generation, gtin)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, self.store.product, generation, gtin)

    async def _product(
        self,
        scope: Scope,
        method: str,
        headers: dict[bytes, str],
        generation: Generation,
        target: ProductPath,
        base_url: str,
    ) -> tuple[Reply, Generation]:
        query: str = scope["query_string"].decode("latin-1")
        if target.redirect_to is not None:
            location = base_url + target.redirect_to + (f"?{query}" if query else "")
            answer = Answer(301, (("Location", location),))
            return self._reply(method, headers, answer), generation
        generation, record = await self._record(generation, target.gtin)
        if record is None:
            answer = problem(
                404,
                "Not Found",
                f"No product with GTIN {target.gtin} is published here.",
                gtin=target.gtin,
            )
            return self._reply(method, headers, answer), generation
        link = product_link_header(record)
        if method == "OPTIONS":
            answer = Answer(204)
        else:
            answer = resolve_product(
                record,
                query=query,
                accept=headers.get(b"accept"),
                accept_language=headers.get(b"accept-language"),
                context_url=base_url + LINKSET_CONTEXT_PATH,
            )
        if base_url != generation.base_url:
            answer, link = _rebase(answer, link, generation.base_url, base_url)
        return self._reply(method, headers, answer, link=link), generation

    def _reply(
        self,
        method: str,
        request: dict[bytes, str],
        answer: Answer,
        *,
        link: str | None = None,
        extra: Headers | None = None,
    ) -> Reply:
        headers: Headers = [*_CORS, *(extra or ())]
        if not any(name == b"cache-control" for name, _ in headers):
            headers.append((b"cache-control", _CACHE_CONTROL))
        links = [link] if link else []
        if method == "OPTIONS":
            headers.append((b"allow", _ALLOWED))
            headers.append((b"vary", self._vary))
            if links:
                headers.append((b"link", links[0].encode("latin-1")))
            return Reply(204, headers)
        for name, value in answer.headers:
            if name == "Link":
                links.append(value)
            else:
                headers.append((name.lower().encode("latin-1"), value.encode("latin-1")))
        if links:
            headers.append((b"link", ", ".join(links).encode("latin-1")))
        body, etag, status = answer.body, answer.etag, answer.status
        compressible = (
            len(body) >= _GZIP_MINIMUM
            and answer.media_type is not None
            and answer.media_type.startswith(_COMPRESSIBLE)
        )
        headers.append((b"vary", self._vary_encoding if compressible else self._vary))
        if compressible and _accepts_gzip(request.get(b"accept-encoding")):
            body, etag = self._gzip(body, etag)
            headers.append((b"content-encoding", b"gzip"))
        source = answer.source
        if etag is not None:
            headers.append((b"etag", etag.encode("latin-1")))
        if source is not None and source.last_modified is not None:
            headers.append((b"last-modified", source.last_modified.encode()))
        if status == 200:
            verdict = precondition(
                method,
                etag,
                source.mtime if source is not None and source.last_modified else None,
                if_match=request.get(b"if-match"),
                if_none_match=request.get(b"if-none-match"),
                if_modified_since=request.get(b"if-modified-since"),
                if_unmodified_since=request.get(b"if-unmodified-since"),
            )
            if verdict == 304:
                return Reply(304, headers)
            if verdict == 412:
                failed = problem(412, "Precondition Failed", "A request condition is not met.")
                return self._reply(method, {}, failed)
        if answer.media_type is not None:
            headers.append((b"content-type", answer.media_type.encode()))
        headers.append((b"content-length", str(len(body)).encode()))
        return Reply(status, headers, body)

    def _gzip(self, body: bytes, etag: str | None) -> tuple[bytes, str | None]:
        """The gzip form of ``body`` (cached by entity tag) and its own tag."""
        if etag is None:
            return gzip.compress(body, compresslevel=6, mtime=0), None
        cached = self._gzipped.get(etag)
        if cached is None:
            cached = gzip.compress(body, compresslevel=6, mtime=0)
            self._gzipped[etag] = cached
            if len(self._gzipped) > 1024:
                self._gzipped.popitem(last=False)
        return cached, f'{etag[:-1]}-gzip"'


def _rebase(answer: Answer, link: str, site_base_url: str, base_url: str) -> tuple[Answer, str]:
    """``answer`` and ``link`` with the base URL the site was built for turned into ``base_url``."""
    old, new = site_base_url + "/", base_url + "/"
    headers = tuple((name, value.replace(old, new)) for name, value in answer.headers)
    body = answer.body.replace(old.encode(), new.encode())
    etag = _rebased_etag(answer.etag, base_url) if answer.etag else None
    rebased = Answer(answer.status, headers, body, answer.media_type, etag, answer.source)
    return rebased, link.replace(old, new)


def create_app(
    site: str | Path,
    *,
    config: ServerConfig,
    clock: Callable[[], float] = time.monotonic,
) -> ResolverApp:
    """The resolver app over the site at ``site`` (built by ``gs1ld site build``).

    Args:
        site: the site's directory; a rebuild into it is picked up while serving.
        config: how to answer.
        clock: the monotonic clock that spaces the looks for a rebuild (tests inject one).

    Raises:
        PublishError: ``site`` is not a gs1ld site, or the access log cannot be opened.
    """
    store = SiteStore(site, interval=config.refresh_interval, clock=clock)
    access_log = None
    if config.access_log is not None:
        try:
            access_log = AccessLog(config.access_log)
        except OSError as exc:
            raise PublishError(
                f"cannot open the access log {config.access_log!r}: {exc.strerror}"
            ) from exc
    return ResolverApp(store, config, access_log=access_log)


ENV_PREFIX = "GS1LD_SERVE_"


def app_from_env() -> ResolverApp:
    """The resolver app configured from ``GS1LD_SERVE_*`` variables (an ASGI factory).

    ``GS1LD_SERVE_SITE`` (required) is the built site; ``GS1LD_SERVE_BASE_URL``
    the resolver root (default: the root the site was built for);
    ``GS1LD_SERVE_TRUST_PROXY`` (``1``/``true``/``yes``), ``GS1LD_SERVE_NAME`` and
    ``GS1LD_SERVE_ACCESS_LOG`` (a file or ``-``) as the ``gs1ld serve`` options.

    Raises:
        PublishError: ``GS1LD_SERVE_SITE`` is unset or not a gs1ld site.
    """
    site = os.environ.get(ENV_PREFIX + "SITE")
    if not site:
        raise PublishError(f"{ENV_PREFIX}SITE is not set: it names the site to serve")
    base_url = os.environ.get(ENV_PREFIX + "BASE_URL") or SiteStore(site).manifest.base_url
    config = ServerConfig(
        base_url=base_url,
        trust_proxy=os.environ.get(ENV_PREFIX + "TRUST_PROXY", "").lower() in ("1", "true", "yes"),
        name=os.environ.get(ENV_PREFIX + "NAME") or DEFAULT_NAME,
        access_log=os.environ.get(ENV_PREFIX + "ACCESS_LOG") or None,
    )
    return create_app(site, config=config)
