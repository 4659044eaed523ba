"""Helpers the tests import by name (``from support import ...``).

Kept out of ``conftest.py`` because several folders have a ``conftest.py`` and
``from conftest import`` would pick whichever pytest imported last.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = PROJECT_ROOT.parent / "shared"
EXAMPLE_CATALOG = PROJECT_ROOT / "examples" / "catalog"


def json_positions(node: Any) -> Iterator[tuple[Any, Any, Any]]:
    """(container, key, value) for every value in a JSON tree, ``@context`` left out.

    For tests that plant a defect at a random place of a JSON-LD document.
    """
    if isinstance(node, dict):
        for key, value in node.items():
            if key != "@context":
                yield node, key, value
                yield from json_positions(value)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield node, i, value
            yield from json_positions(value)


def under_ci() -> bool:
    """True when CI=true (or 1/yes) is set, as on the project's CI."""
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_shared(relative: str) -> Path:
    """Return ``../shared/<relative>``; skip the test when it is absent, fail under CI.

    The shared standards files (vocabulary, Digital Link vectors) sit beside the
    project on developer and CI machines but not on a user's, where the tests that
    need them skip with a reason.  Under CI (``CI=true``) they must be there.
    """
    path = SHARED_DIR / relative
    if not path.exists():
        reason = f"shared reference file {path} is not present"
        if under_ci():
            pytest.fail(f"{reason}, and CI=true requires it")
        pytest.skip(reason)
    return path


def regenerate(script: str, source: Path, target: Path) -> bytes:
    """Run a generator in ``scripts/`` from ``source`` into ``target``; return what it wrote.

    Generated files are committed; tests regenerate them and compare, so the
    committed copy can never drift from its source.
    """
    subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "scripts" / script), str(source), str(target)],
        check=True,
        capture_output=True,
    )
    return target.read_bytes()


class RunningServer:
    """A uvicorn server in a thread on a free 127.0.0.1 port.

    The socket is bound and listening before the thread starts, so a client can
    connect at once: no sleeping or polling for readiness.
    """

    def __init__(self, app: Any) -> None:
        import uvicorn

        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(128)
        self.port: int = self.sock.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True
        )

    @property
    def url(self) -> str:
        """The server's base URL."""
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> RunningServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()


def food_entry(product: dict[str, Any] | None = None, **content: Any) -> Any:
    """A catalog entry (GTIN 09506000134352) with an empty bundle but for ``content``."""
    from gs1ld.catalog import parse_entry

    bundle: dict[str, Any] = {
        "images": [],
        "ingredients": [],
        "certifications": [],
        "claims": [],
        "recalls": [],
    }
    bundle.update(content)
    return parse_entry(
        {"gtin": "09506000134352", "product": product or {"kind": "food"}, "content": bundle}
    )


AsgiAnswer = tuple[int, dict[str, str], bytes]


def call_asgi(
    app: Any,
    path: str,
    *,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    query: bytes = b"",
    raw_path: bytes | None = None,
) -> AsgiAnswer:
    """One request straight into the ASGI app (no socket): (status, headers, body).

    Repeated response headers are joined with ", " as a client would read them.
    """
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": raw_path if raw_path is not None else path.encode("utf-8", "surrogatepass"),
        "query_string": query,
        "headers": [
            (k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()
        ],
        "client": ("127.0.0.1", 40000),
        "server": ("127.0.0.1", 8080),
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start, *rest = sent
    found: dict[str, str] = {}
    for name, value in start["headers"]:
        key = name.decode("latin-1")
        found[key] = (
            f"{found[key]}, {value.decode('latin-1')}" if key in found else value.decode("latin-1")
        )
    return start["status"], found, b"".join(m.get("body", b"") for m in rest)


def local_cluster() -> Any:
    """A two-process Dask LocalCluster on loopback, without a dashboard (a context manager)."""
    import distributed

    return distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        host="127.0.0.1",
    )


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now (for servers that cannot report theirs)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def isolate_from_aws_config(monkeypatch: Any, tmp_path: Path) -> None:
    """No AWS credentials or configuration of the machine, no instance-metadata lookups."""
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    import s3fs

    s3fs.S3FileSystem.clear_instance_cache()  # instances remember the environment they met


AZURITE_KEY = (
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
)
"""Azurite's documented development-account key (public: it opens only the emulator)."""


def azurite_binary() -> str:
    """The ``azurite-blob`` command: ``$GS1LD_AZURITE``, on the PATH, or where ``.ci/run``
    installs it; skips the test when there is none, and fails under CI, which installs it."""
    candidates = [
        os.environ.get("GS1LD_AZURITE", ""),
        shutil.which("azurite-blob") or "",
        str(Path.home() / ".cache/gs1ld-ci/azurite/node_modules/.bin/azurite-blob"),
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return candidate
    reason = "azurite-blob (npm install azurite) is not installed"
    if under_ci():
        pytest.fail(f"{reason}, and CI=true requires it")
    pytest.skip(reason)


_READY_SECONDS = 20.0
"""How long a server started by a fixture may take to listen."""


def wait_listening(process: subprocess.Popen[bytes], port: int, log: Path) -> None:
    """Return once ``port`` accepts connections; raise if the process exits first.

    The servers give no readiness signal on stdout, so this waits on the
    condition itself (a connect that succeeds), never a fixed sleep.
    """
    deadline = time.monotonic() + _READY_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}: {_tail(log)}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=0.05)  # wakes at once if the server dies
    raise RuntimeError(f"server not listening on {port}: {_tail(log)}")


def _tail(log: Path) -> str:
    try:
        return log.read_text("utf-8", "replace")[-2000:]
    except OSError:
        return "(no log)"


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (a site folder's current build): site-relative path -> bytes."""
    from gs1ld.publish.layout import published_root

    root = published_root(root)
    found = {}
    for folder, _, names in os.walk(root, followlinks=True):  # products are behind links
        for name in names:
            path = Path(folder, name)
            if path.is_file():
                found[str(path.relative_to(root))] = path.read_bytes()
    return found


def assert_store_copy_serves_like(synced: Path, local: Path, base: str) -> None:
    """A site published to object storage and synced down to ``synced`` is the local
    build at ``local`` plus the commit marker naming its build id, and serves."""
    from gs1ld.publish import Manifest
    from gs1ld.server.app import ServerConfig, create_app

    remote, expected = tree_bytes(synced), tree_bytes(local)
    build_id = pop_store_records(remote)
    assert remote == expected
    manifest = Manifest.read(synced)
    assert build_id == manifest.build_id
    gtin = next(manifest.entries()).gtin
    app = create_app(synced, config=ServerConfig(base_url=base))
    status, _, body = call_asgi(app, f"/01/{gtin}/index.html")
    assert (status, body) == (200, expected[f"01/{gtin}/index.html"])
    status, headers, _ = call_asgi(app, f"/01/{gtin}")
    assert (status, headers["location"]) == (307, f"{base}/01/{gtin}/index.html")


def pop_store_records(tree: dict[str, bytes]) -> str:
    """Take the records of the committed build out of ``tree`` (a site synced down from a
    store after a build completed), which a local build has no need of: the commit
    marker and the record of its site-wide files.  Both must name the same build, and
    the record exactly the site-wide files of ``tree``.  Returns the build id."""
    from gs1ld.publish import MANIFEST_FILE
    from gs1ld.site.store import COMMIT_FILE, SITEWIDE_OBJECT, SOURCES_OBJECT

    build_id: str = json.loads(tree.pop(COMMIT_FILE))["build_id"]
    record = json.loads(tree.pop(SITEWIDE_OBJECT))
    others = (MANIFEST_FILE, SOURCES_OBJECT)
    sitewide = sorted(p for p in tree if not p.startswith("01/") and p not in others)
    assert record == {"build_id": build_id, "files": sitewide}
    return build_id


def sync_down(fs: Any, url: str, target: Path) -> Path:
    """Copy the site at ``url`` (``s3://bucket/site``, ``az://container/site``) to ``target``."""
    fs.invalidate_cache()  # this process's listings predate the build
    fs.get(url.split("://", 1)[-1] + "/", str(target), recursive=True)
    return target


def parse_command_line(args: list[str]) -> None:
    """Parse a ``gs1ld`` command line down to its command, as click would before running it.

    Raises click's usage errors for an unknown command or option, without running anything.
    """
    import click

    from gs1ld.cli import cli

    ctx = cli.make_context("gs1ld", list(args))
    command: click.Command = cli
    while isinstance(command, click.Group):
        name, found, rest = command.resolve_command(ctx, [*ctx._protected_args, *ctx.args])
        assert name is not None
        assert found is not None
        command = found
        ctx = command.make_context(name, rest, parent=ctx)
