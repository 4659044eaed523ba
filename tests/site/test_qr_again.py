"""A product rendered again takes its QR code from the live site, when that can be trusted.

Encoding a QR code is about a fifth of rendering a product, and a changed product's
Digital Link URI (so its QR code) is most often the one it had.  A rebuild takes the
live site's QR code of each product it renders again when this version of gs1ld wrote
it (each QR code carries the version that wrote it in an extended attribute), and
only a QR code whose frame and title are the ones it would write for the product's
URI.  Whatever it took, the site is byte for byte a fresh build's.
"""

from __future__ import annotations

import os
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
from gs1ld.site.stage import earlier_qr
from gs1ld.testing import synthetic_catalog
from support import tree_bytes

CONFIG = SiteConfig(
    ExportConfig(base_url="https://id.brand.example", today=date(2026, 6, 1)),
    validate=False,
    max_removals=UNLIMITED_REMOVALS,
    workers=1,  # rendered in this process, where the encoder's calls are counted
)
COUNT = 6


def _catalog(path: Path, *, changed: int = 0, broken: int = -1) -> Path:
    """``COUNT`` synthetic products, the first ``changed`` with a new recipe, the one at
    ``broken`` invalid (its product no object)."""
    with path.open("wb") as out:
        for index, entry in enumerate(synthetic_catalog(COUNT, seed=11)):
            if index < changed:
                entry["product"]["description"] += " New recipe."
            if index == broken:
                entry["product"] = "broken"
            out.write(orjson.dumps(entry, option=orjson.OPT_APPEND_NEWLINE))
    return path


def _has_extended_attributes(folder: Path) -> bool:
    probe = folder / "probe"
    probe.write_bytes(b"")
    try:
        os.setxattr(probe, "user.gs1ld.probe", b"1")
    except (AttributeError, OSError):
        return False
    finally:
        probe.unlink()
    return True


@pytest.fixture(autouse=True)
def extended_attributes(tmp_path: Path) -> None:
    if not _has_extended_attributes(tmp_path):
        pytest.skip("the temporary folder's file system keeps no extended attributes")


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


def test_a_product_an_older_gs1ld_made_and_a_later_build_kept_is_encoded_again(
    tmp_path: Path, encodes: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The site's manifest names this version, but a product kept (its update invalid)
    through the upgrade still has the files the older version wrote."""
    site = tmp_path / "site"
    with monkeypatch.context() as older:
        older.setattr(build_module, "VERSION", "0.0.1")
        build_site(_catalog(tmp_path / "a.jsonl"), site, config=CONFIG)
    report = build_site(_catalog(tmp_path / "b.jsonl", broken=0), site, config=CONFIG)
    assert report.built == COUNT - 1  # the first kept as it was
    assert [invalid.kept_previous for invalid in report.invalid] == [True]
    encodes.clear()

    fixed = _catalog(tmp_path / "c.jsonl", changed=2)
    build_site(fixed, site, config=CONFIG)

    first = next(iter(synthetic_catalog(1, seed=11)))["gtin"]
    assert [uri for uri in encodes if first in uri] != []
    assert tree_bytes(site) == _fresh(tmp_path, fixed, CONFIG)


def test_a_qr_code_without_its_mark_is_encoded_again(tmp_path: Path, encodes: list[str]) -> None:
    site = tmp_path / "site"
    build_site(_catalog(tmp_path / "a.jsonl"), site, config=CONFIG)
    for qr in (site / "current" / "01").glob("*/qr.svg"):
        os.removexattr(qr, "user.gs1ld.qr")
    encodes.clear()

    changed = _catalog(tmp_path / "b.jsonl", changed=2)
    build_site(changed, site, config=CONFIG)

    assert len(encodes) == 2
    assert tree_bytes(site) == _fresh(tmp_path, changed, CONFIG)


def test_only_a_regular_file_is_read_and_no_read_waits(tmp_path: Path) -> None:
    fifo = tmp_path / "qr.svg"
    os.mkfifo(fifo)
    assert earlier_qr(str(fifo), "1.0") is None  # (a blocking read would hang here)
    assert earlier_qr(str(tmp_path / "missing.svg"), "1.0") is None
    (tmp_path / "folder.svg").mkdir()
    assert earlier_qr(str(tmp_path / "folder.svg"), "1.0") is None


def test_a_dask_build_takes_qr_codes_again_too(tmp_path: Path, dask_client: Any) -> None:
    """The cluster's workers see the live site (they carry unchanged products over from
    it), so they take a changed product's QR code from it as the in-process build does:
    a QR code made different on the live site, its mark kept, comes back as it is."""
    site = tmp_path / "site"
    build_site(_catalog(tmp_path / "a.jsonl"), site, config=CONFIG, client=dask_client)
    first = next(iter(synthetic_catalog(1, seed=11)))["gtin"]
    live = site / "current" / "01" / first / "qr.svg"
    planted = live.read_bytes().replace(b'"/></svg>', b'h1"/></svg>')  # still a path it writes
    with live.open("r+b") as qr:  # written over: the file keeps its mark
        qr.write(planted)

    report = build_site(
        _catalog(tmp_path / "b.jsonl", changed=1), site, config=CONFIG, client=dask_client
    )

    assert report.built == 1
    assert live.read_bytes() == planted
