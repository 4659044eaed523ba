#!/usr/bin/env python3
"""Write src/gs1ld/digital_link/_aitable.py from the GS1 Barcode Syntax Dictionary.

Usage: python scripts/gen_ai_table.py [DICTIONARY_TXT] [OUTPUT]

The input defaults to ../shared/digital-link/gs1-syntax-dictionary.txt beside the
repository; the output to the committed module.  A test regenerates it and
compares, so the table can only change by re-running this script.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_INPUT = ROOT.parent / "shared" / "digital-link" / "gs1-syntax-dictionary.txt"
DEFAULT_OUTPUT = ROOT / "src" / "gs1ld" / "digital_link" / "_aitable.py"

_FLAG_CHARS = set("*!?\"$%&'()+,-./:;<=>@[\\]^_`{|}~")
_COMPONENT = re.compile(r"^(\[)?([NXYZ])(?:(\d*)(\.\.))?(\d+)(\])?((?:,[a-z0-9]+)*)$")
_RELEASE = re.compile(r"^#\s*Release:\s*(\S+)", re.MULTILINE)


def _component(token: str) -> tuple[str, int, int, bool, tuple[str, ...]]:
    match = _COMPONENT.match(token)
    if match is None:
        raise ValueError(f"unreadable component {token!r}")
    opening, cset, low, dots, high, closing, linters = match.groups()
    if bool(opening) != bool(closing):
        raise ValueError(f"unbalanced brackets in {token!r}")
    maximum = int(high)
    minimum = (int(low) if low else 1) if dots else maximum
    names = tuple(name for name in linters.split(",") if name)
    return cset, minimum, maximum, bool(opening), names


def _ais(token: str) -> list[str]:
    if "-" not in token:
        return [token]
    first, last = token.split("-")
    width = len(first)
    return [str(n).zfill(width) for n in range(int(first), int(last) + 1)]


def parse(text: str) -> list[dict[str, object]]:
    """The dictionary's entries, one dict per AI (ranges expanded)."""
    entries: list[dict[str, object]] = []
    for raw in text.splitlines():
        body, _, title = raw.partition("#")
        tokens = body.split()
        if not tokens:
            continue
        ais, rest = tokens[0], tokens[1:]
        flags = ""
        if rest and set(rest[0]) <= _FLAG_CHARS:
            flags, rest = rest[0], rest[1:]
        components = []
        requires: list[list[list[str]]] = []
        excludes: list[str] = []
        qualifiers: list[list[str]] | None = None
        for token in rest:
            if token.startswith("req="):
                alternatives = token[4:].split(",")
                requires.append([alternative.split("+") for alternative in alternatives])
            elif token.startswith("ex="):
                excludes.extend(token[3:].split(","))
            elif token == "dlpkey":
                qualifiers = []
            elif token.startswith("dlpkey="):
                qualifiers = [chain.split(",") for chain in token[7:].split("|")]
            else:
                components.append(_component(token))
        for ai in _ais(ais):
            entries.append(
                {
                    "ai": ai,
                    "title": title.strip(),
                    "fnc1": "*" not in flags,
                    "dl_attribute": "?" in flags,
                    "components": components,
                    "requires": requires,
                    "excludes": excludes,
                    "dl_qualifiers": qualifiers,
                }
            )
    return entries


def _tuple(items: list[str]) -> str:
    inner = ", ".join(json.dumps(item) for item in items)
    return f"({inner},)" if len(items) == 1 else f"({inner})"


def _render_entry(entry: dict[str, object]) -> str:
    components = ", ".join(
        f"C({json.dumps(c[0])}, {c[1]}, {c[2]}, {c[3]}, {_tuple(list(c[4]))})"
        for c in entry["components"]  # type: ignore[attr-defined]
    )
    if len(entry["components"]) == 1:  # type: ignore[arg-type]
        components += ","
    requires = ", ".join(
        "(" + ", ".join(_tuple(group) for group in rule) + ("," if len(rule) == 1 else "") + ")"
        for rule in entry["requires"]  # type: ignore[attr-defined]
    )
    if len(entry["requires"]) == 1:  # type: ignore[arg-type]
        requires += ","
    qualifiers = entry["dl_qualifiers"]
    if qualifiers is None:
        dl = "None"
    else:
        chains = ", ".join(_tuple(chain) for chain in qualifiers)  # type: ignore[attr-defined]
        dl = f"({chains},)" if len(qualifiers) == 1 else f"({chains})"  # type: ignore[arg-type]
    fields = [
        json.dumps(entry["ai"]),
        json.dumps(entry["title"], ensure_ascii=False),
        str(entry["fnc1"]),
        str(entry["dl_attribute"]),
        f"({components})",
        f"({requires})",
        _tuple(list(entry["excludes"])),  # type: ignore[call-overload]
        dl,
    ]
    return f"    {json.dumps(entry['ai'])}: E({', '.join(fields)}),\n"


def render(text: str) -> str:
    """The module text for the dictionary ``text``."""
    release = _RELEASE.search(text)
    entries = parse(text)
    head = (
        '"""GS1 Application Identifiers (generated by scripts/gen_ai_table.py; do not edit).\n\n'
        f"Source: GS1 Barcode Syntax Dictionary, release {release.group(1) if release else '?'}\n"
        "(gs1-syntax-dictionary.txt), (c) GS1 AISBL and the BWIPP and Zint projects,\n"
        "Apache-2.0.  One record per AI; ranges such as 3100-3105 are expanded.\n"
        '"""\n\n'
        "# ruff: noqa: E501\n"
        "from __future__ import annotations\n\n"
        "from gs1ld.digital_link._spec import AIEntry, Component\n\n"
        "E = AIEntry\n"
        "C = Component\n\n"
        "# fmt: off\n"
        "AI_TABLE: dict[str, AIEntry] = {\n"
    )
    rows = "".join(_render_entry(entry) for entry in entries)
    return head + rows + "}\n# fmt: on\n"


def main(argv: list[str]) -> int:
    source = Path(argv[1]) if len(argv) > 1 else DEFAULT_INPUT
    target = Path(argv[2]) if len(argv) > 2 else DEFAULT_OUTPUT
    text = source.read_text(encoding="utf-8")
    target.write_text(render(text), encoding="utf-8")
    print(f"wrote {len(parse(text))} AIs to {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
