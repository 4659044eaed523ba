"""Percent-encoding as GS1 Digital Link URIs use it.

Path segments and query values differ in one character only: ``+`` means a
space in a query value (HTML form encoding, as the GS1 syntax engine reads
it) but is a literal ``+`` in the path.  Anything outside RFC 3986's
unreserved set is escaped on the way out, so a value always survives the round
trip.

>>> encode("ABC 1/2", query=True)
'ABC+1%2F2'
>>> decode("ABC%2d123")
'ABC-123'
"""

from __future__ import annotations

import re

__all__ = ["decode", "encode"]

_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_NEEDS_ESCAPE = re.compile(r"[^A-Za-z0-9\-._~]")


def _byte(match: re.Match[str]) -> str:
    return chr(int(match.group(1), 16))


def decode(text: str, *, query: bool = False) -> str:
    """Undo percent-encoding in a path segment (or, with ``query``, a query value).

    A ``%`` not followed by two hex digits is kept as it is, as the syntax
    engine does; each escape stands for one character (code point 0-255).
    """
    if query and "+" in text:
        text = text.replace("+", " ")
    if "%" not in text:
        return text
    return _ESCAPE.sub(_byte, text)


def _escape_char_path(match: re.Match[str]) -> str:
    return "".join(f"%{byte:02X}" for byte in match.group(0).encode("utf-8"))


def _escape_char_query(match: re.Match[str]) -> str:
    return "+" if match.group(0) == " " else _escape_char_path(match)


def encode(text: str, *, query: bool = False) -> str:
    """Percent-encode everything outside the unreserved set (a space is ``+`` in a query)."""
    if _NEEDS_ESCAPE.search(text) is None:
        return text
    return _NEEDS_ESCAPE.sub(_escape_char_query if query else _escape_char_path, text)
