"""``release_cube(settled=...)``: a breakdown released after its totals keeps them as they were.

The Kolada API's girls' and boys' figures are released after the totals (#22). Decided freely,
the joint release hid totals the pages show, to protect a small group of girls or boys; with
the totals settled, those stay shown and the gender cells hide instead, and a total the first
release hid stays hidden. The decision is kept per settled cells too.
"""

from __future__ import annotations

import pyarrow as pa
import pytest
from django.core.cache import cache

from likvard.access import release as gate
from likvard.access.policy import ANONYMOUS
from likvard_core.disclosure.aggregate import Aggregate, Level, Population
from likvard_core.disclosure.suppress import Thresholds

POPULATION = Population("test/settled", frozenset({"2120001355"}), Level.SCHOOL_UNIT)
DIMS = ("organizer_code", "school_unit_code", "group")
THRESHOLDS = Thresholds(default=5, by_dim={"school_unit_code": 10})
# Two units of one organizer: U0 16 girls and 6 boys, U1 9 and 9; every total is shown alone.
COUNTS = {("U0", "girls"): 16, ("U0", "boys"): 6, ("U1", "girls"): 9, ("U1", "boys"): 9}


def _aggregate(*, genders: bool) -> Aggregate:
    rows = []
    for unit in (None, "U0", "U1"):
        groups = (None, "girls", "boys") if genders else (None,)
        for group in groups:
            n = sum(
                c
                for (u, g), c in COUNTS.items()
                if (unit is None or u == unit) and (group is None or g == group)
            )
            rows.append({"organizer_code": "O1", "school_unit_code": unit, "group": group, "n": n})
    return Aggregate(
        table=pa.Table.from_pylist(rows),
        dims=DIMS,
        count="n",
        values=(),
        population=POPULATION,
        data_version="v1",
        margins=("school_unit_code", "group") if genders else ("school_unit_code",),
    )


def _totals(released: gate.Released) -> list[str]:
    return [str(r["status"]) for r in released.rows() if r["group"] is None]


@pytest.mark.django_db
def test_the_genders_hide_around_the_totals_already_shown(monkeypatch):
    cache.clear()
    calls = []
    real = gate.suppress_cube

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(gate, "suppress_cube", counting)

    def release(**kwargs):
        return gate.release_cube(
            {"t": _aggregate(genders=True)},
            viewer=ANONYMOUS,
            purpose="t",
            thresholds=THRESHOLDS,
            **kwargs,
        )["t"]

    totals = gate.release(
        _aggregate(genders=False), viewer=ANONYMOUS, purpose="t", thresholds=THRESHOLDS
    )
    assert set(_totals(totals)) == {"exists"}
    free = release()
    assert set(_totals(free)) != {"exists"}  # the free joint decision hides shown totals
    joint = release(settled={"t": totals.table})
    assert _totals(joint) == _totals(totals)
    boys = [r for r in joint.rows() if r["school_unit_code"] == "U0" and r["group"] == "boys"]
    assert boys[0]["n"] is None
    assert len(calls) == 3  # the settled cells are part of the decision's key
    release(settled={"t": totals.table})
    assert len(calls) == 3
