"""Where work runs: this process, a local Dask cluster, or an existing one (``--scheduler``).

``--scheduler`` absent keeps every command on its in-process path;
``local:N`` starts a :class:`distributed.LocalCluster` of ``N`` worker
processes for the command's lifetime; ``tcp://host:port`` connects to a running
Dask scheduler.  Dask (``pip install 'gs1ld[dask]'``) is imported only here and
only when a scheduler is asked for.

A local cluster (:func:`local_cluster`) runs with Dask's housekeeping slowed
down: on a machine whose every core runs a worker, each wake-up of a worker's
event loop, its profiler or its memory monitor takes the interpreter lock from
the task being computed.  With Dask's defaults a 20,000-product build switched
contexts about 127,000 times; with these settings 30,000-36,000 (the in-process
build: 39,000), and used 10-25% less CPU.  Its workers also collect garbage less
often (:func:`_lighter_gc`), as ``dask worker`` sets its own.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from gs1ld.errors import Gs1ldError

__all__ = [
    "LOCAL_CLUSTER_CONFIG",
    "SchedulerError",
    "check_scheduler",
    "dask_client",
    "local_cluster",
]

_LOCAL = re.compile(r"local:([1-9][0-9]{0,3})")
_ADDRESS = re.compile(r"(?:tcp|tls|ucx)://[^\s/]+:[0-9]{1,5}")

LOCAL_CLUSTER_CONFIG: dict[str, object] = {
    # a thread sampling the task's stack every 10 ms for the dashboard's profile
    "distributed.worker.profile.enabled": False,
    # each process's event loop woke every 20 ms to time itself
    "distributed.admin.tick.interval": "1s",
    # the worker's memory (for spilling and pausing) was read every 100 ms
    "distributed.worker.memory.monitor-interval": "1s",
    # CPU, memory, network and disk counters for the dashboard, every 500 ms
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.admin.system-monitor.disk": False,
    # Dask has glibc hand freed memory back at every 64 KiB: page faults to get it back
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
}
"""Dask settings of the clusters gs1ld starts itself (``local:N``); a running
scheduler's workers keep their own configuration."""


class SchedulerError(Gs1ldError):
    """A ``--scheduler`` value gs1ld cannot use, or a cluster it cannot reach."""


def check_scheduler(value: str) -> str:
    """``value`` when it names a scheduler gs1ld can use.

    >>> check_scheduler("local:2")
    'local:2'

    Raises:
        SchedulerError: it is neither ``local:N`` (N from 1) nor ``tcp://host:port``.
    """
    if _LOCAL.fullmatch(value) or _ADDRESS.fullmatch(value):
        return value
    raise SchedulerError(
        f"Invalid scheduler {value!r}: expected local:N (N worker processes, e.g. local:4) "
        "or the address of a Dask scheduler, e.g. tcp://10.0.0.5:8786."
    )


@contextmanager
def dask_client(scheduler: str) -> Iterator[Any]:
    """A ``distributed.Client`` for ``scheduler``, closed (and a local cluster stopped) on exit.

    Raises:
        SchedulerError: the value is invalid, Dask is not installed, or the
            scheduler cannot be reached.
    """
    check_scheduler(scheduler)
    try:
        from distributed import Client
    except ImportError as exc:
        raise SchedulerError(
            f"--scheduler {scheduler} needs Dask: pip install 'gs1ld[dask]' ({exc})"
        ) from exc
    local = _LOCAL.fullmatch(scheduler)
    if local:
        with local_cluster(int(local.group(1))) as cluster, Client(cluster) as client:
            client.register_plugin(_lighter_gc_plugin(), name="gs1ld-gc")
            yield client
        return
    try:
        client = Client(scheduler, timeout=30)
    except OSError as exc:
        raise SchedulerError(f"Cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
    try:
        yield client
    finally:
        client.close()


def _lighter_gc() -> None:
    """Collect garbage less often in this process, and never walk what it holds at start.

    A Dask worker holds far more long-lived objects than a pool worker (Dask's
    own state and modules), which every full collection walked again: at 20,000
    products (``perf record``) garbage collection took 4% of the workers' CPU
    against 1.5% in the in-process pool's.  ``gc.freeze`` moves what the worker
    holds once started out of the collector's sight; the thresholds are tripled
    as ``dask worker`` (Dask's own command) does for its workers, which a
    ``LocalCluster`` does not.
    """
    gc.collect()
    gc.freeze()
    first, second, third = gc.get_threshold()
    gc.set_threshold(first * 3, second * 3, third * 3)


def _lighter_gc_plugin() -> Any:
    """A worker plugin running :func:`_lighter_gc` in every worker, including restarted ones."""
    from distributed.diagnostics.plugin import WorkerPlugin

    class LighterGc(WorkerPlugin):
        def setup(self, worker: Any) -> None:
            _lighter_gc()

    return LighterGc()


@contextmanager
def local_cluster(workers: int) -> Iterator[Any]:
    """A ``distributed.LocalCluster`` of ``workers`` single-threaded processes on loopback,
    without a dashboard and with :data:`LOCAL_CLUSTER_CONFIG`, closed on exit.

    One thread per process: the work is Python, which one interpreter runs one
    thread at a time.
    """
    import dask.config
    from distributed import LocalCluster

    with dask.config.set(LOCAL_CLUSTER_CONFIG):  # read as the scheduler and nannies start
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            host="127.0.0.1",
        )
    with cluster:
        yield cluster
