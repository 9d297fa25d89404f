"""The value every analytics function returns: an aggregate over a described population."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import pyarrow as pa
import pyarrow.compute as pc

TOTAL_LABELS: frozenset[str] = frozenset(
    {"all", "alla", "total", "totalt", "totals", "samtliga", "summa", "sum", "*"}
)
"""Words that name a total row. A ``margins`` column marks its total rows with a null, never
with one of these (compared without case and surrounding spaces), so the release cube sees
every total (ADR 0003); a table whose total is a value declares ``Partitions`` instead. The
pages, charts and exports label a null total ("Alla", "Totalt") when they show it."""


class Level(StrEnum):
    """The level of the units a population covers; it sets the minimum group size."""

    SCHOOL_UNIT = "school_unit"
    ORGANIZER = "organizer"
    MUNICIPALITY = "municipality"
    REGION = "region"
    NATION = "nation"


@dataclass(frozen=True, slots=True)
class Population:
    """Whose student-level data an aggregate is computed from.

    ``organizers`` are the organisation numbers whose students are counted; the release gate
    asks the access policy whether a viewer may see those organizers' student-level data.
    ``scope`` names the population for audit and caching (e.g. ``"region:GR/year:2025"``).
    ``school_units`` are the school units whose students are counted when the aggregate is
    built from units (empty when it is wider): the gate lets a principal of all of them see
    the figures in full.
    """

    scope: str
    organizers: frozenset[str]
    level: Level
    student_level: bool = True
    school_units: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Partitions:
    """How the values of one breakdown column split its total value.

    In ``column``, the rows with value ``total`` count everyone; each tuple of ``parts`` splits
    them into disjoint groups (for example ``("girls", "boys")``), possibly leaving a remainder
    that no row shows (students whose gender is unknown). Suppression then knows that
    ``total - girls - boys`` is the remainder, and hides enough that no hidden part can be
    worked out from the total and the other parts (``likvard_core.disclosure.partitions``).
    """

    column: str
    total: str
    parts: tuple[tuple[str, ...], ...]
    complete: bool = False
    """Every student of a total is in one of each partition's parts, by definition (a
    starter's programme type), not by the data (a student whose gender is unknown): the
    remainder is 0, so the release cube ties the total to its parts without one."""

    def __post_init__(self) -> None:
        values = [v for part in self.parts for v in part]
        if len(set(values)) != len(values) or self.total in values:
            raise ValueError("a value may belong to one partition only, and not be the total")


@dataclass(frozen=True, slots=True)
class Aggregate:
    """An Arrow table of counts and figures derived from them, ready for release.

    - ``dims``: the breakdown columns (e.g. school_unit_code, subject, group).
    - ``count``: the column with the number of students each row is based on.
    - ``values``: the columns that are figures about those students (shares, means);
      they are hidden together with the count when a row is suppressed.
    - ``margins``: the breakdown columns whose totals also appear in the release cube, used by
      complementary suppression (see ``likvard_core.disclosure.suppress``).
    - ``partitions``: a breakdown column whose total is a value (``all``) rather than a null,
      with the groups that split it (see ``Partitions``).
    - ``parts``: value columns that are counts of disjoint parts of the row's students
      (``n_lower``, ``n_same``, ``n_higher`` of ``n``). Each is a cell of the release cube
      beside the count, tied to it (the count is their sum, plus an unshown rest when they do
      not cover it) and across tables like the count (a year's ``n_higher`` is part of the
      span's); a row's cells are hidden together (``likvard_core.disclosure.measures``).
    - ``part_sets``: further ways the count splits, each a tuple of disjoint parts like
      ``parts`` but independent of it and of each other (completion's diploma within three
      years beside the outcomes within four: both parts of the starters, not of one another).
      Each set is tied to the count alone; its cells are hidden with their row too.
    - ``withheld``: a boolean value column; in its true rows the parts (every set) are
      released empty, shown or not (Skolverket's ``~100``: equity's ``shares_rounded``). The
      gate decides with their counts as if they were shown, so they must be the true counts:
      nulled before the gate, a hidden row's parts are no cells and an attacker pins a
      hidden 0 (ADR 0003, zeros).

    Totals are represented one way, checked here: a margin column holds no ``TOTAL_LABELS``
    value (its totals are nulls), and a partition column holds only its total and its parts
    (and is not a margin column too). A total written as a word in a margin column would look
    like one more group to suppression, so the total minus the shown groups would reveal a
    hidden one.
    """

    table: pa.Table
    dims: tuple[str, ...]
    count: str
    values: tuple[str, ...]
    population: Population
    data_version: str
    source: str = "Likvärd"
    margins: tuple[str, ...] = field(default_factory=tuple)
    partitions: Partitions | None = None
    parts: tuple[str, ...] = field(default_factory=tuple)
    part_sets: tuple[tuple[str, ...], ...] = field(default_factory=tuple)
    withheld: str | None = None

    def __post_init__(self) -> None:
        missing = [
            c for c in (*self.dims, self.count, *self.values) if c not in self.table.schema.names
        ]
        if missing:
            raise ValueError(f"aggregate lacks columns: {missing}")
        stray = [p for s in (self.parts, *self.part_sets) for p in s if p not in self.values]
        if stray:
            raise ValueError(f"parts {stray} are not value columns")
        if self.withheld is not None and (self.withheld not in self.values or not self.parts):
            raise ValueError(f"withheld {self.withheld!r} is not a value column beside parts")
        if self.part_sets and not self.parts:
            raise ValueError("part_sets are further splits beside parts: declare parts first")
        unknown = [m for m in self.margins if m not in self.dims]
        if unknown:
            raise ValueError(f"margins {unknown} are not breakdown columns")
        if self.partitions is not None:
            if self.partitions.column not in self.dims:
                raise ValueError(f"partition column {self.partitions.column!r} is not a breakdown")
            _check_partitions(self.table, self.partitions, self.margins)
        for margin in self.margins:
            labels = _total_labels(self.table.column(margin))
            if labels:
                raise ValueError(
                    f"margin column {margin!r} writes totals as {labels}: a margin total is a "
                    "null (ADR 0003), or declare the column's Partitions"
                )


def _total_labels(column: pa.ChunkedArray) -> list[str]:
    """The values of ``column`` that name a total (``TOTAL_LABELS``), sorted."""
    kind = column.type
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
        column = column.cast(kind)
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)) or not len(column):
        return []
    distinct = pc.unique(column)  # few distinct values: lower-case those, not every row
    lowered = pc.utf8_lower(pc.utf8_trim_whitespace(distinct))
    found = distinct.filter(pc.is_in(lowered, value_set=pa.array(sorted(TOTAL_LABELS))))
    return sorted(str(v) for v in found.to_pylist())


def _check_partitions(table: pa.Table, partitions: Partitions, margins: tuple[str, ...]) -> None:
    name = partitions.column
    if name in margins:
        raise ValueError(f"partition column {name!r} must not also be a margin column")
    column = table.column(name)
    allowed = pa.array([partitions.total, *(v for part in partitions.parts for v in part)])
    inside = pc.is_in(column.cast(pa.string()), value_set=allowed)
    if not pc.all(pc.fill_null(inside, False)).as_py():
        stray = column.filter(pc.invert(pc.fill_null(inside, False)))
        shown = sorted(str(v) for v in pc.unique(stray).to_pylist())
        raise ValueError(
            f"partition column {name!r} has values other than its total and parts: {shown}"
        )
