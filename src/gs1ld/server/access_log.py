"""The server's access log: one JSON object per answered request, one line each.

Every value is serialised by orjson, so whatever a client puts in a path or a
header ends up escaped inside a JSON string and cannot forge a line.  Lines are
written with one ``write`` to a file opened for appending, so several worker
processes can share one file without interleaving their lines.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime

import orjson

__all__ = ["AccessLog", "AccessRecord"]


@dataclass(frozen=True, slots=True)
class AccessRecord:
    """One answered request.

    Attributes:
        method: the request method.
        path: the request target's path, as sent (still percent-encoded).
        query: the query string, as sent.
        status: the status code answered.
        bytes: the body bytes sent.
        duration_ms: from the request's arrival to the end of the answer.
        client: the client's address, if known.
        user_agent: the ``User-Agent`` header, if any.
        referer: the ``Referer`` header, if any.
    """

    method: str
    path: str
    query: str
    status: int
    bytes: int
    duration_ms: float
    client: str | None = None
    user_agent: str | None = None
    referer: str | None = None


class AccessLog:
    """JSON lines to a file (appended) or to standard output (``-``).

    Args:
        target: a file path, or ``-`` for standard output.
        clock: the wall clock for the ``time`` field (injected by tests).

    Raises:
        OSError: the file cannot be opened for appending.
    """

    def __init__(self, target: str, *, clock: type[datetime] = datetime) -> None:
        self.target = target
        self._clock = clock
        if target == "-":
            self._fd = 1
            self._owned = False
        else:
            self._fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o666)
            self._owned = True

    def write(self, record: AccessRecord) -> None:
        """Append ``record`` as one line (a failed write is dropped, never raised)."""
        line = {
            "time": self._clock.now(UTC).isoformat(timespec="milliseconds"),
            "client": record.client,
            "method": record.method,
            "path": record.path,
            "query": record.query,
            "status": record.status,
            "bytes": record.bytes,
            "duration_ms": round(record.duration_ms, 3),
            "user_agent": record.user_agent,
            "referer": record.referer,
        }
        with contextlib.suppress(OSError):  # a full disk or a closed pipe must not fail the answer
            os.write(self._fd, orjson.dumps(line, option=orjson.OPT_APPEND_NEWLINE))

    def close(self) -> None:
        """Close the file (standard output is left open)."""
        if self._owned:
            os.close(self._fd)
            self._owned = False
