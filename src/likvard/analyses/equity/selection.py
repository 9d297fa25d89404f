"""What one equity page shows of its released tables: the overview and one filtered page.

A school or organizer page opens with what stands out (the systematic patterns and a sorted
dot plot of one subject and year) and shows the yearly rows only for the chosen school unit,
subject, year and group, a page at a time. Everything here works on released rows: nothing is
computed that the release gate has not cleared.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from django.utils.translation import gettext_lazy as _

from likvard.organisations.labels import school_year_label
from likvard_core.analytics.equity.grade_vs_test import years_without_tests
from likvard_core.analytics.equity.reasons import COURSE_NAMES, SUBJECT_NAMES

GROUP_LABELS = {
    "all": _("All"),
    "girls": _("Girls"),
    "boys": _("Boys"),
    "born_abroad": _("Born abroad"),
    "born_in_sweden": _("Born in Sweden"),
    "newly_arrived": _("Newly arrived"),
    "parents_low": _("Parents' education: below upper secondary"),
    "parents_middle": _("Parents' education: upper secondary"),
    "parents_high": _("Parents' education: post-secondary"),
}
"""Display names of the comparison's groups (``likvard_core.analytics.equity.groups``)."""
PAGE_SIZE = 25
"""Yearly rows per page of the detail table."""
STANDOUTS = 10
"""Systematic patterns shown in the overview (the rest are in the patterns table)."""
Row = dict[str, object]


def subject_label(code: str) -> str:
    """``MA`` -> ``Matematik``, ``MATMAT01c`` -> ``Matematik 1c``; unknown codes unchanged."""
    if code in COURSE_NAMES:
        return COURSE_NAMES[code]
    name = SUBJECT_NAMES.get(code, code)
    return name[:1].upper() + name[1:]


@dataclass(frozen=True, slots=True)
class Selection:
    """The user's choice on a page: unit, subject, year, group (None: the default) and page."""

    school_unit: str | None = None
    subject: str | None = None
    year: int | None = None
    group: str | None = None
    page: int = 1


@dataclass(frozen=True, slots=True)
class Choice:
    """One option of a filter: its value and its label."""

    value: str
    label: str


@dataclass(frozen=True, slots=True)
class TablePage:
    """One page of filtered rows, with how many there are in all."""

    rows: list[Row]
    number: int
    pages: int
    total: int

    @property
    def previous(self) -> int | None:
        """The previous page number, None on the first page."""
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        """The next page number, None on the last page."""
        return self.number + 1 if self.number < self.pages else None


@dataclass(frozen=True, slots=True)
class Chosen:
    """The resolved selection (defaults filled in) and the options the filters offer."""

    school_unit: str | None
    subject: str | None
    year: int | None
    group: str
    units: list[Choice] = field(default_factory=list)
    subjects: list[Choice] = field(default_factory=list)
    years: list[Choice] = field(default_factory=list)
    groups: list[Choice] = field(default_factory=list)

    @property
    def subject_name(self) -> str:
        """The chosen subject or course by name (``Matematik 1a``), for the table's caption."""
        return "" if self.subject is None else subject_label(self.subject)

    @property
    def group_name(self) -> str:
        """The chosen group in Swedish (``Alla``, ``Flickor`` ...)."""
        return str(GROUP_LABELS.get(self.group, self.group))


def resolve(
    table: pa.Table, selection: Selection, *, names: Mapping[str, str], groups: Sequence[str]
) -> Chosen:
    """The selection with defaults: mathematics (or the first subject), the latest year, all.

    A value that is not among the table's values falls back to the default.
    """
    units = sorted(_unique(table, "school_unit_code"), key=lambda c: names.get(c, c))
    subjects = sorted(_unique(table, "subject_code"), key=subject_label)
    years = sorted((int(y) for y in _unique(table, "school_year")), reverse=True)
    subject = selection.subject if selection.subject in subjects else _default_subject(subjects)
    year = selection.year if selection.year in years else (years[0] if years else None)
    group = selection.group if selection.group is not None and selection.group in groups else "all"
    return Chosen(
        school_unit=selection.school_unit if selection.school_unit in units else None,
        subject=subject,
        year=year,
        group=group,
        units=[Choice(c, names.get(c, c)) for c in units],
        subjects=[Choice(c, subject_label(c)) for c in subjects],
        years=[Choice(str(y), school_year_label(y)) for y in years],
        groups=[Choice(g, str(GROUP_LABELS.get(g, g))) for g in groups],
    )


def _unique(table: pa.Table, column: str) -> list[Any]:
    if table.num_rows == 0:
        return []
    return [v for v in pc.unique(table.column(column)).to_pylist() if v is not None]


def _default_subject(subjects: Sequence[str]) -> str | None:
    for preferred in ("MA", "MATMAT01a", "MATMAT01b", "MATMAT01c"):
        if preferred in subjects:
            return preferred
    return subjects[0] if subjects else None


def _where(table: pa.Table, **wanted: object) -> pa.Table:
    """The rows whose columns equal ``wanted`` (a None value matches everything)."""
    mask = None
    for column, value in wanted.items():
        if value is None:
            continue
        test = pc.equal(table.column(column), pa.scalar(value, table.schema.field(column).type))
        mask = test if mask is None else pc.and_(mask, test)
    return table if mask is None else table.filter(mask)


def detail_page(
    table: pa.Table, chosen: Chosen, page: int, *, names: Mapping[str, str], by_unit: bool
) -> TablePage:
    """The yearly rows of the chosen subject and group, newest year first, one page.

    On an organizer's page (``by_unit``) without a chosen unit: every unit in the chosen year;
    with one: that unit's every year.
    """
    if table.num_rows == 0:
        return TablePage([], 1, 1, 0)
    year = chosen.year if by_unit and chosen.school_unit is None else None
    found = [
        r
        for r in _where(
            table,
            school_unit_code=chosen.school_unit,
            subject_code=chosen.subject,
            group=chosen.group,
            school_year=year,
        ).to_pylist()
        if r["n"] != 0  # a group without students (kept for the release cube) is no row
    ]
    found.sort(
        key=lambda r: (-int(str(r["school_year"])), names.get(str(r["school_unit_code"]), ""))
    )
    pages = max(1, -(-len(found) // PAGE_SIZE))
    number = min(max(page, 1), pages)
    start = (number - 1) * PAGE_SIZE
    return TablePage(labelled(found[start : start + PAGE_SIZE], names), number, pages, len(found))


def dot_rows(table: pa.Table, chosen: Chosen, *, by_unit: bool) -> list[Row]:
    """The rows the overview chart draws: group ``all`` of the chosen year, shown rows only
    (a ``~100`` row has no exact share or interval to draw).

    ``by_unit``: one dot per school unit in the chosen subject (an organizer's page); else one
    dot per subject of the one unit (a school's page).
    """
    if table.num_rows == 0:
        return []
    found = _where(
        table,
        group="all",
        school_year=chosen.year,
        subject_code=chosen.subject if by_unit else None,
    )
    return [
        r
        for r in found.to_pylist()
        if r.get("share_higher") is not None and not r.get("shares_rounded")
    ]


def standouts(patterns: pa.Table) -> list[Row]:
    """The systematic patterns (already first in the released table), at most ``STANDOUTS``."""
    if patterns.num_rows == 0:
        return []
    systematic = pc.or_(
        pc.fill_null(patterns.column("systematic_higher"), False),
        pc.fill_null(patterns.column("systematic_lower"), False),
    )
    return list(patterns.filter(systematic).slice(0, STANDOUTS).to_pylist())


def missing_test_years(table: pa.Table) -> list[str]:
    """Labels of the years without national tests inside the table's span (e.g. ``2019/20``)."""
    years = sorted(int(y) for y in _unique(table, "school_year"))
    return [school_year_label(y) for y in years_without_tests(years)]


def labelled(rows: Sequence[Row], names: Mapping[str, str]) -> list[Row]:
    """``rows`` with ``unit_name``, ``subject_name``, ``year_label`` and ``group_name`` added."""
    return [
        {
            **r,
            "unit_name": names.get(str(r["school_unit_code"]), str(r["school_unit_code"])),
            "subject_name": subject_label(str(r["subject_code"])),
            "year_label": school_year_label(str(r["school_year"])) if "school_year" in r else "",
            "group_name": GROUP_LABELS.get(str(r["group"]), str(r["group"])),
        }
        for r in rows
    ]
