"""One shard of the host link maps spliced from the current build's (mapped, not read):
the changed products' blocks and lines replaced where they are, the rest kept as bytes."""

from __future__ import annotations

import errno
from collections.abc import Iterable
from pathlib import Path

import pytest

from gs1ld.hosts.apache import APACHE_MAP_DIR, apache_map_lines
from gs1ld.hosts.link_map import LINK_MAP_DIR, link_map_lines
from gs1ld.publish import ManifestEntry
from gs1ld.site import sitewide

GTINS = ["09506000134352", "09506000134369", "09506000134376", "09506000134383"]


def _entry(gtin: str, *links: tuple[str, str]) -> ManifestEntry:
    return ManifestEntry(gtin, "d", "n", "b", links=links)


def _page(gtin: str) -> tuple[str, str]:
    return ("gs1:pip", f"https://id.brand.example/01/{gtin}/index.html")


def _write_shard(folder: Path, entries: Iterable[ManifestEntry]) -> tuple[bytes, bytes]:
    """Write shard 00001 of both maps into ``folder`` as a build writes them; their bytes."""
    entries = list(entries)
    nginx = b"".join(link_map_lines(e.gtin, e.links) for e in entries)
    apache = b"".join(
        line for e in entries for line in apache_map_lines((e.gtin, r, h) for r, h in e.links)
    )
    for sub, name, data in (
        (LINK_MAP_DIR, "00001.map", nginx),
        (APACHE_MAP_DIR, "00001.txt", apache),
    ):
        (folder / sub).mkdir(parents=True, exist_ok=True)
        (folder / sub / name).write_bytes(data)
    return nginx, apache


def _before(gtin: str) -> ManifestEntry:
    """A product's row in the live shard: its page and one certificate."""
    return _entry(gtin, _page(gtin), ("gs1:certificationInfo", f"https://c.example/{gtin}"))


@pytest.fixture
def live(tmp_path: Path) -> Path:
    folder = tmp_path / "live"
    _write_shard(folder, [_before(gtin) for gtin in GTINS])
    return folder


@pytest.fixture
def staging(tmp_path: Path) -> Path:
    """A staged build's (empty) folders of both maps."""
    folder = tmp_path / "staging"
    for sub in (LINK_MAP_DIR, APACHE_MAP_DIR):
        (folder / sub).mkdir(parents=True)
    return folder


def _after(changed: str) -> list[ManifestEntry]:
    """The new rows of the shard's products (every product had two links before): one
    losing a link and one whose target moved ("fewer"), one gaining two ("more"), or
    all three ("mixed")."""
    rows = {gtin: _before(gtin) for gtin in GTINS}
    if changed in ("fewer", "mixed"):
        rows[GTINS[0]] = _entry(GTINS[0], _page(GTINS[0]))
        rows[GTINS[3]] = _entry(
            GTINS[3],
            ("gs1:pip", "https://elsewhere.example/p"),
            ("gs1:certificationInfo", f"https://c.example/{GTINS[3]}"),
        )
    if changed in ("more", "mixed"):
        rows[GTINS[2]] = _entry(
            GTINS[2],
            _page(GTINS[2]),
            ("gs1:certificationInfo", "https://c.example/new"),
            ("gs1:recipeInfo", "https://r.example/$x y"),
            ("gs1:recipeInfo+", "https://r.example/2"),
        )
    return [rows[gtin] for gtin in GTINS]


@pytest.mark.parametrize(("changed", "total"), [("fewer", 7), ("more", 10), ("mixed", 9)])
@pytest.mark.parametrize("count", [False, True], ids=["told", "counted"])
def test_changed_blocks_are_replaced_where_they_are(
    live: Path, staging: Path, tmp_path: Path, count: bool, changed: str, total: int
) -> None:
    """The staged shard is the one a full build writes from the new rows (the first, a
    middle and the last product changed), and the entries counted are the new shard's."""
    after = _after(changed)
    nginx, apache = _write_shard(tmp_path / "expected", after)
    moved = [entry for entry in after if entry.links != _before(entry.gtin).links]

    entries = sitewide._splice_shard(live, staging, "00001.map", moved, count=count)

    assert (staging / LINK_MAP_DIR / "00001.map").read_bytes() == nginx
    assert (staging / APACHE_MAP_DIR / "00001.txt").read_bytes() == apache
    assert apache.count(b"\n") == total
    assert entries == (total if count else 0)


def test_a_product_not_in_the_shard_declines_the_splice(live: Path, staging: Path) -> None:
    stranger = _entry("09506000134390", _page("09506000134390"))
    with pytest.raises(sitewide._SpliceError):
        sitewide._splice_shard(live, staging, "00001.map", [stranger], count=False)


def test_a_failed_write_raises_its_own_error(
    live: Path, staging: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk half-way through a shard is the error the splice gives (the caller then
    writes the maps whole), not one about the mapping still in use by the error's views."""

    def full_disk(path: str, pieces: Iterable[bytes | memoryview]) -> None:
        held = list(pieces)  # (the views stay referenced by the traceback)
        raise OSError(errno.ENOSPC, f"No space left on device ({len(held)} pieces)", path)

    monkeypatch.setattr(sitewide, "write_pieces", full_disk)
    changed = [_entry(GTINS[1], _page(GTINS[1]))]
    with pytest.raises(OSError, match="No space left") as raised:
        sitewide._splice_shard(live, staging, "00001.map", changed, count=False)
    assert raised.value.errno == errno.ENOSPC
