"""The site's manifest: which products a build published, from what, for which resolver root.

One typed object that both writes ``manifest.json`` and reads it back: the site
build reads the previous manifest to reuse unchanged products, the server reads
it to know what it publishes and for which root the files were written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from gs1ld.errors import PublishError
from gs1ld.publish.layout import MANIFEST_FILE

__all__ = ["Manifest", "ManifestEntry", "content_digest"]


def content_digest(material: object) -> str:
    """A short, stable digest of JSON-serialisable ``material`` (keys sorted)."""
    return hashlib.sha256(orjson.dumps(material, option=orjson.OPT_SORT_KEYS)).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class ManifestEntry:
    """One published product.

    Attributes:
        gtin: its GTIN-14.
        digest: the input hash its files were rendered from.
        name: its display name (for the index pages).
        brand: its brand, or ``""``.
    """

    gtin: str
    digest: str
    name: str
    brand: str


@dataclass(frozen=True, slots=True)
class Manifest:
    """What one build published.

    Attributes:
        generator: the tool and version that wrote the site.
        base_url: the resolver root the site's files were written for.
        today: the reference day of the build (ISO date).
        site_inputs: a digest of everything the site-wide files depend on.
        products: GTIN -> entry.
    """

    generator: str
    base_url: str
    today: str
    site_inputs: str
    products: Mapping[str, ManifestEntry] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        entries: Iterable[ManifestEntry],
        *,
        generator: str,
        base_url: str,
        today: str,
        site_inputs: str,
    ) -> Manifest:
        """A manifest of ``entries`` (kept in GTIN order)."""
        products = {e.gtin: e for e in sorted(entries, key=lambda e: e.gtin)}
        return cls(generator, base_url, today, site_inputs, products)

    def has(self, gtin: str) -> bool:
        """Whether the site publishes ``gtin`` (a GTIN-14)."""
        return gtin in self.products

    def entry(self, gtin: str) -> ManifestEntry | None:
        """The entry of ``gtin``, or None when the site does not publish it."""
        return self.products.get(gtin)

    @property
    def build_id(self) -> str:
        """A digest of what was published: the same inputs give the same id."""
        return content_digest(
            [self.site_inputs, [[e.gtin, e.digest] for e in self.products.values()]]
        )

    def to_bytes(self) -> bytes:
        """The ``manifest.json`` bytes."""
        body = {
            "generator": self.generator,
            "build_id": self.build_id,
            "base_url": self.base_url,
            "today": self.today,
            "site_inputs": self.site_inputs,
            "products": {
                e.gtin: {"hash": e.digest, "name": e.name, "brand": e.brand}
                for e in self.products.values()
            },
        }
        return orjson.dumps(body, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)

    @classmethod
    def from_bytes(cls, data: bytes) -> Manifest:
        """Read ``manifest.json`` bytes.

        Raises:
            PublishError: they are not a gs1ld manifest.
        """
        try:
            body = orjson.loads(data)
            products = {
                gtin: ManifestEntry(gtin, row["hash"], row["name"], row["brand"])
                for gtin, row in body["products"].items()
            }
            return cls(
                _text(body, "generator"),
                _text(body, "base_url"),
                _text(body, "today" if "today" in body else "day"),  # "day" before 0.2
                _text(body, "site_inputs"),
                products,
            )
        except (orjson.JSONDecodeError, LookupError, TypeError, AttributeError) as exc:
            raise PublishError(f"not a gs1ld manifest: {exc!r}") from exc

    @classmethod
    def read(cls, site: str | Path) -> Manifest:
        """The manifest of the site at ``site``.

        Raises:
            PublishError: the site has no readable manifest (it is not a gs1ld site).
        """
        path = Path(site) / MANIFEST_FILE
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise PublishError(
                f"{str(site)!r} is not a gs1ld site: cannot read {MANIFEST_FILE} ({exc})"
            ) from exc
        try:
            return cls.from_bytes(data)
        except PublishError as exc:
            raise PublishError(f"{str(site)!r} is not a gs1ld site: {exc}") from exc


def _text(body: dict[str, Any], key: str) -> str:
    value = body[key]
    if not isinstance(value, str):
        raise TypeError(f"{key} is {value!r}, not a string")
    return value
