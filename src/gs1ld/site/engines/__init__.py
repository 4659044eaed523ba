"""Engines that stage a build's products, behind one small protocol.

The in-process build (this process and a local worker pool, in
:mod:`gs1ld.site.build`), Dask (:mod:`gs1ld.site.engines.dask`) and engines
that hand over Arrow record batches (:mod:`gs1ld.site.engines.arrow`: Spark's
``mapInArrow``, Ray, Polars) all run the same per-partition step,
:func:`~gs1ld.site.partition.stage_partition`, so each gives the same bytes.
"""

from __future__ import annotations

from concurrent.futures import Executor
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from gs1ld.site.report import BuildReport
    from gs1ld.site.rows import SummaryRows

__all__ = ["Engine"]


class Engine(Protocol):
    """Stages every product of a build into its staging site.

    It appends one summary row per published product to ``rows`` (from which
    the site-wide files are written) and returns the build's counts; ``pool``
    is the build's local worker pool, if it has one.
    """

    def __call__(self, rows: SummaryRows, pool: Executor | None, /) -> BuildReport: ...
