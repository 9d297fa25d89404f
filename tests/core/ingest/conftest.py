"""Fixtures of the ingest tests: the shared real-data folder and a pseudonym key."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared folder with real data (``LIKVARD_SHARED_DIR`` or ``../shared``).

    Skips when it is absent, except under ``CI=true``, where its absence is a failure.
    """
    default = Path(__file__).resolve().parents[3] / ".." / "shared"
    path = Path(os.environ.get("LIKVARD_SHARED_DIR", default)).resolve()
    if not (path / "data").is_dir():
        message = f"../shared/data absent: {path / 'data'} not found"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture
def key() -> bytes:
    """A fixed pseudonym key for tests."""
    return b"test-pseudonym-key-0123456789abcdef"
