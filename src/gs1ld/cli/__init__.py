"""The ``gs1ld`` command line: a click group whose commands load lazily.

Each command lives in its own module and is imported only when it runs, so
``gs1ld --help`` stays instant even though some commands need rdflib or pyshacl.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any

import click

from gs1ld._version import VERSION

__all__ = ["cli", "main"]

# command name -> "module:attribute"; order here is the order in --help
COMMANDS: dict[str, str] = {
    "check": "gs1ld.cli.check:check",
    "convert": "gs1ld.cli.convert:convert",
    "explain": "gs1ld.cli.explain:explain",
    "link": "gs1ld.cli.link:link",
    "pull": "gs1ld.cli.pull:pull",
    "certifications": "gs1ld.cli.certifications:certifications",
    "claims": "gs1ld.cli.claims:claims",
    "schema": "gs1ld.cli.schema:schema",
    "site": "gs1ld.cli.site:site",
    "serve": "gs1ld.cli.serve:serve",
    "validate": "gs1ld.cli.validate:validate",
}

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_CANNOT_RUN = 2
EXIT_INTERRUPTED = 130


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
        from gs1ld.cli._examples import add_examples

        add_examples(cmd_name, command)
        return command


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "auto_envvar_prefix": "GS1LD"},
)
@click.version_option(VERSION, "--version", "-V", prog_name="gs1ld")
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
    then the environment, then the file. A config file may not set credentials or
    options that send data elsewhere or replace files (see the configuration guide).

    Exit codes: 0 success, 1 some input was invalid (reported, the rest was
    processed), 2 the command could not run (bad arguments, unreadable input),
    130 interrupted.
    """
    from gs1ld import _secrets
    from gs1ld.cli._config import META_KEY, ConfigError, check_section, find_config, load_config

    _secrets.reset()
    _secrets.install()  # every secret the run is given stays out of what it prints and logs
    path = config_file or find_config(Path.cwd())
    if path is None:
        return
    ctx.meta[META_KEY] = path
    defaults = load_config(path)
    for name, section in defaults.items():
        if name not in COMMANDS:
            raise ConfigError(f"{path}: [{name}] names no gs1ld command")
        if name == ctx.invoked_subcommand:
            command = ctx.command.get_command(ctx, name)  # type: ignore[attr-defined]
            if command is not None:
                defaults[name] = check_section(path, name, command, section)
    ctx.default_map = defaults


def _wants_json(argv: list[str]) -> bool:
    """Whether the command line asks for a JSON report (``--report-format json`` and the
    older ``--format json`` of the commands whose format is the report's)."""
    for flag in ("--report-format", "--format"):
        if f"{flag}=json" in argv:
            return True
        if flag in argv[:-1] and argv[argv.index(flag) + 1] == "json":
            return True
    return False


def main(argv: list[str] | None = None, **kwargs: Any) -> Any:
    """Run the command line (the ``gs1ld`` console script).

    One exit-code promise for every command: 0 success, 1 some input invalid
    (reported, the rest processed), 2 could not run, 130 interrupted (Ctrl-C,
    also while worker pools or a Dask cluster run: outputs stay as they were).
    A command asked for a JSON report also gets its usage errors as JSON on stdout.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        return cli.main(args=args, prog_name="gs1ld", standalone_mode=False, **kwargs)
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except click.ClickException as exc:
        exc.show()
        if _wants_json(args):
            click.echo(json.dumps({"error": exc.format_message(), "exit_code": exc.exit_code}))
        sys.exit(exc.exit_code)
