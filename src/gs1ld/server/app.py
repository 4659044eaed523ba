"""The resolver server: a Starlette app over a built site.

It answers GS1 Digital Link URIs the way the GS1-Conformant Resolver Standard
describes (redirects, linksets, JSON-LD, ``linkType``, languages, walking up
from unknown qualifiers), serves the site's own files, and adds CORS, ``Link``
and ``Vary`` headers, ETags and gzip to everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import orjson
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from gs1ld.errors import DigitalLinkError
from gs1ld.publish import (
    LINKSET_CONTEXT,
    LINKSET_CONTEXT_PATH,
    RESOLVER_DESCRIPTION_PATH,
    resolver_description,
)
from gs1ld.server._paths import ProductPath, parse_product_path
from gs1ld.server.resolve import Answer, problem, product_link_header, resolve_product
from gs1ld.server.store import SiteStore

__all__ = ["ServerConfig", "create_app"]

_CORS = (
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS"),
    ("Access-Control-Allow-Headers", "Accept, Accept-Language, If-None-Match"),
    ("Access-Control-Expose-Headers", "Link, Location, ETag"),
)
_VARY = ("Vary", "Accept, Accept-Language")
_MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".jsonld": "application/ld+json",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".xml": "application/xml",
    ".ttl": "text/turtle",
    ".map": "text/plain; charset=utf-8",
}


@dataclass(frozen=True, slots=True)
class ServerConfig:
    """How the server answers.

    Attributes:
        base_url: the resolver root used in absolute URIs (anchors, Link targets).
        trust_proxy: take the root from ``X-Forwarded-Host`` / ``X-Forwarded-Proto``.
        name: the resolver's name in ``/.well-known/gs1resolver``.
    """

    base_url: str
    trust_proxy: bool = False
    name: str = "gs1ld resolver"


class _Resolver:
    def __init__(self, store: SiteStore, config: ServerConfig) -> None:
        self.store = store
        self.config = config
        self.site_base_url = store.manifest.base_url.rstrip("/")
        """The resolver root the site's files were written for."""

    def root(self, request: Request) -> str:
        if self.config.trust_proxy:
            host = request.headers.get("x-forwarded-host")
            if host:
                scheme = request.headers.get("x-forwarded-proto", "https").split(",")[0].strip()
                return f"{scheme}://{host.split(',')[0].strip()}"
        return self.config.base_url.rstrip("/")

    def rebase(self, data: bytes, root: str) -> bytes:
        """Rewrite the site's build-time root to the root this request is served at."""
        if root == self.site_base_url:
            return data
        return data.replace(self.site_base_url.encode() + b"/", root.encode() + b"/")

    async def handle(self, request: Request) -> Response:
        path = request.url.path
        root = self.root(request)
        if path.startswith("/.well-known/"):
            answer = self.well_known(path, root)
        else:
            try:
                product_path = parse_product_path(path)
            except DigitalLinkError as exc:
                answer = problem(400, "Bad Request", str(exc))
                return self.respond(request, answer, root, None)
            if product_path is not None:
                if not self.store.product_in_memory(product_path.gtin):
                    await run_in_threadpool(self.store.product, product_path.gtin)
            elif not self.store.file_in_memory(_static_key(path)):
                await run_in_threadpool(self.store.file, _static_key(path))
            answer = (
                self.product(request, product_path, root)
                if product_path is not None
                else self.static(path)
            )
            if product_path is not None:
                return self.respond(request, answer, root, product_path)
        return self.respond(request, answer, root, None)

    def well_known(self, path: str, root: str) -> Answer:
        if path == RESOLVER_DESCRIPTION_PATH:
            description = resolver_description(root, self.config.name)
            body = orjson.dumps(description, option=orjson.OPT_INDENT_2)
            return Answer(200, (), body, "application/json")
        if path == LINKSET_CONTEXT_PATH:
            return Answer(200, (), orjson.dumps(LINKSET_CONTEXT), "application/ld+json")
        return self.static(path)

    def static(self, path: str) -> Answer:
        relative = path.lstrip("/")
        found = self.store.file(_static_key(path))
        if found is None:
            return problem(404, "Not Found", f"Nothing is published at {path!r}.")
        suffix = Path(relative).suffix if Path(relative).suffix else ".html"
        media = _MEDIA_TYPES.get(suffix, "application/octet-stream")
        if relative.endswith("linkset.json"):
            media = "application/linkset+json"
        return Answer(200, (), found.body, media, found.etag)

    def product(self, request: Request, target: ProductPath, root: str) -> Answer:
        if target.redirect_to is not None:
            location = root + target.redirect_to
            location += f"?{request.url.query}" if request.url.query else ""
            return Answer(301, (("Location", location),))
        record = self.store.product(target.gtin)
        if record is None:
            return problem(
                404,
                "Not Found",
                f"No product with GTIN {target.gtin} is published here.",
                gtin=target.gtin,
            )
        answer = resolve_product(
            record,
            query=request.url.query,
            accept=request.headers.get("accept"),
            accept_language=request.headers.get("accept-language"),
            context_url=root + LINKSET_CONTEXT_PATH,
        )
        headers = tuple(
            (name, self.rebase(value.encode(), root).decode()) for name, value in answer.headers
        )
        return Answer(
            answer.status, headers, self.rebase(answer.body, root), answer.media_type, answer.etag
        )

    def respond(
        self, request: Request, answer: Answer, root: str, target: ProductPath | None
    ) -> Response:
        headers: dict[str, str] = dict(_CORS)
        headers[_VARY[0]] = _VARY[1]
        for name, value in answer.headers:
            if name == "Link" and "Link" in headers:
                headers["Link"] += ", " + value
            else:
                headers[name] = value
        if target is not None and target.redirect_to is None:
            record = self.store.product(target.gtin)
            if record is not None:
                product_link = self.rebase(product_link_header(record).encode(), root).decode()
                headers["Link"] = (
                    f"{product_link}, {headers['Link']}" if "Link" in headers else product_link
                )
        if request.method == "OPTIONS":
            headers["Allow"] = "GET, HEAD, OPTIONS"
            return Response(status_code=204, headers=headers)
        if answer.etag:
            etag = answer.etag if root == self.site_base_url else f"W/{answer.etag}"
            headers["ETag"] = etag
            if etag in _if_none_match(request.headers.get("if-none-match")):
                return Response(status_code=304, headers=headers)
        body = b"" if request.method == "HEAD" else answer.body
        response = Response(
            body, status_code=answer.status, headers=headers, media_type=answer.media_type
        )
        if request.method == "HEAD":
            response.headers["content-length"] = str(len(answer.body))
        return response


def _if_none_match(value: str | None) -> set[str]:
    if not value:
        return set()
    return {tag.strip() for tag in value.split(",")}


def create_app(site: str | Path, *, config: ServerConfig) -> Starlette:
    """The resolver app over the site at ``site`` (built by ``gs1ld site build``)."""
    store = SiteStore(site)
    resolver = _Resolver(store, config)
    route = Route("/{path:path}", resolver.handle, methods=["GET", "HEAD", "OPTIONS"])
    return Starlette(routes=[route], middleware=[Middleware(GZipMiddleware, minimum_size=512)])


def _static_key(path: str) -> str:
    """The site-relative file a URL path names (the site's index page for ``/``)."""
    return path.lstrip("/") or "index.html"
