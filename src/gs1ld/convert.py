"""Convert a whole catalog to JSON-LD (or N-Quads / Turtle), product by product.

One bad entry never stops the run: it is reported and skipped, and the rest are
written; of entries sharing a GTIN the first wins and the others are reported,
as in a site build. Files are written atomically (a temporary file renamed into
place, with the mode the umask gives), so a killed run leaves only complete files.
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
from gs1ld.errors import Problem
from gs1ld.limits import Limits
from gs1ld.mapping import Note
from gs1ld.problems import FirstOfGtin, unexpected_failure
from gs1ld.publish import publish_entry

__all__ = ["ConvertReport", "Format", "ProductResult", "convert_catalog", "serialize"]

Format = Literal["jsonld", "jsonl", "nquads", "turtle"]
SUFFIXES: dict[str, str] = {
    "jsonld": ".jsonld",
    "jsonl": ".jsonl",
    "nquads": ".nq",
    "turtle": ".ttl",
}
# Sorted keys put "@context", "@id", "@type" first ("@" sorts before letters), then terms.
_SORTED = orjson.OPT_SORT_KEYS
STREAM_SUFFIXES = (".jsonl", ".nq", ".ndjson")
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
        mapped = publish_entry(outcome.entry, config).mapped
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
    for rows in converted:
        for parsed, result, data in rows:
            duplicate = first.duplicate(parsed)
            if duplicate is not None:
                yield ProductResult(result.location, parsed, (duplicate,)), None
                continue
            yield result, data


def _target(
    output: str | Path | IO[bytes], stack: ExitStack
) -> tuple[IO[bytes] | None, Path | None]:
    """Where documents go: a stream, or a directory of per-product files."""
    if not isinstance(output, str | Path):
        return output, None
    if str(output) == "-":
        return sys.stdout.buffer, None
    path = Path(output)
    if path.suffix in STREAM_SUFFIXES:
        path.parent.mkdir(parents=True, exist_ok=True)
        return stack.enter_context(path.open("wb")), None
    path.mkdir(parents=True, exist_ok=True)
    return None, path


def convert_catalog(
    catalog: CatalogSource,
    output: str | Path | IO[bytes],
    *,
    config: ExportConfig | None = None,
    fmt: Format = "jsonld",
    validator: Callable[[dict[str, Any]], tuple[Problem, ...]] | None = None,
    on_result: Callable[[ProductResult], None] | None = None,
    limits: Limits | None = None,
    client: Any | None = None,
    part_bytes: int = BLOCK_SIZE,
) -> ConvertReport:
    """Convert every entry of ``catalog`` and write the documents to ``output``.

    Args:
        catalog: a catalog (directory, ``.json``, ``.jsonl``, ``-`` or a
            :class:`~gs1ld.catalog.source.RemoteCatalog` URL).
        output: a directory (one ``{gtin14}`` file per product), a ``.jsonl`` /
            ``.nq`` file path, ``-`` for stdout, or a binary stream; streams and
            single files get one document (or its quads) after another.
        config: export options.
        fmt: ``jsonld`` (per-product files only), ``jsonl``, ``nquads`` or ``turtle``.
        validator: returns the problems of a document; products with any are
            reported and not written.
        on_result: called once per entry, for progress and reporting.
        limits: the size and depth limits each entry is held to.
        client: a ``dask.distributed.Client``: the entries are converted on its
            workers, part by part (every worker must see ``catalog`` at the same
            path), and written here in catalog order. None converts in this process.
        part_bytes: about how many bytes of catalog one cluster task reads.

    Returns:
        How many were written, and the products that were not.
    """
    config = config or ExportConfig()
    report = ConvertReport()
    with ExitStack() as stack:
        stream, directory = _target(output, stack)
        written_as: Format = "jsonl" if fmt == "jsonld" and directory is None else fmt
        if client is None:
            results = _local_results(catalog, config, validator, written_as, limits)
        else:
            bounds = limits or Limits()
            results = _cluster_results(
                client, catalog, config, validator, written_as, bounds, part_bytes
            )
        for result, data in results:
            if data is None or not result.gtin:
                report.failed.append(result)
            else:
                if directory is not None:
                    path = directory / f"{result.gtin}{SUFFIXES[fmt]}"
                    write_atomic(path, data)
                    result = ProductResult(
                        result.location, result.gtin, (), result.notes, str(path)
                    )
                elif stream is not None:
                    stream.write(data)
                report.written += 1
            if on_result:
                on_result(result)
    return report
