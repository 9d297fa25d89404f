"""The national part of the analysis bases of a year, kept once per data version on disk.

``basis_context`` (the core) computes the nation, every municipality, organizer and school unit
over ten years and the expected-value fits of the year: minutes at national scale. It depends
only on the data version, the year and the municipality basis, so it is kept as derived tables
of the version (``VersionRef.derived``): the first basis of a year after an import computes it
once, and every later request, worker process and restart reads only its own subject's slice.
The tables hold unreleased aggregates like the facts they come from; ``build_basis`` still
sends every figure through the release gate per request.

The values (every level's rows of the ten years) are kept one part per school year
(``quality_context_values`` with the year among its parameters, read together in one scan by
``VersionRef.derived_parts``): a row of a school year reads that year's facts alone, so a
version after an import links the previous version's parts of every year the import does not
touch and writes only the changed years' parts (issue #18).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc

from likvard.warehouse.selectors import VersionRef, version_changed_files, version_changed_years
from likvard_core.analytics.quality.basis import SubjectKind
from likvard_core.analytics.quality.basis_store import (
    PARTS,
    ContextKey,
    Filter,
    context_filters,
    context_from_tables,
    context_tables,
    values_sorted,
)
from likvard_core.analytics.quality.context_update import (
    CONTEXT_READS,
    Sides,
    context_years_updated,
)
from likvard_core.analytics.quality.expected import MODEL as EXPECTED_MODEL
from likvard_core.analytics.quality.indicators import MunicipalityBasis

if TYPE_CHECKING:
    from likvard_core.analytics.quality.basis_context import BasisContext
    from likvard_core.warehouse.snapshot import Snapshot

TREND_YEARS = 10
"""School years in every trend of the analysis basis."""

VALUES = "quality_context_values"
"""The kept values' name: one part per school year of the trend (see module doc)."""
FITS: tuple[str, ...] = tuple(f"quality_context_{part}" for part in PARTS if part != "values")
"""The kept tables of the context's own year: the expected values, the units' organizers and
the units' background (the fits' input)."""
BACKGROUND = "quality_context_unit_background"
"""The units' background of the context's year: an update counts only the touched units'."""


def _params(key: ContextKey, school_municipalities: Mapping[str, str]) -> dict[str, object]:
    placement = json.dumps(sorted(school_municipalities.items()), ensure_ascii=True)
    return {
        "year": key.year,
        "trend_years": key.trend_years,
        "municipality_basis": key.municipality_basis.value,
        "school_municipalities": hashlib.sha256(placement.encode()).hexdigest()[:16],
        "expected_model": EXPECTED_MODEL,
    }


def _parts(
    version: VersionRef, key: ContextKey, school_municipalities: Mapping[str, str]
) -> Callable[[str], Callable[[], pa.Table]]:
    """For each part name, the function that computes it (all parts in one pass, once)."""
    computed: dict[str, pa.Table] = {}

    def compute(part: str) -> Callable[[], pa.Table]:
        def run() -> pa.Table:
            if part == "unit_background" and not computed:  # kept alone: the fits' input
                from likvard_core.analytics.quality.expected import unit_background  # noqa: PLC0415

                with version.open() as db:
                    return unit_background(db, key.year)
            if not computed:
                # Imported here: the model fitting pulls in statsmodels (slow to import).
                from likvard_core.analytics.quality.basis_context import basis_context  # noqa: PLC0415

                with version.open() as db:
                    context = basis_context(
                        db,
                        year=key.year,
                        trend_years=key.trend_years,
                        school_municipalities=school_municipalities or None,
                    )
                computed.update(context_tables(context))
            return computed[part]

        return run

    return compute


def _key(year: int, school_municipalities: Mapping[str, str]) -> ContextKey:
    basis = MunicipalityBasis.SCHOOL if school_municipalities else MunicipalityBasis.HOME
    return ContextKey(year=year, trend_years=TREND_YEARS, municipality_basis=basis)


def _year_params(params: Mapping[str, object], year: int) -> dict[str, object]:
    """The parameters of the values' part of school year ``year``."""
    return {**params, "school_year": year}


def _of_year(values: pa.Table, year: int) -> pa.Table:
    """The rows of school year ``year`` of kept values (their order kept: a part is sorted)."""
    return values.filter(pc.equal(values.column("school_year"), pa.scalar(year, pa.int16())))


def _values_kept(
    version: VersionRef,
    key: ContextKey,
    params: Mapping[str, object],
    values: Callable[[], pa.Table],
) -> None:
    """Keep every year's part of the values not yet kept, from ``values()`` (all years, in
    the kept order), computed only if a part is missing; nothing is read back."""
    for year in key.years:
        version.derived(
            VALUES,
            _year_params(params, year),
            lambda year=year: _of_year(values(), year),  # type: ignore[misc]
            filters=_NOTHING["values"],
        )


def _values_read(
    version: VersionRef,
    key: ContextKey,
    params: Mapping[str, object],
    values: Callable[[], pa.Table],
    filters: Sequence[Filter],
) -> pa.Table:
    """The kept values' rows matching ``filters`` of every year of the trend, in the kept
    order (``values_sorted``, as one table of every year read the same filters), kept first
    from ``values()`` when a part is missing."""
    parts = [_year_params(params, year) for year in key.years]
    table = version.derived_parts(VALUES, parts, filters=filters)
    if table is None:
        _values_kept(version, key, params, values)
        table = version.derived_parts(VALUES, parts, filters=filters)
        if table is None:
            raise LookupError("the context's values were removed meanwhile")
    return values_sorted(table)


def basis_context_get(
    *,
    version: VersionRef,
    year: int,
    kind: SubjectKind,
    code: str,
    school_municipalities: Mapping[str, str],
) -> BasisContext | None:
    """The national context of ``year`` narrowed to one subject's basis (see module doc).

    Computed and kept on the first call for the data version, the year and the school-unit
    placement; read (only the subject's rows) on every later call. ``None`` for a data version
    without files: there is nothing national to share and the basis computes what little
    there is itself.
    """
    if not any(version.files.values()):
        return None
    key = _key(year, school_municipalities)
    params = _params(key, school_municipalities)
    compute = _parts(version, key, school_municipalities)
    tables = {}
    for part, alternatives in context_filters(kind, code).items():
        if part == "values":
            slices = [
                _values_read(version, key, params, compute(part), filters)
                for filters in alternatives
            ]
        else:
            slices = [
                version.derived(f"quality_context_{part}", params, compute(part), filters=filters)
                for filters in alternatives
            ]
        tables[part] = pa.concat_tables(slices)
    version.derived(  # the fits' input, kept for an update (nothing read back)
        BACKGROUND, params, compute("unit_background"), filters=_NOTHING["unit_background"]
    )
    return context_from_tables(
        tables, key, version=version.label, school_municipalities=school_municipalities or None
    )


def basis_context_update(
    *,
    version: VersionRef,
    previous: VersionRef | None,
    year: int,
    school_municipalities: Mapping[str, str],
) -> bool:
    """Keep ``version``'s national context of ``year`` from ``previous``'s kept one, computing
    only the school years whose facts differ (``context_update``); False when ``previous``
    keeps no such context (or a changed file is gone): then it is computed anew on first use.
    The values' parts of every other year are ``previous``'s (hard links), and so are the fits
    unless the context's own year changed. A changed year's rows are the kept ones less the
    changed students' part in ``previous`` plus their part in ``version``
    (``context_update``), so both versions' files are read.
    """
    if previous is None or not any(version.files.values()):
        return False
    key = _key(year, school_municipalities)
    params = _params(key, school_municipalities)
    parts = {y: _year_params(params, y) for y in key.years}
    if not all(previous.has_derived(name, params) for name in FITS) or not all(
        previous.has_derived(VALUES, p) for p in parts.values()
    ):
        return False
    changed = version_changed_years(previous, version, tables=CONTEXT_READS)
    if changed is None:
        return False
    stale = sorted({int(y) for y in changed} & set(key.years))
    if not _unchanged_linked(version, previous, key, params, stale):
        return False  # removed meanwhile: the rest is computed anew on first use
    return not stale or _years_updated(
        version, previous, key, {y: parts[y] for y in stale}, school_municipalities
    )


def _unchanged_linked(
    version: VersionRef,
    previous: VersionRef,
    key: ContextKey,
    params: Mapping[str, object],
    stale: Sequence[int],
) -> bool:
    """Link ``previous``'s values' parts of every year not in ``stale`` to ``version``, and
    its fits unless the context's own year is stale (they are of that year alone); whether
    every one could be linked."""
    linked = all(
        version.derived_linked(previous, VALUES, _year_params(params, y))
        for y in key.years
        if y not in stale
    )
    if key.year in stale:
        return linked
    return linked and all(version.derived_linked(previous, name, params) for name in FITS)


def _years_updated(
    version: VersionRef,
    previous: VersionRef,
    key: ContextKey,
    parts: Mapping[int, Mapping[str, object]],
    school_municipalities: Mapping[str, str],
) -> bool:
    """Keep ``version``'s values' parts of the changed years (``parts``, by year) and, when
    the context's own year changed, its fits, from ``previous``'s parts of those years;
    False when they are gone."""
    kept = previous.derived_parts(VALUES, list(parts.values()))
    background = (
        previous.derived_kept(BACKGROUND, _params(key, school_municipalities))
        if key.year in parts
        else None
    )
    if kept is None or (key.year in parts and background is None):
        return False
    computed: dict[str, pa.Table] = {}

    def compute() -> dict[str, pa.Table]:
        if not computed:
            with contextlib.ExitStack() as stack:
                db = stack.enter_context(version.open())
                changes: Snapshot | None
                before: Snapshot | None
                sides: Sides | None
                try:  # the rows the versions differ by, and the earlier version
                    files = version_changed_files(previous, version, tables=CONTEXT_READS)
                    changes = stack.enter_context(VersionRef("changes", files).open())
                    before = stack.enter_context(previous.open())
                    sides = Sides(
                        *(
                            stack.enter_context(VersionRef(label, part).open())
                            for label, part in zip(
                                ("shared", "before-own", "after-own"),
                                _split(previous, version),
                                strict=True,
                            )
                        )
                    )
                except FileNotFoundError:  # gone: count the changed years whole
                    changes = before = sides = None
                computed.update(
                    context_years_updated(
                        db,
                        kept,
                        key,
                        years=list(parts),
                        school_municipalities=school_municipalities or None,
                        before=before,
                        changes=changes,
                        background=background,
                        sides=sides,
                    )
                )
        return computed

    for y, year_params in parts.items():  # written, nothing read back (no row has an empty key)
        version.derived(
            VALUES,
            year_params,
            lambda y=y: _of_year(compute()["values"], y),  # type: ignore[misc]
            filters=_NOTHING["values"],
        )
    if key.year in parts:
        for name, part in zip(FITS, PARTS[1:], strict=True):
            version.derived(
                name,
                _params(key, school_municipalities),
                lambda part=part: compute()[part],  # type: ignore[misc]
                filters=_NOTHING[part],
            )
    return True


def _split(
    previous: VersionRef, version: VersionRef
) -> tuple[dict[str, list[str]], dict[str, list[str]], dict[str, list[str]]]:
    """The context's fact files both versions have, ``previous``'s own and ``version``'s own
    (tables without files left out: an import's own files are then exactly the files it
    changes, so its snapshot is the one already opened for the changes, not another)."""
    both: dict[str, list[str]] = {}
    old: dict[str, list[str]] = {}
    new: dict[str, list[str]] = {}
    for table in CONTEXT_READS:
        before, after = set(previous.files.get(table, [])), set(version.files.get(table, []))
        for side, files in ((both, before & after), (old, before - after), (new, after - before)):
            if files:  # a table without files is an empty table either way
                side[table] = sorted(files)
    return both, old, new


_NOTHING: dict[str, list[Filter]] = {
    "values": [("level", "=", "")],
    "expected_units": [("school_unit_code", "=", "")],
    "expected_organizers": [("organizer_code", "=", "")],
    "unit_organizers": [("school_unit_code", "=", "")],
    "unit_background": [("school_unit_code", "=", "")],
}
"""Per part, a filter no kept row matches: an update writes its tables and reads none back."""


def region_values_get(
    *,
    version: VersionRef,
    year: int,
    school_municipalities: Mapping[str, str],
    units: Sequence[str],
    organizers: Sequence[str],
    members: Sequence[str],
) -> pa.Table:
    """The kept national values (long form, the trend's years) of a region's school units,
    their organizers, its municipalities and the nation: the rows of its levels cubes."""
    key = _key(year, school_municipalities)
    params = _params(key, school_municipalities)
    compute = _parts(version, key, school_municipalities)("values")
    alternatives: list[list[Filter]] = [
        [("level", "in", ["school_unit", "unit_organizer"]), ("code", "in", list(units) or [""])],
        [("level", "=", "organizer"), ("code", "in", list(organizers) or [""])],
        [("level", "=", "municipality"), ("code", "in", list(members) or [""])],
        [("level", "=", "nation")],
    ]
    return pa.concat_tables(
        [_values_read(version, key, params, compute, filters) for filters in alternatives]
    )
