"""Writing self-evaluations (självvärdering): principals for their units, organizers for theirs."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from likvard.access.policy import QualityAction, Viewer, quality_require
from likvard.organisations.models import Organizer, SchoolUnit
from likvard.quality.models import SelfEvaluation, SuccessFactor
from likvard.quality.selectors import organizer_regions


@dataclass(frozen=True, slots=True)
class SelfEvaluationEntry:
    """One answer of a self-evaluation form: a success factor's rating and the two texts."""

    success_factor: SuccessFactor
    rating: int
    evidence: str = ""
    next_steps: str = ""


@transaction.atomic
def self_evaluation_save(
    *,
    viewer: Viewer,
    by: AbstractBaseUser,
    organizer: Organizer,
    school_unit: SchoolUnit | None,
    school_year: int,
    entries: list[SelfEvaluationEntry],
) -> list[SelfEvaluation]:
    """Create or update the answers of one school unit (or the organizer itself) for a year.

    Raises ``PermissionDenied`` unless the viewer may write there (a principal for their own
    unit, an organizer analyst for the organizer's own summary); returns the saved rows.
    """
    if school_unit is not None and school_unit.organizer_id != organizer.pk:
        raise ValueError("the school unit does not belong to the organizer")
    quality_require(
        viewer,
        QualityAction.WRITE_SELF_EVALUATION,
        organizer=organizer.organisation_number,
        school_unit=school_unit.code if school_unit else None,
        regions=organizer_regions(organizer=organizer),
    )
    saved: list[SelfEvaluation] = []
    for entry in entries:
        row = SelfEvaluation.objects.filter(
            organizer=organizer,
            school_unit=school_unit,
            success_factor=entry.success_factor,
            school_year=school_year,
        ).first() or SelfEvaluation(
            organizer=organizer,
            school_unit=school_unit,
            success_factor=entry.success_factor,
            school_year=school_year,
        )
        row.rating = entry.rating
        row.evidence = entry.evidence.strip()
        row.next_steps = entry.next_steps.strip()
        row.updated_by_id = by.pk
        row.full_clean()
        row.save()
        saved.append(row)
    return saved
