"""Validate GS1 JSON-LD documents and report per document; never raises on invalid data."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from typing import Any

import orjson

from gs1ld._fanout import ordered_results
from gs1ld._workers import worker_pool
from gs1ld.errors import Problem
from gs1ld.jsonld.loader import RemoteContextError
from gs1ld.validation._clean import CleanCheck
from gs1ld.validation.meaning import meaning_findings, might_have_meaning_findings
from gs1ld.validation.rdf import document_ntriples, literal_parts, parse_ntriples
from gs1ld.validation.rules import COVERED_BY_SHAPES, Finding, check_triples
from gs1ld.validation.shapes import EXTENSION_NAMESPACE, compiled_shapes, shape_findings
from gs1ld.validation.terms import term_index

__all__ = [
    "DocumentReport",
    "Report",
    "document_problems",
    "extension_namespace",
    "validate",
    "validate_document",
    "validate_stream",
]


@dataclass(frozen=True, slots=True)
class DocumentReport:
    """The outcome for one document.

    Attributes:
        source: where it came from (file, ``file:line``, ``[index]``).
        gtin: the product's GTIN when the document has one.
        findings: violations and warnings, in document order.
        error: why the document could not be validated at all (bad JSON-LD, a
            refused remote context), else None.
    """

    source: str
    gtin: str | None
    findings: tuple[Finding, ...] = ()
    error: str | None = None

    @property
    def violations(self) -> tuple[Finding, ...]:
        """The findings that make the document invalid."""
        return tuple(f for f in self.findings if f.severity == "Violation")

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """The findings reported without changing the verdict."""
        return tuple(f for f in self.findings if f.severity == "Warning")

    @property
    def conforms(self) -> bool:
        """True when the document was validated and has no violation."""
        return self.error is None and not self.violations


@dataclass(frozen=True, slots=True)
class Report:
    """Per-document outcomes of one validation run."""

    documents: tuple[DocumentReport, ...] = field(default=())

    @property
    def conforms(self) -> bool:
        """True when every document conforms."""
        return all(d.conforms for d in self.documents)

    @property
    def violations(self) -> list[Finding]:
        """Every violation of every document."""
        return [f for d in self.documents for f in d.violations]

    def as_json(self) -> dict[str, Any]:
        """The machine-readable report."""
        return {
            "conforms": self.conforms,
            "documents": [
                {
                    "source": d.source,
                    "gtin": d.gtin,
                    "conforms": d.conforms,
                    "error": d.error,
                    "findings": [
                        {
                            "severity": f.severity,
                            "focus": f.focus,
                            "path": f.path,
                            "message": f.message,
                            "rule": f.rule,
                            "shape": f.shape,
                            "value": f.value,
                        }
                        for f in d.findings
                    ],
                }
                for d in self.documents
            ],
        }


def extension_namespace(document: Any) -> str:
    """The namespace a document binds to the ``gs1ld`` prefix (gs1ld's extension terms).

    gs1ld writes its extension terms under ``{base_url}/voc/`` or a URN, and binds
    the prefix ``gs1ld`` to it in the document's context; the shapes are checked
    against that namespace. Without such a binding, the shapes' own URN.
    """
    node = document[0] if isinstance(document, list) and document else document
    context = node.get("@context") if isinstance(node, dict) else None
    for item in context if isinstance(context, list) else [context]:
        if isinstance(item, dict) and isinstance(item.get("gs1ld"), str):
            return str(item["gs1ld"])
    return EXTENSION_NAMESPACE


def validate_document(
    document: Any,
    *,
    source: str = "<document>",
    allow_remote_contexts: bool = False,
    today: date | None = None,
) -> DocumentReport:
    """Validate one JSON-LD document (a node, or an object with ``@graph``).

    The document's triples go through gs1ld's SHACL shapes, its own rules
    (vocabulary terms, GTIN check digit, Digital Link ``@id``) and the meaning
    rules (:mod:`gs1ld.validation.meaning`: facts that contradict each other;
    ``today`` is the reference day for certificate end dates, None skips that
    rule); a rule finding that repeats a shape's finding for the same node and
    property is left out.

    Most documents have no finding: :class:`~gs1ld.validation._clean.CleanCheck`
    says so from cached verdicts without running the full checks, which then run
    only for the others (giving the same findings they always gave).
    """
    try:
        text = document_ntriples(document, allow_remote=allow_remote_contexts)
    except (RemoteContextError, ValueError) as exc:
        return DocumentReport(source, None, error=str(exc))
    extension = extension_namespace(document)
    try:
        clean, gtin = _clean_check(extension).gtin_if_clean(text)
    except (ValueError, IndexError):  # odd text: the full checks below decide
        clean, gtin = False, None
    report = DocumentReport(source, gtin) if clean else _full_report(text, source, extension)
    if report.error is None and might_have_meaning_findings(text):
        meaning = meaning_findings(parse_ntriples(text), today=today)
        if meaning:
            report = replace(report, findings=report.findings + tuple(meaning))
    return report


def _full_report(text: str, source: str, extension: str) -> DocumentReport:
    """The shapes and the rules over a document's N-Triples text, every finding built.

    A rule finding that repeats a shape's finding for the same node and
    property is left out.
    """
    try:
        triples = parse_ntriples(text)
    except ValueError as exc:
        return DocumentReport(source, None, error=str(exc))
    gtin = next(
        (
            literal_parts(o)[0] if o[0] == '"' else o
            for _, p, o in triples
            if p == "https://ref.gs1.org/voc/gtin"
        ),
        None,
    )
    index = term_index()
    shapes = compiled_shapes(extension)
    findings = shape_findings(shapes.check(triples), index)
    reported = {(f.focus, f.path) for f in findings}
    findings.extend(
        f
        for f in check_triples(triples, index)
        if f.rule not in COVERED_BY_SHAPES or (f.focus, f.path) not in reported
    )
    return DocumentReport(source, gtin, tuple(findings))


@lru_cache(maxsize=16)
def _clean_check(extension: str) -> CleanCheck:
    """The "no finding" test for documents using this extension namespace (built once)."""
    return CleanCheck(compiled_shapes(extension), term_index())


def validate(
    doc_or_docs: Any | Sequence[Any],
    *,
    source: str = "<document>",
    allow_remote_contexts: bool = False,
    today: date | None = None,
) -> Report:
    """Validate a document or a list of documents against gs1ld's rules.

    Never raises on invalid data: problems are in the report.

    >>> report = validate({"@context": {"gs1": "https://ref.gs1.org/voc/"},
    ...     "@id": "https://id.gs1.org/01/09506000134352", "@type": "gs1:Product",
    ...     "gs1:gtin": "09506000134352"})
    >>> report.conforms
    True
    """
    documents: Iterable[tuple[str, Any]]
    if isinstance(doc_or_docs, list):
        documents = ((f"{source}[{i}]", doc) for i, doc in enumerate(doc_or_docs))
    else:
        documents = ((source, doc_or_docs),)
    return Report(
        tuple(
            validate_document(
                doc, source=name, allow_remote_contexts=allow_remote_contexts, today=today
            )
            for name, doc in documents
        )
    )


def document_problems(document: dict[str, Any]) -> tuple[Problem, ...]:
    """The violations of one document as :class:`Problem` lines (for convert and site)."""
    outcome = validate_document(document)
    if outcome.error:
        return (Problem("", outcome.error, has_value=False),)
    return tuple(
        Problem(f.path, f"{f.message} ({f.rule})", has_value=False) for f in outcome.violations
    )


def _validate_batch(
    batch: list[tuple[str, bytes]], allow_remote_contexts: bool, today: date | None = None
) -> list[DocumentReport]:
    """Worker side of :func:`validate_stream`: documents travel as JSON bytes."""
    return [
        validate_document(
            orjson.loads(data),
            source=source,
            allow_remote_contexts=allow_remote_contexts,
            today=today,
        )
        for source, data in batch
    ]


def _batches(documents: Iterable[tuple[str, Any]], size: int) -> Iterator[list[tuple[str, bytes]]]:
    batch: list[tuple[str, bytes]] = []
    for source, document in documents:
        batch.append((source, orjson.dumps(document)))
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def validate_stream(
    documents: Iterable[tuple[str, Any]],
    *,
    jobs: int | None = None,
    batch_size: int = 500,
    allow_remote_contexts: bool = False,
    today: date | None = None,
    executor: Any | None = None,
) -> Iterator[DocumentReport]:
    """Validate (source, document) pairs on several cores, yielding reports in order.

    For catalogs of any size: documents are read from the iterable in batches,
    and at most two batches per worker are in flight, so memory stays bounded
    however many documents come. Each worker validates whole documents, so
    blank nodes of different documents never meet.

    Args:
        documents: (source name, JSON-LD document) pairs, e.g. from a JSON Lines file.
        jobs: worker processes; None uses every CPU this process may run on,
            1 validates in this process.
        batch_size: documents sent to a worker at a time.
        allow_remote_contexts: fetch context URLs gs1ld does not have locally.
        today: the reference day of the meaning rules (None skips the date rule).
        executor: where the batches run instead of a local process pool: a
            ``dask.distributed.Client`` or any ``concurrent.futures.Executor``
            (``jobs`` then sets how many batches are in flight: twice it, 8 by default).

    Yields:
        One :class:`DocumentReport` per document, in input order.
    """
    if executor is not None:
        yield from _in_flight(
            executor, documents, 2 * (jobs or 4), batch_size, allow_remote_contexts, today
        )
        return
    if jobs is None:
        jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if not jobs or jobs <= 1:
        for source, document in documents:
            yield validate_document(
                document, source=source, allow_remote_contexts=allow_remote_contexts, today=today
            )
        return
    with worker_pool(jobs) as pool:
        yield from _in_flight(pool, documents, 2 * jobs, batch_size, allow_remote_contexts, today)


def _in_flight(
    executor: Any,
    documents: Iterable[tuple[str, Any]],
    limit: int,
    batch_size: int,
    allow_remote_contexts: bool,
    today: date | None,
) -> Iterator[DocumentReport]:
    """Batches submitted to ``executor``, at most ``limit`` in flight, reports in input order."""
    tasks = ((batch, allow_remote_contexts, today) for batch in _batches(documents, batch_size))
    for reports in ordered_results(executor, _validate_batch, tasks, ahead=limit):
        yield from reports
