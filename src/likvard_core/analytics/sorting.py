"""Tables sorted by several columns through integer ranks of their values (issue #18).

``sorted_rows`` gives the rows in the order of ``pyarrow.Table.sort_by`` (ascending, nulls
last, stable) but compares integer ranks instead of strings row by row, and, where the ranks
fit in one 62-bit key, sorts that key with numpy's stable sort, which merges the runs it finds:
kept tables with one school year replaced, or parts sorted each, sort in about linear time.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def column_ranks(column: pa.ChunkedArray) -> np.ndarray:
    """Each value's rank among the column's distinct values, ascending, nulls last."""
    if pa.types.is_integer(column.type) and column.null_count == 0:
        return np.asarray(column.to_numpy())
    distinct = [v for v in pc.unique(column).to_pylist() if v is not None]
    ordered = pa.array(sorted(distinct), column.type)
    ranks = pc.fill_null(pc.index_in(column, value_set=ordered), len(distinct))
    return np.asarray(ranks.to_numpy())


def sorted_rows(table: pa.Table, columns: Sequence[str]) -> pa.Table:
    """``table`` sorted ascending by ``columns`` (nulls last), as ``sort_by`` would, but by
    integer ranks of the few distinct codes rather than by comparing strings row by row."""
    if table.num_rows == 0:
        return table
    return table.take(pa.array(row_order(table, columns)))


def row_order(table: pa.Table, columns: Sequence[str]) -> np.ndarray:
    """The permutation ``sorted_rows`` takes (positions of the rows in sorted order), for
    callers that need only some columns in that order (no ``take`` of the strings)."""
    if table.num_rows == 0:
        return np.zeros(0, dtype=np.int64)
    return ranks_order([column_ranks(table.column(c)) for c in columns])


def ranks_order(ranks: Sequence[np.ndarray]) -> np.ndarray:
    """``row_order`` from the columns' ``column_ranks`` (first most significant), for callers
    that use the ranks again."""
    return _order(ranks)


def ranks_key(ranks: Sequence[np.ndarray]) -> np.ndarray:
    """One int64 per row that orders (and tells apart) the rows as the ranks do (first most
    significant); a structured key of the ranks when they do not fit in 62 bits."""
    key = np.zeros(len(ranks[0]), dtype=np.int64)
    total = 1
    for rank in reversed(ranks):
        low = int(rank.min()) if len(rank) else 0
        span = (int(rank.max()) if len(rank) else 0) - low + 1
        if total * span >= 2**62:
            return np.unique(np.stack(list(ranks), axis=1), axis=0, return_inverse=True)[1].ravel()
        key += (rank.astype(np.int64) - low) * total
        total *= span
    return key


def _order(ranks: Sequence[np.ndarray]) -> np.ndarray:
    """``np.lexsort`` of ``ranks`` (first most significant): the same permutation (both are
    stable sorts by the same order), from one integer key when the ranks fit in 62 bits, so
    that rows mostly in order already (a kept table with one school year replaced) sort in
    about linear time (numpy's stable sort merges the runs it finds)."""
    key = np.zeros(len(ranks[0]), dtype=np.int64)
    total = 1
    for rank in reversed(ranks):  # the last column varies fastest
        low = int(rank.min())
        span = int(rank.max()) - low + 1
        if total * span >= 2**62:
            return np.lexsort(list(reversed(ranks)))
        key += (rank.astype(np.int64) - low) * total
        total *= span
    return np.argsort(key, kind="stable")
