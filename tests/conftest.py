"""Fixtures shared by every tier: where the shared real data lives, and the CI rule."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def in_ci() -> bool:
    """True when running in CI, where a missing dependency fails instead of skipping."""
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def skip_or_fail(reason: str) -> None:
    """Skip with ``reason`` locally; fail in CI (a skip there would hide a broken set-up)."""
    if in_ci():
        pytest.fail(f"CI=true and {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The shared real public data folder (../shared/data), or a skip with a clear reason."""
    base = Path(os.environ.get("LIKVARD_SHARED_DIR", REPO.parent / "shared"))
    data = base / "data"
    if not data.is_dir():
        skip_or_fail(f"../shared/data is absent (looked in {data})")
    return data
