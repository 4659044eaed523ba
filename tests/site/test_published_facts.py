"""Every published fact has one owner: the page, the JSON-LD and the linkset agree.

Built from the example catalog as a user would build it, then read back as a
browser and a linked-data client would read it.
"""

from __future__ import annotations

import json
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from gs1ld.config import ExportConfig, SiteConfig
from gs1ld.site.build import build_site
from support import EXAMPLE_CATALOG

BASE = "https://id.brand.example"
DAY = date(2026, 6, 1)
_BADGE = re.compile(r'<h3><span[^>]*>(.*?)</span> <span class="badge (\w+)"')
_SAYS_ACTIVE = {"active": True, "unverified": True, "inactive": False, "expired": False}


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.jsonld = ""
        self._in_jsonld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        self._in_jsonld = tag == "script" and found.get("id") == "gs1-jsonld"

    def handle_data(self, data: str) -> None:
        if self._in_jsonld:
            self.jsonld += data

    def handle_endtag(self, tag: str) -> None:
        self._in_jsonld = False


def _build(tmp_path: Path, mappings: Path | None = None) -> Path:
    site = tmp_path / "site"
    export = ExportConfig(base_url=BASE, today=DAY, mappings_dir=mappings)
    report = build_site(EXAMPLE_CATALOG, site, config=SiteConfig(export, validate=False))
    assert report.invalid == []
    return site / "current"


def _pages(site: Path) -> list[Path]:
    return sorted(site.glob("01/*/index.html"))


def _as_list(value: object) -> list[dict[str, object]]:
    return value if isinstance(value, list) else [value]  # type: ignore[list-item]


def _statuses(document: dict[str, object]) -> dict[str, bool]:
    """Certificate label -> whether the JSON-LD declares it ACTIVE."""
    out = {}
    for cert in _as_list(document.get("gs1:certification", [])):
        label = cert["gs1:certificationStandard"]["@value"]  # type: ignore[index]
        status = cert.get("gs1:certificationStatus", {}).get("@id")  # type: ignore[attr-defined]
        out[str(label)] = status == "gs1:CertificationStatus-ACTIVE"
    return out


def _badges(site: Path) -> dict[tuple[str, str], str]:
    badges = {}
    for page in _pages(site):
        html = page.read_text("utf-8")
        for label, badge in _BADGE.findall(html):
            badges[(page.parent.name, label)] = badge
    return badges


def test_every_badge_agrees_with_the_jsonld_under_an_overridden_status_table(
    tmp_path: Path,
) -> None:
    mappings = tmp_path / "mappings"
    mappings.mkdir()
    (mappings / "certification-status.toml").write_text(
        '[verification_status]\nunverified = "INACTIVE"\n', encoding="utf-8"
    )
    default = _badges(_build(tmp_path / "default"))
    site = _build(tmp_path / "override", mappings)
    overridden = _badges(site)
    changed = {key for key in default if default[key] != overridden[key]}
    assert changed, "the examples have an unverified certificate in effect: its badge must change"
    assert {overridden[key] for key in changed} == {"inactive"}
    checked = 0
    for page in _pages(site):
        parsed = _Ids()
        parsed.feed(page.read_text("utf-8"))
        statuses = _statuses(json.loads(parsed.jsonld))
        for label, active in statuses.items():
            badge = overridden[(page.parent.name, label)]
            assert _SAYS_ACTIVE[badge] is active, (page.parent.name, label, badge)
            checked += 1
    assert checked == len(overridden)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("facts"))


def _targets(value: object) -> list[str]:
    """Every IRI a JSON document points at (``href`` and ``@id`` values)."""
    if isinstance(value, dict):
        found = [v for k, v in value.items() if k in ("href", "@id") and isinstance(v, str)]
        return found + [t for v in value.values() for t in _targets(v)]
    if isinstance(value, list):
        return [t for v in value for t in _targets(v)]
    return []


def test_every_fragment_a_linkset_or_jsonld_points_at_exists_on_the_page(built: Path) -> None:
    seen = 0
    for page in _pages(built):
        parsed = _Ids()
        parsed.feed(page.read_text("utf-8"))
        url = f"{BASE}/{page.relative_to(built).as_posix()}"
        linkset = json.loads((page.parent / "linkset.json").read_text("utf-8"))
        jsonld = json.loads((page.parent / "index.jsonld").read_text("utf-8"))
        for target in _targets(linkset) + _targets(jsonld):
            if target.startswith(url + "#"):
                fragment = target.split("#", 1)[1]
                assert fragment in parsed.ids, f"{target} has no element on the page"
                seen += 1
    assert seen > 20  # allergens, ingredients, nutrition, recalls… across the examples
