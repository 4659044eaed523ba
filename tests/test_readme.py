"""The README's examples run as written, and its first screen has the two commands."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from support import EXAMPLE_CATALOG, PROJECT_ROOT, RunningServer

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```python\n(.*?)```", README, re.DOTALL)


def test_first_screen_has_exactly_the_two_commands() -> None:
    first_screen = README.split("---", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", first_screen, re.DOTALL)
    commands = [line.split("#")[0].strip() for block in blocks for line in block.splitlines()]
    assert [c for c in commands if c] == ["make demo", "make test"]


def test_library_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(PROJECT_ROOT)
    (block,) = [b for b in BLOCKS if "read_catalog" in b]
    exec(compile(block, "README.md library example", "exec"), {})


def test_pipeline_example_runs_against_the_fake_api(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(PROJECT_ROOT / "tests" / "feed"))
    from fakeapi import API_KEY, FakeApi

    from gs1ld.catalog.reader import iter_raw_entries

    products = {r.data["gtin"]: r.data["content"] for r in iter_raw_entries(EXAMPLE_CATALOG)}
    (block,) = [b for b in BLOCKS if "AsyncClient" in b]
    monkeypatch.setenv("GS1LD_API_KEY", API_KEY)
    with RunningServer(FakeApi(products=products).app()) as server:
        namespace: dict[str, object] = {"API_URL": server.url}
        exec(compile(block, "README.md pipeline example", "exec"), namespace)
        publish = namespace["publish"]
        asyncio.run(publish(sorted(products)[:3], tmp_path))  # type: ignore[operator]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f"{g}.jsonld" for g in sorted(products)[:3]
    ]
