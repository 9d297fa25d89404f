"""Skolverket's regional planning basis of a region: importing it (all rows or none, each
file once) and setting its figures beside the region's supply and demand."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from likvard.access.policy import Action, Viewer, require
from likvard.analyses.planning.models import PlanningBasis, PlanningBasisValue
from likvard.organisations.models import Region
from likvard_core.ingest.issues import Issue
from likvard_core.ingest.sources.planning_basis import read_planning_basis


@dataclass(frozen=True, slots=True)
class BasisImport:
    """The result of an upload: the stored basis, or the issues (and nothing stored).

    ``already_imported``: the region already has a basis with the same content (SHA-256 of the
    file's bytes); ``basis`` is that earlier import and nothing was stored.
    """

    basis: PlanningBasis | None
    issues: tuple[Issue, ...]
    rows: int
    already_imported: bool = False


def planning_basis_import(
    *, viewer: Viewer, region: Region, path: Path, file_name: str, by: User
) -> BasisImport:
    """Validate the file whole; store every row when valid, nothing when not.

    Importing the same file (same bytes) for the region again changes nothing ("redan
    importerad"): the earlier import is returned with ``already_imported`` set.
    """
    require(viewer, Action.COORDINATE_PLANNING, region=region.code)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    existing = PlanningBasis.objects.filter(region=region, content_hash=digest).first()
    if existing is not None:
        return BasisImport(existing, (), existing.values.count(), already_imported=True)
    read = read_planning_basis(path, file_name=file_name)
    if read.table is None:
        return BasisImport(None, read.issues, 0)
    rows = read.table.to_pylist()
    with transaction.atomic():
        basis = PlanningBasis(
            region=region, file_name=file_name[:255], content_hash=digest, imported_by=by
        )
        basis.full_clean()
        basis.save()
        values = [
            PlanningBasisValue(
                basis=basis,
                programme_code=str(row["programme_code"]),
                year=int(row["year"]),
                measure=str(row["measure"]),
                value=float(row["value"]),
            )
            for row in rows
        ]
        for value in values:
            value.full_clean(exclude=["basis"])
        PlanningBasisValue.objects.bulk_create(values)
    return BasisImport(basis, (), len(values))


@dataclass(frozen=True, slots=True)
class BasisFigures:
    """Skolverket's figures for one programme and year of the planning basis (published
    statistics, not student data). ``assessment``: −1 dimension down, 0 keep, 1 up;
    ``None`` where the basis has no such measure."""

    year: int
    assessment: int | None
    places: float | None
    applicants: float | None
    students: float | None
    need: float | None


@dataclass(frozen=True, slots=True)
class ComparisonRow:
    """One released supply-and-demand row with Skolverket's basis beside it.

    Supply, demand and gap figures are the released ones (``None`` hidden); ``basis`` holds
    the basis figures for the programme in the row's year, or in the latest earlier basis year
    (Skolverket assesses every third year), ``None`` when the basis has nothing for it.
    """

    year: int
    programme_code: str
    supply: int | None
    demand: float | None
    gap: float | None
    scenario_change: int | None
    scenario_supply: int | None
    scenario_gap: float | None
    status: str
    basis: BasisFigures | None
    programme: str = ""
    """The programme's name (its code when the reference data lacks it)."""


def basis_figures(values: Iterable[PlanningBasisValue]) -> dict[str, list[BasisFigures]]:
    """The basis per programme, one entry per year (ascending)."""
    cells: dict[tuple[str, int], dict[str, float]] = defaultdict(dict)
    for value in values:
        cells[(value.programme_code, int(value.year))][value.measure] = float(value.value)
    result: dict[str, list[BasisFigures]] = defaultdict(list)
    for (programme, year), measures in sorted(cells.items()):
        assessment = measures.get("assessment")
        result[programme].append(
            BasisFigures(
                year=year,
                assessment=None if assessment is None else round(assessment),
                places=measures.get("places"),
                applicants=measures.get("applicants"),
                students=measures.get("students"),
                need=measures.get("labour_market_need"),
            )
        )
    return dict(result)


def basis_for(
    figures: dict[str, list[BasisFigures]], programme_code: str, year: int
) -> BasisFigures | None:
    """The programme's basis figures of ``year``, else of the latest earlier basis year."""
    earlier = [f for f in figures.get(programme_code, []) if f.year <= year]
    return earlier[-1] if earlier else None


def _optional(value: object, kind: type[int] | type[float]) -> Any:
    return None if value is None else kind(str(value))


def comparison_rows(
    rows: Iterable[dict[str, object]],
    values: Iterable[PlanningBasisValue],
    programmes: Mapping[str, str] | None = None,
) -> list[ComparisonRow]:
    """Released supply-and-demand ``rows`` with the planning basis ``values`` beside them."""
    figures = basis_figures(values)
    return [
        ComparisonRow(
            year=int(str(r["year"])),
            programme_code=str(r["programme_code"]),
            supply=_optional(r["supply"], int),
            demand=_optional(r["demand"], float),
            gap=_optional(r["gap"], float),
            scenario_change=_optional(r["scenario_change"], int),
            scenario_supply=_optional(r["scenario_supply"], int),
            scenario_gap=_optional(r["scenario_gap"], float),
            status=str(r["status"]),
            basis=basis_for(figures, str(r["programme_code"]), int(str(r["year"]))),
            programme=(programmes or {}).get(str(r["programme_code"]), str(r["programme_code"])),
        )
        for r in rows
    ]
