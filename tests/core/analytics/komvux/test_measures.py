"""Every komvux measure derived by hand from a ten-start example."""

from __future__ import annotations

import datetime
import math

import pyarrow as pa
import pytest

from likvard_core.analytics.komvux.measures import BREAKDOWNS, komvux_by, start_cells
from likvard_core.warehouse.snapshot import Snapshot

# municipality, start, course, provider type, provision, places, applicants, first hand,
# eligible, admitted, enrolled, completed, interrupted
STARTS = [
    ("1384", "A1", "VARD", "own", "regional", 24, 60, 30, 40, 24, 23, 18, 4),
    ("1384", "A2", "VARD", "contracted", "regional", 20, 30, 15, 20, 20, 19, 15, 3),
    ("1384", "A3", "SVA", "own", "municipal", 30, 20, 12, 18, 20, 18, 12, 5),
    ("1384", "A4", "EL", "contracted", "municipal", 16, 24, 10, 14, 16, 15, 11, 2),
    ("1384", "A5", "BAGERI", "own", "regional", 12, 10, 6, 8, 10, 9, 6, 2),
    ("1481", "B1", "VARD", "own", "regional", 24, 36, 20, 28, 24, 22, 16, 5),
    ("1481", "B2", "SVA", "contracted", "municipal", 25, 15, 9, 13, 15, 14, 10, 3),
    ("1481", "B3", "LAGER", "contracted", "regional", 18, 40, 25, 30, 18, 18, 14, 2),
    ("1481", "B4", "EL", "own", "municipal", 20, 22, 14, 16, 20, 20, 15, 4),
    ("1481", "B5", "BAGERI", "own", "municipal", 10, 8, 5, 6, 8, None, None, None),
]  # B5 has no enrolled count yet: it is left out of fill rate, completion and interruption
# start, months, followed up, in work, in studies (A1 also at 12 months: not the 6-month row)
FOLLOWUP = [
    ("A1", 6, 16, 12, 2), ("A1", 12, 16, 14, 1), ("A2", 6, 14, 10, 1), ("A3", 6, 10, 5, 3),
    ("A4", 6, 10, 8, 1), ("A5", 6, 5, 3, 1), ("B1", 6, 15, 11, 2), ("B2", 6, 9, 4, 3),
    ("B3", 6, 12, 10, 1), ("B4", 6, 14, 10, 2),
]  # fmt: skip
ORGANIZERS = {"1384": "2120001256", "1481": "2120001298"}
Z = 1.959963984540054


def _snapshot() -> Snapshot:
    columns = list(zip(*STARTS, strict=True))
    n = len(STARTS)
    starts = pa.table(
        {
            "municipality_code": columns[0],
            "start_id": columns[1],
            "start_date": [datetime.date(2024, 8, 19)] * n,
            "course_code": columns[2],
            "course_name": [f"Kurs {c}" for c in columns[2]],
            "study_type": ["programme"] * n,
            "provider": ["Anordnare"] * n,
            "provider_type": columns[3],
            "provision": columns[4],
            "places": columns[5],
            "applicants": columns[6],
            "first_hand": columns[7],
            "eligible": columns[8],
            "admitted": columns[9],
            "check_date": [datetime.date(2024, 9, 15)] * n,
            "enrolled": pa.array(columns[10], pa.int32()),
            "completed": pa.array(columns[11], pa.int32()),
            "interrupted": pa.array(columns[12], pa.int32()),
        }
    )
    f = list(zip(*FOLLOWUP, strict=True))
    followup = pa.table(
        {
            "municipality_code": ["1384" if s.startswith("A") else "1481" for s in f[0]],
            "start_id": f[0],
            "months": f[1],
            "followed_up": f[2],
            "in_work": f[3],
            "in_studies": f[4],
        }
    )
    return Snapshot.from_tables({"komvux_starts": starts, "komvux_followup": followup}, "v1")


@pytest.fixture(scope="module")
def cells() -> pa.Table:
    with _snapshot() as db:
        return start_cells(db, municipalities=["1384", "1481"])


def _row(cells, measure, by, value, organizer=None):
    aggregate = komvux_by(
        cells, measure=measure, by=by, data_version="v1", scope="test", organizers=ORGANIZERS
    )
    rows = aggregate.table.to_pylist()
    [row] = [r for r in rows if r[by] == value]
    return row


def _wilson(k: float, n: float) -> tuple[float, float]:
    p = k / n
    centre = p + Z * Z / (2 * n)
    spread = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    return (centre - spread) / (1 + Z * Z / n), (centre + spread) / (1 + Z * Z / n)


def test_cells_have_one_row_per_start_with_the_six_month_followup(cells):
    assert cells.num_rows == 10
    a1 = cells.to_pylist()[0]
    assert (a1["start_key"], a1["year"], a1["size"]) == ("1384/A1", 2024, "large")
    assert (a1["followed_up"], a1["in_work"], a1["in_studies"]) == (16, 12, 2)
    assert cells.to_pylist()[-1]["followed_up"] is None  # B5 was not followed up


def test_soktryck_by_hand(cells):
    total = _row(cells, "applications", "course_code", None)  # the year's total
    # places 24+20+30+16+12+24+25+18+20+10 = 199; applicants 60+30+20+24+10+36+15+40+22+8 = 265
    assert (total["places"], total["applicants"], total["admitted"]) == (199, 265, 175)
    assert total["soktryck"] == pytest.approx(265 / 199)
    vard = _row(cells, "applications", "course_code", "VARD")  # A1, A2, B1
    assert vard["soktryck"] == pytest.approx((60 + 30 + 36) / (24 + 20 + 24))
    first = _row(cells, "first_hand", "course_code", None)
    assert first["soktryck"] == pytest.approx(146 / 199)
    eligible = _row(cells, "eligible", "start_key", "1384/A1")
    assert eligible["soktryck"] == pytest.approx(40 / 24)


def test_fill_rate_by_hand(cells):
    total = _row(cells, "enrolment", "size", None)
    # B5 reports no enrolled count: places 199 - 10 = 189, enrolled 23+19+18+15+9+22+14+18+20
    assert (total["places"], total["enrolled"]) == (189, 158)
    assert total["fill_rate"] == pytest.approx(158 / 189)
    molndal = _row(cells, "enrolment", "municipality_code", "1481")
    assert molndal["fill_rate"] == pytest.approx((22 + 14 + 18 + 20) / (24 + 25 + 18 + 20))


def test_completion_and_interruption_by_hand(cells):
    total = _row(cells, "enrolment", "provider_type", None)
    assert (total["completed"], total["interrupted"]) == (117, 30)
    assert (total["enrolled_ended"], total["continuing"]) == (158, 158 - 117 - 30)
    assert total["not_reported"] == 0  # every start reports results: none not reported
    assert total["completion_rate"] == pytest.approx(117 / 158)
    assert total["interruption_rate"] == pytest.approx(30 / (117 + 30))
    low, high = _wilson(117, 158)
    assert (total["completion_low"], total["completion_high"]) == pytest.approx((low, high))
    own = _row(cells, "enrolment", "provider_type", "own")  # A1, A3, A5, B1, B4 (B5 missing)
    assert own["completion_rate"] == pytest.approx(
        (18 + 12 + 6 + 16 + 15) / (23 + 18 + 9 + 22 + 20)
    )
    low, high = _wilson(4 + 5 + 2 + 5 + 4, 67 + 20)
    assert (own["interruption_low"], own["interruption_high"]) == pytest.approx((low, high))


def test_outcomes_with_wilson_interval_by_hand(cells):
    total = _row(cells, "outcomes", "provision", None)
    # six-month rows only: followed 16+14+10+10+5+15+9+12+14 = 105; work 73; studies 16
    assert (total["followed_up"], total["in_work"], total["in_studies"]) == (105, 73, 16)
    assert total["outcome_rate"] == pytest.approx(89 / 105)
    assert total["work_rate"] == pytest.approx(73 / 105)
    assert total["neither"] == 105 - 73 - 16
    low, high = _wilson(89, 105)
    assert (total["outcome_low"], total["outcome_high"]) == pytest.approx((low, high))
    regional = _row(cells, "outcomes", "provision", "regional")  # A1, A2, A5, B1, B3
    assert regional["outcome_rate"] == pytest.approx(
        (14 + 11 + 4 + 13 + 11) / (16 + 14 + 5 + 15 + 12)
    )


def test_large_and_small_starts_by_hand(cells):
    large = _row(cells, "applications", "size", "large")  # 20 places or more
    small = _row(cells, "applications", "size", "small")
    assert (large["places"], large["applicants"]) == (24 + 20 + 30 + 24 + 25 + 20, 183)
    assert (small["places"], small["applicants"]) == (16 + 12 + 18 + 10, 82)
    assert large["soktryck"] == pytest.approx(183 / 143)
    assert small["soktryck"] == pytest.approx(82 / 56)


@pytest.mark.parametrize("by", BREAKDOWNS)
def test_every_breakdown_adds_up_to_the_total(cells, by):
    aggregate = komvux_by(
        cells, measure="applications", by=by, data_version="v1", scope="t", organizers=ORGANIZERS
    )
    rows = aggregate.table.to_pylist()
    total = next(r for r in rows if r[by] is None)
    assert sum(r["applicants"] for r in rows if r[by] is not None) == total["applicants"]
    assert aggregate.population.organizers == frozenset(ORGANIZERS.values())
    assert aggregate.parts == ("admitted", "not_admitted")
    assert all(r["admitted"] + r["not_admitted"] == r["applicants"] for r in rows)


def test_completion_counts_only_starts_that_report_results(cells):
    running = cells.to_pylist()
    running[0] = {**running[0], "completed": None, "interrupted": None}  # A1 still running
    table = pa.Table.from_pylist(running, schema=cells.schema)
    total = _row(table, "enrolment", "size", None)
    assert total["enrolled"] == 158  # fill rate still counts A1's enrolled
    assert total["enrolled_ended"] == 158 - 23
    assert total["completion_rate"] == pytest.approx((117 - 18) / (158 - 23))
    assert total["not_reported"] == 23


@pytest.mark.parametrize("measure", ["applications", "first_hand", "eligible", "enrolment",
                                     "outcomes"])  # fmt: skip
def test_every_figure_column_is_declared_so_the_gate_hides_it(cells, measure):
    aggregate = komvux_by(
        cells, measure=measure, by="size", data_version="v1", scope="t", organizers=ORGANIZERS
    )
    declared = {*aggregate.dims, aggregate.count, *aggregate.values}
    assert set(aggregate.table.schema.names) == declared
    for row in aggregate.table.to_pylist():
        if row["year"] is not None and aggregate.parts:
            assert sum(row[p] or 0 for p in aggregate.parts) == row[aggregate.count]
