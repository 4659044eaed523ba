"""The record of a build's lines: the next build's record is this one's with the lines not
passed over dropped and the staged ones put in, whatever they are."""

from __future__ import annotations

import struct
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gs1ld.site import folder as folder_module
from gs1ld.site.folder import (
    SOURCES_FILE,
    SourceRecord,
    read_sources,
    record_body,
    sources_beside,
    write_sources,
)

TODAY = date(2026, 6, 1)
DAY = TODAY.toordinal()


def _note(digest: int, first: int, last: int) -> bytes:
    return struct.pack(">16sII", digest.to_bytes(16, "big"), first, last)


_GTINS = st.integers(0, 60).map(lambda n: f"{n:014d}")
_WINDOWS = st.sampled_from([(DAY, DAY), (DAY - 5, DAY + 5), (DAY + 1, DAY + 9), (0, DAY - 1)])


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(_GTINS, st.tuples(st.integers(0, 2**64 - 1), _WINDOWS), max_size=40),
    st.data(),
)
def test_the_next_body_is_the_kept_entries_and_the_staged_ones_in_gtin_order(
    old: dict[str, tuple[int, tuple[int, int]]], data: st.DataObject
) -> None:
    # a line holds its GTIN: two products never share a line's digest
    entries = {g: _note(int(g) << 64 | digest, *window) for g, (digest, window) in old.items()}
    record = SourceRecord(b"".join(record_body(sorted(entries.items()))), TODAY)
    in_window = set(record.lines.values())
    assert in_window == {g for g, (_, (first, last)) in old.items() if first <= DAY <= last}
    # the lines not passed over: some in the window (changed or gone); the rest were passed
    not_passed = data.draw(st.sets(st.sampled_from(sorted(in_window)))) if in_window else set()
    passed = in_window - not_passed
    staged = data.draw(  # read again (some of those not passed over) or new
        st.dictionaries(
            _GTINS.filter(lambda g: g not in passed),
            st.integers(0, 2**64).map(lambda d: _note(d, DAY, DAY)),
            max_size=10,
        )
    )
    expected = sorted({**{g: entries[g] for g in passed}, **staged}.items())
    body = b"".join(record.next_body(not_passed, sorted(staged.items())))
    assert body == b"".join(record_body(expected))


def test_a_staged_entry_replaces_an_old_one_of_its_gtin_even_if_not_dropped() -> None:
    old = [("00000000000001", _note(1, DAY, DAY)), ("00000000000002", _note(2, DAY, DAY))]
    record = SourceRecord(b"".join(record_body(old)), TODAY)
    new = ("00000000000002", _note(9, DAY, DAY))
    assert b"".join(record.next_body([], [new])) == b"".join(record_body([old[0], new]))


def _record_of(gtin: str) -> bytes:
    return b"".join(record_body([(gtin, _note(1, DAY, DAY))]))


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    """A shared products folder holding the record of the build "old"."""
    folder = tmp_path / "shared"
    folder.mkdir()
    write_sources(folder, "old", [_record_of("00000000000001")])
    return folder


def test_a_record_written_beside_publishing_is_in_place_only_after_it(shared: Path) -> None:
    """The record is written while the build publishes, and replaces the current one only
    when publishing ends well: until then a rebuild would read the current build's."""
    with sources_beside(shared, "new", iter([_record_of("00000000000002")])):
        assert read_sources(shared, "old", TODAY) is not None  # not replaced yet
        assert read_sources(shared, "new", TODAY) is None
    record = read_sources(shared, "new", TODAY)
    assert record is not None
    assert set(record.lines.values()) == {"00000000000002"}
    assert [p.name for p in shared.iterdir()] == [SOURCES_FILE]


def test_a_failed_publishing_keeps_the_current_record_and_leaves_no_temporary_file(
    shared: Path,
) -> None:
    with (
        pytest.raises(OSError, match="disk full"),
        sources_beside(shared, "new", iter([_record_of("00000000000002")])),
    ):
        raise OSError("disk full")
    assert read_sources(shared, "old", TODAY) is not None
    assert [p.name for p in shared.iterdir()] == [SOURCES_FILE]


def test_a_record_that_cannot_be_written_fails_the_build_after_its_commit(shared: Path) -> None:
    """The body fails while publishing goes on: the block's work stands, the error is raised
    at its end, and the current record stays (bound to the old build: never trusted again)."""

    def failing() -> Iterator[bytes]:
        yield _record_of("00000000000002")
        raise OSError("no space left")

    published = []
    with pytest.raises(OSError, match="no space left"), sources_beside(shared, "new", failing()):
        published.append(True)
    assert published == [True]
    assert read_sources(shared, "old", TODAY) is not None
    assert [p.name for p in shared.iterdir()] == [SOURCES_FILE]


def test_no_body_removes_the_record_and_a_first_build_makes_the_folder(
    shared: Path, tmp_path: Path
) -> None:
    with sources_beside(shared, "new", None):
        assert (shared / SOURCES_FILE).exists()
    assert not (shared / SOURCES_FILE).exists()
    first = tmp_path / "first" / "shared"  # a first build: nothing there yet
    with sources_beside(first, "one", iter([_record_of("00000000000003")])):
        pass
    assert read_sources(first, "one", TODAY) is not None


def test_the_record_is_written_while_the_block_runs(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    started = threading.Event()

    def body() -> Iterator[bytes]:
        started.set()
        yield _record_of("00000000000002")

    with sources_beside(shared, "new", body()):
        assert started.wait(timeout=60)  # asked for before the block ends
        assert not (shared / SOURCES_FILE).exists()
    assert read_sources(shared, "new", TODAY) is not None


_CAP = 1_000_000
"""Pieces a test's endless body gives at most (38 MB): far more than any stop lets through."""


def test_a_failed_block_stops_the_writing_and_its_error_is_the_one_raised(shared: Path) -> None:
    """The build failed: the writer asks for no more of the record (an endless one here)
    and the block's error is raised, not one of the writer's."""
    started = threading.Event()
    given = 0

    def endless() -> Iterator[bytes]:
        nonlocal given
        for _ in range(_CAP):
            given += 1
            started.set()
            yield _record_of("00000000000002")
        raise ValueError("the writer's own failure")

    def fail_once_writing() -> None:
        assert started.wait(timeout=60)
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"), sources_beside(shared, "new", endless()):
        fail_once_writing()
    assert given < _CAP
    assert read_sources(shared, "old", TODAY) is not None
    assert [p.name for p in shared.iterdir()] == [SOURCES_FILE]


def test_a_stopped_writer_asks_for_no_more_and_leaves_no_file(tmp_path: Path) -> None:
    stop = threading.Event()
    stop.set()
    given = []

    def body() -> Iterator[bytes]:
        for n in range(5):
            given.append(n)
            yield _record_of(f"{n:014d}")

    assert folder_module._record_unless_stopped(tmp_path, "new", body(), stop) is None
    assert given == [0]  # the first piece, then the stop is seen
    assert list(tmp_path.iterdir()) == []


def test_without_a_body_a_failed_block_keeps_the_record(shared: Path) -> None:
    with pytest.raises(OSError, match="disk full"), sources_beside(shared, "new", None):
        raise OSError("disk full")
    assert read_sources(shared, "old", TODAY) is not None
