"""Certifications -> ``gs1:certification`` / ``gs1:CertificationDetails``.

Status follows the documented rule in ``mappings/certification-status.toml``:
by default an ``expired`` verification is INACTIVE; otherwise ACTIVE when the
reference day is inside [valid_from, expiration_date], INACTIVE outside it.
``verification_status`` alone cannot drive it: GS1's ACTIVE means "declared to
be in effect", not "verified by the API operator", so the tier itself goes to
the extension vocabulary.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from gs1ld.catalog.entry import CatalogEntry
from gs1ld.feed import CertificationAssignmentOut
from gs1ld.mapping._context import MappingContext, Properties, ref, xsd_date, xsd_uri

__all__ = ["ACTIVE", "INACTIVE", "certification_status", "contribute"]

ACTIVE = "gs1:CertificationStatus-ACTIVE"
INACTIVE = "gs1:CertificationStatus-INACTIVE"


def certification_status(
    cert: CertificationAssignmentOut, *, today: date, rules: Mapping[str, str]
) -> str:
    """The GS1 certification status code of ``cert`` on ``today`` under the status table."""
    rule = rules.get(cert.verification_status.value, "window")
    if rule == "window":
        return ACTIVE if cert.active_on(today) else INACTIVE
    return ACTIVE if rule == "ACTIVE" else INACTIVE


def _status(cert: CertificationAssignmentOut, ctx: MappingContext) -> str:
    return certification_status(cert, today=ctx.day, rules=ctx.tables.certification_status)


def _details(cert: CertificationAssignmentOut, ctx: MappingContext) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@type": "gs1:CertificationDetails",
        "gs1:certificationStandard": ctx.text(cert.label),
        "gs1:certificationStatus": ref(_status(cert, ctx)),
        "gs1ld:verificationStatus": cert.verification_status.value,
    }
    optional_text = (
        ("gs1:certificationAgency", cert.issuing_body),
        ("gs1:certificationStatement", cert.scope),
        ("gs1:certificationValue", cert.certification_value),
        ("schema:description", cert.description),
    )
    for key, value in optional_text:
        if value:
            node[key] = ctx.text(value)
    if cert.code:
        node["gs1ld:certificationCode"] = cert.code
    if cert.certificate_number:
        node["gs1:certificationIdentification"] = cert.certificate_number
    if cert.verification_url:
        node["gs1:certificationURI"] = xsd_uri(cert.verification_url)
    if cert.logo_url:
        node["schema:logo"] = ref(cert.logo_url)
    end = cert.expiry_date or cert.expiration_date
    for key, day in (
        ("gs1:certificationStartDate", cert.valid_from),
        ("gs1:certificationEndDate", end),
        ("gs1:certificationAuditDate", cert.audit_date),
        ("gs1:initialCertificationDate", cert.initial_certification_date),
    ):
        if day is not None:
            node[key] = xsd_date(day)
    if cert.certificate_countries:
        node["gs1ld:certificateCountry"] = sorted(cert.certificate_countries)
    return node


def contribute(entry: CatalogEntry, ctx: MappingContext) -> Properties:
    """Every certification as a node, and the pack seal of active known programmes."""
    certs = sorted(entry.content.certifications, key=lambda c: (c.label, c.id))
    props: Properties = {}
    if certs:
        props["gs1:certification"] = [_details(cert, ctx) for cert in certs]
    seals = sorted(
        {
            ctx.tables.certifications[cert.code.upper()]
            for cert in certs
            if cert.code.upper() in ctx.tables.certifications and _status(cert, ctx) == ACTIVE
        }
    )
    if seals:
        props["gs1:packagingMarkedLabelAccreditation"] = [ref(seal) for seal in seals]
    return props
