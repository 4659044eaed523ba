"""The resolver root a trusted proxy forwards: ``X-Forwarded-Host`` and ``-Proto``, checked.

The values end up in ``Location`` and ``Link`` headers and inside JSON bodies,
so they are used only when they are what they claim to be: a host (a DNS-style
name of letters, digits, ``-``, ``.``, ``_`` and ``~`` -- RFC 3986's reg-name
without its sub-delimiters and percent-encoding -- an IPv4 address, or a
bracketed IPv6 address) with an optional port, and a scheme that is ``http`` or
``https``.  Anything else is ignored, as if the header were absent.
"""

from __future__ import annotations

import ipaddress
import re

__all__ = ["forwarded_host", "forwarded_root", "forwarded_scheme"]

_REG_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._~-]{0,251}[A-Za-z0-9])?")
_PORT = re.compile(r"[0-9]{1,5}")


def _first(value: str) -> str:
    """The first of a comma-separated list: the value the outermost proxy saw."""
    return value.split(",", 1)[0].strip()


def _valid_port(port: str) -> bool:
    return bool(_PORT.fullmatch(port)) and 0 < int(port) <= 65535


def forwarded_host(value: str | None) -> str | None:
    """The host (and port) of ``X-Forwarded-Host`` when it is one, else None.

    >>> forwarded_host("resolver.shop.example:8443")
    'resolver.shop.example:8443'
    >>> forwarded_host("[::1]:80, proxy.internal")
    '[::1]:80'
    >>> forwarded_host('evil.example/"><script>') is None
    True
    """
    if not value:
        return None
    host = _first(value)
    if host.startswith("["):
        address, _, rest = host[1:].partition("]")
        if rest and not (rest.startswith(":") and _valid_port(rest[1:])):
            return None
        try:
            ipaddress.IPv6Address(address)
        except ValueError:
            return None
        return host.lower()
    name, colon, port = host.partition(":")
    if colon and not _valid_port(port):
        return None
    if not _REG_NAME.fullmatch(name):
        return None
    return host.lower()


def forwarded_scheme(value: str | None) -> str | None:
    """``http`` or ``https`` from ``X-Forwarded-Proto``, else None.

    >>> forwarded_scheme("HTTPS, http")
    'https'
    >>> forwarded_scheme("javascript") is None
    True
    """
    if not value:
        return None
    scheme = _first(value).lower()
    return scheme if scheme in ("http", "https") else None


def forwarded_root(host: str | None, proto: str | None) -> str | None:
    """The resolver root a proxy forwards (``https`` unless it says ``http``), or None."""
    checked = forwarded_host(host)
    if checked is None:
        return None
    return f"{forwarded_scheme(proto) or 'https'}://{checked}"
