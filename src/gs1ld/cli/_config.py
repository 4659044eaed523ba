"""Option defaults from a config file: ``gs1ld.toml``, or ``[tool.gs1ld]`` in ``pyproject.toml``.

One table per command, keyed by the option's long name (dashes or underscores)::

    [convert]
    base-url = "https://id.brand.example"

    [site.build]
    base-url = "https://id.brand.example"
    workers = 2

A value given on the command line wins over an environment variable
(``GS1LD_<COMMAND>_<OPTION>``, e.g. ``GS1LD_SITE_BUILD_BASE_URL``), which wins
over the file, which wins over the built-in default.

A config file travels with a folder, so whoever wrote the folder wrote it: it
may set only what is safe to inherit. The options in :data:`COMMAND_LINE_ONLY`
(credentials, and what sends data off this machine or replaces files) come from
the command line or the environment only; the paths in :data:`WRITE_PATHS` must
stay inside the current folder; ``pull``'s ``api_url`` is allowed, but the API key
goes there only when it is given for that host (see ``gs1ld.cli._api``).
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import IO, Any

import click
from click.core import ParameterSource

from gs1ld.errors import ParseError

__all__ = [
    "COMMAND_LINE_ONLY",
    "CONFIG_FILE",
    "META_KEY",
    "WRITE_PATHS",
    "ConfigError",
    "check_section",
    "config_file",
    "find_config",
    "load_config",
    "options_from_file",
]

CONFIG_FILE = "gs1ld.toml"
META_KEY = "gs1ld.config_file"

COMMAND_LINE_ONLY: dict[str, str] = {
    "api_key": "it is a credential",
    "token": "it is a credential",
    "storage_options": "it carries object-store credentials and endpoints",
    "scheduler": "it sends the catalog to a cluster",
    "force": "it lets a build replace a folder that is not a gs1ld site",
    "trust_proxy": "it lets request headers choose the resolver root",
    "allow_remote_contexts": "it lets documents make this machine fetch from their hosts",
    "host": "it can open the server to other machines",
    "max_removals": "it lets a build remove published products from a live site",
}
"""Options (by parameter name, in every command) a config file may not set, and why.

Each moves a credential or data off this machine, lets others steer it, or removes
files; they come from the command line or the environment only.
"""

WRITE_PATHS = frozenset({"output", "scratch", "access_log"})
"""Options naming where files are written or replaced: from a config file, a path that
stays inside the current folder (or ``-``, standard output), never a URL."""


class ConfigError(ParseError, click.ClickException):
    """A config file that cannot be used: one ``error:`` line naming the file, exit 2.

    A :class:`~gs1ld.errors.ParseError` (the file cannot be read as settings), and
    a click error, so the command line stops with it before the command runs.
    """

    exit_code = 2

    def __init__(self, message: str) -> None:
        click.ClickException.__init__(self, message)

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"error: {self.format_message()}", file=file, err=file is None)


def find_config(directory: Path) -> Path | None:
    """``gs1ld.toml`` in ``directory``, else ``pyproject.toml`` if it has ``[tool.gs1ld]``."""
    own = directory / CONFIG_FILE
    if own.is_file():
        return own
    project = directory / "pyproject.toml"
    if project.is_file():
        try:
            data = tomllib.loads(project.read_text("utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            return None  # someone else's file: not ours to complain about
        if isinstance(data.get("tool"), dict) and "gs1ld" in data["tool"]:
            return project
    return None


def _normalise(table: dict[str, Any]) -> dict[str, Any]:
    return {
        key.replace("-", "_"): _normalise(value) if isinstance(value, dict) else value
        for key, value in table.items()
    }


def load_config(path: Path) -> dict[str, Any]:
    """The option defaults in ``path`` (the ``[tool.gs1ld]`` table of a ``pyproject.toml``).

    Raises:
        ConfigError: the file cannot be read or is not TOML.
    """
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("gs1ld", {})
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected tables of options, one per command")
    return _normalise(data)


def _option_names(command: click.Command) -> dict[str, str]:
    """Every long option name (underscored) of ``command`` -> its parameter's name."""
    names: dict[str, str] = {}
    for param in command.params:
        if param.name is None:
            continue
        names[param.name] = param.name
        for opt in getattr(param, "opts", []):
            if opt.startswith("--"):
                names[opt[2:].replace("-", "_")] = param.name
    return names


def check_section(path: Path, where: str, command: click.Command, section: Any) -> dict[str, Any]:
    """``section`` keyed by parameter names; fail naming the key if it is not an option.

    Args:
        path: the config file, for the message.
        where: the table's name, e.g. ``site.build``.
        command: the command the table configures.
        section: the table, keyed by long option names (``base-url`` or ``base_url``).

    Returns:
        The table keyed as click's ``default_map`` expects.

    Raises:
        ConfigError: a key is no option, names an option a file may not set
            (:data:`COMMAND_LINE_ONLY`), or a write path leaves the current folder.
    """
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: [{where}] must be a table of options")
    names = _option_names(command)
    checked: dict[str, Any] = {}
    for key, value in section.items():
        if isinstance(command, click.Group) and isinstance(value, dict):
            sub = command.commands.get(key)
            if sub is None:
                raise ConfigError(f"{path}: [{where}.{key}] names no command of {where}")
            checked[key] = check_section(path, f"{where}.{key}", sub, value)
        elif key in names:
            checked[names[key]] = _inheritable(path, where, key, names[key], value)
            _check_value(path, where, key, command, names[key], value)
        else:
            known = ", ".join(sorted({n.replace("_", "-") for n in names})) or "none"
            raise ConfigError(
                f"{path}: [{where}] has no option {key.replace('_', '-')!r} (known: {known})"
            )
    return checked


def _check_value(
    path: Path, where: str, key: str, command: click.Command, name: str, value: Any
) -> None:
    """Read ``value`` as the option would, so a bad one names the file and the key
    (click alone would report it as if typed on the command line)."""
    param = next(p for p in command.params if p.name == name)
    ctx = click.Context(command, info_name=where)
    try:
        if param.multiple or param.nargs != 1:
            for item in value if isinstance(value, list) else [value]:
                param.type.convert(item, param, ctx)
        else:
            param.type.convert(value, param, ctx)
    except click.BadParameter as exc:
        raise ConfigError(
            f"{path}: [{where}] {key} = {value!r} cannot be used: {exc.format_message()}"
        ) from None


def _inheritable(path: Path, where: str, key: str, name: str, value: Any) -> Any:
    """``value``, if a config file may give it to option ``name``; else raise naming the key."""
    option = key.replace("_", "-")
    reason = COMMAND_LINE_ONLY.get(name)
    if reason is not None:
        raise ConfigError(
            f"{path}: [{where}] {option}: a config file may not set this option ({reason}); "
            "give it on the command line or in the environment"
        )
    if name in WRITE_PATHS and not _inside_cwd(value):
        raise ConfigError(
            f"{path}: [{where}] {option} = {value!r}: a config file may name only a path "
            "inside the current folder; give others on the command line or in the environment"
        )
    return value


def _inside_cwd(value: Any) -> bool:
    """Whether ``value`` is ``-`` or a path that, symbolic links followed, stays in the cwd."""
    if not isinstance(value, str) or "://" in value or "::" in value:
        return False
    if value == "-":
        return True
    here = Path.cwd().resolve()
    target = Path(os.path.expanduser(value))
    return (here / target).resolve().is_relative_to(here)


def config_file(ctx: click.Context) -> Path | None:
    """The config file this run read option defaults from, if any."""
    path = ctx.meta.get(META_KEY)
    return path if isinstance(path, Path) else None


def options_from_file(ctx: click.Context) -> list[str]:
    """The options of ``ctx``'s command whose value came from the config file, sorted."""
    return sorted(
        param.name.replace("_", "-")
        for param in ctx.command.params
        if param.name is not None
        and ctx.get_parameter_source(param.name) is ParameterSource.DEFAULT_MAP
    )
