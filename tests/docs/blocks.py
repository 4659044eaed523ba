"""The fenced code blocks of the README and the documentation, and how each is tested.

A block's language says what it is:

* ``python``: run (in a scratch folder holding the example catalog, with the fake
  product API's URL and key in the environment) and type-checked with
  ``mypy --strict``;
* ``console``: ``$ command`` lines, each followed by the output it prints; run, and
  the output compared (a line ``...`` stands for any number of lines);
* ``sh``: commands for the reader's own machine, not run; every ``gs1ld`` command
  in it is parsed by the command line, so a renamed option or command fails;
* ``json``: parsed;
* anything else (``text``, ``nginx``, ``apacheconf``, ``ini``, ``toml``, ``mermaid``…):
  shown only.

HTML comments right before a block change that:

* ``<!-- file: NAME -->`` writes the block into NAME in the page's scratch folder,
  for the blocks after it to use;
* ``<!-- not run: WHY -->`` shows a block that cannot run here (a Spark cluster, an
  illustration); ``<!-- not type-checked: WHY -->`` keeps a Python block out of mypy;
* ``<!-- output: not compared -->`` runs a console block but does not compare what
  it prints (ports, timings).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["SHOWN_ONLY", "Block", "Command", "blocks_of", "commands_of", "output_matches"]

SHOWN_ONLY = frozenset(
    {"text", "nginx", "apacheconf", "ini", "toml", "yaml", "mermaid", "dockerfile", "css", "jinja"}
)
"""Languages of blocks that are shown, never run."""

_FENCE = re.compile(r"^(?P<indent> *)```(?P<lang>[\w+-]*)\s*$")
_MARKER = re.compile(r"^\s*<!--\s*(?P<text>.*?)\s*-->\s*$")


@dataclass(frozen=True)
class Block:
    """One fenced code block.

    Attributes:
        path: the Markdown file.
        line: the line of its opening fence (1-based).
        lang: the language after the fence ("" when none).
        text: the block's content.
        markers: the HTML comments right before it (their text).
    """

    path: Path
    line: int
    lang: str
    text: str
    markers: tuple[str, ...]

    @property
    def name(self) -> str:
        """``file:line`` for test ids and messages."""
        return f"{self.path.name}:{self.line}"

    def marked(self, prefix: str) -> bool:
        """True when one of the block's markers starts with ``prefix``."""
        return any(marker.startswith(prefix) for marker in self.markers)

    def file_name(self) -> str | None:
        """The file a ``<!-- file: NAME -->`` marker writes this block into."""
        for marker in self.markers:
            if marker.startswith("file:"):
                return marker.split(":", 1)[1].strip()
        return None


def blocks_of(path: Path) -> list[Block]:
    """Every fenced block of ``path``, in order.

    >>> import tempfile
    >>> page = Path(tempfile.mkdtemp()) / "p.md"
    >>> text = "<!-- file: a.json -->\\n```json\\n{}\\n```\\ntext\\n```sh\\nls\\n```\\n"
    >>> _ = page.write_text(text)
    >>> [(b.lang, b.text, b.markers) for b in blocks_of(page)]
    [('json', '{}\\n', ('file: a.json',)), ('sh', 'ls\\n', ())]
    """
    lines = path.read_text("utf-8").splitlines()
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        match = _FENCE.match(lines[index])
        if match is None:
            index += 1
            continue
        markers: list[str] = []
        back = index - 1
        while back >= 0 and (found := _MARKER.match(lines[back])):
            markers.insert(0, found["text"])
            back -= 1
        indent = len(match["indent"])
        end = index + 1
        while end < len(lines) and lines[end].strip() != "```":
            end += 1
        body = [line[indent:] for line in lines[index + 1 : end]]
        text = "\n".join(body) + "\n" if body else ""
        blocks.append(Block(path, index + 1, match["lang"], text, tuple(markers)))
        index = end + 1
    return blocks


@dataclass(frozen=True)
class Command:
    """A ``$ command`` of a console block and the output shown after it."""

    line: str
    output: tuple[str, ...]


def commands_of(text: str) -> list[Command]:
    """The commands of a console block, each with its shown output.

    >>> commands_of("$ gs1ld check \\\\\\n    x\\nok\\n$ ls\\na\\nb\\n")
    [Command(line='gs1ld check x', output=('ok',)), Command(line='ls', output=('a', 'b'))]
    """
    commands: list[Command] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line.startswith("$ "):
            raise ValueError(f"output before any command: {line!r}")
        command = line[2:]
        while command.endswith("\\"):
            index += 1
            command = command[:-1].rstrip() + " " + lines[index].strip()
        index += 1
        output: list[str] = []
        while index < len(lines) and not lines[index].startswith("$ "):
            output.append(lines[index])
            index += 1
        commands.append(Command(command, tuple(output)))
    return commands


def output_matches(shown: tuple[str, ...], printed: list[str]) -> bool:
    """True when ``printed`` is what ``shown`` shows; a ``...`` line matches any lines.

    >>> output_matches(("a", "...", "z"), ["a", "b", "c", "z"])
    True
    >>> output_matches(("a", "z"), ["a", "b", "z"])
    False
    >>> output_matches(("a", "..."), ["a"])
    True
    """
    shown_lines = [line.rstrip() for line in shown]
    printed_lines = [line.rstrip() for line in printed]
    while shown_lines and not shown_lines[-1]:
        shown_lines.pop()
    while printed_lines and not printed_lines[-1]:
        printed_lines.pop()

    def match(i: int, j: int) -> bool:
        if i == len(shown_lines):
            return j == len(printed_lines)
        if shown_lines[i] == "...":
            return any(match(i + 1, k) for k in range(j, len(printed_lines) + 1))
        return j < len(printed_lines) and shown_lines[i] == printed_lines[j] and match(i + 1, j + 1)

    return match(0, 0)
