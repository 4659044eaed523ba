"""Running the resolver under granian (``gs1ld serve``'s default server), on our own socket.

granian's HTTP/1.1 handling and header encoding run in Rust, where uvicorn's
run in Python.  On this project's busy 2-core machine it answered 4-22% more of
the resolver's requests per second than uvicorn, with a lower 99th percentile
latency, in each of three runs of ``benchmarks/serve.py`` (which measures both,
beside an empty app under each); uvicorn stays one option away
(``--server uvicorn``).

The workers are handed the socket :func:`gs1ld.server.listen.listen` already
bound, as uvicorn is, so ``--port 0`` reports the port it got and the socket
listens before the ``serving`` line is printed.  Each worker process builds the
app from ``GS1LD_SERVE_*`` variables (:func:`gs1ld.server.app.app_from_env`).
SIGINT and SIGTERM stop the workers gracefully (answers in progress finish)
and return from :func:`run_granian`.  TLS accepts TLS 1.2 and later, as
uvicorn's default context does.
"""

from __future__ import annotations

import socket
from typing import Any

__all__ = ["granian_available", "run_granian"]

_FACTORY = "gs1ld.server.app:app_from_env"


def granian_available() -> bool:
    """Whether granian is installed."""
    import importlib.util

    return importlib.util.find_spec("granian") is not None


def _log_config(level: str) -> dict[str, Any]:
    """granian's and gs1ld's messages at ``level`` and above on standard error."""
    handler = {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": "%(levelname)s:     %(message)s"}},
        "handlers": {"stderr": handler},
        "loggers": {
            name: {"handlers": ["stderr"], "level": level.upper(), "propagate": False}
            for name in ("_granian", "granian.access", "gs1ld")
        },
    }


def run_granian(
    listener: socket.socket,
    *,
    workers: int,
    log_level: str,
    certfile: str | None = None,
    keyfile: str | None = None,
) -> None:
    """Serve the app of ``GS1LD_SERVE_*`` on ``listener`` with ``workers`` processes until stopped.

    Args:
        listener: a bound, listening TCP socket (:func:`gs1ld.server.listen.listen`).
        workers: worker processes.
        log_level: the least severe message logged (``critical`` ... ``debug``).
        certfile: a PEM certificate (chain) to serve HTTPS with, or None for HTTP.
        keyfile: its private key, if not in ``certfile``.
    """
    from pathlib import Path

    import granian.net
    from granian.constants import Interfaces, Loops, RuntimeModes
    from granian.log import LogLevels
    from granian.server.mp import MPServer

    class _OnOurSocket(MPServer):
        """granian's process server, serving the socket we bound instead of binding one."""

        def _init_shared_socket(self) -> None:
            # What granian's own method sets up on Windows, where it shares one socket too.
            # granian.net re-exports it (untyped: no __all__, no file-descriptor constructor)
            holder: Any = vars(granian.net)["SocketHolder"]
            listener.set_inheritable(True)
            shared = {
                "_ssp": None,
                "_shd": holder(listener.fileno(), False, 2048),
                "_sfd": listener.fileno(),
            }
            vars(self).update(shared, _sso=listener)

        def _drop_shared_socket(self) -> None:
            self._sso = None

    address, port = listener.getsockname()[:2]
    tls: dict[str, Any] = {}
    if certfile is not None:
        from granian.constants import SSLProtocols

        tls = {
            "ssl_cert": Path(certfile),
            "ssl_key": Path(keyfile or certfile),
            "ssl_protocol_min": SSLProtocols.tls12,
        }
    server = _OnOurSocket(
        _FACTORY,
        address=address,
        port=port,
        interface=Interfaces.ASGI,
        factory=True,
        workers=workers,
        runtime_mode=RuntimeModes.st,
        loop=Loops.auto,
        websockets=False,
        log_level=LogLevels(log_level),
        log_dictconfig=_log_config(log_level),
        log_access=False,  # gs1ld's own JSON-lines access log replaces granian's
        workers_kill_timeout=10,
        **tls,
    )
    server.serve()
