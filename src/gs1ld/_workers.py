"""Worker processes that never outlive the command that started them.

A process pool's workers wait for tasks from their parent; when the parent is
killed (``kill -9``) they would linger as orphans. On Linux each worker asks the
kernel for ``SIGKILL`` when its parent dies (``PR_SET_PDEATHSIG``), and checks
that the parent is still the one that started it, in case it died first.

Ctrl-C reaches every process of the terminal's group; the workers ignore it and
leave it to the parent, which stops the pool and exits 130 (``interrupted``)
without a worker's traceback on the screen.
"""

from __future__ import annotations

import ctypes
import os
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from functools import partial

__all__ = ["die_with_parent", "worker_pool"]

_PR_SET_PDEATHSIG = 1


def _prctl() -> Callable[..., int] | None:
    """The C library's ``prctl`` (Linux), found among the symbols already loaded: asking
    ``ctypes.util.find_library`` would run ``ldconfig`` in every new process."""
    try:
        prctl: Callable[..., int] = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):  # not Linux
        return None
    return prctl


def die_with_parent(parent: int) -> None:
    """A worker's first step: be killed when the parent dies; exit now if it already has;
    leave Ctrl-C to the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    prctl = _prctl()
    if prctl is not None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """A process pool whose workers die with this process."""
    return ProcessPoolExecutor(
        max_workers=workers, initializer=partial(die_with_parent, os.getpid())
    )
