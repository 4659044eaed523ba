"""Where work runs: this process, a local Dask cluster, or an existing one (``--scheduler``).

``--scheduler`` absent keeps every command on its in-process path;
``local:N`` starts a :class:`distributed.LocalCluster` of ``N`` worker
processes for the command's lifetime; ``tcp://host:port`` connects to a running
Dask scheduler.  Dask (``pip install 'gs1ld[dask]'``) is imported only here and
only when a scheduler is asked for.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from gs1ld.errors import Gs1ldError

__all__ = ["SchedulerError", "check_scheduler", "dask_client"]

_LOCAL = re.compile(r"local:([1-9][0-9]{0,3})")
_ADDRESS = re.compile(r"(?:tcp|tls|ucx)://[^\s/]+:[0-9]{1,5}")


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
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise SchedulerError(
            f"--scheduler {scheduler} needs Dask: pip install 'gs1ld[dask]' ({exc})"
        ) from exc
    local = _LOCAL.fullmatch(scheduler)
    if local:
        workers = int(local.group(1))
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            host="127.0.0.1",
        )
        try:
            with Client(cluster) as client:
                yield client
        finally:
            cluster.close()
        return
    try:
        client = Client(scheduler, timeout=30)
    except OSError as exc:
        raise SchedulerError(f"Cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
    try:
        yield client
    finally:
        client.close()
