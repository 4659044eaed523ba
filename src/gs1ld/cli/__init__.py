"""The ``gs1ld`` command line: a click group whose commands load lazily.

Each command lives in its own module and is imported only when it runs, so
``gs1ld --help`` stays instant even though some commands need rdflib or pyshacl.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

__all__ = ["cli", "main"]

# command name -> "module:attribute"; order here is the order in --help
COMMANDS: dict[str, str] = {
    "check": "gs1ld.cli.check:check",
    "convert": "gs1ld.cli.convert:convert",
    "link": "gs1ld.cli.link:link",
    "pull": "gs1ld.cli.pull:pull",
    "schema": "gs1ld.cli.schema:schema",
    "site": "gs1ld.cli.site:site",
    "serve": "gs1ld.cli.serve:serve",
    "validate": "gs1ld.cli.validate:validate",
}

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_CANNOT_RUN = 2


class LazyGroup(click.Group):
    """A click group that imports a command's module on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        command: click.Command = getattr(importlib.import_module(module_name), attribute)
        return command


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("gs1ld")
    except PackageNotFoundError:  # pragma: no cover - running from an uninstalled checkout
        return "0+unknown"


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(_version(), "--version", "-V", prog_name="gs1ld")
def cli() -> None:
    """Turn product API feeds into GS1 Web Vocabulary JSON-LD and Digital Link pages.

    Exit codes: 0 success, 1 some input was invalid (reported, the rest was
    processed), 2 the command could not run (bad arguments, unreadable input).
    """


def main(argv: list[str] | None = None, **kwargs: Any) -> Any:
    """Run the command line (the ``gs1ld`` console script)."""
    return cli.main(args=argv, prog_name="gs1ld", **kwargs)
