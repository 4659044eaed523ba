"""Certifications -> ``gs1:certification`` nodes, pack marks and organic claims.

One decision per certificate, :func:`certificate_status`, owns its status, why, and
whether it may give a pack mark; every consumer (this mapper, the resolver page's
badge) calls it rather than recomputing. The status is computed from the dates
that are emitted:

* ``gs1:certificationEndDate`` is the earlier of ``expiry_date`` (printed on the
  certificate) and ``expiration_date`` (the assignment's window); when both are
  given and differ, the later one is kept too (``gs1ld:certificateExpiryDate`` or
  ``gs1ld:assignmentExpirationDate``).
* an end date before the reference day gives INACTIVE; a ``valid_from`` after it
  gives INACTIVE too (not in effect today, as the page's badge says; GS1 has no "not
  yet in effect" code, and the start date published beside it tells the two apart),
  noted; a tier the table marks INACTIVE (``expired``) gives INACTIVE.
* a pack mark (``gs1:packagingMarkedLabelAccreditation``) and an organic claim
  (``gs1:organicClaim``) come only from an ACTIVE certificate of a tier
  ``certification-status.toml`` allows (``verified`` by default).

``verification_status`` alone cannot drive the status: GS1's ACTIVE means
"declared to be in effect", not "verified by the API operator", so the tier
itself goes to the extension vocabulary. Certificate text (label, issuer, scope)
is the API catalogue's, so it carries the feed's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from gs1ld.catalog.entry import CatalogEntry
from gs1ld.feed import CertificationAssignmentOut
from gs1ld.mapping._context import UNDETERMINED, MappingContext, Properties, ref, xsd_date
from gs1ld.mapping.tables import CertificationPolicy

__all__ = [
    "ACTIVE",
    "DATE_FIELDS",
    "INACTIVE",
    "CertificateStatus",
    "certificate_status",
    "contribute",
    "decision_key",
]

ACTIVE = "gs1:CertificationStatus-ACTIVE"
INACTIVE = "gs1:CertificationStatus-INACTIVE"
DATE_FIELDS = ("valid_from", "expiration_date", "expiry_date")
"""The dates :func:`certificate_status` compares with the reference day."""

Reason = Literal["in-effect", "ended", "not-started", "tier"]
EndSource = Literal["expiry_date", "expiration_date"]


@dataclass(frozen=True, slots=True)
class CertificateStatus:
    """The whole decision about one certificate on one reference day.

    Attributes:
        status: ``ACTIVE`` / ``INACTIVE`` (GS1's code names), or None when the
            certificate has not started yet (no GS1 code fits).
        reason: ``in-effect``, ``ended`` (its end date passed), ``not-started``, or
            ``tier`` (the status table says so for its verification tier).
        end_date: the date emitted as ``gs1:certificationEndDate``, or None.
        end_source: ``expiry_date`` or ``expiration_date``: which field gave it.
        other_end: the other end date when both are given and differ, else None.
        pack_mark: whether it may give a pack mark and an organic claim.
        note: what a user should know (not yet in effect, ended, no mark), or None.
    """

    status: Literal["ACTIVE", "INACTIVE"] | None
    reason: Reason
    end_date: date | None
    end_source: EndSource | None
    other_end: date | None
    pack_mark: bool
    note: str | None

    @property
    def code(self) -> str | None:
        """The ``gs1:CertificationStatus-*`` CURIE, or None."""
        return None if self.status is None else f"gs1:CertificationStatus-{self.status}"


def certificate_status(
    cert: CertificationAssignmentOut, today: date, policy: CertificationPolicy
) -> CertificateStatus:
    """Decide ``cert``'s status on ``today`` under ``policy`` (``certification-status.toml``).

    Pure: the same certificate, day and table give the same decision, so the
    JSON-LD and the resolver page's badge never disagree.

    >>> from gs1ld.mapping.tables import load_tables
    >>> cert = CertificationAssignmentOut(id="2" * 22, label="Organic", is_active=True,
    ...     verification_status="verified", expiry_date="2026-01-31", expiration_date=None)
    >>> decision = certificate_status(cert, date(2026, 6, 1), load_tables().certification_status)
    >>> decision.status, decision.reason, decision.pack_mark
    ('INACTIVE', 'ended', False)

    Catalogs repeat dates and tiers, so each (dates, tier, day) is decided once per
    status table (the decision is immutable and shared).
    """
    key = decision_key(cert, today)
    known = _DECISIONS.get(id(policy))
    if known is None or known[0] is not policy:
        known = _DECISIONS[id(policy)] = (policy, {})
    decision = known[1].get(key)
    if decision is None:
        if len(known[1]) > _DECISIONS_LIMIT:
            known[1].clear()
        decision = known[1][key] = _decide(cert, today, policy)
    return decision


DecisionKey = tuple[date | None, date | None, date | None, object, date]


def decision_key(cert: CertificationAssignmentOut, today: date) -> DecisionKey:
    """All that :func:`certificate_status` reads of ``cert`` and the day (its dates and
    tier): equal keys get equal decisions under one table, so memos of the decision and
    of what follows from it (the badge) key on it."""
    return (
        cert.expiry_date,
        cert.expiration_date,
        cert.valid_from,
        cert.verification_status,
        today,
    )


_DECISIONS: dict[int, tuple[CertificationPolicy, dict[DecisionKey, CertificateStatus]]] = {}
"""id(policy) -> (policy, (dates, tier, day) -> :func:`certificate_status`)."""
_DECISIONS_LIMIT = 100_000


def _decide(
    cert: CertificationAssignmentOut, today: date, policy: CertificationPolicy
) -> CertificateStatus:
    # the earlier of the two end dates decides (expiry_date on a tie); the other is kept
    expiry, expiration = cert.expiry_date, cert.expiration_date
    end_date: date | None = None
    end_source: EndSource | None = None
    other_end: date | None = None
    if expiry is not None and (expiration is None or expiry <= expiration):
        end_date, end_source = expiry, "expiry_date"
        if expiration is not None and expiration != expiry:
            other_end = expiration
    elif expiration is not None:
        end_date, end_source = expiration, "expiration_date"
        other_end = expiry
    tier = str(cert.verification_status)  # a StrEnum: its value, without the enum descriptor
    rule = policy.verification.get(tier, "window")
    status: Literal["ACTIVE", "INACTIVE"] | None
    reason: Reason
    note: str | None = None
    if end_date is not None and end_date < today:
        status, reason = "INACTIVE", "ended"
        note = f"{end_source} {end_date.isoformat()} has passed on {today.isoformat()}: INACTIVE"
    elif rule == "INACTIVE":
        status, reason = "INACTIVE", "tier"
        note = f"verification_status {tier!r} is INACTIVE by certification-status.toml"
    elif cert.valid_from is not None and today < cert.valid_from:
        status, reason = "INACTIVE", "not-started"  # not in effect today, as the page says
        note = (
            f"not yet in effect on {today.isoformat()} (valid_from "
            f"{cert.valid_from.isoformat()}): INACTIVE, no pack mark"
        )
    else:
        status, reason = "ACTIVE", "in-effect"
    pack_mark = status == "ACTIVE" and tier in policy.mark_tiers
    if status == "ACTIVE" and not pack_mark:
        note = (
            f"verification_status {tier!r} gives no pack mark or organic claim "
            "(certification-status.toml [packaging_mark])"
        )
    return CertificateStatus(status, reason, end_date, end_source, other_end, pack_mark, note)


def _details(
    cert: CertificationAssignmentOut, decision: CertificateStatus, ctx: MappingContext
) -> dict[str, Any]:
    # values as ctx.name(..., lang_string=True), ctx.feed_text, xsd_uri, ref and xsd_date
    # make them, written inline: a catalog has a certificate node per certificate
    feed = ctx.config.feed_language
    node: dict[str, Any] = {
        "@type": "gs1:CertificationDetails",
        "gs1:certificationStandard": {"@value": cert.label, "@language": UNDETERMINED},
        "gs1ld:verificationStatus": str(cert.verification_status),
    }
    if decision.status is not None:
        node["gs1:certificationStatus"] = {"@id": _STATUS_CODES[decision.status]}
    if issuer := cert.issuing_body:  # each field read once: feed models' attributes cost
        node["gs1:certificationAgency"] = {"@value": issuer, "@language": UNDETERMINED}
    if scope := cert.scope:
        node["gs1:certificationStatement"] = {"@value": scope, "@language": feed}
    if value := cert.certification_value:
        node["gs1:certificationValue"] = {"@value": value, "@language": feed}
    if description := cert.description:
        node["schema:description"] = {"@value": description, "@language": feed}
    if code := cert.code:
        node["gs1ld:certificationCode"] = code
    if number := cert.certificate_number:
        node["gs1:certificationIdentification"] = number
    if verification := cert.verification_url:
        node["gs1:certificationURI"] = {"@value": verification, "@type": "xsd:anyURI"}
    if url := cert.url:
        node["schema:url"] = {"@id": url}
    if logo := cert.logo_url:
        node["schema:logo"] = {"@id": logo}
    if (valid_from := cert.valid_from) is not None:
        node["gs1:certificationStartDate"] = xsd_date(valid_from)
    if decision.end_date is not None:
        node["gs1:certificationEndDate"] = xsd_date(decision.end_date)
    if (audit := cert.audit_date) is not None:
        node["gs1:certificationAuditDate"] = xsd_date(audit)
    if (initial := cert.initial_certification_date) is not None:
        node["gs1:initialCertificationDate"] = xsd_date(initial)
    if decision.other_end is not None:
        key = (
            "gs1ld:assignmentExpirationDate"
            if decision.end_source == "expiry_date"
            else "gs1ld:certificateExpiryDate"
        )
        node[key] = xsd_date(decision.other_end)
    if countries := cert.certificate_countries:
        node["gs1ld:certificateCountry"] = sorted(countries)
    return node


_STATUS_CODES = {status: f"gs1:CertificationStatus-{status}" for status in ("ACTIVE", "INACTIVE")}
"""Status -> its ``gs1:CertificationStatus-*`` CURIE (:attr:`CertificateStatus.code`)."""


def _label_order(indexed: tuple[int, CertificationAssignmentOut]) -> tuple[str, str]:
    return indexed[1].label, indexed[1].id


def contribute(entry: CatalogEntry, ctx: MappingContext) -> Properties:
    """Every certification as a node, and the pack marks and organic claims it may give."""
    certifications = entry.content.certifications
    if not certifications:
        return {}
    indexed = (
        sorted(enumerate(certifications), key=_label_order)
        if len(certifications) > 1
        else enumerate(certifications)
    )
    props: Properties = {}
    seals: set[str] = set()
    agencies: set[str] = set()
    policy = ctx.tables.certification_status
    for index, cert in indexed:
        decision = ctx.decisions.get(cert.id) or certificate_status(cert, ctx.today, policy)
        props.setdefault("gs1:certification", []).append(_details(cert, decision, ctx))
        path = f"content.certifications[{index}]"
        code = cert.code.upper()
        seal = ctx.tables.certifications.get(code)
        agency = ctx.tables.organic_certifications.get(code)
        if decision.note is not None:
            withheld = [v for v in (seal, agency) if v is not None and not decision.pack_mark]
            extra = f"; not exported: {', '.join(withheld)}" if withheld else ""
            ctx.note(path, f"certificate {cert.label!r}: {decision.note}{extra}")
        if not decision.pack_mark:
            continue
        if seal is not None:
            seals.add(seal)
        if agency is not None:
            agencies.add(agency)
    if seals:
        props["gs1:packagingMarkedLabelAccreditation"] = [ref(seal) for seal in sorted(seals)]
    if agencies:
        props["gs1:organicClaim"] = [
            {"@type": "gs1:OrganicClaimDetails", "gs1:organicClaimAgency": ref(agency)}
            for agency in sorted(agencies)
        ]
    return props
