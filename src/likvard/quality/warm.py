"""The quality app's warmers: the newest school year's national context (ADR 0007), and the
analysis basis of the people who see their own figures in full.

The analysis basis of any organizer, school unit or region reads its slice of the national
context kept per data version and year; computing that context takes the longest part of a cold
basis. After an import commits, this computes it for the newest school year with students, so
the first basis of the year most people open is read, not computed.

An organizer's analyst and a principal see their own figures in full, so the gate decides their
basis for their own viewer class: every trend year's levels cube of the region anew, over half
a minute on the demo. The open data warm-up decides the anonymous class's cubes, which the
coordinators' and members' pages read; ``warm_basis_owners`` decides, after it, the basis of
each owner class of the active people (most recently signed in first, at most
``LIKVARD_WARM_OWNER_CLASSES``), reads withheld: the first page a person opens after an import
reads kept figures and is audited for the same reads as if it had computed them.
"""

from __future__ import annotations

from django.conf import settings

from likvard.access.audit import audit_reads_withheld
from likvard.access.policy import owner_classes_active
from likvard.organisations.models import Organizer, SchoolUnit
from likvard.quality.services.basis import (
    _school_municipalities,
    basis_years,
    organizer_basis,
    school_unit_basis,
)
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


def warm_basis_owners(version: VersionRef) -> int:
    """Decide the newest year's analysis basis of each owner class of the active people (see
    module doc) on ``version``; returns the bases done."""
    if not any(version.files.values()):
        return 0
    years = basis_years()
    if not years:
        return 0
    classes = owner_classes_active(settings.LIKVARD_WARM_OWNER_CLASSES)
    done = 0
    with audit_reads_withheld():
        for viewer in classes:
            for organizer in Organizer.objects.filter(
                organisation_number__in=viewer.organizers
            ).order_by("organisation_number"):
                organizer_basis(viewer=viewer, organizer=organizer, year=years[0])
                done += 1
            for unit in SchoolUnit.objects.filter(code__in=viewer.school_units).order_by("code"):
                school_unit_basis(viewer=viewer, school_unit=unit, year=years[0])
                done += 1
    return done
