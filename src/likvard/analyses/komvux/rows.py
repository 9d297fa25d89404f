"""Released komvux tables as rows for the pages: the measure families side by side.

Every figure comes from a ``Released`` table; a hidden one is ``None`` with the reason of its
row's status, which the templates show as ``..``. Nothing is computed here but percentages for
display and the names of codes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from likvard.analyses.komvux.services import KomvuxReport
from likvard.organisations.labels import LabelKind, label

SHOWN = "exists"

# (measure family, released column, row field, percent?)
FIGURES: tuple[tuple[str, str, str, bool], ...] = (
    ("applications", "places", "places", False),
    ("applications", "applicants", "applicants", False),
    ("applications", "soktryck", "soktryck", False),
    ("first_hand", "soktryck", "soktryck_first_hand", False),
    ("eligible", "soktryck", "soktryck_eligible", False),
    ("enrolment", "enrolled", "enrolled", False),
    ("enrolment", "fill_rate", "fill_rate", True),
    ("enrolment", "completion_rate", "completion_rate", True),
    ("enrolment", "interruption_rate", "interruption_rate", True),
    ("outcomes", "followed_up", "followed_up", False),
    ("outcomes", "outcome_rate", "outcome_rate", True),
    ("outcomes", "outcome_low", "outcome_low", True),
    ("outcomes", "outcome_high", "outcome_high", True),
)


OUTCOME_FIGURES = frozenset({"completion_rate", "interruption_rate"})
"""Figures of the outcomes of ended starts: empty (not ``..``) in a row without an ended start,
hidden or not (``KomvuxReport.not_applicable``): there is nothing to hide."""


@dataclass(slots=True)
class FigureRow:
    """One row of a breakdown table: the value's name and its figures (None: hidden or not
    reported), with the reasons of hidden figures."""

    key: str | None
    name: str
    figures: dict[str, float | int | None] = field(default_factory=dict)
    hidden: set[str] = field(default_factory=set)
    reasons: list[str] = field(default_factory=list)

    def get(self, name: str) -> float | int | None:
        """The figure ``name`` (None when hidden or missing)."""
        return self.figures.get(name)


def _number(value: object, percent: bool) -> float | int | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if percent:
        return round(float(str(value)) * 100, 1)
    if isinstance(value, float):
        return round(value, 2)
    return int(str(value))


def breakdown_rows(report: KomvuxReport, *, by: str, year: int) -> list[FigureRow]:
    """Rows of ``by`` in ``year``, the total first ("Alla"), named, figures of every family."""
    names = report.names.get(by, {})
    rows: dict[str | None, FigureRow] = {}
    for measure, column, name, percent in FIGURES:
        for row in report.table(measure, by).rows():
            if row["year"] != year:
                continue
            key = None if row[by] is None else str(row[by])
            shown = rows.setdefault(
                key, FigureRow(key, _("All") if key is None else names.get(key, key))
            )
            shown.figures[name] = _number(row.get(column), percent)
            status = str(row.get("status") or SHOWN)
            if name in OUTCOME_FIGURES and report.not_applicable(measure, by, row):
                continue
            if status != SHOWN:
                shown.hidden.add(name)
                reason = label(LabelKind.STATUS, status)
                if reason not in shown.reasons:
                    shown.reasons.append(reason)
    total = rows.pop(None, None)
    ordered = sorted(rows.values(), key=lambda r: r.name)
    return ([total] if total else []) + ordered


def trend_rows(report: KomvuxReport) -> list[FigureRow]:
    """The region's (or organizer's) totals per year, every family side by side."""
    rows = []
    for year in report.years:
        found = breakdown_rows(report, by="provider_type", year=year)
        row = found[0] if found and found[0].key is None else FigureRow(None, "")
        row.name = str(year)
        rows.append(row)
    return rows
