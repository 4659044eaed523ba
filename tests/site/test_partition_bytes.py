"""A manifest partition's changed lines are replaced as bytes, the others never split.

Whatever lines are replaced (the first, the last, neighbours, all of them), the bytes
are those of splitting the partition into lines, replacing them and joining them
again; a GTIN without a line (a product that goes in) makes the byte splice decline,
and a line whose text quotes another GTIN is never taken for that GTIN's line.
"""

from __future__ import annotations

import random

import orjson
import pytest

from gs1ld.publish import ManifestEntry
from gs1ld.site import sitewide as sitewide_module


def _row(gtin: str, name: str = "Milk") -> bytes:
    entry = ManifestEntry(gtin, f"d-{name}", name, "Acme", lastmod="2026-06-01")
    return orjson.dumps(entry.to_row())


def _gtins(count: int, seed: int) -> list[str]:
    chosen = random.Random(seed).sample(range(10**13), count)
    return sorted(f"{number:014d}" for number in chosen)


def _joined(lines: list[bytes]) -> bytes:
    return b"".join(line + b"\n" for line in lines)


@pytest.mark.parametrize("seed", range(40))
def test_replacing_lines_as_bytes_is_splitting_replacing_and_joining(seed: int) -> None:
    chance = random.Random(seed)
    gtins = _gtins(chance.randint(1, 30), seed)
    lines = [_row(gtin) for gtin in gtins]
    # any lines, the first and the last among them, neighbours or all
    picked = chance.sample(range(len(gtins)), chance.randint(0, len(gtins)))
    added = [_row(gtins[at], f"New {seed}") for at in picked]
    chance.shuffle(added)  # (rows come in partition-hash order, not GTIN order)
    result = sitewide_module._replaced(_joined(lines), added)
    assert result is not None
    expected = list(lines)
    for at in picked:
        expected[at] = _row(gtins[at], f"New {seed}")
    assert result == (_joined(expected), [lines[at] for at in sorted(picked)])


def test_a_gtin_without_a_line_declines() -> None:
    gtins = _gtins(5, 1)
    data = _joined([_row(gtin) for gtin in gtins[:4]])
    assert sitewide_module._replaced(data, [_row(gtins[4])]) is None
    assert sitewide_module._replaced(data, [_row(gtins[0], "New"), _row(gtins[4])]) is None


def test_another_line_quoting_a_gtin_is_not_its_line() -> None:
    first, second = _gtins(2, 2)
    quoting = _row(first, f'{{"gtin":"{second}"')  # escaped in the JSON text: no match
    data = _joined([quoting, _row(second)])
    result = sitewide_module._replaced(data, [_row(second, "New")])
    assert result == (_joined([quoting, _row(second, "New")]), [_row(second)])
    assert sitewide_module._replaced(_joined([quoting]), [_row(second, "New")]) is None
