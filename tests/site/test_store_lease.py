"""The store lock's lease: renewed while a build runs, taken over once it expires.

Against moto's S3 server on loopback, whose ``If-Match`` on PUT decides which of
two takers replaces an expired lock.  Clocks are injected and the heartbeat is
driven by the test: nothing waits on the wall clock.
"""

from __future__ import annotations

import json
import os
import queue
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from gs1ld.errors import PublishError
from gs1ld.publish import MANIFEST_FILE
from gs1ld.site import _lock_object
from gs1ld.site.store_lock import LOCK_FILE, hold_store_lock
from support import EXAMPLE_CATALOG

T0 = datetime(2026, 12, 1, 9, 0, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def _at(moment: datetime) -> Callable[[], datetime]:
    return lambda: moment


def _never(_: float) -> bool:
    """A heartbeat pause that stops at once: the test renews by hand."""
    return True


def _lock(fs: Any, root: str) -> dict[str, Any]:
    fs.invalidate_cache()
    value: dict[str, Any] = json.loads(fs.cat_file(f"{root}/{LOCK_FILE}"))
    return value


def _elsewhere(expires: datetime) -> dict[str, Any]:
    """A lock of a build on another machine, whose lease ends at ``expires``."""
    return {
        "host": "build-7.example",
        "boot": "another-boot",
        "pid_namespace": "1",
        "pid": 4242,
        "started": "2026-12-01T08:00:00+00:00",
        "token": "theirs",
        "expires": expires.isoformat(timespec="seconds"),
    }


def test_a_lease_from_elsewhere_holds_until_it_expires_then_is_taken_over(
    s3_bucket: tuple[Any, str],
) -> None:
    fs, name = s3_bucket
    root, url = f"{name}/site", f"s3://{name}/site"
    fs.pipe_file(f"{root}/{LOCK_FILE}", json.dumps(_elsewhere(T0)).encode())
    early = hold_store_lock(fs, root, url, now=_at(T0 - timedelta(seconds=1)), wait=_never)
    with pytest.raises(PublishError) as refused:
        early.__enter__()
    assert str(refused.value) == (
        f"Another build is writing {url!r} (process 4242 on 'build-7.example', started "
        "2026-12-01T08:00:00+00:00, lease until 2026-12-01T09:00:00+00:00). If no build is "
        f"running, the lock is taken over once its lease expires; remove it ({url}/{LOCK_FILE}) "
        "to build now."
    )
    assert _lock(fs, root)["token"] == "theirs"
    with hold_store_lock(fs, root, url, now=_at(T0), wait=_never) as held:
        lock = _lock(fs, root)
        assert (lock["token"], lock["pid"]) == (held.token, os.getpid())
        assert lock["expires"] == (T0 + MINUTE).isoformat(timespec="seconds")
    fs.invalidate_cache()
    assert not fs.exists(f"{root}/{LOCK_FILE}")


def test_two_builds_racing_for_an_expired_lease_never_both_hold_it(
    s3_bucket: tuple[Any, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both read the expired lock (and its ETag) before either writes; the store's
    If-Match lets the first write through and refuses the second."""
    fs, name = s3_bucket
    root, url = f"{name}/site", f"s3://{name}/site"
    fs.pipe_file(f"{root}/{LOCK_FILE}", json.dumps(_elsewhere(T0)).encode())
    both_read = threading.Barrier(2, timeout=30)
    one_at_a_time = threading.Lock()  # moto checks, then writes: keep its two PUTs apart
    real_replace = _lock_object.replace

    def replace(fs: Any, path: str, data: bytes, version: str) -> str | None:
        both_read.wait()
        with one_at_a_time:
            return real_replace(fs, path, data, version)

    monkeypatch.setattr(_lock_object, "replace", replace)
    outcomes: queue.Queue[tuple[str, str]] = queue.Queue()
    settled = threading.Event()

    def take(started: datetime) -> None:
        try:
            with hold_store_lock(fs, root, url, now=_at(started), wait=_never):
                outcomes.put(("won", started.isoformat(timespec="seconds")))
                settled.wait(timeout=30)  # hold the lock until the other has failed
        except PublishError as exc:
            outcomes.put(("lost", str(exc)))

    takers = [threading.Thread(target=take, args=(T0 + timedelta(seconds=s),)) for s in (1, 2)]
    for taker in takers:
        taker.start()
    results = sorted([outcomes.get(timeout=60), outcomes.get(timeout=60)])
    lock = _lock(fs, root)
    settled.set()
    for taker in takers:
        taker.join(timeout=60)
    (lost, message), (won, started) = results
    assert (lost, won) == ("lost", "won")
    assert lock["started"] == started
    assert message == (
        f"Another build took over the lock of {url!r} first (process {os.getpid()} on "
        f"{lock['host']!r}, started {started}, lease until {lock['expires']}); build again "
        "once it has finished."
    )
    assert "\n" not in message


def test_the_heartbeat_pushes_the_lease_forward_while_the_build_runs(
    s3_bucket: tuple[Any, str],
) -> None:
    fs, name = s3_bucket
    root, url = f"{name}/site", f"s3://{name}/site"
    clock = [T0]
    pauses: queue.Queue[float] = queue.Queue()  # the heartbeat says when it waits
    beats: queue.Queue[bool] = queue.Queue()  # the test says when it beats (False) or stops

    def wait(seconds: float) -> bool:
        pauses.put(seconds)
        return beats.get(timeout=30)

    with hold_store_lock(fs, root, url, now=lambda: clock[0], wait=wait) as held:
        assert pauses.get(timeout=30) == 20.0  # a third of the 60 s lease
        assert _lock(fs, root)["expires"] == "2026-12-01T09:01:00+00:00"
        clock[0] = T0 + timedelta(seconds=50)
        beats.put(False)
        pauses.get(timeout=30)  # renewed, and waiting again
        assert _lock(fs, root)["expires"] == "2026-12-01T09:01:50+00:00"
        # 70 s after the start, the first lease would have expired: still held
        taker = hold_store_lock(fs, root, url, now=_at(T0 + timedelta(seconds=70)), wait=_never)
        with pytest.raises(PublishError, match="Another build is writing"):
            taker.__enter__()
        held.check()
        beats.put(True)


def test_a_build_that_lost_its_lease_stops_before_its_next_write_step(
    s3_bucket: tuple[Any, str], tmp_path: Path
) -> None:
    """The build stalls past its lease (here: another build's clock runs two minutes
    ahead as the upload reaches the site-wide files) and is taken over."""
    from datetime import date

    from gs1ld.config import ExportConfig, SiteConfig
    from gs1ld.site.store import StoreSite, build_site_to_store

    fs, name = s3_bucket
    root, url = f"{name}/site", f"s3://{name}/site"
    config = SiteConfig(
        ExportConfig(base_url="https://id.brand.example", today=date(2026, 6, 1)),
        validate=False,
        workers=1,
    )
    other: list[Any] = []
    later: list[datetime] = []

    def on_step(step: str) -> None:
        if step == "sitewide":  # two minutes past the build's clock *now*: a build slow to
            later.append(datetime.now(UTC) + 2 * MINUTE)  # get here has renewed its lease
            other.append(hold_store_lock(fs, root, url, now=_at(later[0]), wait=_never))
            other[0].__enter__()

    with pytest.raises(PublishError) as stopped:
        build_site_to_store(EXAMPLE_CATALOG, StoreSite(url), config=config, on_step=on_step)
    theirs = _lock(fs, root)
    assert str(stopped.value) == (
        f"Cannot write the output {url!r}: This build lost the lock of {url!r} (now held by "
        f"process {os.getpid()} on {theirs['host']!r}, started {theirs['started']}, lease until "
        f"{theirs['expires']}): its lease ran out before it was renewed. It stopped before its "
        "next write; the build that holds the lock publishes the site."
    )
    fs.invalidate_cache()
    assert not fs.exists(f"{root}/index.html")  # no site-wide file was written
    assert not fs.exists(f"{root}/{MANIFEST_FILE}")
    assert theirs["started"] == later[0].isoformat(timespec="seconds")  # the loser left it
    other[0].__exit__(None, None, None)


def test_a_store_without_conditional_overwrites_takes_an_expired_lease_over(
    tmp_path: Path,
) -> None:
    """fsspec's memory store: compare, then write (the weaker guarantee the docs state)."""
    import fsspec

    fs = fsspec.filesystem("memory")
    root, url = f"/lease-{os.getpid()}/site", "memory://site"
    fs.pipe_file(f"{root}/{LOCK_FILE}", json.dumps(_elsewhere(T0)).encode())
    assert not _lock_object.atomic_replace(fs)
    with pytest.raises(PublishError, match="taken over once its lease expires"):
        hold_store_lock(fs, root, url, now=_at(T0 - MINUTE), wait=_never).__enter__()
    with hold_store_lock(fs, root, url, now=_at(T0 + MINUTE), wait=_never) as held:
        assert _lock(fs, root)["token"] == held.token
        fs.pipe_file(f"{root}/{LOCK_FILE}", json.dumps(_elsewhere(T0 + 9 * MINUTE)).encode())
        with pytest.raises(PublishError, match=r"lost the lock .* process 4242"):
            held.check()
    assert _lock(fs, root)["token"] == "theirs"  # not removed by the build that lost it
    fs.rm(f"/lease-{os.getpid()}", recursive=True)
