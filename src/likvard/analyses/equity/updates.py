"""A new version's national comparison from the previous version's, updated per school year.

Every row of the comparison depends only on its own school year's grades, tests and
enrolments, and each row's test (the other units' rate, its p-value) and its part of its
pattern's pooled test only on its stratum of the same year; its q-values only on its school
year's rows (one Benjamini-Hochberg family per year, docs/decisions/0013). The kept tables are
therefore one part per school year (``likvard_core.analytics.equity.kept``): after an import
(or a withdrawal) only the school years of the batch are counted and tested again, the other
years' parts are the previous complete version's (hard links), a changed year's part is the
previous one with only the units the batch's students touch counted again, and only the thin
national tables (pattern windows, patterns, organizers) are decided again over the whole
version, exactly as from tables computed anew
(``tests/core/analytics/equity/test_kept_parts.py`` checks it over random sequences of imports
and withdrawals).
"""

from __future__ import annotations

from collections.abc import Mapping

import pyarrow as pa

from likvard.warehouse.selectors import (
    VersionRef,
    version_changed_files,
    version_changed_years,
)
from likvard_core.analytics.equity.grade_vs_test import COURSE_GRADE_YEAR
from likvard_core.analytics.equity.kept import Previous
from likvard_core.warehouse.schema import COURSE_GRADES, ENROLMENTS, FINAL_GRADES, NATIONAL_TESTS
from likvard_core.warehouse.snapshot import Snapshot


def read_tables(grade_year: int) -> list[str]:
    """The fact tables the comparison of ``grade_year`` reads."""
    grades = COURSE_GRADES if grade_year == COURSE_GRADE_YEAR else FINAL_GRADES
    return [grades.name, NATIONAL_TESTS.name, ENROLMENTS.name]


def update_from_previous(
    *, version: VersionRef, previous: VersionRef | None, grade_year: int
) -> Previous | None:
    """How ``version``'s tables of ``grade_year`` reuse ``previous``'s kept ones, or None when
    a changed file is gone (then everything is computed in full)."""
    if previous is None:
        return None
    found = version_changed_years(previous, version, tables=read_tables(grade_year))
    if found is None:
        return None

    def read(name: str, params: Mapping[str, object]) -> pa.Table | None:
        try:
            return previous.derived_kept(name, params)
        except LookupError:
            return None

    def link(name: str, params: Mapping[str, object]) -> bool:
        return version.derived_linked(previous, name, params)

    changed = version_changed_files(previous, version, tables=read_tables(grade_year))

    def changes() -> Snapshot:
        return VersionRef(label="changes", files=changed).open()

    return Previous(changed=frozenset(found), read=read, link=link, changes=changes)
