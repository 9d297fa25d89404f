"""Fixtures for the shipped reference data tests: where the shared folder is."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared folder (holding data/ and reference/); skips locally, fails in CI, if absent."""
    base = Path(os.environ.get("LIKVARD_SHARED_DIR", REPO / ".." / "shared"))
    if not (base / "data").is_dir():
        reason = f"../shared/data absent: looked in {base / 'data'}"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"CI=true and {reason}")
        pytest.skip(reason)
    return base
