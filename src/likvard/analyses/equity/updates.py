"""A new version's national comparison from the previous version's, updated per school year.

Every row of the comparison depends only on its own school year's grades, tests and
enrolments, so after an import (or a withdrawal) only the school years of the batch are
counted again from the facts; the other years' counts are read from the previous complete
version's kept table. Flags, patterns and releases are then computed from the combined counts,
over the whole version, exactly as from counts computed anew (``tests/core/analytics/equity/
test_counts_updated.py`` checks it over random sequences of imports and withdrawals).
"""

from __future__ import annotations

from collections.abc import Callable

import pyarrow as pa

from likvard.warehouse.selectors import VersionRef, version_changed_years
from likvard_core.analytics.equity.grade_vs_test import COURSE_GRADE_YEAR
from likvard_core.analytics.equity.national import (
    COUNTS_TABLE,
    counts_updated,
    national_counts,
)
from likvard_core.warehouse.schema import COURSE_GRADES, ENROLMENTS, FINAL_GRADES, NATIONAL_TESTS


def read_tables(grade_year: int) -> list[str]:
    """The fact tables the comparison of ``grade_year`` reads."""
    grades = COURSE_GRADES if grade_year == COURSE_GRADE_YEAR else FINAL_GRADES
    return [grades.name, NATIONAL_TESTS.name, ENROLMENTS.name]


def counts_from_previous(
    *, version: VersionRef, previous: VersionRef | None, grade_year: int, params: dict[str, object]
) -> Callable[[], pa.Table] | None:
    """How to get ``version``'s counts from ``previous``'s kept ones, or None when they are not
    kept (or a changed file is gone) and the counts must be computed in full."""
    if previous is None or not previous.has_derived(COUNTS_TABLE, params):
        return None
    years = version_changed_years(previous, version, tables=read_tables(grade_year))
    if years is None:
        return None

    def compute() -> pa.Table:
        kept = previous.derived(COUNTS_TABLE, params, _not_kept)
        if not years:
            return kept
        with version.open() as db:
            fresh = national_counts(db, grade_year=grade_year, years=sorted(years))
        return counts_updated(kept, fresh, years=sorted(years))

    return compute


def _not_kept() -> pa.Table:
    raise LookupError("the previous version's counts were removed meanwhile")
