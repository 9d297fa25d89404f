"""Fixtures shared by the adjusted-results tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import caches


@pytest.fixture(autouse=True)
def fresh_kept_rows() -> Iterator[None]:
    """The released rows are kept per data version (``figures_cached_keyed``), and a data
    version gives one fit. These tests hand the service fits of their own on the same empty
    warehouse, so rows another test kept in this process's cache would be served instead."""
    caches["default"].clear()
    yield
    caches["default"].clear()
