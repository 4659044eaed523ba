"""``gs1ld claims``: list a product's claims, or assign one, through the product API.

``claims`` is a group of two commands, ``list`` and ``assign``; a first argument
that names neither is ``list``'s GTIN, so ``gs1ld claims GTIN`` lists.
"""

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
from gs1ld.cli._output import cannot_run, print_json

SOURCES = ("BRAND_SELF_DECLARED", "THIRD_PARTY_VERIFIED")
"""``ClaimSourceEnum``: who asserts the claim."""
CLAIM_ID = "2oLgjrDKpK2Ptv9poAH8Kj"


def claim_line(row: Any) -> str:
    """One claim as one readable line: id, label and code, category, source, validity.

    ``row`` is a :class:`~gs1ld.feed.ClaimAssignmentOut`.
    """
    parts = [row.id, f"{row.label} ({row.code})", str(row.category), str(row.source)]
    if row.valid_from:
        parts.append(f"from {row.valid_from.isoformat()}")
    if row.expiration_date:
        parts.append(f"until {row.expiration_date.isoformat()}")
    return "  ".join(parts)


class _ListByDefault(click.Group):
    """A group whose first argument, when it names no subcommand, is ``list``'s."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = ["list", *args]
        return super().parse_args(ctx, args)


@click.group(
    cls=_ListByDefault,
    epilog=f"""\b
Examples:
  gs1ld claims 09506000134352
  gs1ld claims list 09506000134352 --report-format json
  gs1ld claims assign 09506000134352 --claim-id {CLAIM_ID} --source THIRD_PARTY_VERIFIED
""",
)
def claims() -> None:
    """List a product's claims (Non-GMO, Vegan...) or assign one, through the product API.

    `gs1ld claims GTIN` is `gs1ld claims list GTIN`. Both commands take the API
    options of pull (key, --api-url, governor, retries) and exit 0 on success, 1
    when the API refused the request (unknown GTIN, a claim already assigned),
    2 when they could not run (bad GTIN or option, no key, API unreachable), 130
    when interrupted.
    """


@claims.command("list")
@click.argument("gtin")
@api_options
@report_options
@click.pass_context
def list_claims(
    ctx: click.Context,
    api: ApiOptions,
    gtin: str,
    report_format: str,
    quiet: bool,
    verbose: bool,
) -> None:
    """List the claims assigned to a product, one line each.

    The GTIN (8, 12, 13 or 14 digits; spaces and hyphens allowed) is check-digit
    verified before any request. An unknown GTIN (404) exits 1.
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
    try:
        with Client(options=session.options) as client:
            rows = client.claims(code)
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
                "count": len(rows),
                "claims": [row.model_dump(mode="json") for row in rows],
            }
        )
        sys.exit(EXIT_OK)
    for row in [] if quiet else rows:
        click.echo(claim_line(row))
    click.echo(f"{len(rows)} claim{'' if len(rows) == 1 else 's'} for GTIN {code}")
    sys.exit(EXIT_OK)


def _metadata(pairs: tuple[str, ...], as_json: bool) -> dict[str, str]:
    """``--metadata KEY=VALUE`` pairs as a dict, or stop with exit 2 naming the bad one."""
    metadata: dict[str, str] = {}
    for pair in pairs:
        key, equals, value = pair.partition("=")
        if not equals or not key:
            cannot_run(f"--metadata: expected KEY=VALUE, got {pair!r}", as_json=as_json)
        metadata[key] = value
    return metadata


def _body(fields: dict[str, Any], as_json: bool) -> Any:
    """The request body, checked against the API's documented rules before it is sent.

    A broken rule stops the command with exit 2, naming the option, the rule and
    the value.
    """
    from pydantic import ValidationError

    from gs1ld.feed import ClaimAssignmentIn
    from gs1ld.problems import problems_from_validation_error

    try:
        return ClaimAssignmentIn.model_validate(fields)
    except ValidationError as exc:
        lines = []
        for problem in problems_from_validation_error(exc):
            field, _, rest = str(problem).partition(":")
            lines.append(f"--{field.split('.')[0].replace('_', '-')}{rest and ':'}{rest}")
        cannot_run("; ".join(lines), as_json=as_json)


@claims.command("assign")
@click.argument("gtin")
@click.option(
    "--claim-id",
    required=True,
    metavar="ID",
    help="The claim to assign: its 22-character id (or its canonical UUID).",
)
@click.option(
    "--source",
    type=click.Choice(SOURCES, case_sensitive=False),
    default=None,
    help="Who asserts the claim (default: the API's, BRAND_SELF_DECLARED).",
)
@click.option("--valid-from", metavar="YYYY-MM-DD", default=None, help="Start of validity.")
@click.option(
    "--expiration-date",
    metavar="YYYY-MM-DD",
    default=None,
    help="End of validity (default: open-ended).",
)
@click.option(
    "--evidence-url",
    metavar="URL",
    default=None,
    help="Supporting evidence: a certificate scan, lab report, supplier letter (http(s)).",
)
@click.option("--evidence-note", metavar="TEXT", default=None, help="Notes about the evidence.")
@click.option(
    "--metadata",
    "metadata_pairs",
    multiple=True,
    metavar="KEY=VALUE",
    help="Your own key/value data on the assignment; repeatable (up to 50 keys, keys up "
    "to 40 and values up to 500 characters).",
)
@api_options
@report_options
@click.pass_context
def assign(
    ctx: click.Context,
    api: ApiOptions,
    gtin: str,
    claim_id: str,
    source: str | None,
    valid_from: str | None,
    expiration_date: str | None,
    evidence_url: str | None,
    evidence_note: str | None,
    metadata_pairs: tuple[str, ...],
    report_format: str,
    quiet: bool,
    verbose: bool,
) -> None:
    """Assign a claim to a product.

    The GTIN and every field are checked against the API's documented rules
    before the request is sent. A claim the product already has (409) is reported
    as "already assigned" and exits 1; nothing changes.
    """
    import httpx

    from gs1ld.errors import Gs1ldError
    from gs1ld.feed.client import Client
    from gs1ld.feed.errors import AlreadyAssigned

    as_json = report_format == "json"
    code = checked_gtin(gtin, as_json=as_json)
    given = {
        "claim_id": claim_id,
        "source": source,
        "valid_from": valid_from,
        "expiration_date": expiration_date,
        "evidence_url": evidence_url,
        "evidence_note": evidence_note,
        "metadata": _metadata(metadata_pairs, as_json) if metadata_pairs else None,
    }
    body = _body({k: v for k, v in given.items() if v is not None}, as_json)
    session = open_api(
        ctx,
        api,
        as_json=as_json,
    )
    sent: list[httpx.Request] = []

    def count(request: httpx.Request) -> None:
        sent.append(request)

    http = httpx.Client(timeout=session.options.timeout, event_hooks={"request": [count]})
    try:
        with http, Client(options=session.options, http=http) as client:
            row = client.assign_claim(code, body)
    except KeyboardInterrupt:
        click.echo(
            f"interrupted: the claim may or may not be assigned; `gs1ld claims list {code}` shows",
            err=True,
        )
        sys.exit(EXIT_INTERRUPTED)
    except AlreadyAssigned as exc:
        message = f"claim {body.claim_id} is already assigned to GTIN {code}; nothing changed"
        if len(sent) > 1:
            message += (
                f" (the request was sent {len(sent)} times: an earlier attempt whose answer "
                "was lost may have assigned it)"
            )
        extra = {**error_fields(exc, code), "claim_id": body.claim_id}
        api_error_exit(exc, message, as_json=as_json, extra=extra)
    except Gs1ldError as exc:
        extra = {**error_fields(exc, code), "claim_id": body.claim_id}
        api_error_exit(exc, refusal(exc, code), as_json=as_json, extra=extra)
    if as_json:
        print_json({"gtin": code, **session.report(), "claim": row.model_dump(mode="json")})
        sys.exit(EXIT_OK)
    click.echo(claim_line(row))
    click.echo(f"assigned claim {row.label} ({row.code}) to GTIN {code}")
    sys.exit(EXIT_OK)
