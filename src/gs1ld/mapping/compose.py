"""Compose the mappers into one GS1 Web Vocabulary JSON-LD document per product.

Output is deterministic: the same entry, config and reference day give the
same bytes. The document's keys come in a fixed order (``@context``, ``@id``,
``@type``, then sorted), arrays in a stable one, and :func:`gs1ld.convert.serialize`
writes nested objects with sorted keys too (``@`` keywords sort first).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import orjson

from gs1ld.catalog.entry import CatalogEntry
from gs1ld.config import ExportConfig
from gs1ld.jsonld.context import document_context
from gs1ld.mapping import (
    certification,
    circularity,
    claim,
    ftl,
    image,
    ingredient,
    links,
    nutrition,
    product,
    recall,
)
from gs1ld.mapping._context import Mapper, MappingContext, Note, Properties
from gs1ld.mapping.allergen_facts import AllergenFact, allergen_facts
from gs1ld.mapping.allergens import IngredientAllergen
from gs1ld.mapping.tables import load_tables

__all__ = ["MAPPERS", "MappedProduct", "map_entry", "mapping_context"]

MAPPERS: tuple[tuple[str, Mapper], ...] = (
    ("product", product.contribute),
    ("certification", certification.contribute),
    ("claim", claim.contribute),
    ("ingredient", ingredient.contribute),
    ("nutrition", nutrition.contribute),
    ("image", image.contribute),
    ("recall", recall.contribute),
    ("circularity", circularity.contribute),
    ("ftl", ftl.contribute),
    ("links", links.contribute),
)
_LEVEL_RANK = {"CONTAINS": 0, "MAY_CONTAIN": 1, "FREE_FROM": 2}
# Properties two sources can give the same value (several claims mapping to one code,
# one text from two claims); every other property's values are distinct by construction.
_MAY_REPEAT = frozenset(
    {
        "gs1:dietCode",
        "gs1:geneticallyModifiedDeclaration",
        "gs1:growingMethod",
        "gs1:nutritionalClaim",
        "gs1:nutritionalClaimStatement",
        "gs1:packagingMarkedFreeFrom",
        "gs1:packagingMarkedLabelAccreditation",
        "gs1:preservationTechnique",
        "gs1:packagingMarkedDietAllergenType",
    }
)


class _StatedAllergens(NamedTuple):
    """What :func:`allergen_facts` groups, kept until someone reads the facts."""

    nodes: list[Mapping[str, Any]]
    """The document's ``gs1:hasAllergen`` nodes (never empty)."""
    found: tuple[IngredientAllergen, ...]
    labels: Mapping[tuple[str, str], str]

    def facts(self) -> tuple[AllergenFact, ...]:
        return allergen_facts(self.nodes, self.found, self.labels)


@dataclass(frozen=True, slots=True, init=False, eq=False)
class MappedProduct:
    """A product's JSON-LD document, the notes its export produced, and what it claims.

    ``claims`` are the ids of the feed's claims the document states (in effect on
    the reference day and not contradicted by the product's own ingredients), so
    a page shows exactly the claims the JSON-LD makes. :attr:`allergens` are the
    allergens its ``gs1:hasAllergen`` states, grouped for a reader
    (:mod:`.allergen_facts`), so a page shows exactly the allergens the JSON-LD states.
    """

    document: dict[str, Any]
    notes: tuple[Note, ...]
    claims: frozenset[str]
    _allergens: tuple[AllergenFact, ...] | _StatedAllergens = field(repr=False)

    def __init__(
        self,
        document: dict[str, Any],
        notes: tuple[Note, ...],
        claims: frozenset[str] = frozenset(),
        allergens: tuple[AllergenFact, ...] = (),
    ) -> None:
        object.__setattr__(self, "document", document)
        object.__setattr__(self, "notes", notes)
        object.__setattr__(self, "claims", claims)
        object.__setattr__(self, "_allergens", allergens)

    @property
    def allergens(self) -> tuple[AllergenFact, ...]:
        """The allergens the document states, grouped for a reader (none when it states none)."""
        facts = self._allergens
        if isinstance(facts, _StatedAllergens):
            facts = facts.facts()
            object.__setattr__(self, "_allergens", facts)
        return facts

    @property
    def states_allergens(self) -> bool:
        """Whether the document states allergens, known without grouping them:
        :attr:`allergens` then has a fact for every code stated, else none."""
        return bool(self._allergens)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MappedProduct):
            return NotImplemented
        return (self.document, self.notes, self.claims, self.allergens) == (
            other.document,
            other.notes,
            other.claims,
            other.allergens,
        )

    __hash__ = None  # type: ignore[assignment]  # the document is a dict

    def __reduce__(self) -> tuple[type[MappedProduct], tuple[Any, ...]]:
        """Pickle with the facts grouped: the pending inputs hold the whole label table."""
        return (MappedProduct, (self.document, self.notes, self.claims, self.allergens))


def _stating(
    document: dict[str, Any],
    notes: tuple[Note, ...],
    claims: frozenset[str],
    stated: _StatedAllergens,
) -> MappedProduct:
    """A product whose allergen facts are grouped when first read: the JSON-LD alone
    (``gs1ld convert``) never reads them, and grouping them cost a product about a
    twentieth of its mapping."""
    mapped = MappedProduct(document, notes, claims)
    object.__setattr__(mapped, "_allergens", stated)
    return mapped


def _dedupe_key(value: Any) -> Any:
    """Equal values get equal keys: code references by IRI, literals by value, nodes by content."""
    if isinstance(value, dict):
        if len(value) == 1 and "@id" in value:
            return value["@id"]
        return orjson.dumps(value)
    return value


def _allergens(values: list[Any], ctx: MappingContext) -> list[Any]:
    """One allergen node per type: CONTAINS beats MAY_CONTAIN beats a FREE_FROM claim."""
    best: dict[str, Any] = {}
    for node in values:
        kind = node["gs1:allergenType"]["@id"]
        current = best.get(kind)
        if current is None:  # most: one node per type
            best[kind] = node
            continue
        level = node["gs1:allergenLevelOfContainmentCode"]["@id"].rsplit("-", 1)[-1]
        current_level = current["gs1:allergenLevelOfContainmentCode"]["@id"].rsplit("-", 1)[-1]
        if current_level != level and "FREE_FROM" in (level, current_level):
            ctx.note(
                "content.claims",
                f"a free-from claim for {kind} contradicts an "
                "ingredient that declares it; the claim is dropped",
            )
        if _LEVEL_RANK[current_level] > _LEVEL_RANK[level]:
            best[kind] = node
    return list(best.values())


def _merge(parts: list[Properties], ctx: MappingContext, document: dict[str, Any]) -> None:
    """Add the mappers' properties to ``document``, in sorted key order, a property with
    one value as that value (written straight into the document: no second copy)."""
    merged: dict[str, list[Any]] = {}
    for part in parts:
        if not part:
            continue
        if merged.keys().isdisjoint(part):  # most mappers give properties no other gives
            merged.update(part)
            continue
        for key, values in part.items():
            earlier = merged.get(key)
            merged[key] = values if earlier is None else earlier + values
    if "gs1:hasAllergen" in merged:
        merged["gs1:hasAllergen"] = _allergens(merged["gs1:hasAllergen"], ctx)
    for key in _MAY_REPEAT.intersection(merged):  # drop repeats, keep the mappers' order
        values = merged[key]
        if len(values) > 1:
            merged[key] = list({_dedupe_key(v): v for v in values}.values())
    for key in sorted(merged):
        values = merged[key]
        document[key] = values[0] if len(values) == 1 else values


def mapping_context(
    entry: CatalogEntry,
    config: ExportConfig,
    *,
    links: Sequence[tuple[Any, ...]] = (),
    decisions: Mapping[str, Any] | None = None,
) -> MappingContext:
    """What every mapper of ``entry`` reads: the options, the tables, the product's
    language, the reference day, and what the publisher already decided."""
    override = Path(config.mappings_dir) if config.mappings_dir else None
    return MappingContext(
        config=config,
        tables=load_tables(override),
        language=entry.product.language if entry.product else config.language,
        today=config.today,
        links=links,
        decisions=decisions or {},
    )


def map_entry(
    entry: CatalogEntry,
    *,
    uri: str,
    config: ExportConfig | None = None,
    links: Sequence[tuple[Any, ...]] = (),
    decisions: Mapping[str, Any] | None = None,
) -> MappedProduct:
    """The JSON-LD document of ``entry`` and the notes of its export.

    Args:
        entry: a parsed catalog entry.
        uri: the product's ``@id``, its Digital Link URI, as the publisher made it
            (:func:`gs1ld.publish.product_uri`): the mapping never decides where a
            product is published.
        config: export options; defaults to :class:`ExportConfig` ().
        links: the product's links, each a tuple beginning with its (link type,
            target), as the publisher worked them out (:func:`gs1ld.publish.publish_entry`
            passes its :class:`~gs1ld.publish.Link` tuples).
        decisions: certificate id -> its :class:`~gs1ld.mapping.certification.CertificateStatus`,
            when the publisher already decided (made here otherwise, by the same rule).

    Raises:
        MappingError: a crosswalk table cannot be used.
    """
    config = config or ExportConfig()
    ctx = mapping_context(entry, config, links=links, decisions=decisions)
    document: dict[str, Any] = {
        "@context": document_context(config),
        "@id": uri,
        "@type": "gs1:FoodBeverageTobaccoProduct" if entry.is_food else "gs1:Product",
    }
    _merge([mapper(entry, ctx) for _, mapper in MAPPERS], ctx, document)
    stated = document.get("gs1:hasAllergen")
    if stated is None:  # the publisher offers the link; it points at allergen facts only
        document.pop("gs1:allergenInfo", None)
        return MappedProduct(document, tuple(ctx.notes), frozenset(ctx.claims))
    found = ctx.memo.get("ingredient_allergens")
    return _stating(
        document,
        tuple(ctx.notes),
        frozenset(ctx.claims),
        _StatedAllergens(
            stated if isinstance(stated, list) else [stated],
            found if isinstance(found, tuple) else (),
            ctx.tables.allergen_labels,
        ),
    )
