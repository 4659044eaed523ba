"""A resolver server on a free 127.0.0.1 port, over a small hand-built site."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from gs1ld.catalog import parse_entry
from gs1ld.config import ExportConfig
from gs1ld.publish import Manifest, ManifestEntry, publish_entry
from gs1ld.server.app import ServerConfig, create_app
from support import RunningServer

BUILT_FOR = "https://id.brand.example"
SID = "2" * 22
GTIN = "09506000134352"
ENTRY = {
    "gtin": GTIN,
    "product": {"name": "Oat Milk", "language": "en"},
    "content": {
        "images": [],
        "ingredients": [{"id": SID, "name": "Oats", "is_major_allergen": True}],
        "certifications": [
            {
                "id": SID,
                "label": "EU Organic",
                "is_active": True,
                "verification_url": "https://registry.example/c/1",
            }
        ],
        "claims": [],
        "recalls": [],
    },
}


def write_site(root: Path) -> Path:
    """A minimal site as `gs1ld site build` lays it out (manifest, linkset, JSON-LD, page)."""
    publication = publish_entry(
        parse_entry(ENTRY), ExportConfig(base_url=BUILT_FOR, today=date(2026, 6, 1))
    )
    paths = publication.paths
    (root / paths.folder).mkdir(parents=True)
    (root / paths.linkset).write_text(json.dumps(publication.linkset()), encoding="utf-8")
    (root / paths.jsonld).write_text(
        json.dumps({"@id": publication.uri, "@type": "gs1:Product"}), encoding="utf-8"
    )
    (root / paths.page).write_text(
        "<!DOCTYPE html><title>Oat Milk</title>" + "x" * 600, encoding="utf-8"
    )
    (root / "index.html").write_text("<!DOCTYPE html><title>Index</title>", encoding="utf-8")
    manifest = Manifest.of(
        [ManifestEntry(GTIN, "h", "Oat Milk", "")],
        generator="gs1ld test",
        base_url=BUILT_FOR,
        today="2026-06-01",
        site_inputs="",
    )
    (root / "manifest.json").write_bytes(manifest.to_bytes())
    return root


def _serve(tmp_path: Path, config: ServerConfig) -> Iterator[httpx.Client]:
    site = write_site(tmp_path / "site")
    with (
        RunningServer(create_app(site, config=config)) as running,
        httpx.Client(base_url=running.url, follow_redirects=False, timeout=10) as client,
    ):
        yield client


@pytest.fixture
def client(tmp_path: Path) -> Iterator[httpx.Client]:
    """An HTTP client on a server whose --base-url is the one the site was built for."""
    yield from _serve(tmp_path, ServerConfig(base_url=BUILT_FOR))


@pytest.fixture
def proxied_client(tmp_path: Path) -> Iterator[httpx.Client]:
    """An HTTP client on a server that trusts X-Forwarded-* and has another base URL."""
    yield from _serve(tmp_path, ServerConfig(base_url="http://other.example", trust_proxy=True))


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """The minimal site of :func:`write_site` (product ``09506000134352``)."""
    return write_site(tmp_path / "site")


@pytest.fixture
def app(site: Path) -> Any:
    """The ASGI app over conftest's site, built for its own root."""
    return create_app(site, config=ServerConfig(base_url=BUILT_FOR))
