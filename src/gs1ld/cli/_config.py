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
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import click

__all__ = ["CONFIG_FILE", "check_section", "find_config", "load_config"]

CONFIG_FILE = "gs1ld.toml"


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
        click.UsageError: the file cannot be read or is not TOML.
    """
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise click.UsageError(f"{path}: cannot be read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise click.UsageError(f"{path}: not valid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("gs1ld", {})
    if not isinstance(data, dict):
        raise click.UsageError(f"{path}: expected tables of options, one per command")
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
    """
    if not isinstance(section, dict):
        raise click.UsageError(f"{path}: [{where}] must be a table of options")
    names = _option_names(command)
    checked: dict[str, Any] = {}
    for key, value in section.items():
        if isinstance(command, click.Group) and isinstance(value, dict):
            sub = command.commands.get(key)
            if sub is None:
                raise click.UsageError(f"{path}: [{where}.{key}] names no command of {where}")
            checked[key] = check_section(path, f"{where}.{key}", sub, value)
        elif key in names:
            checked[names[key]] = value
        else:
            known = ", ".join(sorted({n.replace("_", "-") for n in names})) or "none"
            raise click.UsageError(
                f"{path}: [{where}] has no option {key.replace('_', '-')!r} (known: {known})"
            )
    return checked
