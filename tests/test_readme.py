"""The README is short, its first screen has the two commands, and its links lead somewhere.

Its code blocks run with the documentation's (tests/docs/test_code_blocks.py).
"""

from __future__ import annotations

import re

from support import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
MAKEFILE = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")


def test_first_screen_has_exactly_the_two_commands() -> None:
    first_screen = README.split("\n---\n", 1)[0]
    assert len(first_screen.splitlines()) <= 25, "the two commands must be on the first screen"
    blocks = re.findall(r"```sh\n(.*?)```", first_screen, re.DOTALL)
    commands = [line.split("#")[0].strip() for block in blocks for line in block.splitlines()]
    assert [c for c in commands if c] == ["make demo", "make test"]


def test_the_two_commands_are_make_targets() -> None:
    """What a fresh clone runs: both targets exist, and the demo pins the day."""
    assert re.search(r"^demo:", MAKEFILE, re.MULTILINE)
    assert re.search(r"^test:", MAKEFILE, re.MULTILINE)
    assert "--today $(DEMO_TODAY)" in MAKEFILE


def test_the_readme_stays_short() -> None:
    assert len(README.splitlines()) <= 200


def test_every_relative_link_of_the_readme_exists() -> None:
    links = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", README)
    relative = [link for link in links if "://" not in link]
    assert relative, "the README links into the docs"
    missing = [link for link in relative if not (PROJECT_ROOT / link).exists()]
    assert missing == []


def test_the_readme_links_every_guide() -> None:
    guides = sorted((PROJECT_ROOT / "docs" / "guides").glob("*.md"))
    assert guides
    for guide in guides:
        if guide.name in {"deploy-hybrid.md"}:  # linked from the deploying guide
            continue
        assert f"docs/guides/{guide.name}" in README, guide.name
