"""Bounded, in-order fan-out: results in input order, never more than ``ahead`` in flight."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from gs1ld._fanout import ordered_results


class _Recording:
    """An executor that runs nothing until asked for a result, and counts what is pending."""

    def __init__(self) -> None:
        self.pending = 0
        self.most = 0
        self.options: list[dict[str, Any]] = []

    def submit(self, function: Callable[..., Any], *args: Any, **options: Any) -> Any:
        self.pending += 1
        self.most = max(self.most, self.pending)
        self.options.append(options)
        outer = self

        class _Lazy:
            released = False

            def result(self) -> Any:
                outer.pending -= 1
                return function(*args)

            def cancel(self) -> bool:
                return True

            def release(self) -> None:
                _Lazy.released = True

        return _Lazy()


@pytest.mark.parametrize("ahead", [1, 3, 8])
def test_results_come_in_input_order_with_at_most_ahead_in_flight(ahead: int) -> None:
    executor = _Recording()
    got = list(ordered_results(executor, lambda n: n * n, ((n,) for n in range(20)), ahead=ahead))
    assert got == [n * n for n in range(20)]
    assert executor.most == ahead


def test_the_input_is_read_only_as_tasks_are_submitted() -> None:
    read: list[int] = []

    def arguments() -> Iterator[tuple[int]]:
        for n in range(100):
            read.append(n)
            yield (n,)

    results = ordered_results(_Recording(), lambda n: n, arguments(), ahead=4)
    assert next(results) == 0
    assert read == [0, 1, 2, 3]


def test_submit_options_reach_submit_not_the_function() -> None:
    executor = _Recording()
    assert list(ordered_results(executor, abs, [(-1,)], ahead=2, submit_options={"pure": False}))
    assert executor.options == [{"pure": False}]


def test_a_real_pool_keeps_the_order_of_tasks_that_finish_out_of_order() -> None:
    last_done = threading.Event()
    finished: list[int] = []

    def task(n: int) -> int:
        if n == 0:
            assert last_done.wait(timeout=30)  # the first task ends after the last one
        finished.append(n)
        if n == 2:
            last_done.set()
        return n

    with ThreadPoolExecutor(max_workers=3) as pool:
        assert list(ordered_results(pool, task, ((n,) for n in range(3)), ahead=3)) == [0, 1, 2]
    assert finished[-1] == 0


def test_without_an_executor_each_task_runs_here() -> None:
    assert list(ordered_results(None, str, [(1,), (2,)], ahead=1)) == ["1", "2"]
