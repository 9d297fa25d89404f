"""A new version's national comparison from the previous version's, updated per school year.

Every row of the comparison depends only on its own school year's grades, tests and
enrolments, and each row's test (the other units' rate, its p-value) only on its stratum of
the same year. So after an import (or a withdrawal) only the school years of the batch are
counted and tested again; the other years' counts and tests are read from the previous
complete version's kept tables. The q-values, flags, patterns and releases are then decided
over the whole version, exactly as from tables computed anew (``tests/core/analytics/equity/
test_counts_updated.py`` checks it over random sequences of imports and withdrawals).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pyarrow as pa

from likvard.warehouse.selectors import VersionRef, version_changed_years
from likvard_core.analytics.equity.grade_vs_test import COURSE_GRADE_YEAR
from likvard_core.analytics.equity.national import (
    COUNTS_TABLE,
    YEARLY,
    counts_updated,
    national_counts,
    yearly_updated,
)
from likvard_core.warehouse.schema import COURSE_GRADES, ENROLMENTS, FINAL_GRADES, NATIONAL_TESTS


def read_tables(grade_year: int) -> list[str]:
    """The fact tables the comparison of ``grade_year`` reads."""
    grades = COURSE_GRADES if grade_year == COURSE_GRADE_YEAR else FINAL_GRADES
    return [grades.name, NATIONAL_TESTS.name, ENROLMENTS.name]


@dataclass(frozen=True, slots=True)
class KeptUpdate:
    """How a warm-up gets a version's counts and yearly table from the previous version's."""

    counts: Callable[[], pa.Table]
    yearly: Callable[[pa.Table], pa.Table]


def update_from_previous(
    *,
    version: VersionRef,
    previous: VersionRef | None,
    grade_year: int,
    params: dict[str, object],
    reference_label: str,
    min_group: int,
) -> KeptUpdate | None:
    """How to get ``version``'s tables of ``grade_year`` from ``previous``'s kept ones, or None
    when they are not kept (or a changed file is gone) and must be computed in full."""
    if previous is None or not all(
        previous.has_derived(name, params) for name in (COUNTS_TABLE, YEARLY)
    ):
        return None
    found = version_changed_years(previous, version, tables=read_tables(grade_year))
    if found is None:
        return None
    years = sorted(found)

    def counts() -> pa.Table:
        kept = previous.derived(COUNTS_TABLE, params, _not_kept)
        if not years:
            return kept
        with version.open() as db:
            fresh = national_counts(db, grade_year=grade_year, years=years)
        return counts_updated(kept, fresh, years=years)

    def yearly(counts: pa.Table) -> pa.Table:
        kept = previous.derived(YEARLY, params, _not_kept)
        return yearly_updated(
            counts, kept, years=years, reference_label=reference_label, min_group=min_group
        )

    return KeptUpdate(counts=counts, yearly=yearly)


def _not_kept() -> pa.Table:
    raise LookupError("the previous version's counts were removed meanwhile")
