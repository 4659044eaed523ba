"""Bundled reference data (crosswalks, contexts), read through importlib.resources.

The wheel carries the repository's top-level ``mappings/`` and ``contexts/`` as
``gs1ld/_data/mappings`` and ``gs1ld/_data/contexts`` (hatch ``force-include``),
so an installed copy works anywhere.  In a source checkout that is not installed
as a wheel (an editable install, or ``PYTHONPATH=src``) the same folders are found
at the repository root instead.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

__all__ = ["data_dir", "read_bytes", "read_text"]

_SOURCE_ROOT = Path(__file__).resolve().parents[2]


@cache
def data_dir(name: str) -> Traversable:
    """The bundled folder ``name`` (``mappings`` or ``contexts``).

    Raises:
        FileNotFoundError: the package was installed without its data.
    """
    packaged = resources.files("gs1ld").joinpath("_data", name)
    if packaged.is_dir():
        return packaged
    checkout = _SOURCE_ROOT / name
    if checkout.is_dir() and (_SOURCE_ROOT / "pyproject.toml").is_file():
        return checkout
    raise FileNotFoundError(f"gs1ld's bundled {name!r} data is missing from this installation")


def read_bytes(folder: str, name: str) -> bytes:
    """The bytes of bundled file ``folder/name``."""
    return data_dir(folder).joinpath(name).read_bytes()


def read_text(folder: str, name: str) -> str:
    """The UTF-8 text of bundled file ``folder/name``."""
    return data_dir(folder).joinpath(name).read_text(encoding="utf-8")
