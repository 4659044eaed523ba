"""What a build would change, product by product and fact by fact, without touching the site.

A brand's reviewer reads this before a build goes live: which products would
be added, changed or removed, and for each changed one which facts its JSON-LD
gains or loses (allergens, claims, certificates and their states, recalls,
links...).  Entries are hashed as a build hashes them, so an unchanged product
costs no rendering; only new and changed products are mapped, and the live
site's JSON-LD is read for the changed ones.  The removal guard is evaluated too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from gs1ld._version import VERSION
from gs1ld.catalog import iter_raw_entries
from gs1ld.catalog.reader import outcome_of
from gs1ld.catalog.source import CatalogSource
from gs1ld.config import SiteConfig
from gs1ld.errors import Problem
from gs1ld.limits import Limits
from gs1ld.problems import FirstOfGtin
from gs1ld.publish import Manifest, product_paths, publish_entry
from gs1ld.publish.layout import published_root
from gs1ld.site.product_files import input_hash

__all__ = ["ChangePlan", "FactChange", "ProductChange", "facts", "plan_changes"]

Reader = Callable[[str], bytes]
"""Reads a site-relative file of the live site."""


@dataclass(frozen=True, slots=True)
class FactChange:
    """One fact a product's JSON-LD gains (``+``) or loses (``-``)."""

    sign: str
    prop: str
    value: str

    def __str__(self) -> str:
        return f"{self.sign} {self.prop} {self.value}"


@dataclass(frozen=True, slots=True)
class ProductChange:
    """What a build would do to one product."""

    gtin: str
    name: str
    kind: str  # "added", "changed" or "removed"
    facts: tuple[FactChange, ...] = ()

    def as_json(self) -> dict[str, Any]:
        """The change as a JSON object (for ``--report-format json``)."""
        return {
            "gtin": self.gtin,
            "name": self.name,
            "change": self.kind,
            "facts": [{"change": f.sign, "property": f.prop, "value": f.value} for f in self.facts],
        }


@dataclass(slots=True)
class ChangePlan:
    """Everything a build would change, and whether the removal guard would let it."""

    published_before: int = 0
    unchanged: int = 0
    changes: list[ProductChange] = field(default_factory=list)
    invalid: list[tuple[str, str | None, tuple[Problem, ...]]] = field(default_factory=list)
    refused: str | None = None

    def count(self, kind: str) -> int:
        """How many products the build would add, change or remove."""
        return sum(1 for change in self.changes if change.kind == kind)

    def summary(self) -> str:
        """``2 added, 3 changed, 1 removed, 13 unchanged, 0 invalid``."""
        return (
            f"{self.count('added')} added, {self.count('changed')} changed, "
            f"{self.count('removed')} removed, {self.unchanged} unchanged, "
            f"{len(self.invalid)} invalid"
        )


def _describe(value: Any) -> str:
    """A value as one short line: codes without their namespace, text as text."""
    if isinstance(value, dict):
        if set(value) == {"@id"}:
            return str(value["@id"]).removeprefix("gs1:")
        if "@value" in value:
            return str(value["@value"])
        parts = [
            f"{key.split(':')[-1]}={_describe(item)}"
            for key, item in sorted(value.items())
            if not key.startswith("@")
        ]
        return "{" + ", ".join(parts) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_describe(item) for item in value) + "]"
    return str(value)


def facts(document: dict[str, Any] | None) -> set[tuple[str, str]]:
    """A product document as (property, value) facts: one a value of a top-level property."""
    if document is None:
        return set()
    found = set()
    for prop, values in document.items():
        if prop.startswith("@"):
            continue
        for value in values if isinstance(values, list) else [values]:
            found.add((prop, _describe(value)))
    return found


def _fact_changes(old: dict[str, Any] | None, new: dict[str, Any]) -> tuple[FactChange, ...]:
    before, after = facts(old), facts(new)
    changes = [FactChange("-", prop, value) for prop, value in sorted(before - after)]
    changes += [FactChange("+", prop, value) for prop, value in sorted(after - before)]
    return tuple(sorted(changes, key=lambda c: (c.prop, c.sign, c.value)))


def _local_reader(site: Path) -> Reader:
    def read(relative: str) -> bytes:
        return (site / relative).read_bytes()

    return read


def _old_document(read: Reader, gtin: str) -> dict[str, Any] | None:
    try:
        value = orjson.loads(read(product_paths(gtin).jsonld))
    except (OSError, orjson.JSONDecodeError):
        return None
    return value if isinstance(value, dict) else None


def plan_changes(
    catalog: CatalogSource,
    site: str | Path,
    *,
    config: SiteConfig,
    limits: Limits | None = None,
    reader: Reader | None = None,
) -> ChangePlan:
    """What building ``catalog`` into ``site`` would change; the site is only read.

    Args:
        catalog: the catalog a build would read.
        site: the live site (a folder; or, with ``reader``, any site's name).
        config: the build's options (its export options decide the documents).
        limits: the size and depth limits each entry is held to.
        reader: reads a site-relative file of the live site (object storage).

    Raises:
        ParseError: the catalog cannot be read or is empty.
    """
    read = reader or _local_reader(published_root(Path(site)))
    manifest = Manifest.read_or_none(site, reader=reader)
    plan = ChangePlan(published_before=manifest.count if manifest is not None else 0)
    first = FirstOfGtin()
    seen: set[str] = set()
    for raw in iter_raw_entries(catalog, limits=limits or Limits()):
        outcome = outcome_of(raw)
        if outcome.entry is None:
            plan.invalid.append((outcome.location, outcome.gtin, tuple(outcome.problems)))
            continue
        gtin = outcome.entry.gtin
        if first.duplicate(gtin) is not None:
            continue
        seen.add(gtin)
        old = manifest.entry(gtin) if manifest is not None else None
        if old is not None and old.digest == input_hash(raw.data, config, VERSION):
            plan.unchanged += 1
            continue
        published = publish_entry(outcome.entry, config.export)
        before = _old_document(read, gtin) if old is not None else None
        kind = "changed" if old is not None else "added"
        changes = _fact_changes(before, published.document)
        plan.changes.append(ProductChange(gtin, published.name.value, kind, changes))
    if manifest is not None:
        for entry in manifest.entries():
            if entry.gtin not in seen:
                plan.changes.append(ProductChange(entry.gtin, entry.name, "removed"))
    removed_count = plan.count("removed")
    if not config.max_removals.allows(removed=removed_count, published=plan.published_before):
        plan.refused = (
            f"the build would remove {removed_count} of the {plan.published_before} published "
            f"products, more than --max-removals allows ({config.max_removals})"
        )
    plan.changes.sort(key=lambda change: (change.kind != "removed", change.gtin))
    return plan
