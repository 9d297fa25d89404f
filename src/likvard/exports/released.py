"""A ``Released`` table as an export ``Table``: Swedish headers, names beside codes, school
years as ``2024/25``, numbers typed for their column, hidden figures as ``..`` with the reason.

The headers and kinds of the columns released tables have are listed once here (``COLUMNS``);
an analysis may add or override columns for its own tables (``extra``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from likvard.access.release import NOT_APPLICABLE_COLUMN, Released
from likvard.exports.document import Column, Document, Hidden, Kind, Section, Table, Value
from likvard.organisations.labels import LabelKind, label, names, school_year_label

STATUS = "status"
NOT_APPLICABLE = "–"
"""The mark of a figure that does not exist in its row (``Released.not_applicable``): not a 0,
and not ``..`` (nothing is hidden)."""


@dataclass(frozen=True, slots=True)
class Spec:
    """How a released column is shown: header (a msgid), kind, and the names of its codes."""

    header: object
    kind: Kind = Kind.TEXT
    decimals: int = 1
    names: LabelKind | None = None
    school_year: bool = False
    """A spring year written as the school year ``2024/25``."""
    code: bool = False
    """Write the code in a column of its own beside the name."""
    words: Mapping[str, object] | None = None
    """Words for code words among the values (outcomes, categories): lazy, or msgids marked
    with ``gettext_noop`` (translated when written)."""


COLUMNS: dict[str, Spec] = {
    "school_year": Spec(_("School year"), school_year=True),
    "first_year": Spec(_("First school year"), school_year=True),
    "last_year": Spec(_("Last school year"), school_year=True),
    "year": Spec(_("Year"), Kind.YEAR),
    "region_code": Spec(_("Region"), names=LabelKind.REGION),
    "area_code": Spec(_("Municipality"), names=LabelKind.MUNICIPALITY, code=True),
    "municipality_code": Spec(_("Municipality"), names=LabelKind.MUNICIPALITY, code=True),
    "home_municipality_code": Spec(_("Home municipality"), names=LabelKind.MUNICIPALITY, code=True),
    "school_municipality_code": Spec(
        _("School municipality"), names=LabelKind.MUNICIPALITY, code=True
    ),
    "organizer_code": Spec(_("Organizer"), names=LabelKind.ORGANIZER, code=True),
    "school_unit_code": Spec(_("School unit"), names=LabelKind.SCHOOL_UNIT, code=True),
    "programme_code": Spec(_("Programme"), names=LabelKind.PROGRAMME),
    "subject_code": Spec(_("Subject or course"), names=LabelKind.SUBJECT, code=True),
    "subject": Spec(_("Subject"), names=LabelKind.SUBJECT),
    "group": Spec(_("Group"), names=LabelKind.GROUP),
    "organizer_type": Spec(_("Organizer type"), names=LabelKind.ORGANIZER_TYPE),
    "n": Spec(_("Students"), Kind.COUNT),
    "n_tested": Spec(_("Students with a test grade"), Kind.COUNT),
    "years": Spec(_("Years"), Kind.COUNT),
    "age_now": Spec(_("Age in the base year"), Kind.COUNT),
    "persons_now": Spec(_("Persons in the base year"), Kind.COUNT),
    "migration_factor": Spec(_("Migration factor"), Kind.DECIMAL, decimals=3),
    "cohort": Spec(_("16-year-olds"), Kind.COUNT),
    "basis_applicants": Spec(_("Applicants in the basis"), Kind.COUNT),
    "basis_students": Spec(_("Students in the basis"), Kind.COUNT),
    "first_choice_share": Spec(_("Share of first choices"), Kind.PERCENT),
    "demand": Spec(_("Demand"), Kind.COUNT),
    "expected_students": Spec(_("Expected students"), Kind.COUNT),
    "supply_survey": Spec(_("Places (survey)"), Kind.COUNT),
    "supply_enrolment": Spec(_("Places (enrolment)"), Kind.COUNT),
    "supply": Spec(_("Places"), Kind.COUNT),
    "gap": Spec(_("Places minus demand"), Kind.SIGNED, decimals=0),
    "scenario_change": Spec(_("Change in the scenario"), Kind.SIGNED, decimals=0),
    "scenario_supply": Spec(_("Places (scenario)"), Kind.COUNT),
    "scenario_gap": Spec(_("Places minus demand (scenario)"), Kind.SIGNED, decimals=0),
    "test_pass_share": Spec(_("Test grade A-E (%)"), Kind.DECIMAL),
    "grade_pass_share": Spec(_("Subject grade A-E (%)"), Kind.DECIMAL),
    "gap_pass": Spec(_("Gap (percentage points)"), Kind.SIGNED),
    "test_pass_status": Spec(_("Test grade A-E, status"), names=LabelKind.STATUS),
    "grade_pass_status": Spec(_("Subject grade A-E, status"), names=LabelKind.STATUS),
    "test_points_mean": Spec(_("Average test grade points"), Kind.DECIMAL),
    "took_part_share": Spec(_("Took the test (%)"), Kind.DECIMAL),
    "gap_latest": Spec(_("Gap, latest year (percentage points)"), Kind.SIGNED),
    "gap_mean": Spec(_("Gap, mean (percentage points)"), Kind.SIGNED),
    "gap_slope": Spec(_("Change of the gap per year (percentage points)"), Kind.SIGNED, 2),
    "years_grade_above": Spec(_("Years with the subject grade above"), Kind.COUNT),
    "years_grade_below": Spec(_("Years with the subject grade below"), Kind.COUNT),
    "municipalities": Spec(_("Municipalities"), Kind.COUNT),
    "gap_p10": Spec(_("Gap, 10th percentile (percentage points)"), Kind.SIGNED),
    "gap_median": Spec(_("Gap, median (percentage points)"), Kind.SIGNED),
    "gap_p90": Spec(_("Gap, 90th percentile (percentage points)"), Kind.SIGNED),
    STATUS: Spec(_("Status"), names=LabelKind.STATUS),
    NOT_APPLICABLE_COLUMN: Spec(_("Not applicable"), names=LabelKind.STATUS),
}
"""Columns common to many released tables."""


def _code_column(spec: Spec) -> bool:
    return spec.code


def _fixed_label(kind: LabelKind, value: object) -> str:
    return label(kind, value)


def _known_name(known: Mapping[str, str], value: object) -> str:
    return known.get(str(value), str(value))


def _namers(
    released: Released, specs: Mapping[str, Spec], given: Mapping[str, Mapping[str, str]]
) -> dict[str, Callable[[object], str]]:
    """A function per named column, from ``given`` names or the labels layer (one query)."""
    namers: dict[str, Callable[[object], str]] = {}
    for column, spec in specs.items():
        kind = spec.names
        if kind is None:
            continue
        if column in given:
            known = given[column]
        elif kind in (LabelKind.SUBJECT, LabelKind.GROUP, LabelKind.STATUS,
                      LabelKind.ORGANIZER_TYPE):  # fmt: skip
            namers[column] = partial(_fixed_label, kind)
            continue
        else:
            codes = {str(v) for v in released.table.column(column).to_pylist() if v is not None}
            known = names(kind, codes)
        namers[column] = partial(_known_name, known)
    return namers


def _cells(
    value: object, *, spec: Spec, namer: Callable[[object], str] | None, total: str | None,
    hidden: bool, reason: str,
) -> list[Value]:  # fmt: skip
    """The cell (and the code cell beside a name) of one released value."""
    if isinstance(value, float) and math.isnan(value):
        value = None
    if value is None and total is not None:
        return [total, ""] if spec.code else [total]
    shown: Value
    if value is None:
        shown = Hidden(reason=reason) if hidden else None
    elif spec.school_year:
        shown = school_year_label(str(value))
    elif spec.words is not None and str(value) in spec.words:
        shown = gettext(str(spec.words[str(value)]))  # the words may be marked with _noop
    elif namer is not None:
        return [namer(value), str(value)] if spec.code else [namer(value)]
    elif isinstance(value, bool):
        shown = gettext("yes") if value else gettext("no")
    else:
        shown = value if isinstance(value, int | float | str) else str(value)
    return [shown, ""] if spec.code else [shown]


def released_table(
    released: Released,
    *,
    title: str = "",
    extra: Mapping[str, Spec] | None = None,
    names_of: Mapping[str, Mapping[str, str]] | None = None,
    hide: Sequence[str] = (),
    total: str | None = None,
    notes: Sequence[str] = (),
    withheld: Callable[[Mapping[str, object]], str] | None = None,
) -> Table:
    """``released`` as a table: each column through ``COLUMNS`` (or ``extra``), code columns as
    a name with the code in the next column, hidden figures as ``..``. ``total`` names a null in
    a breakdown column (a total row); ``hide`` drops columns. ``withheld`` gives the reason a
    shown row's missing figures were held back by the analysis's own rule (a survey's response
    rate under its threshold): they show as ``..`` and the status says that reason."""
    specs = {**COLUMNS, **(extra or {})}
    shown = [c for c in released.table.schema.names if c not in hide]
    chosen = {c: specs.get(c, Spec(c)) for c in shown}
    namers = _namers(released, chosen, names_of or {})
    columns: list[Column] = []
    for column in shown:
        spec = chosen[column]
        columns.append(Column(str(spec.header), spec.kind, spec.decimals))
        if _code_column(spec):
            columns.append(Column(gettext("%(column)s (code)") % {"column": spec.header}))
    figures = {released.count, *released.values}
    rows: list[list[Value]] = []
    for row in released.rows():
        status = str(row.get(STATUS) or "exists")
        held = withheld(row) if withheld is not None and status == "exists" else ""
        reason = held or label(LabelKind.STATUS, status)
        absent = row.get(NOT_APPLICABLE_COLUMN)
        cells: list[Value] = []
        for column in shown:
            if held and column == STATUS:
                cells.append(held)
                continue
            if absent is not None and column in released.not_applicable:
                cells.append(Hidden(mark=NOT_APPLICABLE, reason=label(LabelKind.STATUS, absent)))
                continue
            cells += _cells(
                row[column], spec=chosen[column], namer=namers.get(column),
                total=total if column in released.dims else None,
                hidden=column in figures and (status != "exists" or bool(held)),
                reason=reason,
            )  # fmt: skip
        rows.append(cells)
    tail = [released.provenance, *notes]
    if not released.full:
        tail.append(gettext("Small groups are hidden (..); the status column says why."))
    return Table(title=title, columns=columns, rows=rows, notes=tail)


def released_document(
    sheets: Sequence[tuple[str, Released]], *, title: str = "", filename: str = "likvard",
    extra: Mapping[str, Spec] | None = None,
) -> Document:  # fmt: skip
    """Released tables as a document with a section (a sheet) per ``(title, released)``."""
    sections = [Section(name, [released_table(released, extra=extra)]) for name, released in sheets]
    return Document(title=title, sections=sections, filename=filename)


def released_workbook(
    sheets: Sequence[tuple[str, Released]], *, extra: Mapping[str, Spec] | None = None
) -> bytes:
    """Released tables as XLSX bytes: Swedish headers, names beside codes, frozen headers."""
    from likvard.exports.files import render  # noqa: PLC0415

    return render(released_document(sheets, extra=extra), "xlsx").content
