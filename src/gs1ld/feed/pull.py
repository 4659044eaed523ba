"""Pull catalog entries from the API: bounded concurrency, resumable, nothing half-written.

Each entry is ``{"gtin": gtin14, "content": <the bundle exactly as the API sent it>}``.
In a directory every product is its own ``{gtin14}.json``, written to a temporary
file and renamed into place; in a JSON Lines file each entry is one line appended
and flushed to disk whole, and a resumed pull first cuts off a partial last line.
Whatever goes wrong with one GTIN (an error answer, an answer that is not JSON
or breaks the entry limits, a wait too long) is that GTIN's failure; the pull
goes on with the others.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import orjson

from gs1ld import gtin as gtin_rules
from gs1ld._files import write_atomic
from gs1ld.errors import ClientError, EntryError, GtinError, ParseError
from gs1ld.feed.client import AsyncClient
from gs1ld.limits import Limits, entry_problem
from gs1ld.problems import unexpected_failure

__all__ = ["GtinLine", "PullReport", "PullResult", "pull_catalog", "read_gtins"]


@dataclass(frozen=True, slots=True)
class GtinLine:
    """One line of a GTIN list: the normalised GTIN, or why it was refused."""

    line: int
    raw: str
    gtin: str | None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class PullResult:
    """What happened to one GTIN."""

    gtin: str
    ok: bool
    reason: str = ""


@dataclass(slots=True)
class PullReport:
    """Counts and failures of a pull."""

    written: int = 0
    skipped: int = 0
    failed: list[PullResult] = field(default_factory=list)
    refused: list[GtinLine] = field(default_factory=list)
    interrupted: bool = False


def read_gtins(lines: Iterable[str]) -> Iterator[GtinLine]:
    """GTINs from text, one per line; blank lines and ``#`` comments are ignored."""
    for number, line in enumerate(lines, start=1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        try:
            yield GtinLine(number, text, gtin_rules.normalize(text))
        except GtinError as exc:
            yield GtinLine(number, text, None, str(exc))


class _Sink:
    """Where entries go; knows what is already there."""

    def __init__(self, output: Path) -> None:
        self.output = output
        self.lines = output.suffix in (".jsonl", ".ndjson")
        self._stream: IO[bytes] | None = None

    def existing(self) -> set[str]:
        if not self.lines:
            if not self.output.is_dir():
                return set()
            return {p.stem for p in self.output.glob("*.json")}
        if not self.output.exists():
            return set()
        gtins: set[str] = set()
        complete = 0
        with self.output.open("r+b") as handle:  # streamed: the file may be large
            for number, line in enumerate(handle, start=1):
                if not line.endswith(b"\n"):
                    break  # a partial last line from an interrupted run
                complete += len(line)
                if not line.strip():
                    continue
                try:
                    gtins.add(orjson.loads(line)["gtin"])
                except (orjson.JSONDecodeError, KeyError, TypeError):
                    raise ParseError(
                        f"{self.output}:{number}: not a catalog entry line; "
                        "fix or remove it before resuming"
                    ) from None
            handle.truncate(complete)
        return gtins

    def open(self) -> None:
        if self.lines:
            self.output.parent.mkdir(parents=True, exist_ok=True)
            self._stream = self.output.open("ab")
        else:
            self.output.mkdir(parents=True, exist_ok=True)

    def write(self, gtin: str, entry: dict[str, Any]) -> None:
        data = orjson.dumps(entry, option=orjson.OPT_APPEND_NEWLINE)
        if self._stream is not None:
            self._stream.write(data)
            self._stream.flush()
            os.fsync(self._stream.fileno())
            return
        write_atomic(self.output / f"{gtin}.json", data)

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()


async def pull_catalog(
    gtins: Iterable[GtinLine],
    output: str | Path,
    *,
    client: AsyncClient,
    concurrency: int = 4,
    refresh: bool = False,
    on_result: Callable[[PullResult], None] | None = None,
    limits: Limits | None = None,
) -> PullReport:
    """Pull the content bundle of every GTIN into a catalog.

    Args:
        gtins: parsed GTIN lines; refused ones are reported and never sent.
        output: a directory (one file per product) or a ``.jsonl`` file.
        client: the API client (rate limits, retries, auth).
        concurrency: requests in flight at most.
        refresh: pull GTINs the catalog already has too.
        on_result: called once per GTIN pulled, skipped or failed.
        limits: the entry limits an answer must keep to before it is written (so
            every entry a pull writes can be read by the other commands).

    Returns:
        The counts and failures; ``interrupted`` is set when the pull was cancelled
        (Ctrl-C), in which case only complete entries were written.
    """
    limits = limits or Limits()
    report = PullReport()
    sink = _Sink(Path(output))
    have = set() if refresh else sink.existing()
    todo: dict[str, None] = {}  # ordered and linear: 80,000 GTINs in milliseconds
    for line in gtins:
        if line.gtin is None:
            report.refused.append(line)
        elif line.gtin in have or line.gtin in todo:
            report.skipped += 1
        else:
            todo[line.gtin] = None
    sink.open()
    gate = asyncio.Semaphore(concurrency)

    async def pulled(gtin: str) -> PullResult:
        entry = {"gtin": gtin, "content": await client.content_json(gtin)}
        problem = entry_problem(entry, limits)
        if problem is not None:
            return PullResult(gtin, False, f"the API's answer breaks an entry limit: {problem}")
        sink.write(gtin, entry)
        return PullResult(gtin, True)

    async def one(gtin: str) -> None:
        async with gate:
            try:
                result = await pulled(gtin)
            except (ClientError, EntryError) as exc:
                result = PullResult(gtin, False, str(exc))
            except Exception as exc:  # one GTIN's failure is that GTIN's problem
                result = PullResult(gtin, False, str(unexpected_failure(exc)))
            if result.ok:
                report.written += 1
            else:
                report.failed.append(result)
        if on_result:
            on_result(result)

    try:
        await asyncio.gather(*(one(gtin) for gtin in todo))
    except asyncio.CancelledError:
        report.interrupted = True
    finally:
        sink.close()
    return report
