"""``gs1ld serve`` as a process: workers, TLS, access log, SIGTERM, a catalog that changes.

Each test starts a real ``gs1ld serve`` on a free port (``--port 0``) and reads
its output lines to know when it listens, built or rebuilt: no sleeping.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import ssl
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from gs1ld.server.app import HEALTH_PATH
from gs1ld.server.granian_server import granian_available
from support import EXAMPLE_CATALOG, under_ci

BASE = "https://id.brand.example"
FIRST = "09506000134352"
SECOND = "09506000134369"
_WAIT = 120.0
SERVERS = ["uvicorn", "granian"]
"""Every HTTP server ``--server`` offers must keep the same signals, TLS and logging."""


def _require(server: str) -> None:
    """Skip a granian case when granian is not installed (fail under CI=true: a dependency)."""
    if server == "granian" and not granian_available():
        reason = "granian is not installed (the granian extra, in the dev extra)"
        if under_ci():
            pytest.fail(f"{reason}, and CI=true requires it")
        pytest.skip(reason)


class Serve:
    """A running ``gs1ld serve`` whose output lines are read on a thread."""

    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gs1ld", "serve", *args, "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "400"},
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.url = self.wait_for("serving ").split(" at ", 1)[1].split("/ ", 1)[0]

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def wait_for(self, prefix: str) -> str:
        """The next output line starting with ``prefix`` (fails if the process ends first)."""
        while True:
            try:
                line = self.lines.get(timeout=_WAIT)
            except queue.Empty:
                raise AssertionError(f"no {prefix!r} line; output: {self.seen}") from None
            if line is None:
                raise AssertionError(f"gs1ld serve ended before {prefix!r}: {self.seen}")
            self.seen.append(line)
            if line.startswith(prefix):
                return line

    def stop(self, signum: int = signal.SIGTERM) -> int:
        """Send ``signum`` and return the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signum)
        return self.process.wait(timeout=60)


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    """A catalog folder of the first two example products."""
    folder = tmp_path / "catalog"
    folder.mkdir()
    for path in sorted(EXAMPLE_CATALOG.glob("*.json"))[:2]:
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture
def built_site(tmp_path: Path, catalog: Path) -> Path:
    """The catalog built into a site."""
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "gs1ld", "site", "build", str(catalog), "-o", str(site),
         "--base-url", BASE, "--today", "2026-06-01", "--no-validate"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return site


def _temporary_site(serve: Serve) -> Path:
    built = next(line for line in serve.seen if line.startswith("built "))
    return Path(built.split(" ", 1)[1].split(":", 1)[0]).parent


@pytest.mark.parametrize("server", SERVERS)
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_served_catalog_removes_its_temporary_site_when_stopped(
    catalog: Path, signum: int, server: str
) -> None:
    _require(server)
    serve = Serve(str(catalog), "--base-url", BASE, "--today", "2026-06-01", "--server", server)
    try:
        work = _temporary_site(serve)
        assert (work / "site" / "current" / "manifest.json").is_file()
        assert httpx.get(f"{serve.url}/01/{FIRST}", timeout=30).status_code == 307
    finally:
        code = serve.stop(signum)
    assert code == 0
    assert not work.exists()
    assert not any("Traceback" in line for line in serve.seen)


def test_a_served_catalog_is_rebuilt_when_it_changes(catalog: Path) -> None:
    serve = Serve(
        str(catalog), "--base-url", BASE, "--today", "2026-06-01", "--max-removals", "100%"
    )
    try:
        with httpx.Client(base_url=serve.url, timeout=30) as client:
            assert client.get(f"/01/{SECOND}").status_code == 307
            third = sorted(EXAMPLE_CATALOG.glob("*.json"))[2]
            added = json.loads(third.read_text("utf-8"))["gtin"]
            assert client.get(f"/01/{added}").status_code == 404
            second_file = sorted(catalog.glob("*.json"))[1]
            second_file.unlink()
            shutil.copy(third, catalog / third.name)
            line = serve.wait_for("rebuilt ")
            assert "1 removed" in line
            # the server looks for a rebuild at most once a second, when asked: ask until
            # it has looked (each request is a chance), within a generous deadline
            deadline = time.monotonic() + _WAIT
            while client.get(f"/01/{added}").status_code != 307:
                assert time.monotonic() < deadline, "the rebuild was never picked up"
            assert client.get(f"/01/{SECOND}").status_code == 404
    finally:
        assert serve.stop() == 0


@pytest.mark.parametrize("server", SERVERS)
def test_workers_access_log_and_sigterm(built_site: Path, tmp_path: Path, server: str) -> None:
    _require(server)
    log = tmp_path / "access.jsonl"
    serve = Serve(
        str(built_site), "--base-url", BASE, "--workers", "2", "--access-log", str(log),
        "--log-level", "info", "--server", server,
    )  # fmt: skip
    try:
        assert "2 workers" in serve.seen[-1]
        with httpx.Client(base_url=serve.url, timeout=30) as client:
            for _ in range(20):
                assert client.get(f"/01/{FIRST}").status_code == 307
            health = client.get(HEALTH_PATH)
        assert health.status_code == 200
        assert health.json()["status"] == "ok"
    finally:
        code = serve.stop()
    assert code == 0
    records = [json.loads(line) for line in log.read_text("utf-8").splitlines()]
    assert len(records) == 21
    assert {(r["method"], r["path"], r["status"]) for r in records} == {
        ("GET", f"/01/{FIRST}", 307),
        ("GET", HEALTH_PATH, 200),
    }
    assert not any("Traceback" in line for line in serve.seen)


def test_trust_proxy_never_rebases_the_answers(built_site: Path) -> None:
    """A forwarded host reaches no absolute URI: the site's pages and QR codes name BASE."""
    serve = Serve(str(built_site), "--trust-proxy")
    try:
        forwarded = {"X-Forwarded-Host": "other.example", "X-Forwarded-Proto": "https"}
        with httpx.Client(base_url=serve.url, timeout=30) as client:
            redirect = client.get(f"/01/{FIRST}", headers=forwarded)
            linkset = client.get(
                f"/01/{FIRST}", headers={**forwarded, "Accept": "application/linkset+json"}
            )
        assert redirect.status_code == 307
        assert redirect.headers["location"].startswith(BASE + "/")
        assert linkset.json()["linkset"][0]["anchor"] == f"{BASE}/01/{FIRST}"
        assert "other.example" not in linkset.text + redirect.headers.get("link", "")
    finally:
        assert serve.stop() == 0


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (cert, key), made with the openssl CLI."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.mark.parametrize("server", SERVERS)
def test_tls_options_are_passed_through(
    built_site: Path, certificate: tuple[Path, Path], server: str
) -> None:
    _require(server)
    cert, key = certificate
    serve = Serve(
        str(built_site), "--base-url", BASE, "--ssl-certfile", str(cert), "--ssl-keyfile", str(key),
        "--server", server,
    )  # fmt: skip
    try:
        assert serve.url.startswith("https://127.0.0.1:")
        trust = ssl.create_default_context(cafile=str(cert))
        with httpx.Client(base_url=serve.url, verify=trust, timeout=30) as client:
            assert client.get(HEALTH_PATH).status_code == 200
            assert client.get(f"/01/{FIRST}").status_code == 307
    finally:
        assert serve.stop() == 0


def test_a_bad_certificate_is_a_clear_error(built_site: Path, tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.pem"
    bogus.write_text("not a certificate", "utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "gs1ld", "serve", str(built_site), "--base-url", BASE,
         "--port", "0", "--ssl-certfile", str(bogus)],
        capture_output=True,
        text=True,
        timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    assert "cannot use" in result.stderr
    assert "TLS certificate" in result.stderr
    assert "Traceback" not in result.stderr
