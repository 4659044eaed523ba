"""The planted-defect corpus: each document gets exactly the expected findings.

Every case is two files in ``defects/``: ``NAME.jsonld`` (the document as a user
would validate it: one document, or an array of documents validated together)
and ``NAME.expected.json`` with what it is about and, per document, the verdict,
the error and every finding (rule, property, severity, focus node, shape and
message). Blank-node labels are random, so a blank focus node is written ``_:``.
A case whose file is not JSON says ``"unreadable"`` instead: ``gs1ld validate``
must report it as invalid (exit code 1), naming why.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner

from gs1ld.cli import cli
from gs1ld.validation import validate, validate_document, validate_stream
from support import PROJECT_ROOT, regenerate, require_shared

DEFECTS = Path(__file__).parent / "defects"
DAY = date(2026, 6, 1)
"""The reference day of the meaning rules (an ACTIVE certificate must not have ended)."""
CASES = sorted(p.name.removesuffix(".jsonld") for p in DEFECTS.glob("*.jsonld"))


def _expected(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DEFECTS / f"{name}.expected.json").read_text("utf-8"))
    return data


def _document(name: str) -> Any:
    return orjson.loads((DEFECTS / f"{name}.jsonld").read_bytes())


def _outcome(report: Any) -> dict[str, Any]:
    return {
        "conforms": report.conforms,
        "error": report.error,
        "findings": sorted(
            (
                {
                    "rule": f.rule,
                    "path": f.path,
                    "severity": f.severity,
                    "focus": "_:" if f.focus.startswith("_:") else f.focus,
                    "shape": f.shape,
                    "message": f.message,
                }
                for f in report.findings
            ),
            key=lambda x: (x["focus"], x["path"], x["rule"]),
        ),
    }


def test_the_corpus_is_large_and_complete() -> None:
    assert len(CASES) >= 25
    assert sorted(p.name.removesuffix(".expected.json") for p in DEFECTS.glob("*.json")) == CASES
    named = {
        json.loads((DEFECTS / f"{n}.expected.json").read_text("utf-8"))["about"] for n in CASES
    }
    assert len(named) == len(CASES)  # every case says what it plants


@pytest.mark.parametrize("name", CASES)
def test_planted_defect(name: str) -> None:
    expected = _expected(name)
    if "unreadable" in expected:
        result = CliRunner().invoke(cli, ["validate", str(DEFECTS / f"{name}.jsonld")])
        assert result.exit_code == 1
        assert expected["unreadable"] in result.output
        return
    document = _document(name)
    report = validate(
        document if isinstance(document, list) else [document], source=name, today=DAY
    )
    assert [_outcome(d) for d in report.documents] == expected["documents"]


@pytest.mark.parametrize(
    "name", ["bad-check-digit", "deprecated-allergen-code", "old-namespace-term"]
)
def test_messages_say_what_to_do(name: str) -> None:
    (finding,) = validate_document(_document(name)).findings
    messages = {
        "bad-check-digit": "Invalid GTIN check digit in '09506000134353': expected 2, got 3.",
        "deprecated-allergen-code": (
            "gs1:AllergenTypeCode-MILK is deprecated: use gs1:AllergenTypeCode-AM"
        ),
        "old-namespace-term": (
            "https://gs1.org/voc/productDescription is in GS1's old namespace: "
            "use https://ref.gs1.org/voc/productDescription"
        ),
    }
    assert finding.message == messages[name]


def test_misspelt_term_gets_the_closest_real_one() -> None:
    (finding,) = validate_document(_document("misspelt-term")).findings
    assert finding.message == (
        "gs1:productNmae is not a term of the GS1 Web Vocabulary v1.17; "
        "did you mean gs1:productName?"
    )


def test_blank_nodes_of_two_documents_never_merge() -> None:
    first, second = _document("blank-node-collision")
    assert first["gs1:hasAllergen"]["@id"] == second["gs1:hasAllergen"]["@id"] == "_:b0"
    report = validate([first, second])
    assert [d.conforms for d in report.documents] == [True, False]
    assert [d.source for d in report.documents] == ["<document>[0]", "<document>[1]"]


def test_graph_documents_and_known_context_urls() -> None:
    doc = {
        "@context": "https://ref.gs1.org/voc/data/gs1Voc.jsonld",
        "@graph": [{k: v for k, v in _document("valid").items() if k != "@context"}],
    }
    assert validate_document(doc).conforms


def test_cli_reports_lines_json_and_exit_codes(tmp_path: Path) -> None:
    good = tmp_path / "good.jsonld"
    good.write_text(json.dumps(_document("valid")), encoding="utf-8")
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        json.dumps(_document("valid")) + "\n" + json.dumps(_document("bad-check-digit")) + "\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    ok = runner.invoke(cli, ["validate", str(good)])
    assert (ok.exit_code, ok.output) == (0, "1 valid, 0 invalid, 0 warnings\n")
    failed = runner.invoke(cli, ["validate", str(bad)])
    assert failed.exit_code == 1
    assert failed.output.splitlines() == [
        f"{bad}:2 09506000134353 gs1:gtin: Invalid GTIN check digit in '09506000134353': "
        "expected 2, got 3. (gtin)",
        "1 valid, 1 invalid, 0 warnings",
    ]
    machine = json.loads(
        runner.invoke(cli, ["validate", "--report-format", "json", str(bad)]).output
    )
    assert machine["conforms"] is False
    assert [d["conforms"] for d in machine["documents"]] == [True, False]
    (tmp_path / "x.json").write_text("{not json", encoding="utf-8")
    unreadable = runner.invoke(cli, ["validate", str(tmp_path / "x.json")])
    assert unreadable.exit_code == 1  # reported as invalid, not a failure to run
    assert f"{tmp_path / 'x.json'}:1 - -: invalid JSON" in unreadable.output
    missing = runner.invoke(cli, ["validate", str(tmp_path / "nothing-here.json")])
    assert missing.exit_code == 2
    assert "no such file or directory" in missing.output
    remote = tmp_path / "remote.jsonld"
    remote.write_text(
        json.dumps({**_document("valid"), "@context": "https://example.org/c.jsonld"}),
        encoding="utf-8",
    )
    assert runner.invoke(cli, ["validate", str(remote)]).exit_code == 2


def test_term_index_is_generated_from_the_vocabulary(tmp_path: Path) -> None:
    source = require_shared("gs1/v1.17/gs1Voc.ttl")
    target = tmp_path / "gs1-terms.json"
    produced = regenerate("gen_vocab_terms.py", source, target)
    assert produced == (PROJECT_ROOT / "shapes" / "gs1-terms.json").read_bytes()


def test_stream_on_two_cores_gives_the_same_reports_in_order() -> None:
    documents = []
    for name in CASES:
        if "unreadable" in _expected(name):
            continue
        value = _document(name)
        documents.extend(value if isinstance(value, list) else [value])
    pairs = [(f"doc{i}", doc) for i, doc in enumerate(documents * 3)]

    def comparable(report: Any) -> tuple[Any, ...]:
        return (report.source, report.gtin, report.error, [_outcome(report)])

    parallel = [comparable(r) for r in validate_stream(pairs, jobs=2, batch_size=7)]
    serial = [comparable(r) for r in validate_stream(iter(pairs), jobs=1)]
    assert parallel == serial
    assert [r[0] for r in parallel] == [name for name, _ in pairs]
    assert sum(1 for r in parallel if r[3][0]["conforms"]) < len(parallel)


def test_cli_names_the_shape_and_gives_the_same_lines_on_one_or_many_workers() -> None:
    target = str(DEFECTS / "13-digit-gtin.jsonld")
    runner = CliRunner()
    one = runner.invoke(cli, ["validate", "--workers", "1", target])
    many = runner.invoke(cli, ["validate", "--workers", "2", target])
    assert one.exit_code == 1
    assert one.output == many.output
    assert "(gs1sh:Product-gs1-gtin)" in one.output


def test_one_malformed_file_in_a_folder_is_reported_and_the_others_validated(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.jsonld").write_text(json.dumps(_document("valid")), encoding="utf-8")
    (folder / "b.jsonld").write_text("{broken", encoding="utf-8")
    (folder / "c.jsonld").write_text(json.dumps(_document("valid")), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(folder)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{folder / 'b.jsonld'}:1 - -: invalid JSON")
    assert lines[-1] == "2 valid, 1 invalid, 0 warnings"
    machine = json.loads(
        CliRunner().invoke(cli, ["validate", "--report-format", "json", str(folder)]).output
    )
    assert [d["conforms"] for d in machine["documents"]] == [True, False, True]
