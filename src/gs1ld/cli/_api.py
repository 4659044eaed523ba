"""Where the API key may go: the API commands' host, chosen before any request.

The key (``--api-key``, ``GS1LD_API_KEY``) or token (``--token``,
``GS1LD_API_TOKEN``) is sent only to the documented API host or to a host the
user named: ``--api-url`` on the command line, the command's own variable
(``GS1LD_PULL_API_URL``, ``GS1LD_CERTIFICATIONS_API_URL``...) or ``GS1LD_API_URL``
in the environment. A config file travels with a folder that
someone else may have written, so an ``api_url`` it sets is used only with a key
given for that very host: ``GS1LD_API_KEY_<HOST>`` (or ``GS1LD_API_TOKEN_<HOST>``),
the host upper-cased with every character but letters and digits as ``_``
(``GS1LD_API_KEY_API_BRAND_EXAMPLE`` for ``api.brand.example``, any port). A key
given that way is the only one ever sent to that host. Nothing goes over plain
``http://`` except to a loopback address (tests, local proxies).
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import click
from click.core import ParameterSource

from gs1ld.errors import ClientError
from gs1ld.feed.client import DEFAULT_API_URL

__all__ = ["DOCUMENTED_HOST", "ApiTarget", "ApiTargetError", "host_key_variable", "resolve_api"]

DOCUMENTED_HOST = urlsplit(DEFAULT_API_URL).hostname or ""


class ApiTargetError(ClientError):
    """The API URL or its credentials cannot be used: nothing was sent (exit 2)."""


@dataclass(frozen=True, slots=True)
class ApiTarget:
    """The API root a command talks to, and the credentials it may send there.

    Attributes:
        url: the API root.
        host: its host name, as printed and reported.
        origin: where the URL came from (``--api-url``, ``GS1LD_API_URL``, a
            config file's path, or ``the documented default``).
        api_key: the key sent as ``X-API-Key``; never shown.
        token: the bearer token; never shown.
    """

    url: str
    host: str
    origin: str
    api_key: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)


def host_key_variable(host: str, kind: str = "KEY") -> str:
    """The environment variable that holds the key for ``host``.

    >>> host_key_variable("api.brand.example")
    'GS1LD_API_KEY_API_BRAND_EXAMPLE'
    >>> host_key_variable("127.0.0.1", "TOKEN")
    'GS1LD_API_TOKEN_127_0_0_1'
    """
    return f"GS1LD_API_{kind}_" + re.sub(r"[^A-Za-z0-9]", "_", host).upper()


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this machine: ``localhost``, 127.0.0.0/8 or ``::1``.

    >>> [is_loopback(h) for h in ("localhost", "127.0.0.2", "::1", "127.0.0.1.example")]
    [True, True, True, False]
    """
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _url_and_origin(
    ctx: click.Context, api_url: str | None, environ: Mapping[str, str]
) -> tuple[str, str, Path | None]:
    """The API root, who named it, and the config file when that is who."""
    source = ctx.get_parameter_source("api_url")
    if api_url and source is ParameterSource.COMMANDLINE:
        return api_url, "--api-url", None
    if api_url and source is ParameterSource.ENVIRONMENT:
        return api_url, f"{ctx.auto_envvar_prefix or 'GS1LD'}_API_URL", None
    if environ.get("GS1LD_API_URL"):  # the environment wins over the file
        return environ["GS1LD_API_URL"], "GS1LD_API_URL", None
    if api_url and source is ParameterSource.DEFAULT_MAP:
        from gs1ld.cli._config import config_file

        path = config_file(ctx)
        return api_url, str(path), path
    return DEFAULT_API_URL, "the documented default", None


def resolve_api(
    ctx: click.Context,
    *,
    api_url: str | None,
    api_key: str | None,
    token: str | None,
    environ: Mapping[str, str] | None = None,
) -> ApiTarget:
    """The API root and the credentials that may go there, or refuse before any request.

    Args:
        ctx: the command's context (to tell a config file's value from the user's).
        api_url: the ``--api-url`` value (from wherever click took it).
        api_key: ``--api-key`` (command line or ``GS1LD_<COMMAND>_API_KEY``), if given.
        token: ``--token``, if given.
        environ: the environment (default ``os.environ``).

    Raises:
        ApiTargetError: a config file names a host no key is given for; the URL is
            not http(s); or a credential would cross plain http to another machine.
    """
    env = os.environ if environ is None else environ
    url, origin, from_file = _url_and_origin(ctx, api_url, env)
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host:
        raise ApiTargetError(f"{origin}: API URL {url!r} is not an http(s) URL with a host")
    bound_key = env.get(host_key_variable(host)) or None
    bound_token = env.get(host_key_variable(host, "TOKEN")) or None
    if bound_key or bound_token:
        key, bearer = bound_key, bound_token
    elif from_file is not None and host != DOCUMENTED_HOST:
        raise ApiTargetError(
            f"{from_file}: api-url names host {host}, which you did not name; your API key "
            f"goes only to {DOCUMENTED_HOST} or a host given with --api-url or GS1LD_API_URL. "
            f"To use this host, set {host_key_variable(host)} to its key"
        )
    else:
        key = api_key or env.get("GS1LD_API_KEY") or None
        bearer = token or env.get("GS1LD_API_TOKEN") or None
    if parts.scheme == "http" and not is_loopback(host) and (key or bearer):
        raise ApiTargetError(
            f"{origin}: refusing to send the API key to {host} over plain http; use https "
            "(plain http is allowed only to a loopback address)"
        )
    return ApiTarget(url=url, host=host, origin=origin, api_key=key, token=bearer)
