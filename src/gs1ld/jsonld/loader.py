"""An offline JSON-LD document loader: known context URLs are served from ``contexts/``.

pyld fetches every context URL it meets; this loader answers the known ones
from the files bundled with gs1ld and refuses the rest with an error naming the
URL, unless remote contexts were explicitly allowed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import orjson

from gs1ld._resources import read_bytes
from gs1ld.errors import ParseError

__all__ = ["KNOWN_CONTEXTS", "RemoteContextError", "document_loader", "known_context"]

KNOWN_CONTEXTS: dict[str, str] = {
    "https://ref.gs1.org/voc/data/gs1Voc.jsonld": "gs1ld.jsonld",
    "https://ref.gs1.org/voc/": "gs1ld.jsonld",
    "https://ref.gs1.org/voc": "gs1ld.jsonld",
}


class RemoteContextError(ParseError):
    """A document names a context URL gs1ld does not have, and remote ones are not allowed."""

    def __init__(self, url: str) -> None:
        super().__init__(
            f"Context {url!r} is not known locally; gs1ld does not fetch contexts from the "
            "network unless remote contexts are allowed (--allow-remote-contexts)."
        )
        self.url = url


@cache
def known_context(url: str) -> dict[str, Any] | None:
    """The bundled context document served for ``url``, or None."""
    name = KNOWN_CONTEXTS.get(url)
    if name is None:
        return None
    document: dict[str, Any] = orjson.loads(read_bytes("contexts", name))
    return document


def document_loader(*, allow_remote: bool = False) -> Callable[..., dict[str, Any]]:
    """A pyld document loader that never touches the network unless ``allow_remote``."""

    def load(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
        document = known_context(url)
        if document is not None:
            return {"contextUrl": None, "documentUrl": url, "document": document}
        if not allow_remote:
            raise RemoteContextError(url)
        import httpx

        response = httpx.get(
            url,
            follow_redirects=True,
            timeout=30,
            headers={"Accept": "application/ld+json, application/json"},
        )
        response.raise_for_status()
        return {"contextUrl": None, "documentUrl": str(response.url), "document": response.json()}

    return load
