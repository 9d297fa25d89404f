"""Editing the catalogue by hand: revising an indicator, adding a local indicator.

Administrators revise national indicators; an organizer's analysts and a region's coordinators
add and revise their own local indicators (lokala indikatorer), shown as such on every page.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.text import slugify

from likvard.access.policy import QualityAction, Viewer, quality_require
from likvard.organisations.models import Organizer, Region
from likvard.quality.models import (
    Indicator,
    IndicatorKind,
    IndicatorRevision,
    LocalIndicatorValue,
    Status,
    Unit,
)
from likvard.quality.selectors import organizer_regions
from likvard.quality.services.catalogue import revision_save

CODE_LENGTH = 80


@dataclass(frozen=True, slots=True)
class RevisionEntry:
    """An indicator definition as entered on the form (valid from ``valid_from`` onwards)."""

    name: str
    definition: str
    unit: str
    direction: str
    population: str
    data_source: str
    school_forms: list[str]
    kolada_kpi: str = ""
    note: str = ""


def _require_editor(viewer: Viewer, indicator: Indicator) -> None:
    if indicator.organizer is not None:
        quality_require(
            viewer,
            QualityAction.ADD_LOCAL_INDICATOR,
            organizer=indicator.organizer.organisation_number,
        )
    elif indicator.region is not None:
        quality_require(
            viewer,
            QualityAction.ADD_LOCAL_INDICATOR,
            regions=frozenset({indicator.region.code}),
        )
    else:
        quality_require(viewer, QualityAction.MANAGE_CATALOGUE)


@transaction.atomic
def indicator_revise(
    *, viewer: Viewer, indicator: Indicator, entry: RevisionEntry, valid_from: int
) -> IndicatorRevision:
    """Correct the revision starting ``valid_from``, or start a new one from that year.

    A new revision closes the one in force before it (history keeps its definition). The
    membership status and sources of a national indicator carry over from the revision before.
    """
    _require_editor(viewer, indicator)
    previous = (
        IndicatorRevision.objects.filter(indicator=indicator, valid_from__lte=valid_from)
        .order_by("-valid_from")
        .first()
    )
    later = (
        IndicatorRevision.objects.filter(indicator=indicator, valid_from__gt=valid_from)
        .order_by("valid_from")
        .first()
    )
    fields = asdict(entry) | {
        "kind": previous.kind if previous else IndicatorKind.RESULT,
        "status": previous.status if previous else Status.CANDIDATE,
        "sources": previous.sources if previous else [],
    }
    return revision_save(
        indicator=indicator,
        fields=fields,
        valid_from=valid_from,
        valid_to=later.valid_from - 1 if later else None,
    )


def _free_code(base: str) -> str:
    code = base[:CODE_LENGTH]
    number = 2
    while Indicator.objects.filter(code=code).exists():
        suffix = f"-{number}"
        code = base[: CODE_LENGTH - len(suffix)] + suffix
        number += 1
    return code


@transaction.atomic
def local_indicator_create(
    *,
    viewer: Viewer,
    by: AbstractBaseUser,
    entry: RevisionEntry,
    valid_from: int,
    organizer: Organizer | None = None,
    region: Region | None = None,
) -> Indicator:
    """A new local indicator of an organizer (or a region), with its first revision."""
    if (organizer is None) == (region is None):
        raise ValueError("a local indicator belongs to exactly one organizer or region")
    if organizer is not None:
        quality_require(
            viewer,
            QualityAction.ADD_LOCAL_INDICATOR,
            organizer=organizer.organisation_number,
            regions=organizer_regions(organizer=organizer),
        )
        owner = organizer.organisation_number
    else:
        assert region is not None  # noqa: S101  (checked above; narrows the type)
        quality_require(viewer, QualityAction.ADD_LOCAL_INDICATOR, regions=frozenset({region.code}))
        owner = region.code
    indicator = Indicator(
        code=_free_code(slugify(f"lokal-{owner}-{entry.name}")),
        organizer=organizer,
        region=region,
        created_by_id=by.pk,
        position=10_000,
    )
    indicator.full_clean()
    indicator.save()
    fields = asdict(entry) | {"kind": IndicatorKind.RESULT, "status": Status.VERIFIED}
    revision_save(indicator=indicator, fields=fields, valid_from=valid_from, valid_to=None)
    return indicator


PERCENT_MAX = 100.0
MIN_GROUP = 5
"""The smallest group a local value may be based on (the minimum group of the statistics
reference for an organizer, municipality or region)."""


@transaction.atomic
def local_value_save(
    *,
    viewer: Viewer,
    by: AbstractBaseUser,
    indicator: Indicator,
    year: int,
    value: float,
    n: int | None = None,
    note: str = "",
) -> LocalIndicatorValue:
    """Enter (or correct) the owner's value of a local indicator in school year ``year``.

    Raises ``PermissionDenied`` unless the viewer may edit the indicator (its owner's analysts,
    a region's coordinators) and ``ValueError`` with a Swedish message when the indicator is
    national, has no definition in force that year, a percentage lies outside 0-100 or the
    value rests on fewer than ``MIN_GROUP``.
    """
    if not indicator.is_local:
        raise ValueError("Värden kan bara anges för lokala indikatorer.")
    _require_editor(viewer, indicator)
    revision = next((r for r in indicator.revisions.all() if r.applies_in(year)), None)
    if revision is None:
        raise ValueError(f"Indikatorn har ingen definition som gäller läsåret {year - 1}/{year}.")
    if revision.unit == Unit.PERCENT and not 0.0 <= value <= PERCENT_MAX:
        raise ValueError("En andel anges i procent, mellan 0 och 100.")
    if n is not None and n < MIN_GROUP:
        raise ValueError(f"Ett värde som bygger på färre än {MIN_GROUP} redovisas inte.")
    row = LocalIndicatorValue.objects.filter(indicator=indicator, school_year=year).first()
    row = row or LocalIndicatorValue(indicator=indicator, school_year=year)
    row.value, row.n, row.note, row.entered_by_id = value, n, note.strip(), by.pk
    row.full_clean()
    row.save()
    return row
