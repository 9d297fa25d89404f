"""Movement cells kept per data version, so the pages read a slice instead of the enrolments.

A data version never changes, so the national cell table (students per year, home
municipality, organizer, school unit and programme; ``likvard_core.analytics.movement.tables``)
is computed once per version, school forms and reference lookups and kept as Parquet beside the
warehouse (``VersionRef.derived``), one part per school year: a version after an import links
the previous version's parts of the years it does not change and counts only the changed years
(``movement_derived_update``, issue #18). A region or a municipality keeps its own slice of it (the
students living or studying there, every year), a few thousand rows that a page reads whole and
derives its tables from in Arrow. The filter choices (years, programmes) and the national
introduction-programme follow-up cells are kept likewise.

The tables hold unreleased counts, exactly like the facts: every page still releases what it
shows through ``likvard.access.release.release``. ``movement_derived_warm`` computes the
national tables of a version ahead of the first page (after an import).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

import pyarrow as pa

from likvard.analyses.movement.selectors import Reference
from likvard.warehouse.selectors import VersionRef, version_changed_years
from likvard_core.analytics.movement.kept import (
    CELL_ORDER,
    INTRODUCTION_ORDER,
    cells_of_years,
    choices,
    choices_of_years,
    choices_updated,
    introduction_cells_updated,
    national_movement_cells,
    year_parts,
)
from likvard_core.analytics.movement.kept import (
    national_introduction_cells as kept_introduction_cells,
)
from likvard_core.analytics.movement.scope import UPPER_SECONDARY_FORMS, Scope
from likvard_core.analytics.movement.students import (
    ChangedRows,
    cells_updated,
    changed_rows,
)
from likvard_core.analytics.movement.tables import cells_in_scope, lookups_digest
from likvard_core.warehouse.derived import Filter
from likvard_core.warehouse.schema import ADMISSIONS, ENROLMENTS

NATIONAL_CELLS = "movement_cells"
"""The national cells: one part per school year (the year among the parameters)."""
CELL_YEARS = "movement_cells_years"
"""The school years whose cells' parts a version keeps (written after the parts)."""
AREA_CELLS = "movement_area_cells"
CHOICES = "movement_choices"
INTRODUCTION_CELLS = "movement_introduction_cells"
_SORT = [(c, "ascending") for c in CELL_ORDER]


def _params(reference: Reference, forms: tuple[str, ...]) -> dict[str, object]:
    return {"forms": list(forms), "lookups": lookups_digest(reference.lookups)}


def _year_params(params: dict[str, object], year: int) -> dict[str, object]:
    """The parameters of the cells' part of school year ``year``."""
    return {**params, "school_year": year}


def _years_table(years: Iterable[int]) -> pa.Table:
    return pa.table({"school_year": pa.array(sorted(years), pa.int16())})


def _cells_kept(
    version: VersionRef, reference: Reference, forms: tuple[str, ...]
) -> list[dict[str, object]]:
    """Keep the version's national cells (one part per school year with cells, and the list
    of those years, ``CELL_YEARS``), computing them all in one pass when one is missing;
    returns the parts' parameters, oldest year first. Nothing is read back but the years."""
    params = _params(reference, forms)
    computed: dict[int, pa.Table] = {}

    def parts() -> dict[int, pa.Table]:
        if not computed:
            with version.open() as db:
                cells = national_movement_cells(db, reference.lookups, forms=forms)
            computed.update(year_parts(cells))
        return computed

    index = version.derived(CELL_YEARS, params, lambda: _years_table(parts()))
    years = [int(y) for y in index.column("school_year").to_pylist()]
    for year in years:
        version.derived(
            NATIONAL_CELLS,
            _year_params(params, year),
            lambda year=year: parts()[year],  # type: ignore[misc]
            filters=_NOTHING,
        )
    return [_year_params(params, year) for year in years]


def national_cells(
    *, version: VersionRef, reference: Reference, forms: tuple[str, ...] = UPPER_SECONDARY_FORMS
) -> pa.Table:
    """Every upper-secondary student of the version in cells, computed once per version and
    kept one part per school year (read together in one scan, oldest year first)."""
    parts = _cells_kept(version, reference, forms)
    table = version.derived_parts(NATIONAL_CELLS, parts) if parts else None
    if table is None:  # no cells (or removed meanwhile): counted here, not kept
        with version.open() as db:
            return national_movement_cells(db, reference.lookups, forms=forms)
    return table


def area_cells(
    *,
    version: VersionRef,
    reference: Reference,
    municipalities: Iterable[str],
    forms: tuple[str, ...] = UPPER_SECONDARY_FORMS,
) -> pa.Table:
    """The cells of the students living or studying in ``municipalities``, every year.

    Kept per version and area; computed from the national cells on first use.
    """
    codes = sorted(set(municipalities))
    params = {**_params(reference, forms), "municipalities": codes}

    def compute() -> pa.Table:
        cells = national_cells(version=version, reference=reference, forms=forms)
        return cells_in_scope(cells, Scope.of(municipalities=codes)).sort_by(_SORT)

    return version.derived(AREA_CELLS, params, compute)


def national_introduction_cells(
    *, version: VersionRef, reference: Reference, scope: Scope, home: str | None = None
) -> pa.Table:
    """Every introduction student's follow-up cell of the version (``scope``: school forms and
    organizer types only), computed once per version and kept beside the warehouse; with
    ``home``, only the rows of the students living in that municipality are read."""

    def compute() -> pa.Table:
        with version.open() as db:
            return kept_introduction_cells(db, reference.lookups, scope)

    filters = None if home is None else [("home_municipality_code", "=", home)]
    return version.derived(
        INTRODUCTION_CELLS, _introduction_params(reference, scope), compute, filters=filters
    )


def _introduction_params(reference: Reference, scope: Scope) -> dict[str, object]:
    return {
        "forms": list(scope.school_forms),
        "organizer_types": sorted(scope.organizer_types or []),
        "lookups": lookups_digest(reference.lookups),
    }


def movement_choices(
    *, version: VersionRef, previous: VersionRef | None = None
) -> tuple[list[int], list[int], list[str]]:
    """School years with enrolments, admission years and programme codes of the version.

    Kept per school year (``choices_of_years``): with ``previous`` (a version whose kept
    choices are there) only the years whose enrolments or admissions differ are asked again."""

    def compute() -> pa.Table:
        kept = None if previous is None else previous.derived_kept(CHOICES, _CHOICE_PARAMS)
        if kept is not None and previous is not None:
            enrolled = version_changed_years(previous, version, tables=[ENROLMENTS.name])
            admitted = version_changed_years(previous, version, tables=[ADMISSIONS.name])
            if enrolled is not None and admitted is not None:
                with version.open() as db:
                    return choices_updated(
                        db, kept, enrolment_years=enrolled, admission_years=admitted
                    )
        with version.open() as db:
            return choices_of_years(db)

    return choices(version.derived(CHOICES, _CHOICE_PARAMS, compute))


_CHOICE_PARAMS: dict[str, object] = {"forms": list(UPPER_SECONDARY_FORMS), "per_year": True}
"""The kept choices' parameters (one row per kind, school year and value)."""


def movement_derived_warm(
    *, version: VersionRef, reference: Reference, previous: VersionRef | None = None
) -> int:
    """Compute the version's national cells, introduction follow-up cells and filter choices
    ahead of the first page.

    With ``previous`` (a complete version), its cells are updated (``movement_derived_update``).
    Returns the number of cells. Call it after an import commits a new data version, in the
    import's background job, so the first dependency map after an import reads kept tables.
    """
    movement_choices(version=version, previous=previous)
    movement_derived_update(version=version, previous=previous, reference=reference)
    scope = Scope()

    def introduction() -> pa.Table:
        with version.open() as db:
            return kept_introduction_cells(db, reference.lookups, scope)

    version.derived(INTRODUCTION_CELLS, _introduction_params(reference, scope), introduction,
                    filters=_NOTHING)  # fmt: skip
    parts = _cells_kept(version, reference, UPPER_SECONDARY_FORMS)
    counts = version.derived_parts(NATIONAL_CELLS, parts, columns=["n"]) if parts else None
    return 0 if counts is None else int(counts.num_rows)


_NOTHING: list[Filter] = [("school_year", "=", -1)]
"""A filter no kept cell matches: the warm-up keeps the tables and reads none back."""


def movement_derived_update(
    *, version: VersionRef, previous: VersionRef | None, reference: Reference
) -> bool:
    """Keep ``version``'s national cells and introduction cells from ``previous``'s kept ones,
    counting again only the school years whose enrolments differ; False when ``previous``
    keeps no such tables (or a changed file is gone): then they are computed anew.

    A cell counts the students of one school year (each once, in that year's enrolments), so
    only the changed years' cells change. An introduction cell of year ``y`` follows its
    students into ``y + 1`` and exists only before the newest year, so the years before the
    changed ones are counted again too (the newest year is the new version's). Only the
    students with a row in the changed files can move, so those years' cells are the kept
    ones less those students' cells in ``previous`` plus theirs in ``version``
    (``students.cells_updated``: their rows read by student, the year's enrolments are not
    grouped again); when the newest school year changes, the years are counted whole.
    """
    if previous is None or not any(version.files.values()):
        return False
    forms = UPPER_SECONDARY_FORMS
    cells_params = _params(reference, forms)
    intro_params = _introduction_params(reference, Scope())
    index = previous.derived_kept(CELL_YEARS, cells_params)
    if index is None or not previous.has_derived(INTRODUCTION_CELLS, intro_params):
        return False
    changed = version_changed_years(previous, version, tables=[ENROLMENTS.name])
    if changed is None:
        return False
    stale = {int(y) for y in changed}
    years = {int(y) for y in index.column("school_year").to_pylist()}
    kept_years = years - stale
    if not all(
        version.derived_linked(previous, NATIONAL_CELLS, _year_params(cells_params, y))
        for y in sorted(kept_years)
    ):
        return False  # removed meanwhile: the rest is computed anew
    kept_intro = previous.derived(INTRODUCTION_CELLS, intro_params, _not_kept)
    rows = _changed_rows(previous, version, stale) if stale else None
    if rows is not None and rows.last_before == rows.last_after:
        kept_parts = {
            y: previous.derived_kept(NATIONAL_CELLS, _year_params(cells_params, y))
            for y in sorted(stale & years)
        }
        if any(part is None for part in kept_parts.values()):
            return False  # removed meanwhile: the rest is computed anew
        fresh, introduction = cells_updated(
            {y: p for y, p in kept_parts.items() if p is not None}, kept_intro, rows,
            reference.lookups, years=stale, orders=(CELL_ORDER, INTRODUCTION_ORDER), forms=forms,
        )  # fmt: skip
    else:
        with version.open() as db:
            fresh = cells_of_years(db, reference.lookups, years=stale, forms=forms)
            introduction = introduction_cells_updated(
                db, kept_intro, reference.lookups, years=changed
            )
    for year, part in fresh.items():  # written, nothing read back
        version.derived(
            NATIONAL_CELLS,
            _year_params(cells_params, year),
            lambda part=part: part,  # type: ignore[misc]
            filters=_NOTHING,
        )
    version.derived(CELL_YEARS, cells_params, lambda: _years_table(kept_years | set(fresh)))
    version.derived(INTRODUCTION_CELLS, intro_params, lambda: introduction, filters=_NOTHING)
    return True


def _changed_rows(previous: VersionRef, version: VersionRef, years: set[int]) -> ChangedRows | None:
    """The changed students' enrolment rows around ``years`` in both versions
    (``students.changed_rows``), or None when a file is gone."""
    old, new = (
        set(previous.files.get(ENROLMENTS.name, [])),
        set(version.files.get(ENROLMENTS.name, [])),
    )
    sides = {"shared": old & new, "before-own": old - new, "after-own": new - old}
    try:
        with contextlib.ExitStack() as stack:
            shared, before, after = (
                stack.enter_context(
                    VersionRef(label, {ENROLMENTS.name: sorted(files)} if files else {}).open()
                )
                for label, files in sides.items()
            )
            return changed_rows(shared=shared, before=before, after=after, years=years)
    except FileNotFoundError:
        return None


def _not_kept() -> pa.Table:
    raise LookupError("the previous version's movement cells were removed meanwhile")
