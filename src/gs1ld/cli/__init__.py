"""The ``gs1ld`` command line: a click group whose commands load lazily.

Each command lives in its own module and is imported only when it runs, so
``gs1ld --help`` stays instant even though some commands need rdflib or pyshacl.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import click

__all__ = ["cli", "main"]

# command name -> "module:attribute"; order here is the order in --help
COMMANDS: dict[str, str] = {
    "check": "gs1ld.cli.check:check",
    "convert": "gs1ld.cli.convert:convert",
    "explain": "gs1ld.cli.explain:explain",
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


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "auto_envvar_prefix": "GS1LD"},
)
@click.version_option(_version(), "--version", "-V", prog_name="gs1ld")
@click.option(
    "--config",
    "config_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Option defaults, one table per command (default: ./gs1ld.toml, else "
    "[tool.gs1ld] in ./pyproject.toml).",
)
@click.pass_context
def cli(ctx: click.Context, config_file: Path | None) -> None:
    """Turn product API feeds into GS1 Web Vocabulary JSON-LD and Digital Link pages.

    Every option can also be set in the environment as GS1LD_<COMMAND>_<OPTION>
    (e.g. GS1LD_SITE_BUILD_BASE_URL) or in the config file; the command line wins,
    then the environment, then the file.

    Exit codes: 0 success, 1 some input was invalid (reported, the rest was
    processed), 2 the command could not run (bad arguments, unreadable input),
    130 interrupted.
    """
    from gs1ld.cli._config import check_section, find_config, load_config

    path = config_file or find_config(Path.cwd())
    if path is None:
        return
    defaults = load_config(path)
    for name, section in defaults.items():
        if name not in COMMANDS:
            raise click.UsageError(f"{path}: [{name}] names no gs1ld command")
        if name == ctx.invoked_subcommand:
            command = ctx.command.get_command(ctx, name)  # type: ignore[attr-defined]
            if command is not None:
                defaults[name] = check_section(path, name, command, section)
    ctx.default_map = defaults


def main(argv: list[str] | None = None, **kwargs: Any) -> Any:
    """Run the command line (the ``gs1ld`` console script)."""
    return cli.main(args=argv, prog_name="gs1ld", **kwargs)
