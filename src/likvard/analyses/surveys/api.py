"""JSON API of the survey results, mounted at ``/api/v1/surveys/``: the same services as pages."""

from __future__ import annotations

from typing import Annotated

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router

from likvard.access.interface import found_or_404, signed_in_viewer
from likvard.access.schemas import ReleasedTableOut
from likvard.analyses.surveys import services
from likvard.analyses.surveys.schemas import RevisionOut, SurveyOut, SurveyResultsOut
from likvard.organisations import selectors as organisations
from likvard.organisations.schemas import RegionCodeParam

router = Router(tags=["surveys"])
SurveyParam = Annotated[str, Field(max_length=40, pattern=r"^[-\w]+$")]


@router.get("/", response=list[SurveyOut])
def survey_index(request: HttpRequest) -> list[SurveyOut]:
    """Every survey version with its indices."""
    signed_in_viewer(request)
    return [
        SurveyOut(
            survey=v.survey,
            version=v.version,
            name=v.name,
            indices={i.key: i.name for i in v.indices},
        )
        for v in services.survey_list()
    ]


@router.get("/{survey}/regions/{code}", response=SurveyResultsOut)
def region(
    request: HttpRequest, survey: SurveyParam, code: RegionCodeParam, version: str | None = None
) -> SurveyResultsOut:
    """A survey version's indices in a region per level, released (``..`` cells are null with
    their ``status``); the latest version unless ``version`` is given."""
    viewer = signed_in_viewer(request)
    found = found_or_404(lambda: organisations.region_get(code=code), _("There is no such region."))
    try:
        chosen = services.survey_get(survey=survey, version=version)
    except services.UnknownSurveyError as error:
        raise Http404(_("There is no such survey.")) from error
    report = services.survey_region_report(
        viewer=viewer, region=found, survey=survey, version=chosen.version, channel="api"
    )
    return SurveyResultsOut(
        survey=report.version.survey,
        version=report.version.version,
        region=found.code,
        revision=RevisionOut(
            previous=report.revision.previous,
            comparable=list(report.revision.comparable),
            changed=list(report.revision.changed),
            new=list(report.revision.new),
        ),
        not_comparable=report.not_comparable,
        tables={k: ReleasedTableOut.from_released(v) for k, v in report.tables.items()},
        priority=ReleasedTableOut.from_released(report.priority),
        trend=report.trend,
    )
