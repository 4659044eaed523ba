"""The problem lines every layer reports: pydantic's errors, duplicates, failures.

Pydantic reports locations as tuples and, for union types, one error per member;
users want one line per broken rule with a dotted path they can find in the file.
The feed, the catalog and the publishing steps all import this module, so a
problem reads the same whichever command reports it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from gs1ld.errors import Problem

__all__ = [
    "FirstOfGtin",
    "duplicate_gtin",
    "format_path",
    "problems_from_validation_error",
    "unexpected_failure",
]

_PREFIXES = ("Value error, ", "Assertion failed, ")
# Pydantic names union members in the location (``str``, ``dict[str,str]``,
# ``function-after[...]``); they are not fields, so they are dropped from paths.
_UNION_TAG_CHARS = ("[", "]")
_UNION_TAGS = frozenset({"str", "int", "float", "bool", "dict", "list", "none", "date"})


def format_path(loc: Sequence[int | str]) -> str:
    """Render a location tuple as ``content.certifications[2].valid_from``."""
    parts: list[str] = []
    for item in loc:
        if item == "[key]":
            parts.append(" (key)")
        elif isinstance(item, int):
            parts.append(f"[{item}]")
        else:
            parts.append(f".{item}" if parts else item)
    return "".join(parts)


def _is_union_tag(item: int | str) -> bool:
    return (
        isinstance(item, str)
        and item != "[key]"
        and (item in _UNION_TAGS or any(char in item for char in _UNION_TAG_CHARS))
    )


def _message(error: ErrorDetails) -> str:
    message = error["msg"]
    for prefix in _PREFIXES:
        if message.startswith(prefix):
            message = message[len(prefix) :]
    if error["type"] == "extra_forbidden":
        return "unknown field"
    return message


def _problems(errors: Iterable[ErrorDetails], prefix: Sequence[int | str]) -> list[Problem]:
    seen: dict[str, Problem] = {}
    for error in errors:
        loc = [item for item in error["loc"] if not _is_union_tag(item)]
        path = format_path([*prefix, *loc])
        if path in seen:
            continue  # a union reports each member; the first message is the rule
        value: Any = error.get("input")
        message = _message(error)
        missing = error["type"] == "missing"
        quoted = isinstance(value, str) and repr(value) in message
        seen[path] = Problem(
            path=path,
            rule="field required" if missing else message,
            value=None if missing else value,
            has_value=not (missing or quoted),
        )
    return list(seen.values())


def problems_from_validation_error(
    exc: ValidationError, prefix: Sequence[int | str] = ()
) -> list[Problem]:
    """One :class:`Problem` per broken rule in ``exc``, paths prefixed by ``prefix``."""
    return _problems(exc.errors(include_url=False), prefix)


def duplicate_gtin(gtin: str) -> Problem:
    """The problem of an entry whose GTIN an earlier entry already has (the first one wins)."""
    return Problem("gtin", "duplicate GTIN: an earlier entry of the catalog has it", gtin)


class FirstOfGtin:
    """The one rule for entries that share a GTIN: the first in catalog order wins.

    Every command that reads a catalog (convert here or on a cluster, a site
    build on any engine) asks this rule, in catalog order, so each reports the
    same entries as duplicates.

    >>> rule = FirstOfGtin()
    >>> rule.duplicate("09506000134352"), rule.duplicate(None)
    (None, None)
    >>> rule.duplicate("09506000134352").rule
    'duplicate GTIN: an earlier entry of the catalog has it'
    """

    __slots__ = ("_seen",)

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def duplicate(self, gtin: str | None) -> Problem | None:
        """None when the entry of ``gtin`` wins (or has no GTIN); else its problem."""
        if gtin is None:
            return None
        if gtin in self._seen:
            return duplicate_gtin(gtin)
        self._seen.add(gtin)
        return None


def unexpected_failure(exc: BaseException) -> Problem:
    """One entry's unexpected failure (a library's limit, a bug) as that entry's problem.

    The message names the exception type and its first line, never a traceback.
    """
    text = str(exc).strip().splitlines()
    detail = f": {text[0][:200]}" if text else ""
    return Problem("", f"could not be processed ({type(exc).__name__}{detail})", has_value=False)
