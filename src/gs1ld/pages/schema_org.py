"""The schema.org ``Product`` block search engines read from a product page.

It sits beside the GS1 JSON-LD, not inside it: search engines understand
schema.org, GS1-aware clients the GS1 Web Vocabulary, and neither has to parse
the other's terms.
"""

from __future__ import annotations

from typing import Any

from gs1ld.pages.view import CertificationView, ProductView

__all__ = ["schema_org_product"]


def _certification(cert: CertificationView) -> dict[str, Any]:
    block: dict[str, Any] = {"@type": "Certification", "name": cert.label}
    if cert.issuing_body:
        block["issuedBy"] = {"@type": "Organization", "name": cert.issuing_body}
    if cert.number:
        block["certificationIdentification"] = cert.number
    if cert.valid_from:
        block["validFrom"] = cert.valid_from.isoformat()
    if cert.valid_until:
        block["expires"] = cert.valid_until.isoformat()
    if cert.verification_url or cert.programme_url:
        block["url"] = cert.verification_url or cert.programme_url
    if cert.logo_url:
        block["logo"] = cert.logo_url
    block["certificationStatus"] = (
        "https://schema.org/CertificationActive"
        if cert.badge in ("active", "unverified")
        else "https://schema.org/CertificationInactive"
    )
    return block


def schema_org_product(view: ProductView) -> dict[str, Any]:
    """A schema.org ``Product`` for ``view``: name, gtin14, brand, images, certifications."""
    product: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Product",
        "@id": view.uri,
        "name": view.name,
        "gtin14": view.gtin,
        "url": view.uri,
    }
    if view.brand:
        product["brand"] = {"@type": "Brand", "name": view.brand}
    if view.description:
        product["description"] = view.description
    if view.images:
        product["image"] = [image.src for image in view.images]
    if view.certifications:
        product["hasCertification"] = [_certification(c) for c in view.certifications]
    return product
