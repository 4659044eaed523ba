"""Constrained field types shared by the feed models.

Each type enforces one documented rule of the product API at the boundary, so a
value that gets past a model is known to be well formed everywhere inside gs1ld.
"""

from __future__ import annotations

import re
import uuid
from datetime import date
from typing import Annotated, Any

import shortuuid
from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints

from gs1ld._urls import safe_url
from gs1ld.feed._iso3166 import ALPHA2

__all__ = [
    "SHORTUUID_ALPHABET",
    "CountryCode",
    "IsoDate",
    "Metadata",
    "Percentage",
    "ShortUUID",
    "UrlOrEmpty",
    "to_shortuuid",
]

SHORTUUID_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_SHORTUUID_RE = re.compile(f"[{SHORTUUID_ALPHABET}]{{22}}")
_CANONICAL_UUID_RE = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)
_ISO_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CODEC = shortuuid.ShortUUID(alphabet=SHORTUUID_ALPHABET)

METADATA_MAX_KEYS = 50
METADATA_MAX_KEY_LENGTH = 40
METADATA_MAX_VALUE_LENGTH = 500


def to_shortuuid(value: Any) -> str:
    """Return the 22-character shortuuid form of an id given as shortuuid or canonical UUID.

    >>> to_shortuuid("3c90c3cc-0d44-4b50-8888-8dd25736052a") == to_shortuuid(
    ...     to_shortuuid("3c90c3cc-0d44-4b50-8888-8dd25736052a"))
    True
    """
    if isinstance(value, uuid.UUID):
        return str(_CODEC.encode(value))
    if not isinstance(value, str):
        raise ValueError("expected a 22-character shortuuid or a canonical UUID string")
    if _SHORTUUID_RE.fullmatch(value):
        return value
    if _CANONICAL_UUID_RE.fullmatch(value):
        return str(_CODEC.encode(uuid.UUID(value)))
    raise ValueError(
        "expected a 22-character shortuuid (alphabet 2-9, A-Z and a-z without I, O, l) "
        "or a canonical UUID xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
    )


def _iso_date(value: Any) -> Any:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DATE_RE.fullmatch(value):
        raise ValueError("expected an ISO 8601 calendar date YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError("expected an existing calendar date YYYY-MM-DD") from None


def _country(value: str) -> str:
    if value not in ALPHA2:
        raise ValueError("expected an uppercase ISO 3166-1 alpha-2 country code such as 'US'")
    return value


def _url_or_empty(value: str) -> str:
    if value and safe_url(value) is None:
        raise ValueError("expected an absolute http(s) URL or an empty string")
    return value


ShortUUID = Annotated[str, BeforeValidator(to_shortuuid)]
"""A row id: 22-character shortuuid; the canonical UUID form is accepted and converted."""

IsoDate = Annotated[date, BeforeValidator(_iso_date)]
"""A calendar date written exactly ``YYYY-MM-DD`` (no timestamps, no numbers)."""

CountryCode = Annotated[str, AfterValidator(_country)]
"""An uppercase ISO 3166-1 alpha-2 code that is assigned (``US``, ``DE``…)."""

UrlOrEmpty = Annotated[str, AfterValidator(_url_or_empty)]
"""An absolute http(s) URL, or ``""`` where the API documents "empty when not recorded"."""

Metadata = Annotated[
    dict[
        Annotated[str, StringConstraints(max_length=METADATA_MAX_KEY_LENGTH)],
        Annotated[str, StringConstraints(max_length=METADATA_MAX_VALUE_LENGTH)],
    ],
    Field(max_length=METADATA_MAX_KEYS),
]
"""Developer key/value data: at most 50 keys, keys <= 40 and values <= 500 characters."""

Percentage = Annotated[float, Field(ge=0, le=100)]
"""A percentage from 0 to 100 inclusive."""
