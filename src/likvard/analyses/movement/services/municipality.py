"""One municipality: where its young people study, who comes to its schools, the net."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from likvard.access.policy import Viewer
from likvard.access.release import Released
from likvard.analyses.movement.selectors import Reference, movement_reference
from likvard.analyses.movement.services.cells import area_cells, movement_choices
from likvard.analyses.movement.services.introduction import (
    FollowupRow,
    followup_chart,
    followup_rows,
    introduction_released,
)
from likvard.analyses.movement.services.joint import released_cube
from likvard.analyses.movement.services.region import Filters
from likvard.organisations.models import Municipality
from likvard.warehouse.selectors import data_version_get
from likvard_core.analytics.movement.flows import FlowLevel
from likvard_core.analytics.movement.tables import tables_from_cells
from likvard_core.analytics.movement.ties import link_tied, matrix_tied


@dataclass(frozen=True, slots=True)
class BalanceRow:
    """One programme (code ``None``: every programme, named "All programmes"): residents,
    outgoing, incoming and net (``None`` = hidden)."""

    programme_code: str | None
    programme: str
    residents: int | None
    outgoing: int | None
    incoming: int | None
    net: int | None

    @property
    def is_total(self) -> bool:
        """True for the row over every programme."""
        return self.programme_code is None

    @property
    def label(self) -> str:
        """The programme's code and name, or the total's name."""
        return self.programme if self.is_total else f"{self.programme_code} {self.programme}"


@dataclass(frozen=True, slots=True)
class CountRow:
    """A named count (an organizer of the residents, a home municipality of the pupils)."""

    code: str
    name: str
    students: int | None


@dataclass(frozen=True, slots=True)
class MunicipalityReport:
    """The municipality page: per programme, both sides of its flows, and where its
    introduction-programme students are the next school year (every start year)."""

    municipality: Municipality
    year: int | None
    years: list[int]
    filters: Filters
    balance: Released
    organizers: Released
    origins: Released
    balance_rows: list[BalanceRow]
    organizer_rows: list[CountRow]
    origin_rows: list[CountRow]
    introduction: Released
    introduction_rows: list[FollowupRow]
    introduction_chart: dict[str, object]


def _int(value: object) -> int | None:
    return None if value is None else int(str(value))


def _balance_rows(
    released: Released, reference: Reference, code: str, year: int | None
) -> list[BalanceRow]:
    rows = [
        BalanceRow(
            None if r["programme_code"] is None else str(r["programme_code"]),
            _("All programmes")
            if r["programme_code"] is None
            else reference.programme(str(r["programme_code"])),
            _int(r["residents"]),
            _int(r["outgoing"]),
            _int(r["incoming"]),
            _int(r["net"]),
        )
        for r in released.rows()
        if r["municipality_code"] == code and r["school_year"] == year
    ]
    return sorted(rows, key=lambda r: (r.is_total, r.programme_code or ""))


def _counts(rows: list[dict[str, object]], key: str, name: dict[str, str]) -> list[CountRow]:
    result = [CountRow(str(r[key]), name.get(str(r[key]), str(r[key])), _int(r["n"])) for r in rows]
    return sorted(result, key=lambda r: (-(r.students or 0), r.name))


def municipality_report(
    *, viewer: Viewer, municipality: Municipality, filters: Filters
) -> MunicipalityReport:
    """Outgoing, incoming and net per programme for ``municipality`` (students living or
    studying there), with the organizers its residents attend and where its pupils live.

    Derived from the municipality's cells kept per data version (``services.cells``)."""
    reference = movement_reference()
    code = municipality.code
    purpose = "movement.municipality"
    version = data_version_get()
    years = movement_choices(version=version)[0]
    year = filters.year if filters.year in years else (years[-1] if years else None)
    scope = filters.scope(frozenset({code}), year)
    cells = area_cells(
        version=version, reference=reference, municipalities=[code], forms=scope.school_forms
    )
    tables = tables_from_cells(cells, scope=scope, data_version=version.label)
    cube = {
        "balance": tables.balance,
        "organizers": link_tied(tables.links(FlowLevel.HOME, FlowLevel.ORGANIZER)),
        "origins": matrix_tied(tables.origin_destination),
    }
    joint = released_cube(
        cube,
        viewer=viewer,
        purpose=purpose,
        channel="web",
        version=version,
        params={"municipality": code, "filters": repr(filters), "year": year},
    )
    released = [joint["balance"], joint["organizers"], joint["origins"]]
    names = reference.organizers
    introduction = introduction_released(
        viewer=viewer, version=version, reference=reference, code=code, filters=filters
    )
    introduction_rows = followup_rows(introduction, reference, code)
    return MunicipalityReport(
        municipality=municipality,
        year=year,
        years=years,
        filters=filters,
        balance=released[0],
        organizers=released[1],
        origins=released[2],
        balance_rows=_balance_rows(released[0], reference, code, year),
        organizer_rows=_counts(
            [r for r in released[1].rows() if r["home_municipality_code"] == code],
            "organizer_code",
            names,
        ),
        origin_rows=_counts(
            [r for r in released[2].rows() if r["school_municipality_code"] == code],
            "home_municipality_code",
            reference.municipalities,
        ),
        introduction=introduction,
        introduction_rows=introduction_rows,
        introduction_chart=followup_chart(introduction_rows),
    )
