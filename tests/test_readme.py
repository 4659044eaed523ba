"""The README's library example runs as written, and its first screen has the two commands."""

from __future__ import annotations

import re

import pytest

from support import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def test_first_screen_has_exactly_the_two_commands() -> None:
    first_screen = README.split("---", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", first_screen, re.DOTALL)
    commands = [line.split("#")[0].strip() for block in blocks for line in block.splitlines()]
    assert [c for c in commands if c] == ["make demo", "make test"]


@pytest.mark.parametrize("index", range(len(re.findall(r"```python\n", README))))
def test_python_examples_run(index: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(PROJECT_ROOT)
    code = re.findall(r"```python\n(.*?)```", README, re.DOTALL)[index]
    exec(compile(code, f"README.md python block {index}", "exec"), {})
