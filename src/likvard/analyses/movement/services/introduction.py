"""Introduction-programme students of a municipality followed to the next school year.

Issue #7: "students on introduction programmes followed over the years: where they go next".
The municipality's residents on an introduction programme (IMA, IMS, IMV, IMY) in one school
year are looked up on 15 October of the next: on a national programme, still on an
introduction programme, or left (no upper-secondary enrolment in the data version).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from likvard.access.policy import Viewer
from likvard.access.release import Released, release
from likvard.analyses.movement.selectors import Reference
from likvard.analyses.movement.services.cells import national_introduction_cells
from likvard.analyses.movement.services.region import Filters
from likvard.warehouse.selectors import VersionRef
from likvard_core.analytics.movement.introduction import Outcome, introduction_from_cells
from likvard_core.analytics.movement.scope import Scope

PURPOSE = "movement.introduction"
VEGA_LITE = "https://vega.github.io/schema/vega-lite/v5.json"


@dataclass(frozen=True, slots=True)
class FollowupRow:
    """One start year and introduction programme (code ``None``: every introduction programme,
    named so): students and where they went.

    Counts are students; ``None`` is hidden by suppression. Shares are 0–1 of ``students``.
    """

    school_year: int
    programme_code: str | None
    programme: str
    students: int | None
    national: int | None
    introduction: int | None
    left: int | None

    @property
    def is_total(self) -> bool:
        """True for the row over every introduction programme."""
        return self.programme_code is None

    @property
    def label(self) -> str:
        """The programme's code and name, or the total's name."""
        return self.programme if self.is_total else f"{self.programme_code} {self.programme}"

    def _share(self, count: int | None) -> float | None:
        if count is None or not self.students:
            return None
        return count / self.students

    @property
    def national_percent(self) -> float | None:
        """The share that moved to a national programme, in percent."""
        share = self._share(self.national)
        return None if share is None else 100 * share

    @property
    def introduction_percent(self) -> float | None:
        """The share still on an introduction programme, in percent."""
        share = self._share(self.introduction)
        return None if share is None else 100 * share

    @property
    def left_percent(self) -> float | None:
        """The share with no upper-secondary enrolment the next year, in percent."""
        share = self._share(self.left)
        return None if share is None else 100 * share


def introduction_released(
    *, viewer: Viewer, version: VersionRef, reference: Reference, code: str, filters: Filters
) -> Released:
    """The follow-up of the introduction students living in municipality ``code``, every start
    year, released for ``viewer``. The school form and organizer type filters apply; the year
    and programme filters do not (every start year and introduction programme is shown).

    Reads the national follow-up cells kept per data version
    (``cells.national_introduction_cells``) and slices the municipality's residents."""
    scope = Scope.of(
        school_forms=None if not filters.school_form else [filters.school_form],
        organizer_types=None if not filters.organizer_type else [filters.organizer_type],
    )
    cells = national_introduction_cells(
        version=version, reference=reference, scope=scope, home=code
    )
    aggregate = introduction_from_cells(
        cells,
        data_version=version.label,
        label=Scope.of(municipalities=[code], school_forms=scope.school_forms).label()
        + ("" if scope.organizer_types is None else "/filtered"),
        municipalities=[code],
    )
    return release(aggregate, viewer=viewer, purpose=PURPOSE)


def _count(value: object) -> int | None:
    return None if value is None else int(str(value))


def followup_rows(released: Released, reference: Reference, code: str) -> list[FollowupRow]:
    """The municipality's rows per start year and programme, every programme (null) last.

    A null ``outcome`` is the row's total (every student of the start year and programme)."""
    cells: dict[tuple[int, str | None], dict[str | None, int | None]] = {}
    for row in released.rows():
        if row["home_municipality_code"] != code:
            continue
        programme = None if row["programme_code"] is None else str(row["programme_code"])
        outcome = None if row["outcome"] is None else str(row["outcome"])
        cells.setdefault((int(str(row["school_year"])), programme), {})[outcome] = _count(row["n"])
    rows = []
    for (year, programme), counts in cells.items():
        shown = None in counts  # the total row; an outcome missing beside it had no student
        rows.append(
            FollowupRow(
                school_year=year,
                programme_code=programme,
                programme=_("All introduction programmes")
                if programme is None
                else reference.programme(programme),
                students=counts.get(None),
                national=counts.get(Outcome.NATIONAL.value, 0 if shown else None),
                introduction=counts.get(Outcome.INTRODUCTION.value, 0 if shown else None),
                left=counts.get(Outcome.LEFT.value, 0 if shown else None),
            )
        )
    return sorted(rows, key=lambda r: (r.school_year, r.is_total, r.programme_code or ""))


def followup_chart(rows: list[FollowupRow], *, width: object = "container") -> dict[str, object]:
    """Stacked bars per start year and programme: the shares (percent) that went to a national
    programme, stayed on an introduction programme, or left. Hidden rows are left out."""
    labels = {
        "national": _("National programme"),
        "introduction": _("Still on an introduction programme"),
        "left": _("Left upper secondary"),
    }
    values = [
        {
            "group": f"{row.school_year - 1}/{str(row.school_year)[2:]} "
            + (_("All") if row.programme_code is None else row.programme_code),
            "outcome": labels[outcome],
            "order": index,
            "percent": round(percent, 1),
        }
        for row in rows
        for index, (outcome, percent) in enumerate(
            (
                ("national", row.national_percent),
                ("introduction", row.introduction_percent),
                ("left", row.left_percent),
            )
        )
        if percent is not None
    ]
    return {
        "$schema": VEGA_LITE,
        "description": _("Where introduction-programme students are the next school year"),
        "width": width,
        "height": {"step": 18},
        "data": {"values": values},
        "mark": "bar",
        "encoding": {
            "y": {"field": "group", "type": "nominal", "sort": None, "title": None},
            "x": {
                "field": "percent",
                "type": "quantitative",
                "stack": "zero",
                "scale": {"domain": [0, 100]},
                "title": _("Share of the students (%)"),
            },
            "color": {
                "field": "outcome",
                "type": "nominal",
                "sort": list(labels.values()),
                "scale": {"range": ["#1b6a3a", "#d9a21b", "#6b6b6b"]},
                "title": _("The next school year"),
            },
            "order": {"field": "order", "type": "quantitative"},
            "tooltip": [
                {"field": "group", "type": "nominal", "title": _("Start year and programme")},
                {"field": "outcome", "type": "nominal", "title": _("The next school year")},
                {"field": "percent", "type": "quantitative", "title": _("Share (%)")},
            ],
        },
        "config": {"axis": {"labelFontSize": 12, "titleFontSize": 12}},
    }
