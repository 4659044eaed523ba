"""Catalogs at fsspec URLs, read from a real S3-protocol server on loopback.

moto's server mode runs in a thread on a free 127.0.0.1 port and s3fs talks to
it over HTTP, exactly as to a bucket in the cloud (no mock of fsspec): each
test gets its own bucket and fake credentials in the environment.  Reading a
URL must give the same entries, problems and locations as reading the same
files on disk, with the URL in place of the path.
"""

from __future__ import annotations

import copy
import dataclasses
import filecmp
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from gs1ld.catalog import RemoteCatalog, read_catalog
from gs1ld.catalog.source import catalog_source, parse_storage_options
from gs1ld.cli import cli
from gs1ld.errors import ParseError
from support import EXAMPLE_CATALOG, isolate_from_aws_config

s3fs = pytest.importorskip("s3fs")

SID = "2" * 22
VALID: dict[str, Any] = {
    "gtin": "09506000134352",
    "product": {"name": "Whole Milk", "brand": "Meadow", "language": "en"},
    "content": {
        "images": [],
        "ingredients": [{"id": SID, "name": "Milk", "is_major_allergen": True, "percentage": 100}],
        "certifications": [],
        "claims": [],
        "recalls": [],
    },
}


def _lines(tmp_path: Path) -> Path:
    bad = copy.deepcopy(VALID)
    bad["content"]["ingredients"][0]["percentage"] = 101
    other = {**VALID, "gtin": "00036000291452"}
    huge = {**VALID, "gtin": "09506000134369", "pad": "x" * 3000}
    lines = [
        json.dumps(VALID),
        json.dumps(bad),
        "",
        json.dumps(VALID)[:40],
        json.dumps(huge),
        json.dumps(other),
    ]
    path = tmp_path / "catalog.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "folder"
    (folder / "more").mkdir(parents=True)
    bad = copy.deepcopy(VALID)
    bad["content"]["ingredients"][0]["percentage"] = -1
    (folder / "a.json").write_text(json.dumps(VALID), encoding="utf-8")
    (folder / "b.json").write_text(json.dumps([VALID, bad]), encoding="utf-8")
    (folder / "more" / "c.json").write_text("{not json", encoding="utf-8")
    (folder / "notes.txt").write_text("not part of the catalog", encoding="utf-8")
    return folder


def _check(*args: str) -> Any:
    return CliRunner().invoke(cli, ["check", "--max-entry-bytes", "2048", *args])


def _worker_options(endpoint: str) -> dict[str, Any]:
    """Storage options for the test server. The session's Dask workers started before the
    test set its environment, so the options, not the environment, must reach them."""
    return {
        "endpoint_url": endpoint,
        "key": "testing",
        "secret": "testing",
        "client_kwargs": {"region_name": "us-east-1"},
    }


def _cluster_config(*, part_bytes: int) -> Any:
    """Site options for a cluster build cut into parts of ``part_bytes``."""
    from datetime import date

    from gs1ld.config import ExportConfig, SiteConfig

    return SiteConfig(
        ExportConfig(base_url="https://id.brand.example", today=date(2026, 6, 1)),
        validate=False,
        part_bytes=part_bytes,
    )


def test_a_json_lines_object_reads_like_the_local_file(
    s3_bucket: tuple[Any, str], tmp_path: Path
) -> None:
    fs, name = s3_bucket
    local = _lines(tmp_path)
    fs.put(str(local), f"{name}/in/catalog.jsonl")
    url = f"s3://{name}/in/catalog.jsonl"
    expected = _check(str(local))
    result = _check(url)
    assert result.output == expected.output.replace(str(local), url)
    assert f"{url}:2 09506000134352 content.ingredients[0].percentage" in result.output
    assert f"{url}:5 - entry is 3,301 bytes of JSON, over the limit of 2,048" in result.output
    assert result.output.endswith("2 ok, 3 invalid\n")
    assert result.exit_code == expected.exit_code == 1


@pytest.mark.parametrize("slash", ["", "/"])
def test_a_prefix_of_json_objects_reads_like_the_local_folder(
    s3_bucket: tuple[Any, str], tmp_path: Path, slash: str
) -> None:
    fs, name = s3_bucket
    local = _folder(tmp_path)
    fs.put(str(local), f"{name}/dir", recursive=True)
    url = f"s3://{name}/dir{slash}"
    expected = _check(str(local))
    result = _check(url)
    assert result.output == expected.output.replace(str(local), url.rstrip("/"))
    assert result.output.splitlines() == [
        f"s3://{name}/dir/b.json[1] 09506000134352 content.ingredients[0].percentage: "
        "Input should be greater than or equal to 0, got -1",
        f"s3://{name}/dir/more/c.json - invalid JSON: unexpected character, expected a string key "
        "(line 1, column 2)",
        "2 ok, 2 invalid",
    ]


def test_storage_options_reach_the_file_system(
    s3_bucket: tuple[Any, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, s3_endpoint: str
) -> None:
    fs, name = s3_bucket
    fs.pipe(f"{name}/one.json", json.dumps(VALID).encode())
    monkeypatch.delenv("AWS_ENDPOINT_URL")
    s3fs.S3FileSystem.clear_instance_cache()
    url = f"s3://{name}/one.json"
    result = _check(url, "--storage-option", f"endpoint_url={s3_endpoint}")
    assert (result.output, result.exit_code) == ("1 ok, 0 invalid\n", 0)


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("s3://no-such-bucket-here/catalog.jsonl", "does not exist"),
        ("s3://{bucket}/missing.jsonl", "does not exist"),
        ("s3://{bucket}/catalog.csv", "is not a catalog"),
    ],
)
def test_a_catalog_that_cannot_be_read_is_one_line_and_exit_2(
    s3_bucket: tuple[Any, str], target: str, message: str
) -> None:
    fs, name = s3_bucket
    fs.pipe(f"{name}/catalog.csv", b"gtin\n")
    url = target.format(bucket=name)
    result = _check(url)
    assert result.exit_code == 2
    assert result.output.startswith("error: ")
    assert url in result.output
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_no_credentials_is_one_line_and_exit_2(
    s3_endpoint: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    isolate_from_aws_config(monkeypatch, tmp_path)
    monkeypatch.setenv("AWS_ENDPOINT_URL", s3_endpoint)
    result = _check("s3://some-bucket/catalog.jsonl")
    assert result.exit_code == 2
    assert result.output.strip() == (
        "error: Cannot read catalog 's3://some-bucket/catalog.jsonl': "
        "NoCredentialsError: Unable to locate credentials."
    )
    s3fs.S3FileSystem.clear_instance_cache()


def test_storage_options_need_a_url_and_key_value_pairs(tmp_path: Path) -> None:
    local = _lines(tmp_path)
    result = _check(str(local), "--storage-option", "anon=true")
    assert result.exit_code == 2
    assert "Storage options apply to a catalog given as a URL" in result.output
    result = _check("s3://b/c.jsonl", "--storage-option", "anon")
    assert result.exit_code == 2
    assert "Invalid storage option 'anon': expected KEY=VALUE." in result.output


def test_storage_option_values_are_json_when_they_parse() -> None:
    assert parse_storage_options(
        ["anon=false", "n=5", 'key="123"', 'client_kwargs={"region_name": "eu-west-1"}', "a=b=c"]
    ) == {
        "anon": False,
        "n": 5,
        "key": "123",
        "client_kwargs": {"region_name": "eu-west-1"},
        "a": "b=c",
    }
    with pytest.raises(ParseError, match="expected KEY=VALUE"):
        parse_storage_options(["=x"])


def test_file_and_memory_urls_read_like_paths(tmp_path: Path) -> None:
    import fsspec

    local = _lines(tmp_path)
    expected = [(o.location, o.gtin, o.problems) for o in read_catalog(local)]
    url = local.as_uri()
    got = [(o.location, o.gtin, o.problems) for o in read_catalog(catalog_source(url))]
    assert got == [(loc.replace(str(local), url), g, p) for loc, g, p in expected]
    memory = fsspec.filesystem("memory")
    memory.pipe("/gs1ld-test/catalog.jsonl", local.read_bytes())
    try:
        source = RemoteCatalog("memory://gs1ld-test/catalog.jsonl")
        got = [(o.location, o.gtin, o.problems) for o in read_catalog(source)]
    finally:
        memory.rm("/gs1ld-test", recursive=True)
    assert got == [(loc.replace(str(local), source.url), g, p) for loc, g, p in expected]


def test_an_unknown_protocol_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match=r"Cannot read catalog 'nosuch://x/c\.jsonl'"):
        list(read_catalog(RemoteCatalog("nosuch://x/c.jsonl")))


def _site_files(site: Path) -> list[Path]:
    """The site's files but the record of catalog lines read, which only a local JSON
    Lines catalog keeps (a rebuild passes over the lines it names)."""
    return sorted(
        p.relative_to(site) for p in site.rglob("*") if p.is_file() and p.name != "sources.bin"
    )


def _same_tree(left: Path, right: Path) -> None:
    files = _site_files(left)
    assert files == _site_files(right)
    _, mismatch, errors = filecmp.cmpfiles(left, right, [str(f) for f in files], shallow=False)
    assert (mismatch, errors) == ([], [])


def test_convert_reads_a_bucket_like_a_folder(s3_bucket: tuple[Any, str], tmp_path: Path) -> None:
    fs, name = s3_bucket
    fs.put(str(EXAMPLE_CATALOG), f"{name}/catalog", recursive=True)
    args = ["convert", "--today", "2026-01-01", "--no-validate", "-o"]
    local = CliRunner().invoke(cli, [*args, str(tmp_path / "local"), str(EXAMPLE_CATALOG)])
    remote = CliRunner().invoke(cli, [*args, str(tmp_path / "remote"), f"s3://{name}/catalog/"])
    assert remote.exit_code == local.exit_code
    _same_tree(tmp_path / "local", tmp_path / "remote")
    assert len(list((tmp_path / "remote").iterdir())) >= 10


def test_site_build_reads_a_bucket_and_publishes_the_same_site(
    s3_bucket: tuple[Any, str], tmp_path: Path
) -> None:
    fs, name = s3_bucket
    fs.put(str(EXAMPLE_CATALOG), f"{name}/catalog", recursive=True)
    args = ["site", "build", "--base-url", "https://example.com", "--today", "2026-01-01"]
    args += ["--no-validate", "--workers", "1"]
    local = CliRunner().invoke(cli, [*args, str(EXAMPLE_CATALOG), "-o", str(tmp_path / "a")])
    remote = CliRunner().invoke(cli, [*args, f"s3://{name}/catalog", "-o", str(tmp_path / "b")])
    assert (remote.exit_code, local.exit_code) == (0, 0), remote.output
    _same_tree(tmp_path / "a", tmp_path / "b")


@pytest.mark.parametrize("scan", [7, 4 * 1024 * 1024])
@pytest.mark.parametrize("block_size", [1, 100, 3000, 1 << 20])
def test_a_url_is_cut_into_the_parts_of_the_same_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block_size: int, scan: int
) -> None:
    import fsspec

    from gs1ld.catalog import remote
    from gs1ld.catalog.parts import plan_parts, read_part
    from gs1ld.limits import Limits

    monkeypatch.setattr(remote, "_SCAN", scan)  # cuts and lines that straddle reads
    local = _lines(tmp_path)
    memory = fsspec.filesystem("memory")
    memory.pipe("/gs1ld-parts/catalog.jsonl", local.read_bytes())
    source = RemoteCatalog("memory://gs1ld-parts/catalog.jsonl")
    try:
        expected = plan_parts(local, block_size=block_size)
        parts = plan_parts(source, block_size=block_size)
        assert [dataclasses.replace(p, path=str(local), storage=None) for p in parts] == expected
        limits = Limits(max_entry_bytes=2048)
        read = [(n, r.location, r.data) for part in parts for n, r in read_part(part, limits)]
    finally:
        memory.rm("/gs1ld-parts", recursive=True)
    whole = [(n, r.location, r.data) for part in expected for n, r in read_part(part, limits)]
    assert read == [(n, loc.replace(str(local), source.url), d) for n, loc, d in whole]


def test_a_folder_url_is_cut_into_runs_of_objects(tmp_path: Path) -> None:
    import fsspec

    from gs1ld.catalog.parts import plan_parts

    local = _folder(tmp_path)
    memory = fsspec.filesystem("memory")
    memory.put(str(local), "/gs1ld-runs/dir", recursive=True)
    try:
        parts = plan_parts(RemoteCatalog("memory://gs1ld-runs/dir"), block_size=200)
    finally:
        memory.rm("/gs1ld-runs", recursive=True)
    expected = plan_parts(local, block_size=200)
    assert len(expected) > 1
    assert [p.files for p in parts] == [
        tuple(f.replace(str(local), "memory://gs1ld-runs/dir") for f in p.files) for p in expected
    ]
    assert [p.nbytes for p in parts] == [p.nbytes for p in expected]


def test_a_cluster_builds_a_bucket_catalog_like_this_process_builds_the_file(
    s3_bucket: tuple[Any, str], tmp_path: Path, s3_endpoint: str, dask_client: Any
) -> None:

    import orjson

    from gs1ld.site.build import build_site
    from gs1ld.testing import synthetic_catalog

    fs, name = s3_bucket
    entries = [json.loads(p.read_bytes()) for p in sorted(EXAMPLE_CATALOG.glob("*.json"))]
    entries += list(synthetic_catalog(300, seed=5))
    entries.append(entries[-1])  # a duplicate GTIN, reported the same way
    local = tmp_path / "catalog.jsonl"
    local.write_bytes(b"".join(orjson.dumps(e) + b"\n" for e in entries))
    fs.put(str(local), f"{name}/catalog.jsonl")
    config = _cluster_config(part_bytes=64 * 1024)
    options = _worker_options(s3_endpoint)
    source = RemoteCatalog(f"s3://{name}/catalog.jsonl", options)
    here = build_site(local, tmp_path / "here", config=config)
    there = build_site(source, tmp_path / "there", config=config, client=dask_client)
    assert (there.built, there.unchanged, there.removed) == (here.built, 0, 0)
    assert [(p.location, p.gtin) for p in there.invalid] == [
        (p.location.replace(str(local), source.url), p.gtin) for p in here.invalid
    ]
    assert len(there.invalid) == 1
    _same_tree(tmp_path / "here", tmp_path / "there")


def test_a_cluster_converts_a_bucket_catalog_like_this_process_converts_the_folder(
    s3_bucket: tuple[Any, str], tmp_path: Path, s3_endpoint: str, dask_client: Any
) -> None:
    from datetime import date

    from gs1ld.config import ExportConfig
    from gs1ld.convert import convert_catalog

    fs, name = s3_bucket
    fs.put(str(EXAMPLE_CATALOG), f"{name}/catalog", recursive=True)
    options = {"endpoint_url": s3_endpoint, "key": "testing", "secret": "testing"}
    config = ExportConfig(base_url="https://id.brand.example", today=date(2026, 6, 1))
    here = convert_catalog(EXAMPLE_CATALOG, tmp_path / "here", config=config)
    source = RemoteCatalog(f"s3://{name}/catalog", options)
    there = convert_catalog(source, tmp_path / "there", config=config, client=dask_client)
    assert there.written == here.written > 0
    _same_tree(tmp_path / "here", tmp_path / "there")


def _shards_and_parquet(tmp_path: Path) -> Path:
    """A folder of two JSON Lines shards, a Parquet file of JSON rows and a ``.json`` file."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = tmp_path / "mixed"
    (folder / "shards").mkdir(parents=True)
    lines = _lines(tmp_path).read_bytes().splitlines(keepends=True)
    (folder / "shards" / "0.jsonl").write_bytes(b"".join(lines[:3]))
    (folder / "shards" / "1.jsonl").write_bytes(b"".join(lines[3:]))
    rows = [json.dumps({**VALID, "gtin": gtin}) for gtin in ("00036000291452", "09506000134369")]
    rows.append("{not json")
    pq.write_table(pa.table({"entry": rows}), folder / "rows.parquet", row_group_size=2)
    (folder / "z.json").write_text(json.dumps(VALID), encoding="utf-8")
    return folder


def test_shards_and_parquet_in_a_bucket_read_like_the_local_folder(
    s3_bucket: tuple[Any, str], tmp_path: Path
) -> None:
    pytest.importorskip("pyarrow")
    fs, name = s3_bucket
    local = _shards_and_parquet(tmp_path)
    fs.put(str(local), f"{name}/mixed", recursive=True)
    url = f"s3://{name}/mixed"
    expected = _check(str(local))
    result = _check(url)
    assert result.output == expected.output.replace(str(local), url)
    assert f"{url}/rows.parquet[2] - invalid JSON" in result.output
    assert f"{url}/shards/1.jsonl:2 - entry is 3,301 bytes" in result.output
    assert result.exit_code == expected.exit_code == 1


@pytest.mark.parametrize("block_size", [1, 700, 1 << 20])
def test_a_folder_url_of_shards_and_parquet_is_cut_like_the_local_folder(
    tmp_path: Path, block_size: int
) -> None:
    pytest.importorskip("pyarrow")
    import fsspec

    from gs1ld.catalog.parts import plan_parts, read_part
    from gs1ld.limits import Limits

    local = _shards_and_parquet(tmp_path)
    memory = fsspec.filesystem("memory")
    memory.put(str(local), "/gs1ld-mixed/dir", recursive=True)
    url = "memory://gs1ld-mixed/dir"
    limits = Limits(max_entry_bytes=2048)
    try:
        parts = plan_parts(RemoteCatalog(url), block_size=block_size)
        read = [(n, r.location, r.data) for part in parts for n, r in read_part(part, limits)]
    finally:
        memory.rm("/gs1ld-mixed", recursive=True)
    expected = plan_parts(local, block_size=block_size)
    assert [(p.row_groups, p.first_line, p.lines, p.start, p.end) for p in parts] == [
        (p.row_groups, p.first_line, p.lines, p.start, p.end) for p in expected
    ]
    whole = [(n, r.location, r.data) for part in expected for n, r in read_part(part, limits)]
    assert read == [(n, loc.replace(str(local), url), d) for n, loc, d in whole]
    assert len(read) == 9  # the blank line is no entry


def test_a_cluster_builds_a_bucket_parquet_catalog_like_this_process(
    s3_bucket: tuple[Any, str], tmp_path: Path, s3_endpoint: str, dask_client: Any
) -> None:
    pa = pytest.importorskip("pyarrow")

    import orjson
    import pyarrow.parquet as pq

    from gs1ld.site.build import build_site
    from gs1ld.testing import synthetic_catalog

    fs, name = s3_bucket
    rows = [orjson.dumps(e).decode() for e in synthetic_catalog(200, seed=6)]
    rows.insert(50, rows[10])  # a repeated GTIN in a later row group
    local = tmp_path / "catalog.parquet"
    pq.write_table(pa.table({"entry": rows}), local, row_group_size=40)
    fs.put(str(local), f"{name}/catalog.parquet")
    config = _cluster_config(part_bytes=16 * 1024)
    options = _worker_options(s3_endpoint)
    source = RemoteCatalog(f"s3://{name}/catalog.parquet", options)
    here = build_site(local, tmp_path / "here", config=config)
    there = build_site(source, tmp_path / "there", config=config, client=dask_client)
    assert (there.built, there.unchanged, there.removed) == (here.built, 0, 0) == (200, 0, 0)
    assert [(p.location, p.gtin) for p in there.invalid] == [
        (f"{source.url}[50]", here.invalid[0].gtin)
    ]
    assert [p.location for p in here.invalid] == [f"{local}[50]"]
    _same_tree(tmp_path / "here", tmp_path / "there")
