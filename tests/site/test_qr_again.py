"""A product rendered again takes its QR code from the live site, when that can be trusted.

Encoding a QR code is about a fifth of rendering a product, and a changed product's
Digital Link URI (so its QR code) is most often the one it had.  A rebuild takes the
live site's QR code of each product it renders again, when the same version of gs1ld
made the site (its manifest says so) and no dead build left products pending; and
only a QR code whose frame and title are the ones it would write for the product's
URI.  Whatever it took, the site is byte for byte a fresh build's.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pytest

from gs1ld.config import UNLIMITED_REMOVALS, ExportConfig, SiteConfig
from gs1ld.pages import qr as qr_module
from gs1ld.site import build as build_module
from gs1ld.site.build import build_site
from gs1ld.testing import synthetic_catalog
from support import tree_bytes

CONFIG = SiteConfig(
    ExportConfig(base_url="https://id.brand.example", today=date(2026, 6, 1)),
    validate=False,
    max_removals=UNLIMITED_REMOVALS,
    workers=1,  # rendered in this process, where the encoder's calls are counted
)
COUNT = 6


def _catalog(path: Path, *, changed: int = 0) -> Path:
    """``COUNT`` synthetic products, the first ``changed`` with a new recipe."""
    with path.open("wb") as out:
        for index, entry in enumerate(synthetic_catalog(COUNT, seed=11)):
            if index < changed:
                entry["product"]["description"] += " New recipe."
            out.write(orjson.dumps(entry, option=orjson.OPT_APPEND_NEWLINE))
    return path


@pytest.fixture
def encodes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The URIs the QR encoder is called for, from now on."""
    calls: list[str] = []
    encode: Callable[[str], Any] = qr_module.qr_rows

    def counted(uri: str) -> Any:
        calls.append(uri)
        return encode(uri)

    monkeypatch.setattr(qr_module, "qr_rows", counted)
    return calls


def _fresh(tmp_path: Path, catalog: Path, config: SiteConfig) -> dict[str, bytes]:
    site = tmp_path / "fresh"
    build_site(catalog, site, config=config)
    return tree_bytes(site)


def test_a_changed_product_takes_its_qr_code_again(tmp_path: Path, encodes: list[str]) -> None:
    site = tmp_path / "site"
    build_site(_catalog(tmp_path / "a.jsonl"), site, config=CONFIG)
    assert len(encodes) == COUNT
    encodes.clear()

    changed = _catalog(tmp_path / "b.jsonl", changed=2)
    report = build_site(changed, site, config=CONFIG)

    assert report.built == 2
    assert encodes == []
    assert tree_bytes(site) == _fresh(tmp_path, changed, CONFIG)


def test_a_site_another_version_made_has_every_qr_code_encoded_again(
    tmp_path: Path, encodes: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    with monkeypatch.context() as older:
        older.setattr(build_module, "VERSION", "0.0.1")
        build_site(_catalog(tmp_path / "a.jsonl"), site, config=CONFIG)
    encodes.clear()

    changed = _catalog(tmp_path / "b.jsonl", changed=2)
    report = build_site(changed, site, config=CONFIG)

    assert report.built == COUNT  # the tool is part of every input hash
    assert len(encodes) == COUNT
    assert tree_bytes(site) == _fresh(tmp_path, changed, CONFIG)


def test_a_new_base_url_gives_new_qr_codes(tmp_path: Path, encodes: list[str]) -> None:
    site = tmp_path / "site"
    catalog = _catalog(tmp_path / "a.jsonl")
    build_site(catalog, site, config=CONFIG)
    encodes.clear()

    moved = replace(CONFIG, export=replace(CONFIG.export, base_url="https://id.other.example"))
    build_site(catalog, site, config=moved)

    assert len(encodes) == COUNT
    assert all(uri.startswith("https://id.other.example/01/") for uri in encodes)
    qr_codes = [data for path, data in tree_bytes(site).items() if path.endswith("/qr.svg")]
    assert len(qr_codes) == COUNT
    assert all(b"QR code for https://id.other.example/01/" in data for data in qr_codes)
    assert tree_bytes(site) == _fresh(tmp_path, catalog, moved)


def test_products_a_dead_build_left_pending_have_their_qr_codes_encoded_again(
    tmp_path: Path, encodes: list[str]
) -> None:
    """A dead build's product links may name versions another gs1ld made."""
    site = tmp_path / "site"
    build_site(_catalog(tmp_path / "a.jsonl"), site, config=CONFIG)
    gtin = next((site / ".gs1ld-products" / "01").iterdir()).name
    (site / ".gs1ld-products" / "pending.json").write_text(json.dumps({"gtins": [gtin]}))
    encodes.clear()

    changed = _catalog(tmp_path / "b.jsonl", changed=2)
    build_site(changed, site, config=CONFIG)

    assert len(encodes) >= 2
    assert tree_bytes(site) == _fresh(tmp_path, changed, CONFIG)
