"""The manifest: a small root over partitions read one per lookup, or whole for small sites."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import orjson
import pytest

from gs1ld.errors import PublishError
from gs1ld.publish import (
    MANIFEST_FILE,
    Manifest,
    ManifestEntry,
    partition_depth,
    partition_key,
    partition_path,
    write_manifest,
)
from gs1ld.publish.manifest_writer import manifest_sort_key

HEAD = {"generator": "gs1ld test", "base_url": "https://x.example", "today": "2026-06-01"}


def _entries(count: int) -> list[ManifestEntry]:
    return [
        ManifestEntry(f"{n:014d}", f"h{n}", f"Name {n}", "", "2026-05-01", "p", (("pip", "u"),))
        for n in range(count)
    ]


def _write(site: Path, entries: list[ManifestEntry]) -> None:
    def write(relative: str, data: bytes) -> None:
        (site / relative).parent.mkdir(parents=True, exist_ok=True)
        (site / relative).write_bytes(data)

    ordered = sorted(entries, key=manifest_sort_key)
    root = write_manifest(ordered, len(entries), write, site_inputs="s", **HEAD)
    (site / MANIFEST_FILE).write_bytes(root)


def test_a_partitioned_manifest_answers_lookups_reading_only_the_partitions_asked(
    tmp_path: Path,
) -> None:
    entries = _entries(5000)
    _write(tmp_path, entries)
    read: list[str] = []

    def reader(relative: str) -> bytes:
        read.append(relative)
        return (tmp_path / relative).read_bytes()

    manifest = Manifest.read(tmp_path, reader=reader)
    assert read == [MANIFEST_FILE]
    assert manifest.count == 5000
    assert partition_depth(5000) == 1
    assert manifest.partition_prefixes() == [f"{d:x}" for d in range(16)]
    assert manifest.entry(entries[42].gtin) == entries[42]
    assert manifest.has(entries[42].gtin)
    assert not manifest.has("09506000134352")
    expected = {partition_path(partition_key(g)[:1]) for g in (entries[42].gtin, "09506000134352")}
    assert set(read[1:]) == expected  # one partition per GTIN looked up, each read once


def test_the_same_entries_give_the_same_build_id_and_another_entry_another(tmp_path: Path) -> None:
    entries = _entries(300)
    _write(tmp_path / "a", entries)
    _write(tmp_path / "b", list(reversed(entries)))
    changed = [*entries[:-1], ManifestEntry(entries[-1].gtin, "new", "n", "")]
    _write(tmp_path / "c", changed)
    ids = [Manifest.read(tmp_path / name).build_id for name in "abc"]
    assert ids[0] == ids[1] != ids[2]


def test_the_root_counts_the_rows_without_lastmod(tmp_path: Path) -> None:
    """A rebuild on a new day reads it rather than searching every partition; a root
    written before it was counted does not say, and a count that is none is refused."""
    entries = _entries(3000)
    for n in (7, 700, 2999):
        entries[n] = ManifestEntry(entries[n].gtin, "h", "Name", "")  # no lastmod
    _write(tmp_path, entries)
    assert Manifest.read(tmp_path).undated == 3
    root = orjson.loads((tmp_path / MANIFEST_FILE).read_bytes())
    del root["undated"]
    (tmp_path / MANIFEST_FILE).write_bytes(orjson.dumps(root))
    assert Manifest.read(tmp_path).undated is None
    for bad in (-1, "3", 1.5, True):
        (tmp_path / MANIFEST_FILE).write_bytes(orjson.dumps({**root, "undated": bad}))
        with pytest.raises(PublishError, match="undated"):
            Manifest.read(tmp_path)


def test_a_small_manifest_round_trips_whole(tmp_path: Path) -> None:
    entries = _entries(3)
    manifest = Manifest.of(entries, site_inputs="s", **HEAD)
    again = Manifest.from_bytes(manifest.to_bytes())
    assert list(again.entries()) == entries
    assert again.build_id == manifest.build_id
    assert not again.partitioned


def test_a_broken_partition_is_a_publish_error_naming_it(tmp_path: Path) -> None:
    entries = _entries(3000)
    _write(tmp_path, entries)
    prefix = partition_key(entries[0].gtin)[:1]
    (tmp_path / partition_path(prefix)).write_bytes(b"not a manifest line\n")
    manifest = Manifest.read(tmp_path)
    with pytest.raises(PublishError, match=rf"manifest/{prefix}\.jsonl is not a gs1ld manifest"):
        manifest.has(entries[0].gtin)


def test_every_entry_is_found_by_bisection_and_no_other(tmp_path: Path) -> None:
    entries = _entries(5000)[::2]  # the odd GTINs lie between them
    _write(tmp_path, entries)
    manifest = Manifest.read(tmp_path)
    assert all(manifest.entry(e.gtin) == e for e in entries)
    assert not any(manifest.has(f"{n:014d}") for n in range(1, 5000, 2))
    assert not manifest.has("99999999999999")  # past the last line of its partition
    depth = partition_depth(len(entries))
    assert list(manifest.entries()) == sorted(
        entries, key=lambda e: (partition_key(e.gtin)[:depth], e.gtin)
    )


def test_a_partition_out_of_gtin_order_is_read_in_order(tmp_path: Path) -> None:
    entries = _entries(3000)
    _write(tmp_path, entries)
    prefix = partition_key(entries[0].gtin)[:1]
    path = tmp_path / partition_path(prefix)
    lines = path.read_bytes().splitlines()
    path.write_bytes(b"\n".join(reversed(lines)) + b"\n")  # as another tool might write it
    manifest = Manifest.read(tmp_path)
    mine = [e for e in entries if partition_key(e.gtin)[:1] == prefix]
    assert manifest.partition(prefix) == mine
    assert all(manifest.entry(e.gtin) == e for e in mine)


def _one_partition(tmp_path: Path, rewrite: Callable[[list[bytes]], bytes]) -> list[ManifestEntry]:
    """Write a manifest, rewrite the lines of its first GTIN's partition; return its entries."""
    entries = _entries(3000)
    _write(tmp_path, entries)
    prefix = partition_key(entries[0].gtin)[:1]
    path = tmp_path / partition_path(prefix)
    path.write_bytes(rewrite(path.read_bytes().splitlines()))
    return [e for e in entries if partition_key(e.gtin)[:1] == prefix]


@pytest.mark.parametrize(
    "rewrite",
    [
        pytest.param(lambda lines: b"\n".join(lines), id="no newline at the end"),
        pytest.param(lambda lines: b"\r\n".join(lines) + b"\r\n", id="CRLF"),
        pytest.param(lambda lines: b"\r".join(lines) + b"\r", id="CR"),
        pytest.param(lambda lines: b"\n".join(lines[::-1]) + b"\n", id="reversed"),
    ],
)
def test_every_line_is_found_however_another_tool_ended_or_ordered_them(
    tmp_path: Path, rewrite: Callable[[list[bytes]], bytes]
) -> None:
    mine = _one_partition(tmp_path, rewrite)
    manifest = Manifest.read(tmp_path)
    assert all(manifest.entry(e.gtin) == e for e in mine)
    prefix = partition_key(mine[0].gtin)[:1]
    absent = (f"{n:014d}" for n in range(3000, 10**6))
    assert not manifest.has(next(g for g in absent if partition_key(g)[:1] == prefix))
    assert manifest.partition(prefix) == mine


@pytest.mark.parametrize("searched_first", [0, 10])
def test_only_a_gtin_14_finds_a_line(tmp_path: Path, searched_first: int) -> None:
    """A key that merely begins a line (a URL's path segment ``…","hash``) or is not
    ASCII finds nothing, whether the partition is searched or already split."""
    entries = _entries(3000)
    _write(tmp_path, entries)
    manifest = Manifest.read(tmp_path)
    for entry in entries[:searched_first]:  # enough lookups to have partitions split
        assert manifest.entry(entry.gtin) == entry
    gtin = entries[2997].gtin
    for key in (f'{gtin}","hash', gtin[:13], f'{gtin}"', "0000000000299\u0667", f"{gtin}0"):
        assert not manifest.has(key)
        assert manifest.entry(key) is None
    assert manifest.entry(gtin) == entries[2997]


def test_the_last_line_of_a_gtin_stands_when_it_has_more(tmp_path: Path) -> None:
    first, last = b'"name":"Name ', b'"name":"Renamed '
    mine = _one_partition(
        tmp_path, lambda lines: b"\n".join([*lines, *(x.replace(first, last) for x in lines)])
    )
    manifest = Manifest.read(tmp_path)
    renamed = [replace(e, name=e.name.replace("Name", "Renamed")) for e in mine]
    assert [manifest.entry(e.gtin) for e in mine] == renamed
    assert manifest.partition(partition_key(mine[0].gtin)[:1]) == renamed


@pytest.mark.parametrize(
    "rewrite",
    [
        pytest.param(lambda lines: b"\n".join([*lines[:5], b"", *lines[5:]]), id="an empty line"),
        pytest.param(lambda lines: b"\n".join([*lines, b"[]"]), id="last, unended"),
        pytest.param(lambda lines: b"\n".join([b" " + lines[0], *lines[1:]]), id="first"),
        pytest.param(lambda lines: b"\r\n".join([*lines, b"{}"]), id="CRLF"),
    ],
)
def test_a_bad_line_anywhere_is_a_publish_error(
    tmp_path: Path, rewrite: Callable[[list[bytes]], bytes]
) -> None:
    mine = _one_partition(tmp_path, rewrite)
    with pytest.raises(PublishError, match="is not a gs1ld manifest partition"):
        Manifest.read(tmp_path).has(mine[-1].gtin)


@pytest.mark.parametrize(
    "line", [b'{"gtin":"0950600013435","hash":""}', b'{"gtin": "09506000134352"}', b"[]"]
)
def test_a_line_without_a_gtin_14_first_is_a_publish_error(tmp_path: Path, line: bytes) -> None:
    entries = _entries(3000)
    _write(tmp_path, entries)
    prefix = partition_key(entries[0].gtin)[:1]
    path = tmp_path / partition_path(prefix)
    path.write_bytes(path.read_bytes() + line + b"\n")
    with pytest.raises(PublishError, match="is not a gs1ld manifest partition"):
        Manifest.read(tmp_path).has(entries[0].gtin)
