"""Absence per student and term, in minutes of scheduled time.

Each student-year has a propensity to be absent that grows with age and is higher where
parents' education is lower; each term draws around it, with a long right tail so that roughly
one student in six passes the 10 % warning level and a few pass 20 %. Unexcused absence is a
share of the total that grows with the total.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

TERM_MINUTES = {1: 22_000, 4: 27_000, 7: 30_000, 10: 28_000}
"""Scheduled minutes per term from the grade year named (10 = upper secondary) upward."""


@dataclass(frozen=True, slots=True)
class TermAbsence:
    """Absence rows: each enrolment row appears twice (HT, then VT)."""

    row: IntArray
    term: npt.NDArray[np.str_]
    scheduled: IntArray
    absent: IntArray
    unexcused: IntArray


def scheduled_minutes(stage_year: IntArray) -> IntArray:
    """Nominal minutes per term for grade years 1-9 and 10+ (upper secondary)."""
    minutes = np.zeros(stage_year.size, np.int64)
    for start, value in sorted(TERM_MINUTES.items()):
        minutes[stage_year >= start] = value
    return minutes


def term_absence(
    rng: np.random.Generator, stage_year: IntArray, parents_education: FloatArray
) -> TermAbsence:
    """Autumn and spring absence for each enrolment row (``stage_year`` 10-12 = upper sec.)."""
    n = stage_year.size
    mean = 0.035 + 0.004 * stage_year
    propensity = mean * np.exp(-0.35 * (parents_education - 2.27) + rng.normal(0.0, 0.7, n) - 0.245)
    rows = np.concatenate([np.arange(n), np.arange(n)])
    rates = np.clip(propensity[rows] * rng.lognormal(0.0, 0.3, 2 * n), 0.0, 0.95)
    scheduled = scheduled_minutes(stage_year)[rows]
    scheduled = (scheduled * rng.normal(1.0, 0.02, 2 * n) / 10).round().astype(np.int64) * 10
    absent = np.minimum((rates * scheduled).round().astype(np.int64), scheduled)
    share = np.clip(0.08 + 1.5 * rates + rng.normal(0.0, 0.05, 2 * n), 0.0, 1.0)
    unexcused = np.minimum((absent * share).round().astype(np.int64), absent)
    terms = np.repeat(np.array(["HT", "VT"]), n)
    return TermAbsence(rows, terms, scheduled, absent, unexcused)
