"""The Dask build gives the in-process build's bytes, and keeps its promises on a cluster.

Every test runs on a two-process LocalCluster (the ``dask_client`` fixture), with
catalog parts small enough that each catalog is read by several tasks and the
entries of one GTIN can meet only through the shuffle.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pytest

from gs1ld.config import ExportConfig, SiteConfig, SitewideLimits
from gs1ld.publish import Manifest
from gs1ld.site.build import build_site
from gs1ld.testing import synthetic_catalog
from support import EXAMPLE_CATALOG, local_cluster

BASE = "https://id.brand.example"
CONFIG = SiteConfig(
    ExportConfig(base_url=BASE, today=date(2026, 6, 1)), validate=False, part_bytes=256 * 1024
)
SYNTHETIC = 2000


def _tree(site: Path) -> dict[str, bytes]:
    root = site / "current"  # the published build
    return {
        str(Path(folder, name).relative_to(root)): Path(folder, name).read_bytes()
        for folder, _, names in os.walk(root, followlinks=True)  # products are behind links
        for name in names
    }


def _catalog(tmp_path: Path, count: int, *, seed: int = 11, per_file: int = 250) -> Path:
    """The example catalog plus ``count`` synthetic products, as .json files of arrays."""
    catalog = tmp_path / "catalog"
    shutil.copytree(EXAMPLE_CATALOG, catalog)
    entries = list(synthetic_catalog(count, seed=seed))
    for n in range(0, count, per_file):
        (catalog / f"synthetic-{n:06d}.json").write_bytes(orjson.dumps(entries[n : n + per_file]))
    return catalog


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _catalog(tmp_path_factory.mktemp("catalog"), SYNTHETIC)


def test_the_dask_build_is_byte_identical_to_the_in_process_build(
    tmp_path: Path, catalog: Path, dask_client: Any
) -> None:
    local = build_site(catalog, tmp_path / "local", config=CONFIG)
    dask = build_site(catalog, tmp_path / "dask", config=CONFIG, client=dask_client)
    assert (dask.built, dask.unchanged, dask.removed) == (local.built, 0, 0)
    assert dask.invalid == local.invalid == []
    assert _tree(tmp_path / "dask") == _tree(tmp_path / "local")


def test_a_rebuild_with_one_percent_changed_renders_exactly_that_one_percent(
    tmp_path: Path, catalog: Path, dask_client: Any
) -> None:
    site = tmp_path / "site"
    build_site(catalog, site, config=CONFIG, client=dask_client)
    before = {
        Path(folder, name): Path(folder, name).stat().st_mtime_ns
        for folder, _, names in os.walk(site / "current" / "01", followlinks=True)
        for name in names
    }
    assert before
    changed = []
    for file in sorted(catalog.glob("synthetic-*.json")):
        entries = orjson.loads(file.read_bytes())
        for entry in entries[::100]:  # 1% of the synthetic products
            entry["product"]["description"] = "A new description."
            changed.append(entry["gtin"])
        file.write_bytes(orjson.dumps(entries))
    report = build_site(catalog, site, config=CONFIG, client=dask_client)
    assert (report.built, report.removed) == (len(changed), 0)
    assert report.unchanged == len({p.parent for p in before}) - len(changed)
    rewritten = {p.parent.name for p, t in before.items() if p.stat().st_mtime_ns != t}
    assert rewritten == {Manifest.read(site).entry(g.zfill(14)).gtin for g in changed}  # type: ignore[union-attr]


def test_duplicate_gtins_across_parts_keep_the_first_by_catalog_position(
    tmp_path: Path, dask_client: Any
) -> None:
    entries = list(synthetic_catalog(600, seed=5))
    first, second = dict(entries[10]), dict(entries[10])
    first["product"] = {**first["product"], "name": "First of two"}
    second["product"] = {**second["product"], "name": "Second of two"}
    catalog = tmp_path / "catalog.jsonl"
    lines = [*entries[:10], first, *entries[11:590], second, *entries[590:]]
    catalog.write_bytes(b"".join(orjson.dumps(e) + b"\n" for e in lines))
    config = dataclasses.replace(CONFIG, part_bytes=64 * 1024)  # several parts
    report = build_site(catalog, tmp_path / "site", config=config, client=dask_client)
    gtin = Manifest.read(tmp_path / "site").entry(str(first["gtin"]).zfill(14))
    assert gtin is not None
    assert gtin.name == "First of two"
    assert [(i.location, i.gtin) for i in report.invalid] == [(f"{catalog}:591", gtin.gtin)]
    assert [str(p) for p in report.invalid[0].problems] == [
        f"gtin: duplicate GTIN: an earlier entry of the catalog has it, got '{gtin.gtin}'"
    ]
    assert report.built == 600


def test_json_lines_shards_read_again_by_offset_give_the_in_process_bytes(
    tmp_path: Path, dask_client: Any
) -> None:
    """Entries of JSON Lines shards cross the shuffle as their place in the file; the
    workers read them again there: same site, same duplicates and invalid lines."""
    entries = [orjson.dumps(e) + b"\n" for e in synthetic_catalog(900, seed=7)]
    entries[500] = entries[20]  # a duplicate, in another part and another shard
    entries[30] = b"{broken\n"
    entries[31] = b"\n"
    entries[32] = entries[32].replace(b"\n", b"\r\n")
    catalog = tmp_path / "catalog"
    catalog.mkdir()
    for n in range(3):
        (catalog / f"shard-{n}.jsonl").write_bytes(b"".join(entries[n * 300 : (n + 1) * 300]))
    config = dataclasses.replace(CONFIG, part_bytes=64 * 1024)  # several parts per shard
    local = build_site(catalog, tmp_path / "local", config=config)
    dask = build_site(catalog, tmp_path / "dask", config=config, client=dask_client)
    assert (dask.built, dask.unchanged) == (local.built, 0)
    assert local.built == 897
    assert dask.invalid == sorted(local.invalid, key=lambda i: i.location)
    assert [i.location for i in dask.invalid] == [
        f"{catalog}/shard-0.jsonl:31",
        f"{catalog}/shard-1.jsonl:201",
    ]
    assert _tree(tmp_path / "dask") == _tree(tmp_path / "local")


def test_sitemaps_are_sharded_by_a_small_shard_size(
    tmp_path: Path, catalog: Path, dask_client: Any
) -> None:
    config = dataclasses.replace(CONFIG, sitewide=SitewideLimits(sitemap_urls=300))
    build_site(catalog, tmp_path / "site", config=config, client=dask_client)
    shards = sorted((tmp_path / "site" / "current" / "sitemaps").iterdir())
    total = SYNTHETIC + len(list(EXAMPLE_CATALOG.glob("*.json")))
    assert len(shards) == -(-total // 300)
    counts = [p.read_text("utf-8").count("<loc>") for p in shards]
    assert sum(counts) == total
    assert max(counts) == 300
    index = (tmp_path / "site" / "current" / "sitemap.xml").read_text("utf-8")
    assert index.count("<sitemap>") == len(shards)


def test_invalid_products_are_reported_like_the_in_process_build(
    tmp_path: Path, dask_client: Any
) -> None:
    catalog = tmp_path / "catalog"
    shutil.copytree(EXAMPLE_CATALOG, catalog)
    site = tmp_path / "site"
    build_site(catalog, site, config=CONFIG, client=dask_client)
    honey = catalog / "08-honey.json"
    entry = json.loads(honey.read_text("utf-8"))
    entry["gtin"] = "not a gtin"
    (catalog / "13-broken.json").write_text(json.dumps(entry), encoding="utf-8")
    (catalog / "14-not-json.json").write_text("{", encoding="utf-8")
    local = build_site(catalog, tmp_path / "local", config=CONFIG)
    dask = build_site(catalog, site, config=CONFIG, client=dask_client)
    assert dask.invalid == sorted(local.invalid, key=lambda i: i.location)  # catalog order
    assert len(dask.invalid) == 2
    assert _tree(site) == _tree(tmp_path / "local")


def test_the_cli_builds_on_an_existing_scheduler(tmp_path: Path, dask_client: Any) -> None:
    from click.testing import CliRunner

    from gs1ld.cli import cli

    address = dask_client.scheduler.address
    assert address.startswith("tcp://127.0.0.1:")
    args = ["site", "build", str(EXAMPLE_CATALOG), "-o", str(tmp_path / "site")]
    args += [
        "--base-url",
        BASE,
        "--today",
        "2026-06-01",
        "--no-validate",
        "--report-format",
        "json",
    ]
    result = CliRunner().invoke(cli, [*args, "--scheduler", address])
    assert result.exit_code == 0, result.output
    examples = len(list(EXAMPLE_CATALOG.glob("*.json")))
    assert json.loads(result.output)["built"] == examples
    local = CliRunner().invoke(cli, [*args[:4], str(tmp_path / "local"), *args[5:]])
    assert local.exit_code == 0, local.output
    assert _tree(tmp_path / "site") == _tree(tmp_path / "local")


@pytest.mark.parametrize("value", ["local:0", "local:x", "http://h:1", "tcp://nohost"])
def test_an_unusable_scheduler_is_refused_before_anything_runs(tmp_path: Path, value: str) -> None:
    from click.testing import CliRunner

    from gs1ld.cli import cli

    args = ["site", "build", str(EXAMPLE_CATALOG), "-o", str(tmp_path / "site")]
    result = CliRunner().invoke(cli, [*args, "--base-url", BASE, "--scheduler", value])
    assert result.exit_code == 2
    assert f"Invalid scheduler {value!r}: expected local:N" in result.output
    assert not (tmp_path / "site").exists()


def _kill_once(marker: str) -> Any:
    """A worker plugin that kills its worker's process as the first stage task starts.

    The marker file makes it happen once across the cluster, whichever worker
    runs the task and however often the killed worker is restarted.
    """
    from distributed import WorkerPlugin

    class KillOnce(WorkerPlugin):  # type: ignore[misc]
        def transition(self, key: Any, start: str, finish: str, **kwargs: Any) -> None:
            import os

            if finish == "executing" and "_stage" in str(key):
                try:
                    descriptor = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
                except FileExistsError:
                    return
                os.close(descriptor)
                os._exit(1)

    return KillOnce()


def test_a_worker_killed_mid_build_gives_the_same_site(tmp_path: Path, catalog: Path) -> None:
    distributed = pytest.importorskip("distributed")
    local = build_site(catalog, tmp_path / "local", config=CONFIG)
    marker = tmp_path / "killed"
    with (
        local_cluster() as cluster,
        distributed.Client(cluster) as client,
    ):
        client.register_plugin(_kill_once(str(marker)))
        report = build_site(catalog, tmp_path / "dask", config=CONFIG, client=client)
    assert marker.exists()  # a worker really died mid-build
    assert (report.built, report.invalid) == (local.built, [])
    assert _tree(tmp_path / "dask") == _tree(tmp_path / "local")


def test_what_the_shuffle_moves_between_workers_pickles(tmp_path: Path, catalog: Path) -> None:
    """A partition the shuffle sends must pickle: Dask waits forever when it cannot."""
    import pickle

    from gs1ld.catalog.parts import plan_parts
    from gs1ld.limits import Limits
    from gs1ld.site.engines import dask as engine

    part = plan_parts(catalog, block_size=64 * 1024)[0]
    shares = engine._read([part], Limits(), 2, 4)
    assert pickle.loads(pickle.dumps(shares)) == shares
    assert sum(len(share) for _, share in shares) > 0
