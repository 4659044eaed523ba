"""``gs1ld certifications GTIN``: list a product's certification assignments from the API."""

from __future__ import annotations

import sys
from typing import Any

import click

from gs1ld.cli import EXIT_INTERRUPTED, EXIT_OK
from gs1ld.cli._api_session import (
    ApiOptions,
    api_error_exit,
    api_options,
    checked_gtin,
    error_fields,
    open_api,
    refusal,
)
from gs1ld.cli._options import report_options
from gs1ld.cli._output import print_json

ORDERINGS = ("expiry_date", "-expiry_date", "label", "-label")
"""The sort fields the API documents; ``-`` sorts descending."""
MAX_PAGE_SIZE = 100
"""The API's largest page."""


def certification_line(row: Any) -> str:
    """One certification as one readable line: id, label, tier, state, expiry, number, issuer.

    ``row`` is a :class:`~gs1ld.feed.CertificationAssignmentOut`.
    """
    expiry = row.expiry_date or row.expiration_date
    parts = [
        row.id,
        row.label,
        str(row.verification_status),
        "active" if row.is_active else "inactive",
        f"expires {expiry.isoformat()}" if expiry else "no expiry",
    ]
    if row.certificate_number:
        parts.append(f"no. {row.certificate_number}")
    if row.issuing_body:
        parts.append(f"by {row.issuing_body}")
    return "  ".join(parts)


@click.command()
@click.argument("gtin")
@click.option(
    "--verification-status",
    type=click.Choice(["unverified", "verified", "expired"]),
    default=None,
    help="Only certifications of this verification tier.",
)
@click.option(
    "--active/--inactive",
    "is_active",
    default=None,
    help="Only active, or only inactive, certifications (default: both). The API decides "
    "activity on the day it answers.",
)
@click.option(
    "--ordering",
    type=click.Choice(ORDERINGS),
    default=None,
    help="Sort field; a leading - sorts descending (write --ordering=-label).",
)
@click.option(
    "--page",
    type=click.IntRange(min=1),
    default=None,
    help="Fetch only this page (1 is the first); default: every page.",
)
@click.option(
    "--page-size",
    type=click.IntRange(1, MAX_PAGE_SIZE),
    default=MAX_PAGE_SIZE,
    show_default=True,
    help="Certifications per request (the API allows 1-100).",
)
@api_options
@report_options
@click.pass_context
def certifications(
    ctx: click.Context,
    api: ApiOptions,
    gtin: str,
    verification_status: str | None,
    is_active: bool | None,
    ordering: str | None,
    page: int | None,
    page_size: int,
    report_format: str,
    quiet: bool,
    verbose: bool,
) -> None:
    """List the certifications assigned to a product, one line each.

    The GTIN (8, 12, 13 or 14 digits; spaces and hyphens allowed) is check-digit
    verified before any request. Every page is fetched unless --page is given.
    Requests are paced by the API's rate-limit headers and retried like pull's.
    Exits 0 on success, 1 when the API refused the request (unknown GTIN: 404) or
    answered unusably, 2 when the command could not run (bad GTIN, no key, API
    unreachable), 130 when interrupted.
    """
    from gs1ld.errors import Gs1ldError
    from gs1ld.feed.client import Client

    as_json = report_format == "json"
    code = checked_gtin(gtin, as_json=as_json)
    session = open_api(
        ctx,
        api,
        as_json=as_json,
    )
    filters = {
        "verification_status": verification_status,
        "is_active": is_active,
        "ordering": ordering,
    }
    pagination: dict[str, Any] | None = None
    try:
        with Client(options=session.options) as client:
            if page is None:
                rows = client.certifications(
                    code,
                    verification_status=verification_status,
                    is_active=is_active,
                    ordering=ordering,
                    page_size=page_size,
                )
            else:
                found = client.certifications_page(
                    code,
                    page=page,
                    page_size=page_size,
                    verification_status=verification_status,
                    is_active=is_active,
                    ordering=ordering,
                )
                rows, pagination = found.data, found.pagination.model_dump(mode="json")
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except Gs1ldError as exc:
        api_error_exit(exc, refusal(exc, code), as_json=as_json, extra=error_fields(exc, code))
    if as_json:
        print_json(
            {
                "gtin": code,
                **session.report(),
                "filters": filters,
                "pagination": pagination,
                "count": len(rows),
                "certifications": [row.model_dump(mode="json") for row in rows],
            }
        )
        sys.exit(EXIT_OK)
    for row in [] if quiet else rows:
        click.echo(certification_line(row))
    noun = "certification" if len(rows) == 1 else "certifications"
    if pagination is None:
        click.echo(f"{len(rows)} {noun} for GTIN {code}")
    else:
        click.echo(
            f"{len(rows)} {noun} for GTIN {code} on page {pagination['page']} of "
            f"{pagination['total_pages']} ({pagination['total_count']} in all)"
        )
    sys.exit(EXIT_OK)
