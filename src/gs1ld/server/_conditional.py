"""Conditional requests (RFC 9110 §13): which answer a validator turns into 304 or 412.

Evaluated only for an answer that would be 200, in the standard's order
(§13.2.2): ``If-Match``, else ``If-Unmodified-Since``; then ``If-None-Match``,
else ``If-Modified-Since`` (GET and HEAD only).  ``If-Match`` compares entity
tags strongly, ``If-None-Match`` weakly (a ``W/`` tag matches its strong twin);
``*`` matches any current representation.  Unparseable dates are ignored, as
the standard asks.
"""

from __future__ import annotations

from datetime import UTC
from email.utils import parsedate_to_datetime

__all__ = ["entity_tags", "precondition"]


def entity_tags(value: str) -> list[str]:
    """The entity tags of an ``If-Match``/``If-None-Match`` list (``*`` kept as is).

    Commas inside a quoted tag do not split it.

    >>> entity_tags('W/"a", "b,c" ,"d"')
    ['W/"a"', '"b,c"', '"d"']
    """
    tags, current, quoted = [], "", False
    for char in value:
        if char == '"':
            quoted = not quoted
        if char == "," and not quoted:
            tags.append(current.strip())
            current = ""
        else:
            current += char
    tags.append(current.strip())
    return [tag for tag in tags if tag]


def _opaque(tag: str) -> str:
    return tag[2:] if tag.startswith("W/") else tag


def _weak_match(value: str, etag: str) -> bool:
    wanted = _opaque(etag)
    return any(tag == "*" or _opaque(tag) == wanted for tag in entity_tags(value))


def _strong_match(value: str, etag: str) -> bool:
    if etag.startswith("W/"):
        return any(tag == "*" for tag in entity_tags(value))
    return any(tag in ("*", etag) for tag in entity_tags(value))


def _date(value: str) -> float | None:
    try:
        moment = parsedate_to_datetime(value)
        if moment.tzinfo is None:  # "-0000": an HTTP date is always GMT
            moment = moment.replace(tzinfo=UTC)
        return moment.timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def precondition(
    method: str,
    etag: str | None,
    mtime: float | None,
    *,
    if_match: str | None = None,
    if_none_match: str | None = None,
    if_modified_since: str | None = None,
    if_unmodified_since: str | None = None,
) -> int | None:
    """304 or 412 when the request's conditions say so, else None (answer normally).

    Args:
        method: the request method.
        etag: the entity tag of the representation that would be sent.
        mtime: its modification time (seconds since the epoch), if known.
    """
    if if_match is not None:
        if etag is None or not _strong_match(if_match, etag):
            return 412
    elif if_unmodified_since is not None and mtime is not None:
        since = _date(if_unmodified_since)
        if since is not None and int(mtime) > since:
            return 412
    if if_none_match is not None:
        if etag is not None and _weak_match(if_none_match, etag):
            return 304 if method in ("GET", "HEAD") else 412
    elif if_modified_since is not None and mtime is not None and method in ("GET", "HEAD"):
        since = _date(if_modified_since)
        if since is not None and int(mtime) <= since:
            return 304
    return None
