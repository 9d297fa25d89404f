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
from likvard.warehouse.selectors import VersionRef, version_changed_years
from likvard_core.analytics.movement.admissions import admission_years
from likvard_core.analytics.movement.flows import enrolment_years, programme_codes
from likvard_core.analytics.movement.kept import (
    CELL_ORDER,
    cells_updated,
    introduction_cells_updated,
    national_movement_cells,
)
from likvard_core.analytics.movement.kept import (
    national_introduction_cells as kept_introduction_cells,
)
from likvard_core.analytics.movement.scope import UPPER_SECONDARY_FORMS, Scope
from likvard_core.analytics.movement.tables import cells_in_scope, lookups_digest
from likvard_core.warehouse.derived import Filter
from likvard_core.warehouse.schema import ENROLMENTS

NATIONAL_CELLS = "movement_cells"
AREA_CELLS = "movement_area_cells"
CHOICES = "movement_choices"
INTRODUCTION_CELLS = "movement_introduction_cells"
_SORT = [(c, "ascending") for c in CELL_ORDER]


def _params(reference: Reference, forms: tuple[str, ...]) -> dict[str, object]:
    return {"forms": list(forms), "lookups": lookups_digest(reference.lookups)}


def national_cells(
    *, version: VersionRef, reference: Reference, forms: tuple[str, ...] = UPPER_SECONDARY_FORMS
) -> pa.Table:
    """Every upper-secondary student of the version in cells, computed once per version."""

    def compute() -> pa.Table:
        with version.open() as db:
            return national_movement_cells(db, reference.lookups, forms=forms)

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


def movement_derived_warm(
    *, version: VersionRef, reference: Reference, previous: VersionRef | None = None
) -> int:
    """Compute the version's national cells, introduction follow-up cells and filter choices
    ahead of the first page.

    With ``previous`` (a complete version), its cells are updated (``movement_derived_update``).
    Returns the number of cells. Call it after an import commits a new data version, in the
    import's background job, so the first dependency map after an import reads kept tables.
    """
    movement_choices(version=version)
    movement_derived_update(version=version, previous=previous, reference=reference)
    scope = Scope()

    def introduction() -> pa.Table:
        with version.open() as db:
            return kept_introduction_cells(db, reference.lookups, scope)

    def cells() -> pa.Table:
        with version.open() as db:
            return national_movement_cells(db, reference.lookups, forms=UPPER_SECONDARY_FORMS)

    params = _params(reference, UPPER_SECONDARY_FORMS)
    version.derived(INTRODUCTION_CELLS, _introduction_params(reference, scope), introduction,
                    filters=_NOTHING)  # fmt: skip
    version.derived(NATIONAL_CELLS, params, cells, filters=_NOTHING)
    counts = version.derived_parts(NATIONAL_CELLS, [params], columns=["n"])
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
    changed ones are counted again too (the newest year is the new version's).
    """
    if previous is None or not any(version.files.values()):
        return False
    forms = UPPER_SECONDARY_FORMS
    cells_params = _params(reference, forms)
    intro_params = _introduction_params(reference, Scope())
    if not (
        previous.has_derived(NATIONAL_CELLS, cells_params)
        and previous.has_derived(INTRODUCTION_CELLS, intro_params)
    ):
        return False
    changed = version_changed_years(previous, version, tables=[ENROLMENTS.name])
    if changed is None:
        return False

    def cells() -> pa.Table:
        kept = previous.derived(NATIONAL_CELLS, cells_params, _not_kept)
        with version.open() as db:
            return cells_updated(db, kept, reference.lookups, years=changed, forms=forms)

    def introduction() -> pa.Table:
        kept = previous.derived(INTRODUCTION_CELLS, intro_params, _not_kept)
        with version.open() as db:
            return introduction_cells_updated(db, kept, reference.lookups, years=changed)

    version.derived(NATIONAL_CELLS, cells_params, cells, filters=_NOTHING)  # nothing read back
    version.derived(INTRODUCTION_CELLS, intro_params, introduction, filters=_NOTHING)
    return True


def _not_kept() -> pa.Table:
    raise LookupError("the previous version's movement cells were removed meanwhile")
