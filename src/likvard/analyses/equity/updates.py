"""A new version's national comparison from the previous version's, updated per school year.

Every row of the comparison depends only on its own school year's grades, tests and
enrolments, and each row's test (the other units' rate, its p-value) and its part of its
pattern's pooled test only on its stratum of the same year; its q-values only on its school
year's rows (one Benjamini-Hochberg family per year, docs/decisions/0013). The kept tables are
therefore one part per school year (``likvard_core.analytics.equity.kept``): after an import
(or a withdrawal) only the school years of the batch are counted and tested again, the other
years' parts are the previous complete version's (hard links), a changed year's part is the
previous one with the batch's students' parts taken away and added again (their rows read once
for the three grade years, ``changed_students_rows``), and only the thin
national tables (pattern windows, patterns, organizers) are decided again over the whole
version, exactly as from tables computed anew
(``tests/core/analytics/equity/test_kept_parts.py`` checks it over random sequences of imports
and withdrawals).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from typing import TypeVar

import pyarrow as pa

from likvard.warehouse.selectors import (
    VersionRef,
    version_changed_files,
)
from likvard_core.analytics.equity.changed import READS, ChangedRows, changed_rows
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
    by_table = _changed_years(previous, version)
    if by_table is None:
        return None
    found = {y for table in read_tables(grade_year) for y in by_table.get(table, set())}

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

    def rows() -> ChangedRows | None:
        return changed_students_rows(previous, version)

    return Previous(
        changed=frozenset(found),
        read=read,
        link=link,
        changes=changes,
        rows=rows,
        read_parts=previous.derived_parts,
    )


T = TypeVar("T")
_YEARS: dict[tuple[str, str], dict[str, set[int]] | None] = {}
_ROWS: dict[tuple[str, str], ChangedRows | None] = {}
"""The latest warm-up's changed years and ``ChangedRows`` (one pair of versions each), found
once for its three grade years."""


def _once(
    store: dict[tuple[str, str], T], previous: VersionRef, version: VersionRef,
    compute: Callable[[VersionRef, VersionRef], T],
) -> T:  # fmt: skip
    key = (previous.key, version.key)
    if key not in store:
        store.clear()
        store[key] = compute(previous, version)
    return store[key]


def _changed_years(previous: VersionRef, version: VersionRef) -> dict[str, set[int]] | None:
    """The school years of each fact table's rows the versions differ by (``READS``; as
    ``version_changed_years`` of each), from one snapshot of the changed files, once per
    pair of versions; None when one is gone."""
    return _once(_YEARS, previous, version, _years_read)


def _years_read(previous: VersionRef, version: VersionRef) -> dict[str, set[int]] | None:
    changed = version_changed_files(previous, version, tables=READS)
    found: dict[str, set[int]] = {}
    try:
        with VersionRef(label="changes", files=changed).open() as db:
            for table in changed:
                years = db.query(f'SELECT DISTINCT school_year FROM "{table}"')
                found[table] = {int(y) for y in years.column("school_year").to_pylist()}
    except FileNotFoundError:
        return None
    return found


def changed_students_rows(previous: VersionRef, version: VersionRef) -> ChangedRows | None:
    """The rows of the changed students of the school years ``version`` and ``previous``
    differ in (``changed.changed_rows``), read once per pair of versions; None when a
    changed file is gone (then the units are counted from the facts)."""
    return _once(_ROWS, previous, version, _rows_read)


def _rows_read(previous: VersionRef, version: VersionRef) -> ChangedRows | None:
    by_table = _changed_years(previous, version)
    years = {y for found in (by_table or {}).values() for y in found}
    if not years:
        return None
    sides: list[dict[str, list[str]]] = [{}, {}, {}]
    for table in READS:
        old, new = set(previous.files.get(table, [])), set(version.files.get(table, []))
        for side, files in zip(sides, (old & new, old - new, new - old), strict=True):
            if files:  # an import's own files: the changes' snapshot, kept open already
                side[table] = sorted(files)
    try:
        with contextlib.ExitStack() as stack:
            shared, db = (
                stack.enter_context(ref.open())
                for ref in (VersionRef(label="shared", files=sides[0]), version)
            )
            before, after = (
                stack.enter_context(VersionRef(label=label, files=files).open()) if files else None
                for label, files in (("before-own", sides[1]), ("after-own", sides[2]))
            )
            return changed_rows(shared, before, after, db, years=sorted(years))
    except FileNotFoundError:
        return None
