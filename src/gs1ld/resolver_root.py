"""A resolver root: the part of every Digital Link URI before ``/01/{gtin}``.

It ends up printed on packs, in every linkset anchor and in every redirect, so
it is checked once, here, for the library (:class:`~gs1ld.config.ExportConfig`)
and the command line alike: an http(s) scheme (in any case), a host, an optional
port and path, and nothing else: no user info, query or fragment.

>>> resolver_root("HTTPS://ID.Brand.Example/gs1/")
'https://id.brand.example/gs1'
>>> try:
...     resolver_root("https://id.brand.example/?x=1")
... except ValueError as exc:
...     print(str(exc).split("; ")[1])
it has a query '?x=1'.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from gs1ld.errors import ParseError

__all__ = ["is_plain_http", "resolver_root"]

_HOST = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\]")
_PATH = re.compile(r"(?:/[A-Za-z0-9._~!$&'()*+,;=:@%-]*)*")
_EXPECTED = "expected http(s)://host[:port][/path]"


def _fail(url: str, problem: str) -> ParseError:
    return ParseError(f"Invalid resolver root {url!r}: {_EXPECTED}; {problem}.")


def _host_part(netloc: str) -> str:
    """``netloc`` without its port (an IPv6 host keeps its brackets)."""
    if netloc.startswith("["):
        return netloc[: netloc.index("]") + 1] if "]" in netloc else netloc
    return netloc.rsplit(":", 1)[0]


def resolver_root(url: str) -> str:
    """``url`` as a resolver root: scheme and host lower-cased, no trailing slash.

    Raises:
        ParseError: ``url`` is not http(s), has no host, or has user info, a
            query or a fragment (the message names which).
    """
    text = url.strip()
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise _fail(url, f"the scheme is {parts.scheme or 'missing'!r}, not http or https")
    if "@" in parts.netloc:
        user = parts.netloc.rpartition("@")[0] + "@"
        raise _fail(url, f"it has user info {user!r}, which must never be printed on packs")
    if "?" in text:
        raise _fail(url, f"it has a query {'?' + parts.query!r}")
    if "#" in text:
        raise _fail(url, f"it has a fragment {'#' + parts.fragment!r}")
    if not parts.netloc:
        raise _fail(url, "it has no host")
    if not _HOST.fullmatch(_host_part(parts.netloc)):
        raise _fail(url, f"the host {parts.netloc!r} is malformed")
    try:
        port = parts.port
    except ValueError:
        raise _fail(url, f"the port of {parts.netloc!r} is malformed") from None
    if not _PATH.fullmatch(parts.path):
        raise _fail(url, f"the path {parts.path!r} holds a space, quote or control character")
    host = parts.hostname or ""
    if parts.netloc.startswith("["):
        host = f"[{host}]"
    netloc = host if port is None else f"{host}:{port}"
    return f"{scheme}://{netloc}{parts.path}".rstrip("/")


def is_plain_http(root: str) -> bool:
    """Whether a resolver root is plain http on a host other than this machine's loopback:
    allowed, but worth a warning, since its URIs end up printed on packs.

    >>> is_plain_http("http://id.brand.example"), is_plain_http("http://127.0.0.1:8080")
    (True, False)
    """
    parts = urlsplit(root)
    host = (parts.hostname or "").lower()
    loopback = host in ("localhost", "::1") or host.startswith("127.")
    return parts.scheme.lower() == "http" and not loopback
