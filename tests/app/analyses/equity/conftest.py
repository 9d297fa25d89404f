"""Fixtures shared by the equity tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from likvard.analyses.equity import services


@pytest.fixture
def count_releases(monkeypatch) -> Callable[[], list[str]]:
    """Call it to start counting: the list it returns fills with the school units whose cubes
    the gate releases from then on (``released_together``, one entry per unit and call)."""

    def start() -> list[str]:
        released: list[str] = []
        real = services.released_together

        def counted(yearly, patterns, **kwargs):
            units = set(yearly.table.column("school_unit_code").to_pylist())
            released.extend(str(c) for c in units)
            return real(yearly, patterns, **kwargs)

        monkeypatch.setattr(services, "released_together", counted)
        return released

    return start
