#!/usr/bin/env python3
"""Run the resolver tests on every target, then write the docs' host table from them.

Usage: python scripts/gen_host_table.py

The table lists, per behaviour and target, "yes" or the target's named limit
(tests/resolver/cases.py). It is written only when every case passed on every
target -- nginx and Apache must be installed -- so it states what was measured;
a test (tests/resolver/test_resolver_http.py) keeps docs/reference/resolver.md equal to it.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "reference" / "resolver.md"
START, END = "<!-- host-table:start -->\n", "<!-- host-table:end -->"


def _run_tests() -> list[str]:
    """Problems of the resolver test run: failed, errored or skipped cases."""
    with tempfile.TemporaryDirectory() as work:
        report = Path(work) / "report.xml"
        subprocess.run(
            [sys.executable, "-m", "pytest", "tests/resolver", "-q", "-p", "no:cacheprovider",
             "--no-cov", "-k", "not readme_host_table", f"--junitxml={report}"],
            cwd=ROOT,
            check=False,
        )  # fmt: skip
        if not report.exists():
            return ["pytest wrote no report"]
        problems = []
        for case in ET.parse(report).getroot().iter("testcase"):
            for outcome in ("failure", "error", "skipped"):
                if case.find(outcome) is not None:
                    problems.append(f"{case.get('name')}: {outcome}")
        return problems


def main() -> int:
    problems = _run_tests()
    if problems:
        print("Not writing the host table; the resolver tests did not all pass:", file=sys.stderr)
        print("\n".join(problems), file=sys.stderr)
        return 1
    sys.path.insert(0, str(ROOT / "tests"))
    from resolver.cases import host_table

    text = PAGE.read_text("utf-8")
    if START not in text or END not in text:
        print(f"{PAGE} lacks {START.strip()} ... {END}", file=sys.stderr)
        return 2
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    PAGE.write_text(head + START + host_table() + END + tail, "utf-8")
    print("docs/reference/resolver.md host table written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
