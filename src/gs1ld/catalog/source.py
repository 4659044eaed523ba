"""Name a catalog: a local path, ``-`` for stdin, or an fsspec URL with its options.

A catalog on object storage (``s3://bucket/catalog.jsonl``, ``memory://dir/``,
``file:///data/catalog.jsonl``) is a :class:`RemoteCatalog`: the URL plus the
storage options fsspec needs to open it (endpoint, credentials, anonymous
access).  Everything that reads a catalog takes a :data:`CatalogSource`, so a
URL travels through ``convert_catalog`` and ``build_site`` unchanged and is only
opened by :mod:`gs1ld.catalog.remote`, where fsspec is imported.

>>> is_url("s3://bucket/catalog.jsonl"), is_url("catalog.jsonl"), is_url("-")
(True, False, False)
>>> parse_storage_options(["anon=true", "endpoint_url=http://127.0.0.1:9000"])
{'anon': True, 'endpoint_url': 'http://127.0.0.1:9000'}
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from gs1ld.errors import ParseError

__all__ = [
    "CatalogSource",
    "RemoteCatalog",
    "catalog_source",
    "is_url",
    "parse_storage_options",
]

_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://")


@dataclass(frozen=True, slots=True)
class RemoteCatalog:
    """A catalog read through fsspec.

    Attributes:
        url: the catalog's URL, as given (also the name in every entry's location).
        storage_options: keyword arguments for the fsspec file system
            (``endpoint_url``, ``anon``, ``key``...); the environment and fsspec's
            own configuration (``AWS_ENDPOINT_URL``, ``FSSPEC_S3_*``) fill the rest.
    """

    url: str
    storage_options: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.url


CatalogSource = str | Path | RemoteCatalog
"""A catalog: a local path, ``"-"`` for stdin, or a :class:`RemoteCatalog`."""


def is_url(text: str) -> bool:
    """True when ``text`` starts with a URL scheme (``s3://``, ``file://``...)."""
    return _URL.match(text) is not None


def parse_storage_options(pairs: Iterable[str]) -> dict[str, Any]:
    """``KEY=VALUE`` pairs as fsspec storage options.

    A value that is valid JSON is taken as that JSON (``anon=true`` is the
    boolean, ``client_kwargs={"region_name": "eu-west-1"}`` a mapping, ``x=5``
    a number; quote a number to keep it text: ``key="123"``); any other value is
    the text as written.

    Raises:
        ParseError: a pair has no ``=`` or an empty key.
    """
    options: dict[str, Any] = {}
    for pair in pairs:
        key, equals, value = pair.partition("=")
        if not equals or not key.strip():
            raise ParseError(f"Invalid storage option {pair!r}: expected KEY=VALUE.")
        try:
            options[key.strip()] = orjson.loads(value)
        except orjson.JSONDecodeError:
            options[key.strip()] = value
    return options


def catalog_source(text: str, storage_options: Mapping[str, Any] | None = None) -> CatalogSource:
    """The catalog ``text`` names: a :class:`RemoteCatalog` for a URL, else the path as given.

    Raises:
        ParseError: storage options were given for a catalog that is not a URL.
    """
    if is_url(text):
        return RemoteCatalog(text, dict(storage_options or {}))
    if storage_options:
        raise ParseError(
            f"Storage options apply to a catalog given as a URL (s3://, file://...), "
            f"not to {text!r}."
        )
    return text
