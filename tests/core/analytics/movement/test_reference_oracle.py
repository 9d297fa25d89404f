"""The one-pass movement tables equal the pandas reference of ``bench/reference/movement.py``.

The same generated populations as the conservation tests (students at two units on one day,
organizers missing from the lookups), compared table by table, row by row: the benchmark's
speed ratio is only meaningful if both compute the same thing.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
from hypothesis import given, settings

from bench.reference.movement import movement_reference
from likvard_core.analytics.movement.scope import Lookups, Scope
from likvard_core.analytics.movement.tables import movement_tables
from likvard_core.warehouse.snapshot import Snapshot
from tests.core.analytics.movement.test_flows import LOOKUPS, populations


def _frames(lookups: Lookups) -> tuple[pd.DataFrame, pd.DataFrame]:
    organizers = pd.DataFrame(
        [(c, i.organizer_type, i.municipality_code) for c, i in lookups.organizers.items()],
        columns=["organizer_code", "organizer_type", "organizer_municipality"],
    )
    units = pd.DataFrame(
        [(c, i.municipality_code) for c, i in lookups.school_units.items()],
        columns=["school_unit_code", "school_municipality_code"],
    )
    return organizers, units


def _rows(table: pa.Table, columns: list[str]) -> list[tuple[object, ...]]:
    return sorted(tuple(r[c] for c in columns) for r in table.to_pylist())


def _frame_rows(frame: pd.DataFrame, columns: list[str]) -> list[tuple[object, ...]]:
    records = frame[columns].to_dict("records")
    return sorted(tuple(_plain(r[c]) for c in columns) for r in records)


def _plain(value: object) -> object:
    return value.item() if hasattr(value, "item") else value


@settings(max_examples=20, deadline=None)
@given(populations())
def test_one_pass_tables_equal_the_pandas_reference(table):
    organizers, units = _frames(LOOKUPS)
    reference = movement_reference(table.to_pandas(), organizers, units)
    with Snapshot.from_tables({"enrolments": table}, "v", threads=1) as db:
        fast = movement_tables(db, LOOKUPS, Scope())
    flows = [*fast.flows.dims, "n"]
    assert _rows(fast.flows.table, flows) == _frame_rows(reference["flows"], flows)
    od = [*fast.origin_destination.dims, "n"]
    assert _rows(fast.origin_destination.table, od) == _frame_rows(reference["od"], od)
    share = fast.other_organizer_share.table
    per = share.filter(pa.compute.is_valid(share["municipality_code"]))
    expected = reference["share"].rename(columns={"home_municipality_code": "municipality_code"})
    columns = ["school_year", "municipality_code", "n", "n_other", "share_other"]
    assert _rows(per, columns) == _frame_rows(expected, columns)
    balance = fast.balance.table
    per_programme = balance.filter(pa.compute.is_valid(balance["programme_code"]))
    columns = ["school_year", "municipality_code", "programme_code", "residents", "outgoing",
               "incoming", "net"]  # fmt: skip
    expected = reference["balance"].rename(columns={"home_municipality_code": "municipality_code"})
    assert _rows(per_programme, columns) == _frame_rows(expected, columns)
