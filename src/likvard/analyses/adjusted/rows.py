"""Released adjusted-results rows with their names and assessment, as pages and exports read them.

Built from a ``Released`` table only: a hidden row keeps its school, programme type and year but
no figures, and its assessment is "hidden". Every consumer (table, charts, XLSX) reads the
assessment from here, so they cannot disagree.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import pyarrow as pa

from likvard.access.release import Released
from likvard.analyses.adjusted.labels import (
    ASSESSMENT_LABELS,
    HIDDEN,
    PROGRAMME_TYPE_LABELS,
    SHARE_OUTCOMES,
    assessment_of,
)
from likvard.organisations.labels import school_year_label
from likvard.organisations.selectors import SchoolUnitName as UnitName

MINUS = "\u2212"
EN_DASH = "\u2013"


@dataclass(frozen=True)
class ResultRow:
    """One school unit (and programme type) in one school year, as released to the viewer.

    Figures are ``None`` when hidden. For shares ``actual``, ``model_value`` and the interval
    are 0-1 and ``residual`` is too (``share`` tells the presentation to show percent).

    Not slotted: a page's rows are kept in the cache, and a slotted frozen dataclass unpickles
    field by field in Python (1,700 rows: 25 ms a request), a plain one by its ``__dict__``.
    """

    code: str
    name: str
    municipality_code: str
    municipality: str
    programme_type: str
    school_year: int
    students: int | None
    actual: float | None
    model_value: float | None
    residual: float | None
    low: float | None
    high: float | None
    in_model: bool | None
    assessment: str
    reason: str | None
    share: bool

    @property
    def year_label(self) -> str:
        """The school year as ``2023/24``."""
        return school_year_label(self.school_year)

    @property
    def assessment_label(self) -> str:
        """The assessment in Swedish."""
        return str(ASSESSMENT_LABELS[self.assessment])

    @property
    def programme_label(self) -> str:
        """The programme type in Swedish (empty for year 9)."""
        return str(PROGRAMME_TYPE_LABELS.get(self.programme_type, ""))

    @property
    def actual_text(self) -> str:
        """The result as shown (``81 %``, ``226,6``); empty when hidden."""
        if self.actual is None:
            return ""
        return _number(self.actual, share=self.share) + (" %" if self.share else "")

    @property
    def model_text(self) -> str:
        """The model value as shown; empty when hidden."""
        if self.model_value is None:
            return ""
        return _number(self.model_value, share=self.share) + (" %" if self.share else "")

    @property
    def residual_text(self) -> str:
        """The difference as shown, signed (percentage points for shares)."""
        if self.residual is None:
            return ""
        return _number(self.residual, share=self.share, signed=True)

    @property
    def interval_text(self) -> str:
        """The 95 % prediction interval as shown (``62–96 %``, ``199,3–260,3``)."""
        if self.low is None or self.high is None:
            return ""
        low, high = _number(self.low, share=self.share), _number(self.high, share=self.share)
        return f"{low}{EN_DASH}{high}" + (" %" if self.share else "")

    @property
    def hidden(self) -> bool:
        """True when the release gate hid this row's figures."""
        return self.assessment == HIDDEN

    @property
    def residual_or0(self) -> float:
        """The residual, 0 when hidden (for sorting)."""
        return self.residual if self.residual is not None else 0.0


def _number(value: float, *, share: bool, decimals: int = 1, signed: bool = False) -> str:
    """Swedish notation: decimal comma, a true minus sign; shares as whole percent points."""
    text = f"{round(value * 100):d}" if share else f"{value:.{decimals}f}".replace(".", ",")
    if text.startswith("-"):
        text = MINUS + text[1:]
    elif signed and value > 0 and text.strip("0,") != "":
        text = "+" + text
    return text


def _floats(table: pa.Table, name: str) -> list[float | None]:
    values: list[float | None] = table.column(name).cast(pa.float64()).to_pylist()
    return [None if v is None or math.isnan(v) else v for v in values]


def result_rows(
    released: Released, units: Mapping[str, UnitName], *, outcome: str
) -> list[ResultRow]:
    """The released rows by municipality, school name, programme type and year."""
    share = outcome in SHARE_OUTCOMES
    table = released.table
    n = table.num_rows

    def column(name: str) -> list[object]:
        return table.column(name).to_pylist() if name in table.schema.names else [None] * n

    codes, years, students = column("school_unit_code"), column("school_year"), column("n_students")
    actual, model, residual, low, high = (
        _floats(table, c)
        for c in ("actual", "model_value", "residual", "prediction_low", "prediction_high")
    )
    in_model, reasons, programmes = (
        column("in_model"),
        column("deviation_reason"),
        column("programme_type"),
    )
    assessments = column("assessment")
    out = []
    for i in range(n):
        code = str(codes[i])
        unit = units.get(code) or UnitName(code, code, "", "")
        out.append(
            ResultRow(
                code=code,
                name=unit.name,
                municipality_code=unit.municipality_code,
                municipality=unit.municipality,
                programme_type=str(programmes[i] or ""),
                school_year=int(str(years[i])),
                students=int(str(students[i])) if students[i] is not None else None,
                actual=actual[i],
                model_value=model[i],
                residual=residual[i],
                low=low[i],
                high=high[i],
                in_model=bool(in_model[i]) if in_model[i] is not None else None,
                assessment=assessment_of({"n_students": students[i], "assessment": assessments[i]}),
                reason=str(reasons[i]) if reasons[i] else None,
                share=share,
            )
        )
    out.sort(key=lambda r: (r.municipality, r.name, r.programme_type, r.school_year))
    return out
