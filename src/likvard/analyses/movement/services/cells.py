"""Movement cells kept per data version, so the pages read a slice instead of the enrolments.

A data version never changes, so the national cell table (students per year, home
municipality, organizer, school unit and programme; ``likvard_core.analytics.movement.tables``)
is computed once per version, school forms and reference lookups and kept as Parquet beside the
warehouse (``VersionRef.derived``). A region or a municipality keeps its own slice of it (the
students living or studying there, every year), a few thousand rows that a page reads whole and
derives its tables from in Arrow. The filter choices (years, programmes) and the national
introduction-programme follow-up cells are kept likewise.

The tables hold unreleased counts, exactly like the facts: every page still releases what it
shows through ``likvard.access.release.release``. ``movement_derived_warm`` computes the
national tables of a version ahead of the first page (after an import).
"""

from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa

from likvard.analyses.movement.selectors import Reference
from likvard.warehouse.selectors import VersionRef
from likvard_core.analytics.movement.admissions import admission_years
from likvard_core.analytics.movement.flows import enrolment_years, programme_codes
from likvard_core.analytics.movement.introduction import introduction_cells
from likvard_core.analytics.movement.scope import UPPER_SECONDARY_FORMS, Scope
from likvard_core.analytics.movement.tables import cells_in_scope, lookups_digest, movement_cells

NATIONAL_CELLS = "movement_cells"
AREA_CELLS = "movement_area_cells"
CHOICES = "movement_choices"
INTRODUCTION_CELLS = "movement_introduction_cells"
_SORT = [("home_municipality_code", "ascending"), ("school_year", "ascending")]


def _params(reference: Reference, forms: tuple[str, ...]) -> dict[str, object]:
    return {"forms": list(forms), "lookups": lookups_digest(reference.lookups)}


def national_cells(
    *, version: VersionRef, reference: Reference, forms: tuple[str, ...] = UPPER_SECONDARY_FORMS
) -> pa.Table:
    """Every upper-secondary student of the version in cells, computed once per version."""

    def compute() -> pa.Table:
        with version.open() as db:
            cells = movement_cells(db, reference.lookups, Scope.of(school_forms=forms))
        return cells.sort_by(_SORT)

    return version.derived(NATIONAL_CELLS, _params(reference, forms), compute)


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
    params = {
        "forms": list(scope.school_forms),
        "organizer_types": sorted(scope.organizer_types or []),
        "lookups": lookups_digest(reference.lookups),
    }

    def compute() -> pa.Table:
        with version.open() as db:
            return introduction_cells(db, reference.lookups, scope)

    filters = None if home is None else [("home_municipality_code", "=", home)]
    return version.derived(INTRODUCTION_CELLS, params, compute, filters=filters)


def movement_choices(*, version: VersionRef) -> tuple[list[int], list[int], list[str]]:
    """School years with enrolments, admission years and programme codes of the version."""

    def compute() -> pa.Table:
        with version.open() as db:
            years = enrolment_years(db, Scope())
            admissions = admission_years(db, Scope())
            codes = programme_codes(db, Scope())
        kinds = ["year"] * len(years) + ["admission"] * len(admissions) + ["programme"] * len(codes)
        values = [str(y) for y in years] + [str(y) for y in admissions] + codes
        return pa.table({"kind": pa.array(kinds, pa.string()), "value": pa.array(values)})

    table = version.derived(CHOICES, {"forms": list(UPPER_SECONDARY_FORMS)}, compute)
    pairs = list(zip(table["kind"].to_pylist(), table["value"].to_pylist(), strict=True))
    return (
        [int(v) for k, v in pairs if k == "year"],
        [int(v) for k, v in pairs if k == "admission"],
        [str(v) for k, v in pairs if k == "programme"],
    )


def movement_derived_warm(*, version: VersionRef, reference: Reference) -> int:
    """Compute the version's national cells, introduction follow-up cells and filter choices
    ahead of the first page.

    Returns the number of cells. Call it after an import commits a new data version, in the
    import's background job, so the first dependency map after an import reads kept tables.
    """
    movement_choices(version=version)
    national_introduction_cells(version=version, reference=reference, scope=Scope())
    return int(national_cells(version=version, reference=reference).num_rows)
