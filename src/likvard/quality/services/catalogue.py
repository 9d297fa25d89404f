"""Loading the quality-system catalogue into the database, and revising its indicators.

A catalogue file (the shipped one, or Skolverket's official lists in the same documented format,
``docs/quality-catalogue-format.md``) is parsed and validated by
``likvard_core.analytics.quality``; an invalid file raises ``CatalogueRejectedError`` with
every issue and writes nothing. Loading the same content again changes nothing. Entries are
matched by code; an indicator revision is matched by its first school year, and a new revision
closes the one before it, which stays as history.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Model

from likvard.organisations.models import Organizer, Region
from likvard.quality.models import (
    CatalogueVersion,
    Condition,
    Goal,
    Indicator,
    IndicatorRevision,
    SubGoal,
    SuccessFactor,
)
from likvard_core.analytics.quality import catalogue as core
from likvard_core.ingest.issues import Issue

CONDITIONS_CODE = "forutsattningar"
"""The code of the conditions block (verksamhetens förutsättningar) in the database."""


class CatalogueRejectedError(Exception):
    """The catalogue file is invalid; ``issues`` lists every problem (nothing was written)."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        super().__init__("; ".join(issue.format_cli() for issue in issues[:5]))


@dataclass(frozen=True, slots=True)
class CatalogueLoadOutcome:
    """What a load did: the version row, whether anything was written, and counts."""

    version: CatalogueVersion
    created: bool
    goals: int
    indicators: int
    revisions: int
    success_factors: int


def catalogue_parse(*, data: bytes, source_name: str) -> core.Catalogue:
    """The validated catalogue in ``data``; ``CatalogueRejectedError`` with every issue."""
    try:
        return core.parse_catalogue(data, source_name=source_name)
    except core.CatalogueError as error:
        raise CatalogueRejectedError(error.issues) from error


def catalogue_load(
    *,
    data: bytes,
    source_name: str,
    by: AbstractBaseUser | None = None,
    official: bool = False,
) -> CatalogueLoadOutcome:
    """Validate and load a catalogue file; a file already loaded (same content) is a no-op."""
    catalogue = catalogue_parse(data=data, source_name=source_name)
    digest = hashlib.sha256(data).hexdigest()
    counts = {
        "goals": len(catalogue.goals),
        "indicators": len(catalogue.indicator_codes()),
        "revisions": len(catalogue.indicators),
        "success_factors": len(catalogue.success_factors),
    }
    existing = CatalogueVersion.objects.filter(content_hash=digest).first()
    if existing is not None:
        return CatalogueLoadOutcome(existing, False, **counts)
    version = _apply(catalogue, digest, source_name, by, official)
    return CatalogueLoadOutcome(version, True, **counts)


def catalogue_load_file(
    *, path: Path, by: AbstractBaseUser | None = None, official: bool = False
) -> CatalogueLoadOutcome:
    """Load the catalogue file at ``path`` (see ``catalogue_load``)."""
    return catalogue_load(data=path.read_bytes(), source_name=path.name, by=by, official=official)


def catalogue_load_shipped(*, by: AbstractBaseUser | None = None) -> CatalogueLoadOutcome:
    """Load the catalogue shipped with Likvärd (``analytics/quality/data/catalogue.json``)."""
    return catalogue_load_file(path=core.DEFAULT_PATH, by=by)


def _upsert(model: type[Model], lookup: dict[str, Any], fields: dict[str, Any]) -> Any:
    row = model._default_manager.filter(**lookup).first() or model(**lookup)
    for name, value in fields.items():
        setattr(row, name, value)
    row.full_clean()
    row.save()
    return row


def _entry_fields(entry: Any, position: int) -> dict[str, Any]:
    return {
        "title": entry.title,
        "note": entry.note,
        "status": entry.status.value,
        "sources": list(entry.sources),
        "position": position,
    }


@transaction.atomic
def _apply(
    catalogue: core.Catalogue,
    digest: str,
    source_name: str,
    by: AbstractBaseUser | None,
    official: bool,
) -> CatalogueVersion:
    version = CatalogueVersion(
        label=catalogue.version,
        content_hash=digest,
        source_name=source_name,
        sources=dict(catalogue.sources),
        official=official,
        loaded_by_id=by.pk if by else None,
    )
    version.full_clean()
    version.save()
    sub_goals_of: dict[str, list[SubGoal]] = defaultdict(list)
    for position, goal in enumerate(catalogue.goals):
        row = _upsert(
            Goal,
            {"code": goal.code},
            _entry_fields(goal, position) | {"school_form": goal.school_form},
        )
        for sub_position, sub in enumerate(goal.sub_goals):
            sub_row = _upsert(
                SubGoal, {"code": sub.code}, _entry_fields(sub, sub_position) | {"goal": row}
            )
            for code in sub.indicators:
                sub_goals_of[code].append(sub_row)
    for position, factor in enumerate(catalogue.success_factors):
        _upsert(SuccessFactor, {"code": factor.code}, _entry_fields(factor, position))
    block = _upsert(Condition, {"code": CONDITIONS_CODE}, _entry_fields(catalogue.conditions, 0))
    _apply_indicators(catalogue, version, sub_goals_of, block)
    return version


def _apply_indicators(
    catalogue: core.Catalogue,
    version: CatalogueVersion,
    sub_goals_of: dict[str, list[SubGoal]],
    block: Condition,
) -> None:
    in_block = set(catalogue.conditions.indicators)
    for position, code in enumerate(catalogue.indicator_codes()):
        indicator = _upsert(
            Indicator,
            {"code": code},
            {"position": position, "condition": block if code in in_block else None},
        )
        indicator.sub_goals.set(sub_goals_of.get(code, []))
        for revision in core.indicator_history(catalogue, code):
            revision_save(
                indicator=indicator,
                fields=revision_fields(revision),
                valid_from=revision.valid_from,
                valid_to=revision.valid_to,
                catalogue_version=version,
            )


def revision_fields(revision: core.Indicator) -> dict[str, Any]:
    """The database fields of a core indicator revision (all but its years)."""
    return {
        "name": revision.name,
        "definition": revision.definition,
        "unit": revision.unit.value,
        "direction": revision.direction.value,
        "population": revision.population,
        "data_source": revision.data_source.value,
        "school_forms": list(revision.school_forms),
        "kind": revision.kind.value,
        "kolada_kpi": revision.kolada_kpi or "",
        "kolada_related": list(revision.kolada_related),
        "status": revision.status.value,
        "sources": list(revision.sources),
        "note": revision.note,
        "public_measures": [
            {"source": m.source, "measure": m.measure} for m in revision.public_measures
        ],
    }


def revision_save(
    *,
    indicator: Indicator,
    fields: dict[str, Any],
    valid_from: int,
    valid_to: int | None,
    catalogue_version: CatalogueVersion | None = None,
) -> IndicatorRevision:
    """Create or update the revision of ``indicator`` starting ``valid_from``.

    An earlier revision still open at ``valid_from`` is closed the year before (it stays as
    history); the caller holds the transaction.
    """
    earlier = IndicatorRevision.objects.filter(indicator=indicator, valid_from__lt=valid_from)
    for old in earlier:
        if old.valid_to is None or old.valid_to >= valid_from:
            old.valid_to = valid_from - 1
            old.full_clean()
            old.save(update_fields=["valid_to"])
    extra = {"catalogue_version": catalogue_version} if catalogue_version else {}
    row: IndicatorRevision = _upsert(
        IndicatorRevision,
        {"indicator": indicator, "valid_from": valid_from},
        fields | {"valid_to": valid_to} | extra,
    )
    return row


def catalogue_current() -> core.Catalogue:
    """The catalogue in the database as the core's value type (the shipped file before any load).

    National indicators and their revisions, goals with sub-goals, success factors and the
    conditions block, as loaded and edited; local indicators are not part of it.
    """
    version = CatalogueVersion.objects.first()
    if version is None:
        return core.load_catalogue()
    sources: dict[str, str] = {}
    for row in CatalogueVersion.objects.order_by("loaded_at", "id"):
        sources.update(row.sources)
    indicators = Indicator.objects.filter(organizer__isnull=True, region__isnull=True)
    revisions = IndicatorRevision.objects.filter(indicator__in=indicators).select_related(
        "indicator"
    )
    goals = Goal.objects.prefetch_related("sub_goals__indicators")
    block = Condition.objects.filter(code=CONDITIONS_CODE).first()
    return core.Catalogue(
        version=version.label,
        goals=tuple(_core_goal(goal) for goal in goals),
        indicators=tuple(
            _core_revision(r)
            for r in sorted(revisions, key=lambda r: (r.indicator.position, r.valid_from))
        ),
        success_factors=tuple(
            core.SuccessFactor(f.code, f.title, core.Status(f.status), tuple(f.sources), f.note)
            for f in SuccessFactor.objects.all()
        ),
        conditions=core.Conditions(
            title=block.title if block else "",
            status=core.Status(block.status if block else core.Status.CANDIDATE),
            sources=tuple(block.sources) if block else (),
            indicators=tuple(
                indicators.filter(condition__isnull=False).values_list("code", flat=True)
            ),
            note=block.note if block else "",
        ),
        sources=sources,
    )


def _core_goal(goal: Goal) -> core.Goal:
    subs = tuple(
        core.SubGoal(
            code=sub.code,
            title=sub.title,
            status=core.Status(sub.status),
            sources=tuple(sub.sources),
            indicators=tuple(i.code for i in sub.indicators.all()),
            note=sub.note,
        )
        for sub in goal.sub_goals.all()
    )
    return core.Goal(
        code=goal.code,
        school_form=goal.school_form,
        title=goal.title,
        status=core.Status(goal.status),
        sources=tuple(goal.sources),
        sub_goals=subs,
        note=goal.note,
    )


def _core_revision(row: IndicatorRevision) -> core.Indicator:
    return core.Indicator(
        code=row.indicator.code,
        name=row.name,
        definition=row.definition,
        unit=core.Unit(row.unit),
        direction=core.Direction(row.direction),
        population=row.population,
        data_source=core.DataSource(row.data_source),
        school_forms=tuple(row.school_forms),
        kind=core.IndicatorKind(row.kind),
        kolada_kpi=row.kolada_kpi or None,
        kolada_related=tuple(row.kolada_related),
        status=core.Status(row.status),
        sources=tuple(row.sources),
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        note=row.note,
        public_measures=tuple(
            core.PublicMeasure(m["source"], m["measure"]) for m in row.public_measures
        ),
    )


def local_indicators_of(
    *, organizer: Organizer | None = None, region: Region | None = None
) -> tuple[core.Indicator, ...]:
    """Every revision of the local indicators of ``organizer`` (or ``region``), marked local."""
    owned = Indicator.objects.filter(organizer=organizer) if organizer is not None else None
    if region is not None:
        owned = Indicator.objects.filter(region=region)
    if owned is None:
        return ()
    revisions = IndicatorRevision.objects.filter(indicator__in=owned).select_related("indicator")
    ordered = sorted(
        revisions, key=lambda r: (r.indicator.position, r.indicator.code, r.valid_from)
    )
    return tuple(dataclasses.replace(_core_revision(r), local=True) for r in ordered)
