"""Credentials go only where the user sent them, and are never printed.

A folder's config file (``gs1ld.toml``, ``[tool.gs1ld]`` in ``pyproject.toml``,
``--config FILE``) may have been written by anyone who could put a file there.
These tests play that someone: a fake API on 127.0.0.1 records every request it
receives, so "the key never reached it" is an observation, not a belief.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
import orjson
import pytest
from click.testing import CliRunner, Result
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from gs1ld.cli import COMMANDS, cli
from gs1ld.cli._config import COMMAND_LINE_ONLY, WRITE_PATHS
from support import EXAMPLE_CATALOG, PROJECT_ROOT, RunningServer

USER_KEY = "user-key-NEVER-LEAVES-0001"
HOST_KEY = "key-for-127-only-0002"
MILK = "09506000134352"
HOSTILE_TOML = '[pull]\napi_url = "{url}"\n'
HOSTILE_PYPROJECT = '[project]\nname = "their-catalog"\n\n[tool.gs1ld.pull]\napi-url = "{url}"\n'
CLEAN_ENV: dict[str, str | None] = {
    "GS1LD_API_URL": None,
    "GS1LD_API_TOKEN": None,
    "GS1LD_PULL_API_URL": None,
    "GS1LD_PULL_API_KEY": None,
    "GS1LD_API_KEY_127_0_0_1": None,
    "GS1LD_CONFIG": None,
    "GS1LD_API_KEY": USER_KEY,
}


def _bundle() -> Any:
    """The example catalog's bundle for MILK, a product the API could send."""
    from gs1ld.catalog.reader import iter_raw_entries

    bundles = {raw.data["gtin"]: raw.data["content"] for raw in iter_raw_entries(EXAMPLE_CATALOG)}
    return bundles[MILK]


@dataclass
class Recorder:
    """A fake API that answers every GET with an empty bundle and keeps what it was sent."""

    seen: list[dict[str, str]] = field(default_factory=list)

    async def answer(self, request: Request) -> Response:
        self.seen.append(
            {
                "path": request.url.path,
                "key": request.headers.get("x-api-key", ""),
                "authorization": request.headers.get("authorization", ""),
            }
        )
        return Response(orjson.dumps(_bundle()), media_type="application/json")

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/{path:path}", self.answer)])

    def keys(self) -> set[str]:
        return {r["key"] for r in self.seen} | {r["authorization"] for r in self.seen} - {""}


@pytest.fixture
def theirs() -> Iterator[tuple[Recorder, str]]:
    """The host a hostile config file names."""
    recorder = Recorder()
    with RunningServer(recorder.app()) as server:
        yield recorder, server.url


@pytest.fixture
def mine() -> Iterator[tuple[Recorder, str]]:
    """A host the user names on the command line or in the environment."""
    recorder = Recorder()
    with RunningServer(recorder.app()) as server:
        yield recorder, server.url


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Someone else's catalog repository, cloned; the user runs gs1ld in it."""
    repo = tmp_path / "their-repo"
    repo.mkdir()
    (repo / "gtins.txt").write_text(f"{MILK}\n", "utf-8")
    monkeypatch.chdir(repo)
    return repo


def _hostile(folder: Path, kind: str, url: str) -> tuple[Path, list[str]]:
    """Write the hostile file; return it and the global options that make gs1ld read it."""
    if kind == "gs1ld.toml":
        path = folder / "gs1ld.toml"
        path.write_text(HOSTILE_TOML.format(url=url), "utf-8")
        return path, []
    if kind == "pyproject.toml":
        path = folder / "pyproject.toml"
        path.write_text(HOSTILE_PYPROJECT.format(url=url), "utf-8")
        return path, []
    path = folder / "settings" / "shared.toml"
    path.parent.mkdir()
    path.write_text(HOSTILE_TOML.format(url=url), "utf-8")
    return path, ["--config", str(path)]


def _pull(before: list[str], *args: str, **env: str | None) -> Result:
    command = [*before, "pull", "--gtins", "gtins.txt", "-o", "catalog", *args]
    return CliRunner().invoke(cli, command, env={**CLEAN_ENV, **env})


KINDS = ["gs1ld.toml", "pyproject.toml", "--config"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("args", "env"),
    [
        ([], {}),
        (["--api-key", "typed-on-the-command-line"], {}),
        ([], {"GS1LD_API_KEY": None, "GS1LD_API_TOKEN": "user-token-0003"}),
    ],
    ids=["env-key", "command-line-key", "env-token"],
)
def test_a_config_file_cannot_send_the_key_to_its_own_host(
    kind: str,
    args: list[str],
    env: dict[str, str | None],
    folder: Path,
    theirs: tuple[Recorder, str],
) -> None:
    recorder, url = theirs
    path, before = _hostile(folder, kind, url)
    result = _pull(before, *args, **env)
    assert recorder.seen == []
    assert result.exit_code == 2
    assert result.output == (
        f"error: {path}: api-url names host 127.0.0.1, which you did not name; your API key "
        "goes only to www.closient.com or a host given with --api-url or GS1LD_API_URL. "
        "To use this host, set GS1LD_API_KEY_127_0_0_1 to its key\n"
    )
    assert not (folder / "catalog").exists()


@pytest.mark.parametrize("kind", KINDS)
def test_a_key_given_for_the_files_host_is_the_only_one_it_gets(
    kind: str, folder: Path, theirs: tuple[Recorder, str]
) -> None:
    recorder, url = theirs
    path, before = _hostile(folder, kind, url)
    result = _pull(
        before,
        "--report-format",
        "json",
        GS1LD_API_KEY_127_0_0_1=HOST_KEY,
        GS1LD_API_TOKEN="user-token-0003",
    )
    assert result.exit_code == 0, result.output
    assert recorder.keys() == {HOST_KEY}
    assert [r["path"] for r in recorder.seen] == [f"/products/api/v1/products/{MILK}/content"]
    assert result.stderr == (f"API: 127.0.0.1 ({url}, from {path})\noptions from {path}: api-url\n")
    report = orjson.loads(result.stdout)
    assert report["api"] == {"host": "127.0.0.1", "url": url, "from": str(path)}
    assert (report["config_file"], report["options_from_config_file"]) == (str(path), ["api-url"])
    assert HOST_KEY not in result.output


@pytest.mark.parametrize("where", ["command line", "GS1LD_API_URL", "GS1LD_PULL_API_URL"])
def test_the_host_the_user_names_wins_over_the_files(
    where: str, folder: Path, theirs: tuple[Recorder, str], mine: tuple[Recorder, str]
) -> None:
    their_recorder, their_url = theirs
    my_recorder, my_url = mine
    _hostile(folder, "gs1ld.toml", their_url)
    if where == "command line":
        result = _pull([], "--api-url", my_url)
        origin = "--api-url"
    else:
        result = _pull([], **{where: my_url})
        origin = where
    assert result.exit_code == 0, result.output
    assert their_recorder.seen == []
    assert my_recorder.keys() == {USER_KEY}
    assert result.stderr.splitlines()[0] == f"API: 127.0.0.1 ({my_url}, from {origin})"


def test_without_a_config_file_pull_says_it_reads_none(
    folder: Path, mine: tuple[Recorder, str]
) -> None:
    recorder, url = mine
    result = _pull([], "--report-format", "json", GS1LD_API_URL=url)
    assert result.exit_code == 0, result.output
    assert recorder.keys() == {USER_KEY}
    report = orjson.loads(result.stdout)
    assert (report["config_file"], report["options_from_config_file"]) == (None, [])
    assert report["api"]["from"] == "GS1LD_API_URL"


@pytest.mark.parametrize(
    "url",
    ["http://api.brand.example", "http://10.0.0.7:8080/", "http://127.0.0.1.nip.io"],
)
def test_no_key_crosses_plain_http_to_another_machine(url: str, folder: Path) -> None:
    host = url.split("//")[1].split(":")[0].split("/")[0]
    result = _pull([], "--api-url", url)
    assert result.exit_code == 2
    assert result.output == (
        f"error: --api-url: refusing to send the API key to {host} over plain http; use "
        "https (plain http is allowed only to a loopback address)\n"
    )


def test_plain_http_to_localhost_by_name_is_allowed(
    folder: Path, mine: tuple[Recorder, str]
) -> None:
    recorder, url = mine
    result = _pull([], "--api-url", url.replace("127.0.0.1", "localhost"))
    assert result.exit_code == 0, result.output
    assert recorder.keys() == {USER_KEY}


# --- what a config file may set ------------------------------------------------------------

REFUSED = [
    ("pull", "api-key", '"their-key"'),
    ("pull", "token", '"their-token"'),
    ("check", "storage-option", '["endpoint_url=https://store.attacker.example"]'),
    ("convert", "scheduler", '"tcp://cluster.attacker.example:8786"'),
    ("site.build", "force", "true"),
    ("site.build", "scheduler", '"tcp://cluster.attacker.example:8786"'),
    ("site.build", "storage-option", '["key=x"]'),
    ("serve", "trust-proxy", "true"),
    ("serve", "host", '"0.0.0.0"'),
    ("validate", "allow-remote-contexts", "true"),
]


def _args(where: str) -> list[str]:
    return [*where.split("."), "catalog.jsonl"]


@pytest.mark.parametrize(
    ("where", "key", "value"), REFUSED, ids=[f"{w}-{k}" for w, k, _ in REFUSED]
)
@pytest.mark.parametrize("kind", ["gs1ld.toml", "pyproject.toml"])
def test_a_config_file_setting_a_command_line_only_option_is_one_error_line(
    where: str, key: str, value: str, kind: str, folder: Path
) -> None:
    table = f"[{where}]" if kind == "gs1ld.toml" else f"[tool.gs1ld.{where}]"
    path = folder / kind
    path.write_text(f"{table}\n{key} = {value}\n", "utf-8")
    result = CliRunner().invoke(cli, _args(where), env=CLEAN_ENV)
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith(
        f"error: {path}: [{where}] {key}: a config file may not set this option ("
    )
    assert lines[0].endswith("); give it on the command line or in the environment")


@pytest.mark.parametrize(
    ("where", "key", "value"),
    [
        ("pull", "output", "{outside}/catalog"),
        ("convert", "output", "../elsewhere.jsonl"),
        ("convert", "output", "link/out.jsonl"),
        ("site.build", "output", "s3://bucket.attacker.example/site"),
        ("site.build", "scratch", "{outside}"),
        ("serve", "access-log", "~/.bashrc"),
    ],
    ids=["absolute", "dot-dot", "symlink-out", "url", "scratch", "home"],
)
def test_a_config_file_writes_only_inside_the_folder(
    where: str, key: str, value: str, folder: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (folder / "link").symlink_to(outside)
    value = value.format(outside=outside)
    path = folder / "gs1ld.toml"
    path.write_text(f'[{where}]\n{key} = "{value}"\n', "utf-8")
    result = CliRunner().invoke(cli, _args(where), env=CLEAN_ENV)
    assert result.exit_code == 2
    assert result.output == (
        f"error: {path}: [{where}] {key} = {value!r}: a config file may name only a path "
        "inside the current folder; give others on the command line or in the environment\n"
    )


def test_safe_options_and_paths_inside_the_folder_still_come_from_the_file(
    folder: Path, mine: tuple[Recorder, str]
) -> None:
    recorder, url = mine
    (folder / "gs1ld.toml").write_text(
        '[pull]\noutput = "pulled/catalog.jsonl"\nconcurrency = 2\n', "utf-8"
    )
    result = CliRunner().invoke(
        cli, ["pull", "--gtins", "gtins.txt"], env={**CLEAN_ENV, "GS1LD_API_URL": url}
    )
    assert result.exit_code == 0, result.output
    assert (folder / "pulled" / "catalog.jsonl").is_file()
    assert recorder.keys() == {USER_KEY}
    assert result.stderr.splitlines()[1] == (
        f"options from {folder / 'gs1ld.toml'}: concurrency, output"
    )


def _long_names() -> dict[str, set[str]]:
    """Parameter name -> its long option names, over every command."""
    ctx = click.Context(cli)
    found: dict[str, set[str]] = {}

    def walk(command: click.Command) -> None:
        if isinstance(command, click.Group):
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                assert sub is not None
                walk(sub)
            return
        for param in command.params:
            longs = {o[2:] for o in getattr(param, "opts", []) if o.startswith("--")}
            found.setdefault(param.name or "", set()).update(longs)

    for name in COMMANDS:
        command = cli.get_command(ctx, name)
        assert command is not None
        walk(command)
    return found


def test_the_docs_list_every_option_a_config_file_may_not_set() -> None:
    guide = (PROJECT_ROOT / "docs" / "guides" / "configuration.md").read_text("utf-8")
    section = guide.split("## Options from the environment", 1)[1].split("\n## ", 1)[0]
    names = _long_names()
    for name in [*COMMAND_LINE_ONLY, *WRITE_PATHS]:
        assert name in names, f"{name} is no option of any command"
        longs = names[name]
        assert any(f"`{long}`" in section for long in longs), (
            f"the configuration guide omits {sorted(longs)}"
        )


# --- secrets of storage options ------------------------------------------------------------

SECRET = "SuperSecret123"
KEY_ID = "AKIDECHOED0004"


async def _deny_echoing(request: Request) -> Response:
    """An object store that quotes the request's credentials back in its error, as some do."""
    body = (
        '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code>'
        f"<Message>Denied: {request.headers.get('authorization', '')} with secret {SECRET}"
        "</Message><RequestId>1</RequestId></Error>"
    )
    return Response(body, status_code=403, media_type="application/xml")


@pytest.fixture
def echoing_store() -> Iterator[str]:
    app = Starlette(routes=[Route("/{path:path}", _deny_echoing, methods=["GET", "HEAD"])])
    with RunningServer(app) as server:
        yield server.url


@pytest.mark.parametrize(
    "command",
    [
        ["check", "s3://bucket/catalog.jsonl"],
        ["check", "s3://bucket/catalog.jsonl", "--report-format", "json"],
        ["convert", "s3://bucket/catalog.jsonl", "--report-format", "json"],
        ["site", "build", "s3://bucket/catalog.jsonl", "-o", "site", "--base-url", "https://x.ex"],
    ],
    ids=["check", "check-json", "convert-json", "site-build"],
)
def test_a_store_that_echoes_the_secret_gets_it_redacted(
    command: list[str], echoing_store: str, folder: Path
) -> None:
    result = CliRunner().invoke(
        cli,
        [
            *command,
            "--storage-option",
            f"key={KEY_ID}",
            "--storage-option",
            f"secret={SECRET}",
            "--storage-option",
            f"endpoint_url={echoing_store}",
        ],
        env={"AWS_MAX_ATTEMPTS": "1", "AWS_ACCESS_KEY_ID": None, "AWS_SECRET_ACCESS_KEY": None},
    )
    assert result.exit_code == 2
    assert "Denied: AWS4-HMAC-SHA256 Credential=***/" in result.output  # the echo did happen
    assert "with secret ***" in result.output
    assert SECRET not in result.output
    assert KEY_ID not in result.output


def test_an_unreachable_store_prints_no_part_of_the_secret(folder: Path) -> None:
    import socket

    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = CliRunner().invoke(
        cli,
        [
            "check",
            "s3://bucket/x.jsonl",
            "--storage-option",
            f"secret={SECRET}",
            "--storage-option",
            f"key={KEY_ID}",
            "--storage-option",
            f"endpoint_url=http://127.0.0.1:{port}",
            "--storage-option",
            f'client_kwargs={{"aws_session_token": "{SECRET}-session"}}',
        ],
        env={"AWS_MAX_ATTEMPTS": "1"},
    )
    assert result.exit_code == 2
    assert result.output.startswith("error: Cannot read catalog 's3://bucket/x.jsonl'")
    for part in (SECRET, KEY_ID, "Secret123", "session"):
        assert part not in result.output


def test_a_log_record_quoting_a_secret_is_redacted(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import logging
    import sys

    from gs1ld import _secrets

    for name in ("stdout", "stderr"):  # install() wraps them: put pytest's back afterwards
        monkeypatch.setattr(sys, name, getattr(sys, name))
    monkeypatch.setattr(logging, "lastResort", None)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        with _secrets.remembered():
            _secrets.install()
            _secrets.remember_storage_options({"connection_string": f"AccountKey={SECRET}"})
            logging.getLogger("adlfs.example").warning("signing with %s", f"AccountKey={SECRET}")
    finally:
        root.removeHandler(handler)
    assert stream.getvalue() == "signing with ***\n"


@pytest.mark.parametrize(
    ("options", "hidden", "shown"),
    [
        ({"secret": SECRET, "anon": False}, [SECRET], ["False"]),
        ({"account_key": SECRET, "account_name": "acct"}, [SECRET], ["acct"]),
        ({"sas_token": f"sv=1&sig={SECRET}"}, [f"sv=1&sig={SECRET}"], []),
        (
            {"client_kwargs": {"aws_secret_access_key": SECRET, "region_name": "eu"}},
            [SECRET],
            ["eu"],
        ),
        ({"credentials": {"client_id": "id-1", "pin": 4711}}, ["id-1", "4711"], []),
        ({"endpoint_url": f"https://user:{SECRET}@store.example"}, [SECRET], ["store.example"]),
    ],
    ids=["secret", "account-key", "sas", "nested", "credential-table", "url-password"],
)
def test_which_storage_option_values_are_secret(
    options: dict[str, Any], hidden: list[str], shown: list[str]
) -> None:
    from gs1ld import _secrets

    with _secrets.remembered():
        _secrets.remember_storage_options(options)
        text = _secrets.redact(" | ".join([*hidden, *shown]))
        report = _secrets.redact_data({"message": hidden, "ok": shown})
    assert text == " | ".join(["***"] * len(hidden) + shown)
    assert report == {"message": ["***"] * len(hidden), "ok": shown}
