"""Bounded, in-order fan-out: hand tasks to workers while earlier ones run, results in order.

The site build, validation and ``convert --scheduler`` all send batches of work
to a pool (a local process pool or a Dask client) and must give their results
in input order without holding the whole input: at most ``ahead`` tasks are in
flight, so the workers never wait for the producer and memory stays bounded
however long the input is.

>>> list(ordered_results(None, pow, [(2, 3), (3, 2)], ahead=4))
[8, 9]
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

__all__ = ["ordered_results"]

R = TypeVar("R")


def ordered_results(
    executor: Any,
    function: Callable[..., R],
    arguments: Iterable[tuple[Any, ...]],
    *,
    ahead: int,
    submit_options: dict[str, Any] | None = None,
) -> Iterator[R]:
    """``function(*args)`` for each ``args`` of ``arguments``, run on ``executor``, in order.

    Args:
        executor: anything with ``submit(function, *args)`` returning a future
            (``concurrent.futures.Executor``, ``dask.distributed.Client``), or
            None to run each task here, one at a time.
        function: the task; it must be picklable for a process pool or cluster.
        arguments: the arguments of each task, read only as tasks are submitted.
        ahead: tasks in flight at most (at least 1).
        submit_options: keywords for ``submit`` itself, for executors that take
            their own (Dask's ``pure=False``); a ``concurrent.futures`` executor
            would pass them on to ``function``, so leave them out there.

    A Dask future is released as soon as its result is taken, so the cluster
    does not keep results nobody will ask for again.
    """
    if executor is None:
        for args in arguments:
            yield function(*args)
        return
    limit = max(1, ahead)
    pending: deque[Any] = deque()
    try:
        for args in arguments:
            pending.append(executor.submit(function, *args, **(submit_options or {})))
            while len(pending) >= limit:
                yield _take(pending.popleft())
        while pending:
            yield _take(pending.popleft())
    finally:
        for future in pending:  # stopped early: nothing of ours keeps running
            future.cancel()


def _take(future: Any) -> Any:
    result = future.result()
    release = getattr(future, "release", None)
    if release is not None:
        release()
    return result
