"""Progress bars render on a terminal, with and without a known total."""

from __future__ import annotations

import pytest

from gs1ld.cli._output import progress_over


@pytest.mark.parametrize("total", [None, 50])
def test_progress_bar_renders_every_item(total: int | None) -> None:
    assert list(progress_over(range(50), "Working", total=total, enabled=True)) == list(range(50))


def test_no_bar_when_not_a_terminal() -> None:
    assert list(progress_over(iter("abc"), "Working", enabled=False)) == ["a", "b", "c"]
