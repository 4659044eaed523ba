"""``gs1ld serve`` as a user starts it: a real process on a free port, then Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import httpx

from support import EXAMPLE_CATALOG


def test_serve_a_catalog_with_one_command() -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gs1ld",
            "serve",
            str(EXAMPLE_CATALOG),
            "--base-url",
            "https://id.brand.example",
            "--port",
            "0",
            "--today",
            "2026-06-01",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        for line in process.stdout:  # printed once the socket listens: no sleeping
            if line.startswith("serving "):
                url = line.split(" at ", 1)[1].split("/ ", 1)[0]
                break
        else:
            raise AssertionError("gs1ld serve exited before serving")
        with httpx.Client(base_url=url, timeout=30) as client:
            answer = client.get("/01/09506000134352")
        assert answer.status_code == 307
        assert answer.headers["location"] == (
            "https://id.brand.example/01/09506000134352/index.html"
        )
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
