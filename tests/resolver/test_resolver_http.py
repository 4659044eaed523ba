"""The resolver cases over real HTTP, against `gs1ld serve`, nginx, Apache and the hybrids.

Each case's expected answer (or the target's named limit) is compared whole:
status, ``Location``, media type, body and ``Link`` entries, with CORS on every
answer.  The linkset every target serves validates against GS1's linkset schema.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from gs1ld.publish.wire import CACHE_CONTROL
from resolver.cases import CASES, Case, host_table
from support import PROJECT_ROOT, require_shared


def _fill(template: str, facts: dict[str, str]) -> str:
    for name, value in facts.items():
        template = template.replace("{" + name + "}", value)
    return template


def _link_entries(value: str | None) -> set[str]:
    """The entries of a ``Link`` header (commas inside ``<...>`` or quotes do not split)."""
    entries, depth, quoted, current = set(), 0, False, ""
    for char in value or "":
        if char == '"':
            quoted = not quoted
        elif char == "<":
            depth += 1
        elif char == ">":
            depth -= 1
        if char == "," and not quoted and depth == 0:
            entries.add(current.strip())
            current = ""
        else:
            current += char
    if current.strip():
        entries.add(current.strip())
    return entries


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_resolver_case(
    case: Case, target: tuple[str, str], facts: dict[str, str], served_site: Path
) -> None:
    name, url = target
    expect = case.expected(name)
    headers = {"Accept": "*/*", **{k: _fill(v, facts) for k, v in case.headers.items()}}
    with httpx.Client(base_url=url, follow_redirects=False, timeout=10) as client:
        response = client.request(case.method, _fill(case.path, facts), headers=headers)
    media = response.headers.get("content-type", "").split(";")[0].strip()
    got = {
        "status": response.status_code,
        "location": response.headers.get("location") if expect.location else None,
        "media_type": media if expect.media_type else None,
        "cors": response.headers.get("access-control-allow-origin"),
        "cache": response.headers.get("cache-control"),
    }
    assert got == {
        "status": expect.status,
        "location": _fill(expect.location, facts) if expect.location else None,
        "media_type": expect.media_type,
        "cors": "*",
        "cache": CACHE_CONTROL,  # one policy on every host, errors and redirects included
    }
    links = _link_entries(response.headers.get("link"))
    for link in expect.links:
        assert _fill(link, facts) in links
    if expect.body == "linkset":
        assert response.json() == json.loads(
            (served_site / "current" / "01" / facts["G"] / "linkset.json").read_bytes()
        )
    elif expect.body == "jsonld":
        assert response.json() == json.loads(
            (served_site / "current" / "01" / facts["G"] / "index.jsonld").read_bytes()
        )


def test_served_linksets_are_valid_gs1_linksets(
    target: tuple[str, str], facts: dict[str, str]
) -> None:
    import jsonschema

    schema = json.loads(require_shared("digital-link/linkset/gs1-linkset-schema.json").read_bytes())
    _, url = target
    with httpx.Client(base_url=url, timeout=10) as client:
        for path in (f"/01/{facts['G']}", f"/01/{facts['G']}/10/LOT1"):
            linkset = client.get(path, headers={"Accept": "application/linkset+json"}).json()
            jsonschema.validate(linkset, schema)
            assert linkset["linkset"][0]["anchor"] == f"{facts['BASE']}/01/{facts['G']}"


def test_readme_host_table_is_generated_from_the_cases() -> None:
    """The host table of docs/reference/resolver.md (the name keeps gen_host_table's -k)."""
    page = (PROJECT_ROOT / "docs" / "reference" / "resolver.md").read_text("utf-8")
    start, end = "<!-- host-table:start -->\n", "<!-- host-table:end -->"
    assert start in page, "docs/reference/resolver.md lacks the host table's start marker"
    assert end in page, "docs/reference/resolver.md lacks the host table's end marker"
    block = page.split(start, 1)[1].split(end, 1)[0]
    assert block == host_table(), "run scripts/gen_host_table.py"
