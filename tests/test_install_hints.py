"""Every message that names an extra prints it literally: ``pip install 'gs1ld[s3]'``.

Each optional package is made missing for the run (``sys.modules[name] = None``
makes its import fail as an uninstalled one does), and the command's error line
must carry the install command as typed, not with ``[s3]`` eaten as markup.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import MappingProxyType

import pytest
from click.testing import CliRunner

from gs1ld.cli import cli
from support import EXAMPLE_CATALOG

BASE = ["--base-url", "https://id.brand.example"]


def _parquet_catalog(tmp_path: Path) -> Path:
    pq = pytest.importorskip("pyarrow.parquet")
    pa = pytest.importorskip("pyarrow")
    entry = next(EXAMPLE_CATALOG.glob("*.json")).read_text("utf-8")
    path = tmp_path / "catalog.parquet"
    pq.write_table(pa.table({"entry": [entry]}), path)
    return path


CASES = {
    "s3-read": (["s3fs"], lambda tmp: ["check", "s3://bucket/catalog.jsonl"], "s3"),
    "s3-write": (
        ["s3fs"],
        lambda tmp: ["site", "build", str(EXAMPLE_CATALOG), "-o", "s3://bucket/site", *BASE],
        "s3",
    ),
    "gcs-read": (["gcsfs"], lambda tmp: ["check", "gs://bucket/catalog.jsonl"], "gcs"),
    "azure-read": (["adlfs"], lambda tmp: ["check", "az://container/catalog.jsonl"], "azure"),
    "dask": (
        ["distributed", "dask"],
        lambda tmp: ["convert", str(EXAMPLE_CATALOG), "--scheduler", "local:1", "-o", str(tmp)],
        "dask",
    ),
    "arrow": (
        ["pyarrow", "pyarrow.parquet"],
        lambda tmp: ["check", str(_parquet_catalog(tmp))],
        "arrow",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_the_install_hint_is_printed_literally(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing, args, extra = CASES[case]
    (tmp_path / "out").mkdir()
    arguments = args(tmp_path / "out")  # built first: the Parquet file needs pyarrow
    for name in missing:
        monkeypatch.setitem(sys.modules, name, None)
    # fsspec keeps the file system classes it already imported: forget those too
    registry = importlib.import_module("fsspec.registry")  # the module, not fsspec.registry
    loaded = {
        key: value
        for key, value in registry._registry.items()
        if value.__module__.split(".")[0] not in missing
    }
    monkeypatch.setattr(registry, "_registry", loaded)
    monkeypatch.setattr(registry, "registry", MappingProxyType(loaded))
    result = CliRunner().invoke(cli, arguments)
    assert result.exit_code == 2, result.output
    assert f"pip install 'gs1ld[{extra}]'" in result.output
    assert "Traceback" not in result.output
