"""JSON API of the survey results, mounted at ``/api/v1/surveys/``: the same services as pages."""

from __future__ import annotations

from typing import Annotated

from django.http import Http404, HttpRequest
from ninja import Field, Router

from likvard.access.policy import Action, Viewer, require, viewer_for
from likvard.access.schemas import ReleasedTableOut
from likvard.organisations import selectors as organisations
from likvard.organisations.schemas import RegionCodeParam
from likvard.organisations.selectors import NotFoundError
from likvard.surveys import services
from likvard.surveys.schemas import RevisionOut, SurveyOut, SurveyResultsOut

router = Router(tags=["surveys"])
SurveyParam = Annotated[str, Field(max_length=40, pattern=r"^[-\w]+$")]


def _viewer(request: HttpRequest) -> Viewer:
    viewer = viewer_for(request.user)
    require(viewer, Action.BROWSE)
    return viewer


@router.get("/", response=list[SurveyOut])
def survey_index(request: HttpRequest) -> list[SurveyOut]:
    """Every survey version with its indices."""
    _viewer(request)
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
    viewer = _viewer(request)
    try:
        found = organisations.region_get(code=code)
        chosen = services.survey_get(survey=survey, version=version)
    except (NotFoundError, services.UnknownSurveyError) as error:
        raise Http404(str(error)) from error
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
