"""The Dockerfile and the example systemd unit: checked for their essentials everywhere,
built and run only where a container engine answers.
"""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
import tomllib

import pytest

from gs1ld.server.app import HEALTH_PATH
from support import PROJECT_ROOT

DOCKERFILE = PROJECT_ROOT / "Dockerfile"
UNIT = PROJECT_ROOT / "deploy" / "gs1ld.service"


def _instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text("utf-8"))
    rows = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            rows.append((keyword.upper(), rest.strip()))
    return rows


def _final_stage() -> list[tuple[str, str]]:
    rows = _instructions()
    last_from = max(i for i, (keyword, _) in enumerate(rows) if keyword == "FROM")
    return rows[last_from:]


def test_the_image_is_slim_and_runs_as_a_user() -> None:
    stage = _final_stage()
    assert re.fullmatch(r"python:3\.\d+-slim", stage[0][1])
    users = [rest for keyword, rest in stage if keyword == "USER"]
    assert users, "the final stage sets no USER"
    assert users[-1].split(":")[0] not in ("0", "root")
    keywords = [keyword for keyword, _ in stage]
    assert keywords.index("USER") < keywords.index("ENTRYPOINT")


def test_the_image_checks_its_health_on_its_port() -> None:
    stage = dict(_final_stage())
    assert HEALTH_PATH in stage["HEALTHCHECK"]
    assert "GS1LD_SERVE_PORT" in stage["HEALTHCHECK"]
    assert re.search(r"GS1LD_SERVE_PORT=(\d+)", stage["ENV"]).group(1) == stage["EXPOSE"]  # type: ignore[union-attr]
    assert "GS1LD_SERVE_HOST=0.0.0.0" in stage["ENV"]
    assert stage["ENTRYPOINT"] == '["gs1ld", "serve"]'
    assert stage["STOPSIGNAL"] == "SIGTERM"


def test_the_image_copies_everything_the_wheel_needs() -> None:
    copied = set()
    for keyword, rest in _instructions():
        if keyword == "COPY" and not rest.startswith("--from"):
            *sources, _ = rest.split()
            copied.update(sources)
    for source in copied:
        assert (PROJECT_ROOT / source).exists(), source
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text("utf-8"))
    included = project["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert set(included) | {"pyproject.toml", "README.md", "LICENSE", "src"} <= copied


def test_the_systemd_unit_runs_the_server_as_a_user_and_stops_it_with_sigterm() -> None:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read_string(re.sub(r"\\\n\s*", " ", UNIT.read_text("utf-8")))
    service = unit["Service"]
    command = service["ExecStart"].split()
    assert command[0].startswith("/")
    assert command[0].endswith("/gs1ld")
    assert command[1] == "serve"
    assert service["User"] not in ("root", "0")
    assert service["KillSignal"] == "SIGTERM"
    assert service["Restart"] == "on-failure"
    assert service["NoNewPrivileges"] == "yes"
    assert unit["Install"]["WantedBy"] == "multi-user.target"
    from gs1ld.cli.serve import serve

    options = {opt for param in serve.params for opt in getattr(param, "opts", [])}
    for word in command[2:]:
        if word.startswith("--"):
            assert word in options, f"{word} is not a gs1ld serve option"


def _engine() -> str | None:
    for engine in ("docker", "podman"):
        if shutil.which(engine):
            probe = subprocess.run([engine, "info"], capture_output=True, timeout=60)
            if probe.returncode == 0:
                return engine
    return None


@pytest.mark.slow
def test_the_image_builds_where_a_container_engine_runs() -> None:
    engine = _engine()
    if engine is None:
        pytest.skip("no container engine answers here (docker/podman info fails): linted only")
    subprocess.run(
        [engine, "build", "-t", "gs1ld-test", str(PROJECT_ROOT)], check=True, timeout=1800
    )
    version = subprocess.run(
        [engine, "run", "--rm", "--entrypoint", "gs1ld", "gs1ld-test", "--version"],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert version.stdout.startswith("gs1ld")
    user = subprocess.run(
        [engine, "run", "--rm", "--entrypoint", "id", "gs1ld-test", "-u"],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert user.stdout.strip() != "0"
