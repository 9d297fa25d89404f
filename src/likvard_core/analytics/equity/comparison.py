"""What of the comparison may leave the core beside a school's row, and how it is rounded.

The flags are tested against the *other* units' rate (leave-one-out, ``deviation``), but that
rate must not be released at full precision: two rows of one stratum give its totals, and the
totals minus the shown rows give the sum of the hidden ones (issue #15, leak 3). So:

- the released comparison value is the **stratum's own share** (every unit of the comparison,
  the row's own unit included: one value for all rows of a subject, year and group), rounded to
  a step wide enough that the rounding hides at least a minimum group of students either way
  (``comparison_step``), and not shown at all for a stratum too small for that;
- p- and q-values and the pooled expectations, which would give the leave-one-out rate back,
  stay inside (only the flags and the reasons, with rounded figures, are released);
- shares that say something about (nearly) every student of a group, i.e. when all but at most
  ``ATTRIBUTE_MARGIN`` students share one outcome, are released as Skolverket's ``~100``: that
  outcome as 1.0, the two others as 0.0, ``shares_rounded`` true, and the intervals hidden
  (``with_outcome_marks``); the gate releases the outcome counts of those rows empty.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.stats._arrays import as_float_array

COMPARISON_STEPS: tuple[float, ...] = (0.01, 0.05)
"""The rounding steps of a released comparison share, finest first (1 or 5 percentage points)."""
ATTRIBUTE_MARGIN = 4
"""Skolverket's ``~100``: a share where at most this many students lack the outcome."""
OUTCOMES: tuple[str, ...] = ("lower", "same", "higher")


def comparison_step(total: np.ndarray, *, min_group: int) -> np.ndarray:
    """Per stratum: the finest step whose half covers ``min_group`` students, NaN if none does.

    Half a step times the stratum's students is how far the rounding may move the stratum's
    count of hits; at least a minimum group either way means no hidden cell (fewer students than
    the minimum group) can be worked out from the rounded share.
    """
    step = np.full(total.shape, np.nan)
    for candidate in reversed(COMPARISON_STEPS):
        step = np.where(total * candidate / 2.0 >= min_group, candidate, step)
    return step


def rounded_shares(hits: np.ndarray, total: np.ndarray, *, min_group: int) -> np.ndarray:
    """``hits / total`` rounded to ``comparison_step`` (NaN where the stratum is too small)."""
    step = comparison_step(total, min_group=min_group)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(total > 0, hits / total, np.nan)
        rounded: np.ndarray = np.round(share / step) * step
    return rounded


def with_outcome_marks(table: pa.Table) -> pa.Table:
    """``table`` with Skolverket's ``~100`` applied per row, plus a ``shares_rounded`` column.

    A row where one outcome (lower, same, higher) holds all but at most ``ATTRIBUTE_MARGIN`` of
    its ``n`` students says something about nearly every student in the group: that outcome's
    share becomes 1.0, the others 0.0, and the intervals and mean difference are hidden
    (null). The outcome counts stay for the gate, which decides with them and releases them
    empty in the marked rows (``Aggregate.withheld``): nulled before it, a hidden row's counts
    were no cells of its cube and their zeros went unprotected (ADR 0003). Other rows are
    unchanged.
    """
    n = as_float_array(table.column("n"))
    stacked = np.vstack([as_float_array(table.column(f"n_{m}")) for m in OUTCOMES])
    largest = np.argmax(stacked, axis=0) if table.num_rows else np.zeros(0, np.int64)
    marked = (n - stacked.max(axis=0, initial=0.0) <= ATTRIBUTE_MARGIN) & (n > 0)
    # one outcome is the ~100, the largest (the first on a tie); the others are ~0
    dominant = {m: largest == index for index, m in enumerate(OUTCOMES)}
    mask = pa.array(marked)
    for m in OUTCOMES:
        share = np.where(dominant[m], 1.0, 0.0)
        column = table.column(f"share_{m}")
        table = _set(table, f"share_{m}", pc.if_else(mask, pa.array(share), column))
        for name in (f"share_{m}_ci_low", f"share_{m}_ci_high"):
            table = _nulled(table, name, mask)
    table = _nulled(table, "mean_step_difference", mask)
    return table.append_column("shares_rounded", mask)


def _set(table: pa.Table, name: str, values: pa.Array | pa.ChunkedArray) -> pa.Table:
    index = table.schema.get_field_index(name)
    return table.set_column(
        index, table.schema.field(index), values.cast(table.schema.field(index).type)
    )


def _nulled(table: pa.Table, name: str, mask: pa.Array) -> pa.Table:
    if name not in table.schema.names:
        return table
    column = table.column(name)
    return _set(table, name, pc.if_else(mask, pa.scalar(None, column.type), column))
