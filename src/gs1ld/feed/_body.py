"""Read a response body within a size limit and a deadline, decompressing with a bound.

httpx would read a whole body into memory however large, and inflate a gzip
body in one step however far it expands; a 1 MB gzip bomb becomes gigabytes.
Here the raw stream is read chunk by chunk: the compressed and the decoded size
are both held to the limit (zlib is asked for at most the bytes still allowed),
and the request's deadline is checked after every chunk, so a server that drips
one byte a second is cut off too.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from gs1ld.feed.errors import ResponseError

__all__ = ["ACCEPT_ENCODING", "BodyReader"]

ACCEPT_ENCODING = "gzip, deflate"
"""The encodings gs1ld asks for: the ones it can inflate with a bound."""


def _decompressor(encoding: str, about: str) -> Any:
    name = encoding.strip().lower()
    if name in ("", "identity"):
        return None
    if name in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if name == "deflate":
        return zlib.decompressobj()
    raise ResponseError(
        f"The API answered{about} with Content-Encoding {encoding!r}, which gs1ld did not ask for."
    )


@dataclass(slots=True)
class BodyReader:
    """Collects one body; raises :class:`ResponseError` past the limit or the deadline.

    Attributes:
        limit: the largest body, compressed or decoded, in bytes.
        deadline: the clock reading after which the request has taken too long.
        clock: the client's clock (injected, so tests drive time).
        encoding: the response's Content-Encoding.
        about: `` for GTIN …`` for messages.
        timeout: the request's time budget, for messages.
    """

    limit: int
    deadline: float
    clock: Callable[[], float]
    encoding: str = ""
    about: str = ""
    timeout: float = 0.0
    _chunks: list[bytes] = field(default_factory=list)
    _raw: int = 0
    _size: int = 0
    _inflate: Any = None

    def __post_init__(self) -> None:
        self._inflate = _decompressor(self.encoding, self.about)

    def _too_large(self) -> ResponseError:
        return ResponseError(
            f"The API's answer{self.about} is larger than {self.limit:,} bytes "
            "(--max-entry-bytes); not read further."
        )

    def _keep(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self.limit:
            raise self._too_large()
        self._chunks.append(data)

    def feed(self, chunk: bytes) -> None:
        """Take one raw chunk."""
        self._raw += len(chunk)
        if self._raw > self.limit:
            raise self._too_large()
        if self._inflate is None:
            self._keep(chunk)
        else:
            data = chunk
            while data:
                try:
                    out = self._inflate.decompress(data, self.limit - self._size + 1)
                except zlib.error as exc:
                    raise ResponseError(
                        f"The API's answer{self.about} is not valid {self.encoding}: {exc}"
                    ) from None
                self._keep(out)
                data = self._inflate.unconsumed_tail
        if self.clock() > self.deadline:
            raise ResponseError(
                f"The API's answer{self.about} took longer than {self.timeout:g} s "
                "(--timeout, the whole request); not read further.",
                retryable=True,
            )

    def body(self) -> bytes:
        """The decoded body."""
        if self._inflate is not None:
            self._keep(self._inflate.flush())
        return b"".join(self._chunks)

    def read(self, chunks: Iterator[bytes]) -> bytes:
        """Read a whole synchronous stream."""
        for chunk in chunks:
            self.feed(chunk)
        return self.body()

    async def aread(self, chunks: AsyncIterator[bytes]) -> bytes:
        """Read a whole asynchronous stream."""
        async for chunk in chunks:
            self.feed(chunk)
        return self.body()
