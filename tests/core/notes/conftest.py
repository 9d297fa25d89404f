"""Fixtures for the notes tests: where the shared real notes live."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """Return the shared directory (LIKVARD_SHARED_DIR or ../shared); skip if absent, fail in CI."""
    configured = os.environ.get("LIKVARD_SHARED_DIR")
    path = Path(configured) if configured else Path(__file__).resolve().parents[3] / ".." / "shared"
    if not (path / "notes").is_dir():
        message = f"../shared/notes absent: {path} (set LIKVARD_SHARED_DIR)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path.resolve()


@pytest.fixture(scope="session")
def notes_dir(shared_dir: Path) -> Path:
    """Return the directory of the real meeting notes."""
    return shared_dir / "notes"
