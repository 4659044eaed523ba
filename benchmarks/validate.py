#!/usr/bin/env python3
"""Validation throughput: plain pyshacl per document vs gs1ld's validator, same catalog.

Maps a synthetic catalog (``--products``, default 20,000) to JSON-LD once and
writes it as JSON Lines (not timed), then, in this one process:

(a) the naive pipeline, per document: pyld expands it (contexts from gs1ld's
    offline loader), rdflib parses the expanded JSON-LD, and ``pyshacl.validate``
    runs the project's shapes (parsed once). It takes tens of milliseconds per
    product, so only the first ``--sample`` documents (default 200) are timed,
    and the rate is extrapolated to the whole catalog;
(b) gs1ld's validation of the whole catalog, streamed from the file:
    ``gs1ld.validation.validate_stream`` over every core (``--jobs``), in
    bounded batches, with its shapes and vocabulary rules.

Prints both rates, their ratio and peak resident memory (this process, and its
workers). The goal: (b) >= 2,000 products/s on a 2-core machine, >= 20x (a),
under 1 GiB whatever the catalog size.

Usage: python benchmarks/validate.py [--products N] [--sample S] [--jobs J] [--seed S]
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

import orjson

GOAL_RATE = 2_000
GOAL_RATIO = 20


def _write_catalog(path: Path, products: int, seed: int) -> None:
    from gs1ld.catalog import CatalogEntry
    from gs1ld.config import ExportConfig
    from gs1ld.publish import to_jsonld
    from gs1ld.testing import synthetic_catalog

    config = ExportConfig()
    with path.open("wb") as out:
        for raw in synthetic_catalog(products, seed=seed):
            document = to_jsonld(CatalogEntry.model_validate(raw), config=config)
            out.write(orjson.dumps(document) + b"\n")


def _naive(path: Path, sample: int) -> tuple[int, int, float]:
    """(documents, conforming, seconds) for pyld + rdflib + pyshacl on the first ``sample``."""
    import pyshacl
    import rdflib
    from pyld import jsonld

    from gs1ld._resources import read_text
    from gs1ld.jsonld.loader import document_loader

    shapes = rdflib.Graph().parse(data=read_text("shapes", "gs1-shapes.ttl"), format="turtle")
    loader = document_loader()
    documents = []
    with path.open("rb") as lines:
        for line in lines:
            documents.append(orjson.loads(line))
            if len(documents) == sample:
                break
    conforming = 0
    start = time.perf_counter()
    for document in documents:
        expanded = jsonld.expand(document, {"documentLoader": loader})
        graph = rdflib.Graph().parse(data=orjson.dumps(expanded).decode(), format="json-ld")
        conforms, _, _ = pyshacl.validate(graph, shacl_graph=shapes)
        conforming += bool(conforms)
    return len(documents), conforming, time.perf_counter() - start


def _gs1ld(path: Path, jobs: int | None) -> tuple[int, int, float]:
    """(documents, conforming, seconds) for gs1ld's streamed validation of the whole file."""
    from gs1ld.validation import validate_stream

    def documents():  # type: ignore[no-untyped-def]
        with path.open("rb") as lines:
            for number, line in enumerate(lines, start=1):
                yield f"{path.name}:{number}", orjson.loads(line)

    count = conforming = 0
    start = time.perf_counter()
    for report in validate_stream(documents(), jobs=jobs):
        count += 1
        conforming += report.conforms
    return count, conforming, time.perf_counter() - start


def _mib(kilobytes: int) -> float:
    return kilobytes / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=20_000)
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: all)")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()

    with tempfile.TemporaryDirectory() as tmp:
        catalog = Path(tmp) / "catalog.jsonl"
        t0 = time.perf_counter()
        _write_catalog(catalog, args.products, args.seed)
        size = catalog.stat().st_size / 2**20
        print(
            f"catalog: {args.products:,} synthetic products mapped to JSON-LD in "
            f"{time.perf_counter() - t0:.1f} s ({size:.0f} MiB JSON Lines)"
        )

        n_a, ok_a, s_a = _naive(catalog, min(args.sample, args.products))
        rate_a = n_a / s_a
        print(
            f"(a) pyld expand + rdflib parse + pyshacl.validate, per document: "
            f"{rate_a:,.0f} products/s ({n_a} timed, {ok_a} conform; the whole catalog "
            f"would take ~{args.products / rate_a / 60:.1f} min, extrapolated)"
        )

        n_b, ok_b, s_b = _gs1ld(catalog, args.jobs)
        rate_b = n_b / s_b
        jobs = args.jobs or cores
        print(
            f"(b) gs1ld validate_stream, {jobs} worker(s) on {cores} core(s): "
            f"{rate_b:,.0f} products/s ({n_b:,} in {s_b:.1f} s, {ok_b:,} conform)"
        )

    ratio = rate_b / rate_a
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"ratio (b)/(a): {ratio:,.0f}x")
    print(f"peak RSS: this process {_mib(own):,.0f} MiB, largest worker {_mib(workers):,.0f} MiB")
    met = rate_b >= GOAL_RATE and ratio >= GOAL_RATIO
    print(f"goal (>= {GOAL_RATE:,} products/s and >= {GOAL_RATIO}x): {'met' if met else 'NOT met'}")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
