"""API schemas of the survey results."""

from __future__ import annotations

from ninja import Schema

from likvard.access.schemas import ReleasedTableOut


class RevisionOut(Schema):
    """How the version's questions relate to the previous version's."""

    previous: str | None
    comparable: list[str]
    changed: list[str]
    new: list[str]


class SurveyResultsOut(Schema):
    """One survey version's results in a region: a released table per level (``region``,
    ``municipality``, ``organizer``, ``school_unit``), the priority matrix and the trend of the
    indices that stay comparable (``not_comparable`` names the others)."""

    survey: str
    version: str
    region: str
    revision: RevisionOut
    not_comparable: list[str]
    tables: dict[str, ReleasedTableOut]
    priority: ReleasedTableOut
    trend: list[dict[str, object]]


class SurveyOut(Schema):
    """A survey version Likvärd has."""

    survey: str
    version: str
    name: str
    indices: dict[str, str]
