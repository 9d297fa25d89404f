"""Fixtures shared by every tier: where the shared real data lives, and the CI rule."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DATABASE_FIXTURES = frozenset(
    {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback",
     "live_server"}
)  # fmt: skip
"""pytest-django's fixtures that open the test database; without one of them (or the
``django_db`` mark) pytest-django refuses every query, so the test cannot reach the database."""


def uses_database(item: pytest.Item) -> bool:
    """True when ``item`` may query the test database (pytest-django lets it)."""
    if item.get_closest_marker("django_db"):
        return True
    return bool(DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The PostgreSQL pass (``LIKVARD_TEST_DB=postgres``, scripts/run_tests.sh) runs the tests that
    can reach the database; the others cannot tell the two databases apart and ran in the SQLite
    pass already."""
    if os.environ.get("LIKVARD_TEST_DB") != "postgres":
        return
    other = [item for item in items if not uses_database(item)]
    if other:
        config.hook.pytest_deselected(items=other)
        items[:] = [item for item in items if uses_database(item)]


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
