"""Expected values (shared SALSA-style model) and public statistics by catalogue revision."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from likvard_core.analytics.adjusted.school_results import school_results
from likvard_core.analytics.quality.catalogue import load_catalogue
from likvard_core.analytics.quality.comparison import comparison_group
from likvard_core.analytics.quality.expected import expected_values
from likvard_core.analytics.quality.indicators import indicator_values
from likvard_core.analytics.quality.public import public_indicator_values
from likvard_core.warehouse.snapshot import Snapshot
from tests.core.analytics.quality.tiny_warehouse import model_tables


@pytest.fixture(scope="module")
def salsa_db():
    with Snapshot.from_tables(model_tables(30, seed=7), version="salsa") as db:
        yield db


def test_unit_expected_values_equal_an_independent_least_squares_fit(salsa_db):
    values = indicator_values(salsa_db, years=[2025], indicators=["gr9_pass_all"])
    units, organizers = expected_values(salsa_db, values, year=2025, indicators=["gr9_pass_all"])
    frame = school_results(salsa_db, years=[2025]).to_pandas()
    fit = frame[(frame["n_students"] >= 15) & (frame["background_coverage"] >= 0.75)]
    x = np.column_stack(
        [
            np.ones(len(fit)),
            fit[["parents_education", "share_boys", "share_newly_arrived"]].to_numpy(),
        ]
    )
    y = 100.0 * fit["share_passing_all"].to_numpy()  # the indicator is in percent
    beta, *_ = np.linalg.lstsq(x, y, rcond=None)
    rows = units.table.to_pandas().set_index("school_unit_code")
    for code, xi in zip(fit["school_unit_code"], x, strict=True):
        assert rows.loc[code, "expected"] == pytest.approx(float(xi @ beta), rel=1e-6)
        assert (
            rows.loc[code, "expected_low"]
            < rows.loc[code, "expected"]
            < rows.loc[code, "expected_high"]
        )
    organizer = organizers.table.to_pylist()[0]
    weights = rows["n"] / rows["n"].sum()
    assert organizer["expected"] == pytest.approx(float((weights * rows["expected"]).sum()))
    assert organizer["gap"] == pytest.approx(organizer["actual"] - organizer["expected"])
    assert organizers.population.organizers == frozenset({"2120000000"})


def test_comparison_group_over_real_profiles(salsa_db):
    group = comparison_group(salsa_db, target="1480", school_year=2025, k=3)
    assert group is None or group.target.code == "1480"
    assert comparison_group(salsa_db, target="none", school_year=2025) is None


def _public_rows() -> pa.Table:
    rows = [
        ("kolada", "N15533", 2021, "municipality", "1480", "all", 80.0, "exists", "80"),
        ("kolada", "N15533", 2022, "municipality", "1480", "all", 99.0, "exists", "99"),
        ("kolada", "N15643", 2022, "municipality", "1480", "all", 70.0, "exists", "70"),
        ("kolada", "N15643", 2023, "municipality", "1480", "girls", None, "too_few", ".."),
        ("kolada", "N15643", 2023, "nation", "0000", "all", 72.5, "exists", "72,5"),
    ]
    keys = [
        "source",
        "measure",
        "school_year",
        "level",
        "area_code",
        "group",
        "value",
        "status",
        "raw",
    ]
    data = {k: [r[i] for r in rows] for i, k in enumerate(keys)}
    data.update(
        table_name=["t"] * len(rows), organizer_type=["all"] * len(rows), subject=[""] * len(rows)
    )
    return pa.table(data)


def test_public_values_follow_the_revision_of_each_year():
    with Snapshot.from_tables({"public_stats": _public_rows()}, version="pub") as db:
        aggregate = public_indicator_values(
            db, load_catalogue(), years=[2021, 2022, 2023], indicators=["safety"]
        )
    rows = {(r["area_code"], r["school_year"], r["group"]): r for r in aggregate.table.to_pylist()}
    assert rows[("1480", 2021, None)]["value"] == 80.0  # old question until 2021
    assert rows[("1480", 2022, None)]["value"] == 70.0  # new question from 2022, not N15533's 99
    assert rows[("1480", 2023, "girls")]["published_status"] == "too_few"
    assert rows[("0000", 2023, None)]["value"] == 72.5
    assert not aggregate.population.student_level
