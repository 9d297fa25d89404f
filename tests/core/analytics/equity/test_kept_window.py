"""The patterns' rows of the window, chosen without a join: the same rows as the inner join of
the yearly rows with the window's subjects and years (``_in_window``)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from likvard_core.analytics.equity.kept import _in_window
from likvard_core.analytics.equity.patterns import RECENT, with_period

_ORDER = [(c, "ascending") for c in ("subject_code", "school_year", "school_unit_code")]


@pytest.mark.parametrize("seed", range(6))
def test_the_window_keeps_the_rows_of_the_join(seed):
    rng = np.random.default_rng(seed)
    rows: list[tuple[str, int, str]] = []
    for subject in ("EN", "MA", "SV", "NO", "ML"):  # each subject its own years, some gaps
        count = 12 if subject == "EN" else int(rng.integers(1, 12))  # EN: beyond the window
        years = sorted(rng.choice(np.arange(2014, 2026), count, replace=False))
        for year in years:
            units = rng.choice(40, int(rng.integers(1, 6)), replace=False)
            rows.extend((subject, int(year), f"u{unit:02d}") for unit in units)
    table = pa.table(
        {
            "subject_code": [r[0] for r in rows],
            "school_year": pa.array([r[1] for r in rows], pa.int16()),
            "school_unit_code": [r[2] for r in rows],
        }
    )
    pairs = (
        table.select(["subject_code", "school_year"])
        .group_by(["subject_code", "school_year"])
        .aggregate([])
    )
    periods = with_period(pairs)
    recent = periods.filter(pc.equal(periods.column("period"), RECENT))
    joined = table.join(
        recent.select(["subject_code", "school_year"]),
        keys=["subject_code", "school_year"],
        join_type="inner",
    )
    kept = table.filter(_in_window(table, recent))
    assert kept.num_rows < table.num_rows
    assert kept.sort_by(_ORDER).equals(joined.select(table.schema.names).sort_by(_ORDER))
