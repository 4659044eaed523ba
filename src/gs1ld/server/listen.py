"""The server's listening socket, made before uvicorn starts.

Binding first lets ``--port 0`` report the port it got and lets whoever waits
for the server connect as soon as the line is printed.  ``TCP_NODELAY`` is set
on the listener so every accepted connection inherits it (Linux): uvicorn hands
a pre-bound socket to the event loop, and without it asyncio's loop let Nagle's
algorithm and delayed ACKs hold small answers for 40 ms.
"""

from __future__ import annotations

import socket

__all__ = ["listen"]


def listen(host: str, port: int, *, backlog: int = 2048) -> socket.socket:
    """A TCP socket listening on ``host``:``port`` (0 picks a free port).

    Raises:
        OSError: the address cannot be bound.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        listener.bind((host, port))
        listener.listen(backlog)
    except OSError:
        listener.close()
        raise
    return listener
