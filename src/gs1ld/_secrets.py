"""Secrets the command line was given, kept out of everything it prints or logs.

The API key and token, and the values of ``--storage-option`` keys that name a
credential (``key``, ``secret``, ``token``, ``password``, ``sas_token``,
``connection_string``, ``credential``...), are remembered for the run. Whatever
the command line then writes to stdout or stderr (errors, problem lines,
reports, progress bars, tracebacks) and every log record has them replaced by
``***``, whichever library built the text: an object store's error may quote
the URL or the body it was sent, and the CLI cannot know each one's habits.

>>> with remembered():
...     remember_storage_options({"secret": "s3cr3t", "anon": False, "region": "eu"})
...     redact("denied for s3cr3t in eu")
'denied for *** in eu'
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from typing import Any, TextIO
from urllib.parse import quote, urlsplit

__all__ = [
    "MASK",
    "install",
    "is_secret_key",
    "redact",
    "redact_data",
    "remember",
    "remember_storage_options",
    "remember_storage_pairs",
    "remembered",
    "reset",
]

MASK = "***"

SECRET_KEY_WORDS = (
    "key",
    "secret",
    "token",
    "password",
    "passwd",
    "pwd",
    "sas",
    "connection_string",
    "credential",
    "auth",
    "private",
)
"""A storage option whose name contains one of these (any case) holds a secret."""

_SECRETS: set[str] = set()


def is_secret_key(name: str) -> bool:
    """Whether a storage option named ``name`` holds a secret (``aws_secret_access_key``: yes).

    >>> [is_secret_key(k) for k in ("secret", "account_key", "SAS_TOKEN", "endpoint_url", "anon")]
    [True, True, True, False, False]
    """
    lowered = name.lower()
    return any(word in lowered for word in SECRET_KEY_WORDS)


def remember(*secrets: str | None) -> None:
    """Redact each of ``secrets`` (and its URL-encoded form) from now on; empty ones are ignored."""
    for secret in secrets:
        if secret:
            _SECRETS.add(secret)
            _SECRETS.add(quote(secret, safe=""))


def _leaves(value: Any) -> Iterator[str]:
    """Every text (or number) inside ``value``, however nested."""
    if isinstance(value, Mapping):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _leaves(item)
    elif isinstance(value, str):
        yield value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        yield str(value)


def remember_storage_options(options: Mapping[str, Any]) -> None:
    """Remember the secrets in fsspec storage options.

    The value of every key that looks secret (at any depth, e.g.
    ``client_kwargs={"aws_secret_access_key": ...}``) and the password of any URL
    with one (``endpoint_url=https://user:password@host``).
    """
    for name, value in options.items():
        if is_secret_key(str(name)):
            remember(*_leaves(value))
        elif isinstance(value, Mapping):
            remember_storage_options(value)
        elif isinstance(value, str) and "@" in value:
            with suppress(ValueError):  # not a URL
                remember(urlsplit(value).password)


def remember_storage_pairs(pairs: Iterable[str]) -> None:
    """Remember the secrets of raw ``KEY=VALUE`` pairs, before they are parsed (and can fail)."""
    for pair in pairs:
        key, equals, value = pair.partition("=")
        if equals and is_secret_key(key.strip()):
            remember(value, value.strip().strip('"'))


def reset() -> None:
    """Forget every secret (a new command line run starts empty)."""
    _SECRETS.clear()


@contextmanager
def remembered() -> Iterator[None]:
    """Forget the secrets remembered inside the block when it ends."""
    saved = set(_SECRETS)
    try:
        yield
    finally:
        _SECRETS.clear()
        _SECRETS.update(saved)


def redact(text: str) -> str:
    """``text`` with every remembered secret replaced by ``***`` (longest first)."""
    if not _SECRETS:
        return text
    for secret in sorted(_SECRETS, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text


def redact_data(value: Any) -> Any:
    """``value`` (a report: dicts, lists, texts) with secrets redacted from every text in it."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, Mapping):
        return {redact_data(k): redact_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact_data(item) for item in value]
    return value


class RedactingStream:
    """A text stream that redacts what is written and passes the rest to ``stream``.

    Text is redacted a ``write`` at a time; click, rich, logging and tracebacks
    write a line or a whole message at once, so a secret is never split.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self._stream.write(redact(text))
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class RedactingFilter(logging.Filter):
    """A log filter that renders each record's message redacted (attached to handlers)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _SECRETS:
            record.msg = redact(record.getMessage())
            record.args = None
            if record.exc_info and not record.exc_text:
                record.exc_text = logging.Formatter().formatException(record.exc_info)
            if record.exc_text:
                record.exc_text = redact(record.exc_text)
        return True


_FILTER = RedactingFilter()


def install() -> None:
    """Redact stdout, stderr and the log handlers of this process from now on.

    Idempotent. The streams stay wrapped after the command returns, so an error
    click shows after the command's context closed is redacted too.
    """
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is not None and not isinstance(stream, RedactingStream):
            setattr(sys, name, RedactingStream(stream))
    handlers = list(logging.getLogger().handlers)
    if logging.lastResort is not None:
        handlers.append(logging.lastResort)
    for handler in handlers:
        if _FILTER not in handler.filters:
            handler.addFilter(_FILTER)
