"""The one exception tree of gs1ld.

Every exception class of gs1ld derives from :class:`Gs1ldError`, so a caller can
catch everything gs1ld means to say with one ``except``.  The roots live here;
the product API's errors in :mod:`gs1ld.feed.errors`, and a few beside the code
that raises them (the module is named where it is not this one).  The whole tree::

    Gs1ldError
    ├── ParseError                input that cannot be read (a GTIN, a Digital Link, JSON)
    │   ├── GtinError             a GTIN's length, digits or check digit (.value)
    │   ├── DigitalLinkError      a Digital Link URI, element string or AI value
    │   │   └── _CouponError      internal: one coupon field (digital_link._linters)
    │   ├── RemoteContextError    a context URL gs1ld does not have (jsonld.loader; .url)
    │   ├── _UnreadableError      internal: a file validate cannot read (cli.validate)
    │   └── ConfigError           a config file gs1ld cannot use (cli._config; also a click error)
    ├── EntryError                a catalog entry that breaks a documented rule (.problems, .gtin)
    ├── MappingError              a crosswalk table that cannot be used
    ├── ClientError               the product API refused or failed
    │   ├── ApiError              the API answered with an error (feed.errors; .status)
    │   │   ├── Unauthorized      401: the key or token is missing or wrong
    │   │   ├── Forbidden         403: the key may not do this
    │   │   ├── ProductNotFound   404: no product has this GTIN
    │   │   ├── AlreadyAssigned   409: the claim is already assigned
    │   │   ├── ValidationFailed  422: the request broke a documented rule
    │   │   └── RateLimited       429, after the client's retries
    │   ├── ResponseError         an answer too large, too slow or not JSON (feed.errors)
    │   ├── WaitTooLong           a wait longer than --max-wait (feed.errors)
    │   ├── ApiTargetError        an API URL or key that may not be used (cli._api)
    │   └── _RetryError           internal: wait, then try again (feed.client)
    ├── PublishError              a site or server could not be written or started
    │   └── _SpliceError          internal: the last build's files cannot be spliced (site.sitewide)
    └── SchedulerError            a --scheduler gs1ld cannot use (cluster)

``ParseError`` is also a ``ValueError``.  The internal classes are signals
caught inside gs1ld (or, for ``_UnreadableError``, printed by the command); they
sit in the tree so that nothing gs1ld raises escapes an ``except Gs1ldError``.
Outside it on purpose: ``cli.serve``'s ``_Stopped``, a ``SystemExit`` that ends
the process on SIGTERM, which no ``except Exception`` may catch.
``tests/test_errors.py`` imports every module and holds this drawing, and the one
in docs/reference/exit-codes.md (the same tree without the internal classes), to
the classes it finds.

Errors carry context (the GTIN, the field path, the value) and their messages quote
the input and say what was expected and what was found.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "ClientError",
    "DigitalLinkError",
    "EntryError",
    "Gs1ldError",
    "GtinError",
    "MappingError",
    "ParseError",
    "Problem",
    "PublishError",
]


class Gs1ldError(Exception):
    """Base class of every error gs1ld raises on purpose."""


class ParseError(Gs1ldError, ValueError):
    """Input that cannot be read at all: a malformed GTIN, URI or JSON text."""


class GtinError(ParseError):
    """A GTIN that is not 8, 12, 13 or 14 digits with a valid GS1 check digit.

    Attributes:
        value: the input exactly as it was given.
    """

    def __init__(self, message: str, value: str) -> None:
        super().__init__(message)
        self.value = value


class DigitalLinkError(ParseError):
    """A GS1 Digital Link URI, element string or AI value that breaks the standard."""


_MAX_VALUE_REPR = 80


def _short_repr(value: object) -> str:
    text = repr(value)
    if len(text) > _MAX_VALUE_REPR:
        return text[: _MAX_VALUE_REPR - 1] + "…"
    return text


@dataclass(frozen=True, slots=True)
class Problem:
    """One broken rule in one place of an entry.

    Attributes:
        path: where in the entry, e.g. ``content.certifications[2].valid_from``;
            empty for the entry as a whole.
        rule: what the value should have been, in words.
        value: the offending value as given (``None`` when absent or unknown).
        has_value: False when the field was missing, so no value is quoted.
    """

    path: str
    rule: str
    value: object = None
    has_value: bool = True

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        if self.has_value:
            return f"{where}{self.rule}, got {_short_repr(self.value)}"
        return f"{where}{self.rule}"


class EntryError(Gs1ldError):
    """A catalog entry (or API payload) that breaks one or more documented rules.

    Attributes:
        problems: every broken rule found, not only the first.
        gtin: the entry's GTIN-14 when it could be read, else ``None``.
    """

    def __init__(self, problems: Sequence[Problem], gtin: str | None = None) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.gtin = gtin
        count = len(self.problems)
        head = "; ".join(str(p) for p in self.problems[:3])
        more = f" (and {count - 3} more)" if count > 3 else ""
        super().__init__(f"{count} problem{'s' if count != 1 else ''}: {head}{more}")


class MappingError(Gs1ldError):
    """A crosswalk table in ``mappings/`` that is missing, malformed or contradictory."""


class ClientError(Gs1ldError):
    """The product API could not be reached, or answered with an error."""


class PublishError(Gs1ldError):
    """A site, file or server could not be written or started."""
