"""Where each published fact came from: ``gs1ld explain`` and :func:`explain_entry`.

A food-safety reviewer signs a product's JSON-LD off fact by fact. For every
allergen, claim, certificate state and nutrient the product publishes or drops,
this lists the input field and value it came from, what the output says, and the
table row or rule that decided, using the mapping's own functions and notes so
the explanation cannot drift from the export.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, Literal

from gs1ld.catalog.entry import CatalogEntry
from gs1ld.config import ExportConfig
from gs1ld.mapping._context import MappingContext, Note
from gs1ld.mapping.allergens import ingredient_allergens
from gs1ld.mapping.certification import certificate_status
from gs1ld.mapping.compose import MappedProduct, mapping_context
from gs1ld.mapping.nutrition import row_property

__all__ = ["Explanation", "Fact", "explain_entry"]

Kind = Literal["allergen", "claim", "certificate", "nutrient"]
Outcome = Literal["published", "dropped"]


@dataclass(frozen=True, slots=True)
class Fact:
    """One fact of the product, and why it is (or is not) in the JSON-LD.

    Attributes:
        kind: ``allergen``, ``claim``, ``certificate`` or ``nutrient``.
        subject: what the fact is about ("milk CONTAINS", "Low fat (LOW_FAT)").
        outcome: ``published`` or ``dropped``.
        field: the input field it came from (``content.claims[0]``).
        value: that field's value, as the feed gave it.
        output: what the JSON-LD states ("gs1:hasAllergen AllergenTypeCode-AM CONTAINS"),
            empty when dropped.
        decided_by: the table rows and rules that decided, and the export's notes.
    """

    kind: Kind
    subject: str
    outcome: Outcome
    field: str
    value: str
    output: str
    decided_by: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        """The fact as a JSON object (``--report-format json``)."""
        data = asdict(self)
        data["decided_by"] = list(self.decided_by)
        return data


@dataclass(frozen=True, slots=True)
class Explanation:
    """Every fact of one product, and every note of its export."""

    gtin: str
    facts: tuple[Fact, ...]
    notes: tuple[Note, ...]

    def as_json(self) -> dict[str, Any]:
        """The explanation as a JSON object."""
        return {
            "gtin": self.gtin,
            "facts": [fact.as_json() for fact in self.facts],
            "notes": [{"path": n.path, "message": n.message} for n in self.notes],
        }


def _notes_on(notes: Iterable[Note], path: str) -> tuple[str, ...]:
    return tuple(
        n.message for n in notes if n.path == path or n.path.startswith((path + ".", path + "["))
    )


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _short(curie: str) -> str:
    return curie.removeprefix("gs1:")


def _allergens(
    entry: CatalogEntry, ctx: MappingContext, document: dict[str, Any], notes: tuple[Note, ...]
) -> list[Fact]:
    published = {
        (
            _short(n["gs1:allergenType"]["@id"]),
            _short(n["gs1:allergenLevelOfContainmentCode"]["@id"]),
        )
        for n in _list(document.get("gs1:hasAllergen"))
    }
    facts = []
    seen: set[tuple[int, str, str]] = set()
    for found in ingredient_allergens(entry, ctx):
        field = f"content.ingredients[{found.index}]"
        row = entry.content.ingredients[found.index]
        flags = f"is_major_allergen={row.is_major_allergen}, may_contain={row.may_contain}"
        for code in found.codes:
            if (found.index, code, found.level) in seen:
                continue
            seen.add((found.index, code, found.level))
            key = (f"AllergenTypeCode-{code}", f"LevelOfContainmentCode-{found.level}")
            # a stronger level from another row wins in the document
            shown = key in published or (
                found.level == "MAY_CONTAIN"
                and (key[0], "LevelOfContainmentCode-CONTAINS") in published
            )
            facts.append(
                Fact(
                    "allergen",
                    f"{code} {found.level}",
                    "published" if shown else "dropped",
                    f"{field}.name",
                    found.ingredient,
                    f"gs1:hasAllergen {key[0]} {key[1].rsplit('-', 1)[1]}" if shown else "",
                    (
                        f"allergens.csv: {found.name!r} -> {' '.join(found.codes)}",
                        f"level {found.level} from the row's flags ({flags})",
                        *_notes_on(notes, field),
                    ),
                )
            )
    return facts


def _claims(
    entry: CatalogEntry, ctx: MappingContext, claims: frozenset[str], notes: tuple[Note, ...]
) -> list[Fact]:
    facts = []
    for index, claim in enumerate(entry.content.claims):
        field = f"content.claims[{index}]"
        targets = ctx.tables.claims.get(claim.code.upper(), ())
        rows = tuple(f"claims.csv: {claim.code} -> {t.target} {t.value}" for t in targets)
        shown = claim.id in claims
        output = ", ".join(f"{t.target} {_short(t.value)}" for t in targets) or "gs1ld:Claim"
        facts.append(
            Fact(
                "claim",
                f"{claim.label} ({claim.code})",
                "published" if shown else "dropped",
                field,
                claim.code,
                output if shown else "",
                rows + _notes_on(notes, field),
            )
        )
    return facts


def _certificates(entry: CatalogEntry, ctx: MappingContext, notes: tuple[Note, ...]) -> list[Fact]:
    facts = []
    policy = ctx.tables.certification_status
    for index, cert in enumerate(entry.content.certifications):
        field = f"content.certifications[{index}]"
        decision = certificate_status(cert, ctx.today, policy)
        tier = cert.verification_status.value
        rule = policy.verification.get(tier, "window")
        state = decision.status or "no status"
        marks = [
            value
            for value in (
                ctx.tables.certifications.get(cert.code.upper()),
                ctx.tables.organic_certifications.get(cert.code.upper()),
            )
            if value is not None
        ]
        decided = [
            f"certification-status.toml: verification_status {tier!r} -> {rule}",
            f"state {state}: {decision.reason}",
        ]
        if marks:
            given = "given" if decision.pack_mark else "withheld"
            decided.append(f"pack marks {', '.join(marks)} {given} (certifications.csv)")
        facts.append(
            Fact(
                "certificate",
                cert.label,
                "published",
                f"{field}.verification_status",
                tier,
                f"gs1:certificationStatus {decision.status}"
                if decision.status
                else "gs1:CertificationDetails without gs1:certificationStatus",
                (*decided, *_notes_on(notes, field)),
            )
        )
    return facts


def _nutrients(
    entry: CatalogEntry, ctx: MappingContext, document: dict[str, Any], notes: tuple[Note, ...]
) -> list[Fact]:
    panel = entry.content.nutrition_facts
    if panel is None:
        return []
    whole = tuple(
        n.message
        for n in notes
        if n.path in ("content.nutrition_facts", "content.nutrition_facts.label_format")
    )
    facts = []
    for index, row in enumerate(panel.nutrients):
        field = f"content.nutrition_facts.nutrients[{index}]"
        prop = row_property(row, ctx)
        written = f"{row.amount:g} {row.unit}".strip() if row.amount is not None else ""
        value = f"{row.name} {written}".strip()
        if row.daily_value_percent is not None:
            value += f" ({row.daily_value_percent:g}% DV)"
        unit = row.unit.strip()
        decided = [
            f"nutrients.csv: {row.name!r} -> {prop}"
            if prop is not None
            else f"nutrients.csv: no row for {row.name!r}",
            f"nutrition-formats.csv: {panel.label_format!r} -> "
            f"{ctx.tables.nutrition_formats.get(panel.label_format.strip().upper(), 'no row')}",
        ]
        if unit:
            decided.append(
                f"units.csv: {unit!r} -> {ctx.tables.units.get(unit.casefold(), 'no row')}"
            )
        shown = (
            prop is not None
            and prop in document
            and not any("not exported" in message for message in whole)
        )
        facts.append(
            Fact(
                "nutrient",
                row.name,
                "published" if shown else "dropped",
                field,
                value,
                str(prop) if shown else "",
                (*decided, *whole, *_notes_on(notes, field)),
            )
        )
    return facts


def explain_entry(
    entry: CatalogEntry, mapped: MappedProduct, *, config: ExportConfig | None = None
) -> Explanation:
    """Every allergen, claim, certificate state and nutrient of ``entry``, and why.

    ``mapped`` is the entry as it is published (``publish_entry(entry,
    config).mapped``, exactly what ``gs1ld convert`` writes); each fact of it is
    matched with the input field it came from and the tables and notes that decided.

    Raises:
        MappingError: a crosswalk table cannot be used.
    """
    config = config or ExportConfig()
    ctx = mapping_context(entry, config)
    notes = mapped.notes
    facts = (
        _allergens(entry, ctx, mapped.document, notes)
        + _claims(entry, ctx, mapped.claims, notes)
        + _certificates(entry, ctx, notes)
        + _nutrients(entry, ctx, mapped.document, notes)
    )
    return Explanation(entry.gtin, tuple(facts), notes)
