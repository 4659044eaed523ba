"""Shared fixtures: where ../shared lives, and the rule for when it is missing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = PROJECT_ROOT.parent / "shared"
EXAMPLE_CATALOG = PROJECT_ROOT / "examples" / "catalog"


def require_shared(relative: str) -> Path:
    """Return ``../shared/<relative>``; skip the test when it is absent, fail under CI.

    The shared standards files (vocabulary, Digital Link vectors) sit beside the
    project on developer and CI machines but not on a user's, where the tests that
    need them skip with a reason.  Under CI (``CI=true``) they must be there.
    """
    path = SHARED_DIR / relative
    if not path.exists():
        reason = f"shared reference file {path} is not present"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"{reason}, and CI=true requires it")
        pytest.skip(reason)
    return path


@pytest.fixture
def shared_dir() -> Path:
    """The ``../shared`` folder (skips, or fails under CI, when absent)."""
    return require_shared("")
