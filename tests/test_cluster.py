"""The local cluster gs1ld starts (``--scheduler local:N``) runs with Dask's housekeeping slowed."""

from __future__ import annotations

import os

import pytest

from gs1ld.cluster import dask_client

pytest.importorskip("distributed")


def test_local_workers_run_without_the_profiler_and_with_slow_ticks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a nanny started with Dask's defaults earlier in this process left the variable in
    # os.environ (distributed's Nanny sets it there before spawning): start clean, so the
    # test sees what gs1ld's cluster sets
    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)

    def _settings() -> tuple[object, object, str | None]:  # local: sent by value to the worker
        import dask.config

        return (
            dask.config.get("distributed.worker.profile.enabled"),
            dask.config.get("distributed.admin.tick.interval"),
            os.environ.get("MALLOC_TRIM_THRESHOLD_"),
        )

    with dask_client("local:1") as client:
        settings = list(client.run(_settings).values())
    # no stack sampling, the event loop timed once a second, glibc's own trimming
    assert settings == [(False, "1s", None)]


def test_the_settings_stay_with_the_cluster() -> None:
    import dask.config

    before = dask.config.get("distributed.worker.profile.enabled")
    with dask_client("local:1"):
        pass
    assert dask.config.get("distributed.worker.profile.enabled") == before


def test_local_workers_collect_garbage_less_often() -> None:
    import ast
    import subprocess
    import sys

    def _gc() -> tuple[tuple[int, int, int], int]:  # local: sent by value to the worker
        import gc

        return gc.get_threshold(), gc.get_freeze_count()

    fresh = subprocess.run(  # a new interpreter's thresholds, as a worker starts with
        [sys.executable, "-c", "import gc; print(gc.get_threshold())"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    first, second, third = ast.literal_eval(fresh)
    with dask_client("local:1") as client:
        [(thresholds, frozen)] = client.run(_gc).values()
    # thresholds tripled as ``dask worker`` sets them; what the worker held at start is frozen
    assert thresholds == (first * 3, second * 3, third * 3)
    assert frozen > 0
