"""The gate keeps a joint decision per data version and viewer class in Django's cache."""

from __future__ import annotations

import pyarrow as pa
import pytest
from django.core.cache import cache

from likvard.access import release as gate
from likvard.access.policy import viewer_for
from likvard_core.disclosure.aggregate import Aggregate, Level, Population
from tests.app.conftest import World


def _aggregate(world: World, version: str = "v1") -> Aggregate:
    units = [world.own_unit.code, world.other_unit.code]
    return Aggregate(
        table=pa.table({"school_unit_code": units, "n": [3, 40]}),
        dims=("school_unit_code",),
        count="n",
        values=(),
        population=Population(
            scope="test/cache",
            organizers=frozenset({world.other.organisation_number}),
            level=Level.SCHOOL_UNIT,
        ),
        data_version=version,
    )


@pytest.fixture
def calls(monkeypatch) -> list[int]:
    """One entry per joint decision the gate makes (``suppress_cube``), the cache empty."""
    made: list[int] = []
    real = gate.suppress_cube

    def counting(*args, **kwargs):
        made.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(gate, "suppress_cube", counting)
    cache.clear()
    return made


@pytest.mark.django_db
def test_a_second_viewer_of_the_same_class_reuses_the_decision(world: World, calls: list[int]):
    coordinator = viewer_for(world.users["regional_coordinator"])
    first = gate.release(_aggregate(world), viewer=coordinator, purpose="t")
    second = gate.release(_aggregate(world), viewer=coordinator, purpose="t")
    assert first.rows() == second.rows()
    assert [r["n"] for r in first.rows()] == [None, 40]
    assert len(calls) == 1
    # Another data version with the same cells reuses it (issue #18: a region an import left
    # alone); a viewer who knows other cells is decided anew.
    gate.release(_aggregate(world, "v2"), viewer=coordinator, purpose="t")
    assert len(calls) == 1
    principal = viewer_for(world.users["principal"])
    shown = gate.release(_aggregate(world), viewer=principal, purpose="t")
    assert len(calls) == 2
    assert [r["n"] for r in shown.rows()] == [3, 40]


@pytest.mark.django_db
def test_a_changed_gate_decides_anew(world: World, calls: list[int], monkeypatch):
    """A decision kept under one rule of the gate is not served once its code changes."""
    coordinator = viewer_for(world.users["regional_coordinator"])
    gate.release(_aggregate(world), viewer=coordinator, purpose="t")
    assert len(gate.gate_version()) == 16
    monkeypatch.setattr(gate, "gate_version", lambda: "a-new-rule")
    gate.release(_aggregate(world), viewer=coordinator, purpose="t")
    assert len(calls) == 2
