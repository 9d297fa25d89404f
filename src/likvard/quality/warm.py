"""The quality app's warmer: the newest school year's national context (ADR 0007).

The analysis basis of any organizer, school unit or region reads its slice of the national
context kept per data version and year; computing that context takes the longest part of a cold
basis. After an import commits, this computes it for the newest school year with students, so
the first basis of the year most people open is read, not computed.
"""

from __future__ import annotations

from likvard.quality.services.basis import _school_municipalities
from likvard.quality.services.basis_context import basis_context_get, basis_context_update
from likvard.warehouse.selectors import VersionRef, data_version_previous_complete
from likvard_core.analytics.quality.basis import SubjectKind
from likvard_core.warehouse.schema import ENROLMENTS


def warm_quality(version: VersionRef, *, previous: VersionRef | None = None) -> int | None:
    """Keep ``version``'s national context for its newest school year; returns that year.

    When the previous complete version (``previous``, default: looked up) keeps the context of
    the same year, only the school years the new batches change are computed again.
    """
    if not any(version.files.values()):
        return None
    with version.open() as db:
        newest = db.query(f"SELECT max(school_year) AS y FROM {ENROLMENTS.name}")
    year = newest.column("y")[0].as_py()
    if year is None:
        return None
    placement = _school_municipalities()
    previous = previous if previous is not None else data_version_previous_complete(version)
    if basis_context_update(
        version=version, previous=previous, year=int(year), school_municipalities=placement
    ):
        return int(year)
    basis_context_get(
        version=version,
        year=int(year),
        kind=SubjectKind.REGION,
        code="",
        school_municipalities=placement,
    )
    return int(year)
