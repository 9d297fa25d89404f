"""Fixtures of the ingest tests: a pseudonym key (shared data from ``tests/conftest.py``)."""

from __future__ import annotations

import pytest


@pytest.fixture
def key() -> bytes:
    """A fixed pseudonym key for tests."""
    return b"test-pseudonym-key-0123456789abcdef"
