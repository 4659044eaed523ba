"""Fixtures shared by every test folder (importable helpers live in ``support.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import EXAMPLE_CATALOG, PROJECT_ROOT, SHARED_DIR, require_shared

__all__ = ["EXAMPLE_CATALOG", "PROJECT_ROOT", "SHARED_DIR", "require_shared"]


@pytest.fixture
def shared_dir() -> Path:
    """The ``../shared`` folder (skips, or fails under CI, when absent)."""
    return require_shared("")
