"""Convert a whole catalog to JSON-LD (or N-Quads / Turtle), product by product.

One bad entry never stops the run: it is reported and skipped, and the rest are
written; of entries sharing a GTIN the first wins and the others are reported,
as in a site build. Files are written atomically (a temporary file renamed into
place, with the mode the umask gives), so a killed run leaves only complete files.

Where the documents go follows the output's name (:func:`plan_output`): a file
ending ``.jsonl``/``.ndjson``, ``.nq``, ``.ttl`` or ``.jsonld``/``.json`` is one
file in that format, anything else a folder of one file per product, ``-``
standard output; a ``--format`` that disagrees with the name is an error naming
both, and an existing output is replaced only when asked (``force``).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

import orjson

from gs1ld._fanout import ordered_results
from gs1ld._files import write_atomic
from gs1ld.catalog.parts import BLOCK_SIZE, CatalogPart, plan_parts, read_part
from gs1ld.catalog.reader import EntryOutcome, outcome_of, read_catalog
from gs1ld.catalog.source import CatalogSource
from gs1ld.config import ExportConfig
from gs1ld.errors import ParseError, Problem, PublishError
from gs1ld.limits import Limits
from gs1ld.mapping import Note
from gs1ld.problems import FirstOfGtin, unexpected_failure
from gs1ld.publish import map_published

__all__ = [
    "FILE_FORMATS",
    "ConvertReport",
    "Format",
    "OutputPlan",
    "ProductResult",
    "convert_catalog",
    "plan_output",
    "serialize",
]

Format = Literal["jsonld", "jsonl", "nquads", "turtle"]
SUFFIXES: dict[str, str] = {
    "jsonld": ".jsonld",
    "jsonl": ".jsonl",
    "nquads": ".nq",
    "turtle": ".ttl",
}
# Sorted keys put "@context", "@id", "@type" first ("@" sorts before letters), then terms.
_SORTED = orjson.OPT_SORT_KEYS
FILE_FORMATS: dict[str, Format] = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".nq": "nquads",
    ".ttl": "turtle",
    ".jsonld": "jsonld",
    ".json": "jsonld",
}
"""The suffixes that make the output one file, and the format each one means."""
_FORMAT_NAMES = {
    "jsonld": "JSON-LD",
    "jsonl": "JSON Lines",
    "nquads": "N-Quads",
    "turtle": "Turtle",
}
_BLANK = re.compile(r"_:(\w+)")
_PREFIXES = {"gs1": "https://ref.gs1.org/voc/", "schema": "http://schema.org/"}
"""The prefixes Turtle output is written with."""


@dataclass(frozen=True, slots=True)
class ProductResult:
    """What happened to one entry."""

    location: str
    gtin: str | None
    problems: tuple[Problem, ...] = ()
    notes: tuple[Note, ...] = ()
    path: str | None = None

    @property
    def ok(self) -> bool:
        """True when the product was written."""
        return not self.problems


@dataclass(slots=True)
class ConvertReport:
    """Counts and the failed products of a conversion."""

    written: int = 0
    failed: list[ProductResult] = field(default_factory=list)


def serialize(document: dict[str, Any], fmt: Format, *, label: str = "") -> bytes:
    """One document in ``fmt``; blank nodes are renamed with ``label`` so files concatenate."""
    if fmt == "jsonld":
        return orjson.dumps(
            document, option=_SORTED | orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE
        )
    if fmt == "jsonl":
        return orjson.dumps(document, option=_SORTED | orjson.OPT_APPEND_NEWLINE)
    from gs1ld.jsonld.rdf import to_nquads, to_turtle

    if fmt == "nquads":
        text = to_nquads(document)
        return _BLANK.sub(lambda m: f"_:{label}{m.group(1)}", text).encode("utf-8")
    return to_turtle(document, prefixes=_PREFIXES, blank_node_prefix=label).encode("utf-8")


def convert_one(
    outcome: EntryOutcome,
    config: ExportConfig,
    validator: Callable[[dict[str, Any]], tuple[Problem, ...]] | None,
    fmt: Format,
) -> tuple[ProductResult, bytes | None]:
    """One entry's result and, when it is valid, its document serialised as ``fmt``.

    Whatever goes wrong with the entry is its own problem, never the run's. The
    same function runs in this process and on Dask workers, so both give the same bytes.
    """
    if outcome.entry is None:
        return ProductResult(outcome.location, outcome.gtin, outcome.problems), None
    gtin = outcome.entry.gtin
    try:
        mapped = map_published(outcome.entry, config)
        problems = validator(mapped.document) if validator else ()
        result = ProductResult(outcome.location, gtin, problems, mapped.notes)
        if problems:
            return result, None
        return result, serialize(mapped.document, fmt, label=f"g{gtin}")
    except Exception as exc:  # one entry's failure is that entry's problem
        return ProductResult(outcome.location, gtin, (unexpected_failure(exc),)), None


def convert_part(
    part: CatalogPart,
    config: ExportConfig,
    validator: Callable[[dict[str, Any]], tuple[Problem, ...]] | None,
    fmt: Format,
    limits: Limits,
) -> list[tuple[str | None, ProductResult, bytes | None]]:
    """Every entry of one catalog part, converted (the task a Dask worker runs).

    Each row is (the GTIN of an entry that parsed, else None; its result; its bytes).
    """
    rows = []
    for _, raw in read_part(part, limits):
        outcome = outcome_of(raw)
        parsed = outcome.entry.gtin if outcome.entry is not None else None
        rows.append((parsed, *convert_one(outcome, config, validator, fmt)))
    return rows


def _local_results(
    catalog: CatalogSource,
    config: ExportConfig,
    validator: Callable[[dict[str, Any]], tuple[Problem, ...]] | None,
    fmt: Format,
    limits: Limits | None,
) -> Iterator[tuple[ProductResult, bytes | None]]:
    first = FirstOfGtin()
    for outcome in read_catalog(catalog, limits=limits):
        gtin = outcome.entry.gtin if outcome.entry is not None else None
        duplicate = first.duplicate(gtin)
        if duplicate is not None:
            yield ProductResult(outcome.location, gtin, (duplicate,)), None
            continue
        yield convert_one(outcome, config, validator, fmt)


def _cluster_results(
    client: Any,
    catalog: CatalogSource,
    config: ExportConfig,
    validator: Callable[[dict[str, Any]], tuple[Problem, ...]] | None,
    fmt: Format,
    limits: Limits,
    part_bytes: int,
    on_part: Callable[[int, int], None] | None = None,
) -> Iterator[tuple[ProductResult, bytes | None]]:
    """The results of every part, converted on the cluster and taken in catalog order.

    Duplicates are told apart here, in catalog order: the first entry of a GTIN
    wins, as in this process.
    """
    parts = plan_parts(catalog, block_size=part_bytes)
    tasks = ((part, config, validator, fmt, limits) for part in parts)
    ahead = 2 * max(1, len(client.scheduler_info().get("workers", ())))
    first = FirstOfGtin()
    converted = ordered_results(
        client, convert_part, tasks, ahead=ahead, submit_options={"pure": False}
    )
    for done, rows in enumerate(converted, start=1):
        for parsed, result, data in rows:
            duplicate = first.duplicate(parsed)
            if duplicate is not None:
                yield ProductResult(result.location, parsed, (duplicate,)), None
                continue
            yield result, data
        if on_part is not None:
            on_part(done, len(parts))


@dataclass(frozen=True, slots=True)
class OutputPlan:
    """Where a conversion writes, and in which format.

    Attributes:
        fmt: the format of every document written.
        file: one file holding every document (written whole, then renamed in).
        directory: a folder of one ``{gtin14}`` file per product.

    Neither ``file`` nor ``directory``: standard output.
    """

    fmt: Format
    file: Path | None = None
    directory: Path | None = None


def plan_output(
    output: str | Path, fmt: Format | None = None, *, force: bool = False
) -> OutputPlan:
    """Decide where and how ``output`` is written, before anything is read or written.

    Raises:
        ParseError: ``fmt`` disagrees with the file name's suffix (the message
            names both).
        PublishError: the output exists and ``force`` is not given, or a file
            stands where a folder is meant.
    """
    if str(output) == "-":
        return OutputPlan(fmt or "jsonl")
    path = Path(output)
    named = FILE_FORMATS.get(path.suffix.lower())
    if named is not None:
        if fmt is not None and fmt != named:
            raise ParseError(
                f"Output {str(path)!r} names a {_FORMAT_NAMES[named]} file ({path.suffix}) but "
                f"--format is {fmt}; drop one of them or make them agree."
            )
        if path.exists() and not force:
            raise PublishError(
                f"Output {str(path)!r} exists; pass --force to replace it."
                if path.is_file()
                else f"Output {str(path)!r} is a folder, not a {path.suffix} file."
            )
        if path.is_dir():
            raise PublishError(f"Output {str(path)!r} is a folder, not a {path.suffix} file.")
        return OutputPlan(named, file=path)
    if path.exists() and not path.is_dir():
        raise PublishError(
            f"Output {str(path)!r} is a file; give a folder (one file per product) or a file "
            f"ending {', '.join(FILE_FORMATS)}."
        )
    if path.is_dir() and not force and any(path.iterdir()):
        raise PublishError(
            f"Output folder {str(path)!r} is not empty; pass --force to replace the files "
            "of the products converted into it."
        )
    return OutputPlan(fmt or "jsonld", directory=path)


class _Documents:
    """Writes documents one after another; JSON-LD as one JSON array (a valid JSON-LD input)."""

    def __init__(self, stream: IO[bytes], fmt: Format) -> None:
        self._stream = stream
        self._array = fmt == "jsonld"
        self._count = 0

    def write(self, data: bytes) -> None:
        if self._array:
            self._stream.write(b"[\n" if self._count == 0 else b",\n")
            data = data.rstrip(b"\n")
        self._stream.write(data)
        self._count += 1

    def close(self) -> None:
        if self._array:
            self._stream.write(b"\n]\n" if self._count else b"[]\n")
        self._stream.flush()


def _open_file(path: Path, stack: ExitStack) -> IO[bytes]:
    """A temporary file beside ``path``, renamed to it when the run succeeds (removed if not)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.partial")
    handle = temporary.open("wb")

    def finish(exc_type: Any, exc: Any, tb: Any) -> None:
        handle.close()
        if exc_type is None:
            temporary.replace(path)
        else:
            temporary.unlink(missing_ok=True)

    stack.push(finish)
    return handle


def convert_catalog(
    catalog: CatalogSource,
    output: str | Path | IO[bytes],
    *,
    config: ExportConfig | None = None,
    fmt: Format | None = None,
    validator: Callable[[dict[str, Any]], tuple[Problem, ...]] | None = None,
    on_result: Callable[[ProductResult], None] | None = None,
    limits: Limits | None = None,
    client: Any | None = None,
    part_bytes: int = BLOCK_SIZE,
    force: bool = False,
    on_part: Callable[[int, int], None] | None = None,
) -> ConvertReport:
    """Convert every entry of ``catalog`` and write the documents to ``output``.

    Args:
        catalog: a catalog (directory, ``.json``, ``.jsonl``, ``-`` or a
            :class:`~gs1ld.catalog.source.RemoteCatalog` URL).
        output: a folder (one ``{gtin14}`` file per product), a file whose suffix
            names its format (see :func:`plan_output`), ``-`` for stdout, or a
            binary stream; streams and single files get one document (or its
            quads) after another, JSON-LD as one JSON array.
        config: export options.
        fmt: ``jsonld``, ``jsonl``, ``nquads`` or ``turtle``; by default the
            file's suffix says, else ``jsonld`` for a folder and ``jsonl`` for a stream.
        validator: returns the problems of a document; products with any are
            reported and not written.
        on_result: called once per entry, for progress and reporting.
        limits: the size and depth limits each entry is held to.
        client: a ``dask.distributed.Client``: the entries are converted on its
            workers, part by part (every worker must see ``catalog`` at the same
            path), and written here in catalog order. None converts in this process.
        part_bytes: about how many bytes of catalog one cluster task reads.
        force: replace an existing output file, or write into a folder that is
            not empty.
        on_part: on a cluster, called with (parts written, parts in all) after each part.

    Returns:
        How many were written, and the products that were not.
    """
    config = config or ExportConfig()
    report = ConvertReport()
    with ExitStack() as stack:
        directory = None
        if isinstance(output, str | Path):
            plan = plan_output(output, fmt, force=force)
            written_as, directory = plan.fmt, plan.directory
            if directory is not None:
                directory.mkdir(parents=True, exist_ok=True)
            raw = (
                None
                if directory is not None
                else _open_file(plan.file, stack)
                if plan.file is not None
                else sys.stdout.buffer
            )
        else:
            written_as, raw = fmt or "jsonl", output
        stream = _Documents(raw, written_as) if raw is not None else None
        if client is None:
            results = _local_results(catalog, config, validator, written_as, limits)
        else:
            bounds = limits or Limits()
            results = _cluster_results(
                client, catalog, config, validator, written_as, bounds, part_bytes, on_part
            )
        for result, data in results:
            if data is None or not result.gtin:
                report.failed.append(result)
            else:
                if directory is not None:
                    path = directory / f"{result.gtin}{SUFFIXES[written_as]}"
                    write_atomic(path, data)
                    result = ProductResult(
                        result.location, result.gtin, (), result.notes, str(path)
                    )
                elif stream is not None:
                    stream.write(data)
                report.written += 1
            if on_result:
                on_result(result)
        if stream is not None:
            stream.close()
    return report
