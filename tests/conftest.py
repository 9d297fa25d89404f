"""Fixtures shared by every tier: where the shared real data lives, and the CI rule."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def in_ci() -> bool:
    """True when ``CI`` is set to anything: there a missing dependency fails, never skips."""
    return "CI" in os.environ


def skip_or_fail(reason: str) -> None:
    """Skip with ``reason`` locally; fail in CI (a skip there would hide a broken set-up)."""
    if in_ci():
        pytest.fail(f"CI is set and {reason}")
    pytest.skip(reason)


def shared_root() -> Path:
    """The shared folder: ``LIKVARD_SHARED_DIR`` or ``../shared`` beside the repository."""
    return Path(os.environ.get("LIKVARD_SHARED_DIR", REPO.parent / "shared")).resolve()


def require_shared(part: str) -> Path:
    """``../shared/<part>``, or a skip locally and a failure in CI when it is absent."""
    path = shared_root() / part
    if not path.exists():
        skip_or_fail(f"../shared/{part} is absent (looked in {path}; set LIKVARD_SHARED_DIR)")
    return path


def require_tool(name: str) -> str:
    """The path of the program ``name``, or a skip locally and a failure in CI."""
    found = shutil.which(name)
    if found is None:
        skip_or_fail(f"{name} is not installed (make system-deps)")
    return str(found)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared folder (holding data/, notes/ and reference/)."""
    require_shared("data")
    return shared_root()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The shared real public data folder (../shared/data)."""
    return require_shared("data")


@pytest.fixture(scope="session")
def notes_dir() -> Path:
    """The shared real meeting notes (../shared/notes)."""
    return require_shared("notes")
