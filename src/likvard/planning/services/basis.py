"""Importing Skolverket's regional planning basis for a region: all rows or none."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import User
from django.db import transaction

from likvard.access.policy import Action, Viewer, require
from likvard.organisations.models import Region
from likvard.planning.models import PlanningBasis, PlanningBasisValue
from likvard_core.ingest.issues import Issue
from likvard_core.planning.basis import read_planning_basis


@dataclass(frozen=True, slots=True)
class BasisImport:
    """The result of an upload: the stored basis, or the issues (and nothing stored)."""

    basis: PlanningBasis | None
    issues: tuple[Issue, ...]
    rows: int


def planning_basis_import(
    *, viewer: Viewer, region: Region, path: Path, file_name: str, by: User
) -> BasisImport:
    """Validate the file whole; store every row when valid, nothing when not."""
    require(viewer, Action.COORDINATE_PLANNING, region=region.code)
    read = read_planning_basis(path, file_name=file_name)
    if read.table is None:
        return BasisImport(None, read.issues, 0)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
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
