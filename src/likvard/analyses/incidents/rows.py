"""Rows the incident pages and exports show, built from released tables only."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from likvard.access.release import Released
from likvard.organisations.labels import school_year_label

KIND_LABELS = {
    "student_to_student": gettext_noop("Student to student"),
    "staff_to_student": gettext_noop("Staff to student"),
    "discrimination": gettext_noop("Discrimination or harassment"),
    "other": gettext_noop("Other"),
}
BREAKDOWN_LABELS = {
    "school_unit_code": gettext_noop("School unit"),
    "organizer_code": gettext_noop("Organizer"),
    "incident_kind": gettext_noop("Kind of incident"),
}


@dataclass(frozen=True, slots=True)
class FollowupRow:
    """One line of a follow-up table: percentages 0-100, days, None where hidden or none."""

    label: str
    year: str
    total: bool
    hidden: bool
    reports: int | None
    per_100: float | None
    closed: float | None
    investigated_within: float | None
    measures_within: float | None
    days_investigated: float | None
    days_measures: float | None
    not_investigated: int | None


def _number(value: object) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(str(value))


def _percent(value: object) -> float | None:
    number = _number(value)
    return None if number is None else number * 100


def _count(value: object) -> int | None:
    number = _number(value)
    return None if number is None else int(number)


def _label(by: str, value: object, names: dict[str, str]) -> str:
    if value is None:
        return _("All")
    if by == "incident_kind":
        return _(KIND_LABELS.get(str(value), str(value)))
    return names.get(str(value), str(value))


def followup_rows(
    released: Released, *, by: str, year: int | None, names: dict[str, str]
) -> list[FollowupRow]:
    """The rows of ``year`` (None: every year, totals only), total first, then by name."""
    out = []
    for row in released.rows():
        school_year = int(str(row["school_year"]))
        if (year is not None and school_year != year) or (year is None and row[by] is not None):
            continue
        out.append(
            FollowupRow(
                label=_label(by, row[by], names),
                year=school_year_label(str(school_year)),
                total=row[by] is None,
                hidden=str(row.get("status") or "exists") != "exists",
                reports=_count(row["reports"]),
                per_100=_number(row.get("per_100")),
                closed=_percent(row.get("closed_share")),
                investigated_within=_percent(row.get("investigated_within_share")),
                measures_within=_percent(row.get("measures_within_share")),
                days_investigated=_number(row.get("mean_days_investigated")),
                days_measures=_number(row.get("mean_days_measures")),
                not_investigated=_count(row.get("not_investigated")),
            )
        )
    if year is None:
        return out
    return sorted(out, key=lambda r: (not r.total, r.label))
