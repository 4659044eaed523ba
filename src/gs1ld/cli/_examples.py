"""The examples every ``--help`` shows, also listed in the documentation's command reference.

One table holds two or three examples per command; the lazy command group puts
them in each command's help (a click epilog), ``tests/test_cli_examples.py``
runs every one of them (on the bundled example catalog, in order, in a scratch
folder), and the docs build writes them under the reference that mkdocs-click
generates from the commands (docs/reference/cli.md). :func:`reference_markdown`
renders the examples with every option as one Markdown text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import click

__all__ = ["EXAMPLES", "NOT_RUN", "add_examples", "leaf_commands", "reference_markdown"]

EXAMPLES: dict[str, tuple[str, ...]] = {
    "certifications": (
        "gs1ld certifications 09506000134352",
        "gs1ld certifications 09506000134352 --verification-status verified --active "
        "--ordering=-expiry_date",
        "gs1ld certifications 09506000134352 --page 2 --page-size 25 --report-format json",
    ),
    "check": (
        "gs1ld check examples/catalog",
        "gs1ld check examples/catalog --report-format json --quiet",
    ),
    "claims list": (
        "gs1ld claims list 09506000134352",
        "gs1ld claims 0950-6000-1343-52 --report-format json",
    ),
    "claims assign": (
        "gs1ld claims assign 09506000134352 --claim-id 2oLgjrDKpK2Ptv9poAH8Kj",
        "gs1ld claims assign 09506000134352 --claim-id 2oLgjrDKpK2Ptv9poAH8Kj "
        "--source THIRD_PARTY_VERIFIED --evidence-url https://lab.example/report.pdf "
        "--expiration-date 2027-12-31",
    ),
    "convert": (
        "gs1ld convert examples/catalog -o out --base-url https://id.brand.example "
        "--today 2026-06-01",
        "gs1ld convert examples/catalog -o catalog.nq --base-url https://id.brand.example",
        "gs1ld convert examples/catalog -o catalog.jsonld --no-validate",
    ),
    "explain": (
        "gs1ld explain examples/catalog --gtin 09506000134604 --today 2026-06-01",
        "gs1ld explain examples/catalog --gtin 9506000134352 --report-format json",
    ),
    "link build": (
        "gs1ld link build --gtin 09506000134352 --lot ABC1 --base-url https://id.brand.example",
        "gs1ld link build --gtin 9506000134352 --pad-gtin",
    ),
    "link canonical": (
        "gs1ld link canonical https://id.brand.example/01/09506000134352",
        "gs1ld link canonical https://id.brand.example/01/9506000134352/10/ABC1 --pad-gtin",
    ),
    "link compress": (
        "gs1ld link compress https://id.gs1.org/01/09506000134352/10/ABC1",
        "gs1ld link compress https://id.brand.example/01/09506000134352",
    ),
    "link decompress": (
        "gs1ld link decompress https://id.gs1.org/CxFKk4XBoIlXgg",
        "gs1ld link decompress https://id.gs1.org/CxFKk4XBoIlXgg --base-url https://id.brand.example",
    ),
    "link from-element-string": (
        "gs1ld link from-element-string '(01)09506000134352(10)ABC1'",
        "gs1ld link from-element-string '(01)09506000134352(21)S-7' --base-url https://id.brand.example",
    ),
    "link parse": (
        "gs1ld link parse https://id.gs1.org/01/09506000134352/10/ABC1",
        "gs1ld link parse https://id.brand.example/01/09506000134352/21/S-7",
    ),
    "link to-element-string": (
        "gs1ld link to-element-string https://id.gs1.org/01/09506000134352/10/ABC1",
        "gs1ld link to-element-string https://id.gs1.org/01/09506000134352/10/ABC1 --unbracketed",
    ),
    "pull": (
        "gs1ld pull --gtins gtins.txt -o catalog",
        "gs1ld pull --gtins gtins.txt -o catalog.jsonl --refresh --report-format json",
    ),
    "schema": ("gs1ld schema", "gs1ld schema --help"),
    "serve": (
        "gs1ld serve site --port 8080 --server uvicorn --workers 2 --access-log -",
        "gs1ld serve examples/catalog --base-url http://127.0.0.1:8080 --today 2026-06-01",
        "gs1ld serve examples/catalog --base-url http://127.0.0.1:8080 --theme examples/theme",
    ),
    "site build": (
        "gs1ld site build examples/catalog -o site --base-url https://id.brand.example "
        "--today 2026-06-01",
        "gs1ld site build examples/catalog -o site --base-url https://id.brand.example "
        "--max-removals 25% --upstream https://resolver-app.internal:8443",
        "gs1ld site build examples/catalog -o site --base-url https://id.brand.example "
        "--theme examples/theme --upstream http://127.0.0.1:8081 --site-root /var/www/brand-site",
    ),
    "validate": (
        "gs1ld validate out --today 2026-06-01",
        "gs1ld validate catalog.jsonld --report-format json --quiet",
    ),
}
"""Command path -> its examples, in the order the reference lists them."""

NOT_RUN: dict[str, str] = {
    "certifications": "it talks to the product API",
    "claims list": "it talks to the product API",
    "claims assign": "it talks to the product API",
    "pull": "it talks to the product API",
    "serve": "it runs until it is stopped",
}
"""Commands whose examples the test parses but does not run, and why."""


def leaf_commands(
    group: click.Group, path: tuple[str, ...] = ()
) -> Iterator[tuple[str, click.Command]]:
    """Every command under ``group`` that runs (not a group), with its path."""
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group):
            yield from leaf_commands(command, (*path, name))
        elif command is not None:
            yield " ".join((*path, name)), command


def add_examples(path: str, command: click.Command) -> None:
    """Give ``command`` (and, for a group, its commands) their examples as an epilog."""
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            add_examples(f"{path} {name}", sub)
        return
    examples = EXAMPLES.get(path)
    if examples and not command.epilog:
        lines = "\n".join(f"  {example}" for example in examples)
        command.epilog = f"Examples:\n\n\b\n{lines}"


_SENTENCE_END = re.compile(r"(?<!e\.g)(?<!i\.e)\.\s+(?=[A-Z(])")


def _first_sentence(text: str | None) -> str:
    sentence = _SENTENCE_END.split(" ".join((text or "").split()), maxsplit=1)[0].rstrip(".")
    return sentence.replace("|", "\\|")


def reference_markdown(root: click.Group) -> str:
    """Every command with its examples and options, as one Markdown text."""
    out: list[str] = []
    for path, command in leaf_commands(root):
        out.append(f"#### `gs1ld {path}`\n")
        out.append(_first_sentence(command.help) + ".\n")
        out.append("```sh")
        out.extend(EXAMPLES.get(path, ()))
        out.append("```\n")
        rows = []
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden:
                names = ", ".join(f"`{opt}`" for opt in param.opts)
                rows.append(f"| {names} | {_first_sentence(param.help)} |")
        if rows:
            out.append("| option | what it does |")
            out.append("| --- | --- |")
            out.extend(rows)
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
