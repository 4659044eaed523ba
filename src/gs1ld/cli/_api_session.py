"""What every command that talks to the product API shares: its options and its set-up.

``pull``, ``certifications`` and ``claims`` take the same connection options
(:func:`api_options`) and open the API the same way (:func:`open_api`): every
credential is remembered for redaction, the host is chosen by the rules of
:mod:`gs1ld.cli._api` before any request, a run without a key stops with exit 2,
and ``API: host (url, from origin)`` goes to stderr so the user always sees where
the key is going. :func:`api_error_exit` turns one request's failure into the
exit-code promise (1 the API refused or answered unusably, 2 it could not be
reached).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn, TypeVar
from urllib.parse import urlsplit

import click

from gs1ld.cli._api import ApiTarget, ApiTargetError, resolve_api
from gs1ld.cli._output import cannot_run, err_console, print_error, print_json
from gs1ld.errors import EntryError, Gs1ldError
from gs1ld.feed.client import ClientOptions, RetryPolicy
from gs1ld.limits import DEFAULT_MAX_ENTRY_BYTES

__all__ = [
    "ApiOptions",
    "ApiSession",
    "api_error_exit",
    "api_options",
    "checked_gtin",
    "error_fields",
    "open_api",
    "refusal",
]

R = TypeVar("R")

EXIT_REFUSED = 1


@dataclass(frozen=True, slots=True)
class ApiOptions:
    """Where the API is and how to talk to it, as the command line gave it."""

    api_url: str | None
    api_key: str | None
    token: str | None
    no_governor: bool
    timeout: float
    max_wait: float
    max_attempts: int


_API_FIELDS = tuple(ApiOptions.__dataclass_fields__)


def api_options(function: Callable[..., R]) -> Callable[..., R]:
    """``--api-url``, ``--api-key``, ``--token``, ``--no-governor``, ``--timeout``,
    ``--max-wait`` and ``--max-attempts``: where the API is and how to talk to it,
    handed to the command as one ``api`` (:class:`ApiOptions`) for :func:`open_api`."""

    @functools.wraps(function)
    def collected(*args: Any, **kwargs: Any) -> R:
        kwargs["api"] = ApiOptions(**{name: kwargs.pop(name) for name in _API_FIELDS})
        return function(*args, **kwargs)

    options = [
        click.option(
            "--api-url",
            default=None,
            metavar="URL",
            help="API root (default: $GS1LD_API_URL, else the documented server). One set by "
            "a config file gets only a key given for its host: GS1LD_API_KEY_<HOST>.",
        ),
        click.option("--api-key", default=None, help="API key (default: $GS1LD_API_KEY)."),
        click.option(
            "--token", default=None, help="Bearer token instead of a key ($GS1LD_API_TOKEN)."
        ),
        click.option(
            "--no-governor",
            is_flag=True,
            help="Do not pace requests by the API's rate-limit headers.",
        ),
        click.option(
            "--timeout",
            default=30.0,
            show_default=True,
            type=click.FloatRange(min=0.1),
            help="Seconds per request attempt in all: connecting, sending and reading the "
            "whole answer (an answer that trickles in slower is cut off and retried).",
        ),
        click.option(
            "--max-wait",
            default=900.0,
            show_default=True,
            type=click.FloatRange(min=0),
            metavar="SECONDS",
            help="Longest wait the API may ask for (Retry-After, rate-limit reset); a longer "
            "one fails the request instead of being waited for.",
        ),
        click.option(
            "--max-attempts",
            default=5,
            show_default=True,
            type=click.IntRange(1, 20),
            help="Tries per request (5xx, 429, timeouts and dropped connections are retried).",
        ),
    ]
    for option in reversed(options):
        collected = option(collected)
    return collected


@dataclass(frozen=True, slots=True)
class ApiSession:
    """The API a command may talk to, the client options for it, and where they came from.

    Attributes:
        target: the host, its URL and the credentials that may go there.
        options: the client options (only the credentials bound to ``target``).
        config_file: the config file the run read option defaults from, if any.
        options_from_file: the command's options whose value came from that file.
    """

    target: ApiTarget
    options: ClientOptions
    config_file: Path | None
    options_from_file: list[str]

    def report(self) -> dict[str, Any]:
        """The JSON report's account of where requests went and which options a file set."""
        return {
            "api": {"host": self.target.host, "url": self.target.url, "from": self.target.origin},
            "config_file": None if self.config_file is None else str(self.config_file),
            "options_from_config_file": self.options_from_file,
        }


def open_api(
    ctx: click.Context,
    api: ApiOptions,
    *,
    max_response_bytes: int = DEFAULT_MAX_ENTRY_BYTES,
    as_json: bool = False,
) -> ApiSession:
    """Choose the API host and its credentials, or stop with exit 2 before any request.

    Prints ``API: host (url, from origin)`` on stderr, then the options a config
    file set, if any.

    Args:
        ctx: the command's context (to tell a config file's values from the user's).
        api: the API options (``--api-url`` from wherever click took it).
        max_response_bytes: the largest answer accepted.
        as_json: a JSON report was asked for: a fatal error goes to stdout as JSON too.
    """
    from gs1ld import _secrets
    from gs1ld.cli._config import config_file, options_from_file

    _secrets.remember(  # every credential the run can see, sent or not
        api.api_key, api.token, os.environ.get("GS1LD_API_KEY"), os.environ.get("GS1LD_API_TOKEN")
    )
    try:
        target = resolve_api(ctx, api_url=api.api_url, api_key=api.api_key, token=api.token)
    except ApiTargetError as exc:
        cannot_run(exc, as_json=as_json)
    _secrets.remember(target.api_key, target.token, urlsplit(target.url).password)
    options = ClientOptions(  # not from_env: only the credentials bound to this host
        api_url=target.url,
        api_key=target.api_key,
        token=target.token,
        timeout=api.timeout,
        governor=not api.no_governor,
        retry=RetryPolicy(max_attempts=api.max_attempts),
        max_wait=api.max_wait,
        max_response_bytes=max_response_bytes,
    )
    if not options.api_key and not options.token:
        cannot_run(
            "no API key: pass --api-key or set GS1LD_API_KEY (or --token / GS1LD_API_TOKEN)",
            as_json=as_json,
        )
    settings = config_file(ctx)
    from_file = options_from_file(ctx) if settings is not None else []
    err_console.print(
        f"API: {target.host} ({target.url}, from {target.origin})", markup=False, highlight=False
    )
    if from_file:
        err_console.print(
            f"options from {settings}: {', '.join(from_file)}", markup=False, highlight=False
        )
    return ApiSession(target, options, settings, from_file)


def api_error_exit(
    exc: Gs1ldError, message: str, *, as_json: bool, extra: dict[str, Any] | None = None
) -> NoReturn:
    """Report a failed request and exit: 1 when the API refused it or answered unusably
    (an error status, an answer too large, not JSON or breaking the documented
    models, a wait longer than ``--max-wait``), 2 when it could not be reached at all.

    Args:
        exc: the client's error.
        message: the line to print after ``error:``.
        as_json: also print ``{"error", "exit_code", ...extra}`` on stdout.
        extra: more fields for the JSON object (the GTIN, the API's status and code).
    """
    from gs1ld._secrets import redact
    from gs1ld.feed.errors import ApiError, ResponseError, WaitTooLong

    refused = isinstance(exc, ApiError | ResponseError | WaitTooLong | EntryError)
    code = EXIT_REFUSED if refused else 2
    text = redact(message)
    print_error(text)
    if as_json:
        print_json({"error": text, "exit_code": code, **(extra or {})})
    raise SystemExit(code)


def checked_gtin(value: str, *, as_json: bool) -> str:
    """``value`` as a GTIN-14, or stop with exit 2 before any request (the message
    quotes the input and says expected vs got, as ``pull`` reports a bad line)."""
    from gs1ld import gtin as gtin_rules
    from gs1ld.errors import GtinError

    try:
        return gtin_rules.normalize(value)
    except GtinError as exc:
        cannot_run(exc, as_json=as_json)


def refusal(exc: Gs1ldError, gtin: str) -> str:
    """The line that says why a request about ``gtin`` failed: 404 in words, else the
    client's own message (status, the API's error code and its detail)."""
    from gs1ld.feed.errors import ProductNotFound

    if isinstance(exc, ProductNotFound):
        return f"no product has GTIN {gtin} (the API answered 404 {exc.error_code or 'not_found'})"
    return str(exc)


def error_fields(exc: Gs1ldError, gtin: str) -> dict[str, Any]:
    """The JSON report's fields for a failed request: the GTIN, the HTTP status and code."""
    from gs1ld.feed.errors import ApiError

    if isinstance(exc, ApiError):
        return {"gtin": gtin, "status": exc.status, "error_code": exc.error_code}
    return {"gtin": gtin, "status": None, "error_code": None}
