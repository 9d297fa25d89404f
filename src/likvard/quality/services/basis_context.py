"""The national part of the analysis bases of a year, kept once per data version on disk.

``basis_context`` (the core) computes the nation, every municipality, organizer and school unit
over ten years and the expected-value fits of the year: minutes at national scale. It depends
only on the data version, the year and the municipality basis, so it is kept as derived tables
of the version (``VersionRef.derived``): the first basis of a year after an import computes it
once, and every later request, worker process and restart reads only its own subject's slice.
The tables hold unreleased aggregates like the facts they come from; ``build_basis`` still
sends every figure through the release gate per request.
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
)
from likvard_core.analytics.quality.context_update import CONTEXT_READS, context_tables_updated
from likvard_core.analytics.quality.expected import MODEL as EXPECTED_MODEL
from likvard_core.analytics.quality.indicators import MunicipalityBasis

if TYPE_CHECKING:
    from likvard_core.analytics.quality.basis_context import BasisContext
    from likvard_core.warehouse.snapshot import Snapshot

TREND_YEARS = 10
"""School years in every trend of the analysis basis."""


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
        slices = [
            version.derived(f"quality_context_{part}", params, compute(part), filters=filters)
            for filters in alternatives
        ]
        tables[part] = pa.concat_tables(slices)
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
    A changed year's rows are the kept ones less the changed students' part in ``previous``
    plus their part in ``version`` (``context_update``), so both versions' files are read.
    """
    if previous is None or not any(version.files.values()):
        return False
    key = _key(year, school_municipalities)
    params = _params(key, school_municipalities)
    names = [f"quality_context_{part}" for part in PARTS]
    if not all(previous.has_derived(name, params) for name in names):
        return False
    changed = version_changed_years(previous, version, tables=CONTEXT_READS)
    if changed is None:
        return False
    computed: dict[str, pa.Table] = {}

    def compute(part: str) -> Callable[[], pa.Table]:
        def run() -> pa.Table:
            if not computed:
                kept = {
                    p: previous.derived(f"quality_context_{p}", params, _not_kept) for p in PARTS
                }
                with contextlib.ExitStack() as stack:
                    db = stack.enter_context(version.open())
                    changes: Snapshot | None
                    before: Snapshot | None
                    try:  # the rows the versions differ by, and the earlier version
                        files = version_changed_files(previous, version, tables=CONTEXT_READS)
                        changes = stack.enter_context(VersionRef("changes", files).open())
                        before = stack.enter_context(previous.open())
                    except FileNotFoundError:  # gone: count the changed years whole
                        changes = before = None
                    computed.update(
                        context_tables_updated(
                            db,
                            kept,
                            key,
                            changed=changed,
                            school_municipalities=school_municipalities or None,
                            before=before,
                            changes=changes,
                        )
                    )
            return computed[part]

        return run

    for part in PARTS:  # written whole, nothing read back (no row has an empty key)
        version.derived(f"quality_context_{part}", params, compute(part), filters=_NOTHING[part])
    return True


_NOTHING: dict[str, list[Filter]] = {
    "values": [("level", "=", "")],
    "expected_units": [("school_unit_code", "=", "")],
    "expected_organizers": [("organizer_code", "=", "")],
    "unit_organizers": [("school_unit_code", "=", "")],
}
"""Per part, a filter no kept row matches: an update writes its tables and reads none back."""


def _not_kept() -> pa.Table:
    raise LookupError("the previous version's context was removed meanwhile")


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
    table = pa.concat_tables(
        [
            version.derived("quality_context_values", params, compute, filters=filters)
            for filters in alternatives
        ]
    )
    return table.filter(pc.is_in(table.column("school_year"), pa.array(key.years, pa.int16())))
