#!/usr/bin/env python3
"""Allergen recall and false positives on the corpus, now and before issue 22, same run.

Reads every row of ``tests/mapping/allergen_corpus/*.tsv`` (an ingredient name, its
language, a regulation, and the codes that regulation declares) and reads each name
as a product in that language would (its language and English):

* **now**: this checkout's ``gs1ld.mapping.allergens.declared_in`` under the row's
  regulation;
* **before**: the matcher of commit ``--baseline`` (default 9dd64a2, the commit before
  issue 22), exported with ``git archive`` into a temporary folder and run there in a
  subprocess (its own ``src/`` and ``mappings/``); it has no notion of regulation, so
  the codes it gives a name are compared with every regulation's expectation.

Per language and per allergen it prints recall (expected codes found / expected codes)
and the false-positive rate (rows that declare a code they should not / rows), and
the time per name of each matcher (tables loaded, memo cleared). The goal: recall
>= 98% and false positives <= 1% in every language.

Usage: python benchmarks/allergens.py [--baseline COMMIT]
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "mapping" / "allergen_corpus"
RECALL_GOAL = 0.98
FP_GOAL = 0.01

_OLD_READER = """
import json, sys, time
from gs1ld.mapping.allergens import allergen_index
from gs1ld.mapping.tables import load_tables
index = allergen_index(load_tables())
queries = json.load(sys.stdin)
start = time.perf_counter()
out = [sorted({c for m in index.find(name, tuple(langs)) for c in m.codes})
       for name, langs in queries]
json.dump({"codes": out, "seconds": time.perf_counter() - start}, sys.stdout)
"""


def _corpus() -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for path in sorted(CORPUS.glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as handle:
            rows.extend(csv.DictReader(handle, delimiter="\t"))
    return rows


def _languages(row: dict[str, str]) -> list[str]:
    return list(dict.fromkeys((row["language"], "en")))


def _now(rows: list[dict[str, str]]) -> tuple[list[set[str]], float]:
    sys.path.insert(0, str(ROOT / "src"))
    from gs1ld.mapping.allergens import declared_in
    from gs1ld.mapping.tables import load_tables

    tables = load_tables()
    declared_in("warm-up", ("en",), "EU", tables)
    start = time.perf_counter()
    found = [
        set(declared_in(r["name"], tuple(_languages(r)), r["regulation"], tables)) for r in rows
    ]
    return found, time.perf_counter() - start


def _before(rows: list[dict[str, str]], commit: str) -> tuple[list[set[str]], float]:
    with tempfile.TemporaryDirectory(prefix="gs1ld-allergens-") as work:
        archive = Path(work) / "old.tar"
        subprocess.run(
            [
                "git",
                "-C",
                str(ROOT),
                "archive",
                "-o",
                str(archive),
                commit,
                "src",
                "mappings",
                "pyproject.toml",
            ],
            check=True,
        )
        with tarfile.open(archive) as tar:
            tar.extractall(work, filter="data")
        queries = [(r["name"], _languages(r)) for r in rows]
        done = subprocess.run(
            [sys.executable, "-c", _OLD_READER],
            input=json.dumps(queries),
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONPATH": str(Path(work) / "src"), "PATH": "/usr/bin:/bin"},
        )
    result = json.loads(done.stdout)
    return [set(codes) for codes in result["codes"]], float(result["seconds"])


def _figures(
    rows: list[dict[str, str]], found: list[set[str]], key: str
) -> dict[str, tuple[int, int, int, int]]:
    """key value -> (expected codes, found of them, rows, rows with a false positive)."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for row, codes in zip(rows, found, strict=True):
        expected = set() if row["expected"] == "-" else set(row["expected"].split())
        if key == "language":
            groups = {row["language"]: (expected, codes)}
        else:  # per allergen: each code expected or wrongly found
            groups = {c: ({c} & expected, {c} & codes) for c in expected | codes}
        for group, (want, got) in groups.items():
            figure = totals[group]
            figure[0] += len(want)
            figure[1] += len(want & got)
            figure[2] += 1
            figure[3] += bool(got - want)
    return {k: (v[0], v[1], v[2], v[3]) for k, v in totals.items()}


def _rate(part: int, whole: int) -> str:
    return f"{100 * part / whole:6.2f}%" if whole else "     - "


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="9dd64a2")
    args = parser.parse_args()
    rows = _corpus()
    names = len({(r["name"], r["language"]) for r in rows})
    now, now_seconds = _now(rows)
    before, before_seconds = _before(rows, args.baseline)
    print(f"corpus: {names} names, {len(rows)} (name, regulation) rows")
    print(
        f"time per row: now {1e6 * now_seconds / len(rows):.1f} us, "
        f"before ({args.baseline}) {1e6 * before_seconds / len(rows):.1f} us"
    )
    met = True
    for key in ("language", "allergen"):
        fig_now = _figures(rows, now, key)
        fig_before = _figures(rows, before, key)
        print(f"\nper {key:9}  recall now  before   false+ now  before   rows")
        for group in sorted(fig_now.keys() | fig_before.keys()):
            e1, f1, n1, p1 = fig_now.get(group, (0, 0, 0, 0))
            e0, f0, n0, p0 = fig_before.get(group, (0, 0, 0, 0))
            print(
                f"  {group:14} {_rate(f1, e1)} {_rate(f0, e0)}   {_rate(p1, n1)} "
                f"{_rate(p0, n0)}   {n1 or n0}"
            )
            if key == "language":
                met &= (not e1 or f1 / e1 >= RECALL_GOAL) and p1 / n1 <= FP_GOAL
    print(
        f"\ngoal (recall >= 98%, false positives <= 1% in every language): "
        f"{'met' if met else 'NOT met'}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
