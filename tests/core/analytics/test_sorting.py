"""``sorted_rows`` sorts as ``np.lexsort`` of the columns' ranks, whether by one integer key
(the kept values after an import: mostly in order) or, when the ranks do not fit, by lexsort."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from likvard_core.analytics import sorting
from likvard_core.analytics.sorting import column_ranks, sorted_rows

_COLUMNS = ("level", "code", "school_year", "group")


def _table(seed: int, rows: int = 5_000) -> pa.Table:
    rng = np.random.default_rng(seed)
    codes = [f"{c:010d}" for c in rng.integers(0, 10**10, 300)]
    return pa.table(
        {
            "level": pa.array(rng.choice(["nation", "organizer", "school_unit"], rows)),
            "code": pa.array([None if i % 17 == 0 else codes[i % 300] for i in range(rows)]),
            "school_year": pa.array(rng.integers(2016, 2026, rows), pa.int16()),
            "group": pa.array(rng.choice(["all", "girls", "boys", "ä", "Z"], rows)),
            "row": pa.array(np.arange(rows)),
        }
    )


def _lexsorted(table: pa.Table) -> pa.Table:
    keys = [column_ranks(table.column(c)) for c in reversed(_COLUMNS)]
    return table.take(pa.array(np.lexsort(keys)))


@pytest.mark.parametrize("seed", range(4))
def test_sorted_rows_orders_as_lexsort_with_ties_and_nulls(seed):
    table = _table(seed)
    assert sorted_rows(table, _COLUMNS).equals(_lexsorted(table))
    head = sorted_rows(table, _COLUMNS).slice(0, 4_000)  # a kept part plus rows out of order
    mixed = pa.concat_tables([head, table.slice(4_000)])
    assert sorted_rows(mixed, _COLUMNS).equals(_lexsorted(mixed))


def test_ranks_too_wide_for_one_key_sort_by_lexsort(monkeypatch):
    table = _table(9).append_column("wide", pa.array(np.arange(5_000) * 2**58 // 5_000))
    columns = (*_COLUMNS, "wide")
    calls = []
    lexsort = np.lexsort
    monkeypatch.setattr(sorting.np, "lexsort", lambda keys: calls.append(1) or lexsort(keys))
    got = sorted_rows(table, columns)
    assert calls
    keys = [column_ranks(table.column(c)) for c in reversed(columns)]
    assert got.equals(table.take(pa.array(lexsort(keys))))
