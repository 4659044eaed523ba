"""``gs1ld pull`` against an API that misbehaves, over real HTTP on 127.0.0.1.

Each bad answer fails its own GTIN only; the others are written, the summary
counts them, and exit 1 says so. Ctrl-C (a real SIGINT to a running ``gs1ld
pull``) exits 130 with "interrupted" and no summary, so ``pull && site build``
stops there.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
import orjson
import pytest
from click.testing import CliRunner
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from adversarial.generate import answer, base_entry, gtin, nested
from gs1ld.cli import cli
from support import RunningServer

KEY = "csb_adversarial_key_SECRET_77"
CONTENT = base_entry()["content"]


@dataclass
class MisbehavingApi:
    """Answers per GTIN: ``ok`` by default, else one of the adversarial kinds."""

    kinds: dict[str, str] = field(default_factory=dict)
    arrived: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    async def content(self, request: Request) -> Response:
        code = request.path_params["gtin"]
        kind = self.kinds.get(code, "ok")
        if kind == "html":
            return Response(answer("maintenance.html"), 200, media_type="text/html")
        if kind == "truncated":
            return Response(answer("truncated.json"), 200, media_type="application/json")
        if kind == "xml":
            return Response(answer("xml.xml"), 200, media_type="application/xml")
        if kind == "redirect":
            return RedirectResponse("https://elsewhere.example/", status_code=302)
        if kind == "echo-key":
            detail = f"key {request.headers.get('x-api-key')} is revoked"
            body = {"title": "Unauthorized", "detail": detail, "status": 401}
            return Response(orjson.dumps(body), 401, media_type="application/problem+json")
        if kind == "deep":
            return Response(orjson.dumps({**CONTENT, "x": nested(100)}), 200)
        if kind == "block":
            self.arrived.set()
            await anyio.to_thread.run_sync(self.release.wait)
        return Response(orjson.dumps(CONTENT), 200, media_type="application/json")

    def app(self) -> Starlette:
        route = Route("/products/api/v1/products/{gtin}/content", self.content)
        return Starlette(routes=[route])


@pytest.fixture
def api() -> Iterator[tuple[MisbehavingApi, str]]:
    fake = MisbehavingApi()
    with RunningServer(fake.app()) as server:
        yield fake, server.url
        fake.release.set()


KINDS = ["html", "truncated", "xml", "redirect", "echo-key", "deep"]


def test_each_bad_answer_fails_its_own_gtin_only(
    api: tuple[MisbehavingApi, str], tmp_path: Path
) -> None:
    fake, url = api
    bad = {gtin(100 + i): kind for i, kind in enumerate(KINDS)}
    fake.kinds.update(bad)
    good = [gtin(200), gtin(201)]
    gtins = tmp_path / "gtins.txt"
    gtins.write_text("\n".join([good[0], *bad, good[1]]) + "\n", encoding="utf-8")
    out = tmp_path / "catalog"
    result = CliRunner().invoke(
        cli,
        ["pull", "--gtins", str(gtins), "-o", str(out), "--max-attempts", "1"],
        env={"GS1LD_API_URL": url, "GS1LD_API_KEY": KEY},
    )
    assert result.exit_code == 1, result.output
    assert KEY not in result.output
    lines = dict(line.split(": ", 1) for line in result.output.splitlines()[:-1])
    reasons = {kind: lines[code] for code, kind in bad.items()}
    for kind in ("html", "truncated", "xml"):
        assert reasons[kind].startswith("The API's answer for GTIN "), reasons[kind]
        assert "is not JSON" in reasons[kind]
    assert "is empty" in reasons["redirect"]
    assert reasons["echo-key"].endswith("key *** is revoked")
    assert "breaks an entry limit" in reasons["deep"]
    assert (
        result.output.splitlines()[-1] == f"2 pulled, 0 already there, 6 failed, 0 refused -> {out}"
    )
    assert sorted(p.stem for p in out.iterdir()) == sorted(good)


def test_files_are_written_with_the_umask(api: tuple[MisbehavingApi, str], tmp_path: Path) -> None:
    _, url = api
    out = tmp_path / "catalog"
    old = os.umask(0o002)
    try:
        result = CliRunner().invoke(
            cli,
            ["pull", "--gtins", "-", "-o", str(out), "--report-format", "json"],
            input=gtin(300),
            env={"GS1LD_API_URL": url, "GS1LD_API_KEY": KEY},
        )
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert orjson.loads(result.stdout) == {
        "pulled": 1,
        "skipped": 0,
        "failed": 0,
        "refused": 0,
        "output": str(out),
        "api": {"host": "127.0.0.1", "url": url, "from": "GS1LD_API_URL"},
        "config_file": None,
        "options_from_config_file": [],
        "failures": [],
        "refused_lines": [],
    }
    assert (out / f"{gtin(300)}.json").stat().st_mode & 0o777 == 0o664


def test_ctrl_c_exits_130_with_no_summary(api: tuple[MisbehavingApi, str], tmp_path: Path) -> None:
    fake, url = api
    first, stuck = gtin(400), gtin(401)
    fake.kinds[stuck] = "block"
    gtins = tmp_path / "gtins.txt"
    gtins.write_text(f"{first}\n{stuck}\n", encoding="utf-8")
    out = tmp_path / "catalog"
    env: dict[str, Any] = {**os.environ, "GS1LD_API_URL": url, "GS1LD_API_KEY": KEY}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gs1ld",
            "pull",
            "--gtins",
            str(gtins),
            "-o",
            str(out),
            "--concurrency",
            "1",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
        start_new_session=True,
    )
    try:
        assert fake.arrived.wait(timeout=60), "the pull never asked for the stuck GTIN"
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, (stdout, stderr)
    assert stdout == ""  # no "N pulled, ..." summary
    assert "interrupted" in stderr
    assert "Traceback" not in stderr
    assert [p.name for p in out.iterdir() if not p.name.startswith(".")] == [f"{first}.json"]
