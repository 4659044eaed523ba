"""The record of a build's lines: the next build's record is this one's with the lines not
passed over dropped and the staged ones put in, whatever they are."""

from __future__ import annotations

import struct
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from gs1ld.site.folder import SourceRecord, record_body

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
