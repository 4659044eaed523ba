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

from gs1ld._files import write_atomic
from gs1ld.catalog.reader import EntryOutcome, read_catalog
from gs1ld.config import ExportConfig
from gs1ld.errors import Problem
from gs1ld.limits import Limits
from gs1ld.mapping import Note
from gs1ld.problems import duplicate_gtin, unexpected_failure
from gs1ld.publish import publish

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
    from gs1ld.jsonld.rdf import to_graph, to_nquads

    if fmt == "nquads":
        text = to_nquads(document)
        return _BLANK.sub(lambda m: f"_:{label}{m.group(1)}", text).encode("utf-8")
    graph = to_graph(document)
    for prefix, namespace in (
        ("gs1", "https://ref.gs1.org/voc/"),
        ("schema", "http://schema.org/"),
    ):
        graph.bind(prefix, namespace)
    result: str = graph.serialize(format="turtle")
    return result.encode("utf-8")


def _results(
    outcomes: Iterator[EntryOutcome],
    config: ExportConfig,
    validator: Callable[[dict[str, Any]], tuple[Problem, ...]] | None,
) -> Iterator[tuple[ProductResult, dict[str, Any] | None]]:
    seen: set[str] = set()
    for outcome in outcomes:
        if outcome.entry is None:
            yield ProductResult(outcome.location, outcome.gtin, outcome.problems), None
            continue
        gtin = outcome.entry.gtin
        if gtin in seen:
            yield ProductResult(outcome.location, gtin, (duplicate_gtin(gtin),)), None
            continue
        seen.add(gtin)
        try:
            mapped = publish(outcome.entry, config).mapped
            problems = validator(mapped.document) if validator else ()
        except Exception as exc:  # one entry's failure is that entry's problem
            yield ProductResult(outcome.location, gtin, (unexpected_failure(exc),)), None
            continue
        result = ProductResult(outcome.location, gtin, problems, mapped.notes)
        yield result, (None if problems else mapped.document)


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
    catalog: str | Path,
    output: str | Path | IO[bytes],
    *,
    config: ExportConfig | None = None,
    fmt: Format = "jsonld",
    validator: Callable[[dict[str, Any]], tuple[Problem, ...]] | None = None,
    on_result: Callable[[ProductResult], None] | None = None,
    limits: Limits | None = None,
) -> ConvertReport:
    """Convert every entry of ``catalog`` and write the documents to ``output``.

    Args:
        catalog: a catalog (directory, ``.json``, ``.jsonl`` or ``-``).
        output: a directory (one ``{gtin14}`` file per product), a ``.jsonl`` /
            ``.nq`` file path, ``-`` for stdout, or a binary stream; streams and
            single files get one document (or its quads) after another.
        config: export options.
        fmt: ``jsonld`` (per-product files only), ``jsonl``, ``nquads`` or ``turtle``.
        validator: returns the problems of a document; products with any are
            reported and not written.
        on_result: called once per entry, for progress and reporting.
        limits: the size and depth limits each entry is held to.

    Returns:
        How many were written, and the products that were not.
    """
    config = config or ExportConfig()
    report = ConvertReport()
    with ExitStack() as stack:
        stream, directory = _target(output, stack)
        outcomes = read_catalog(catalog, limits=limits)
        for result, document in _results(outcomes, config, validator):
            data = None
            if document is not None and result.gtin:
                label = f"g{result.gtin}"
                try:
                    data = serialize(
                        document,
                        "jsonl" if fmt == "jsonld" and directory is None else fmt,
                        label=label,
                    )
                except Exception as exc:  # one product's failure is that product's problem
                    result = ProductResult(result.location, result.gtin, (unexpected_failure(exc),))
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
