"""What the auditor reads: released tables and how their cells are defined.

Each released table says, besides its rows, how its cells relate to each other and to other
tables (the definitions the analysis documents), never how the release gate suppressed it:

- ``totals``: a breakdown column whose total rows carry a marker (``None`` or ``"all"``); the
  total equals the sum of the other values plus a non-negative remainder, which is zero when
  the values are declared ``complete`` (the outcomes of a follow-up, say).
- ``span``: the rows are sums over a span of years (``first_year`` .. ``last_year``) of the
  yearly cells of the same family (patterns over years).
- ``parts``: within a row, a count equals the sum of other count columns (n = lower + same +
  higher); every additive column is at most the row's count.
- ``references``: a rate over *the other units* of a stratum, released at full precision.
- ``constants``: breakdown values that hold for every row (the school year of a basis page).
- ``aliases``: a count column that measures what another table's column of another name does.
- ``groupings``: a breakdown column whose values each lie in one value of a coarser column
  (a komvux start in its course): the coarser cell is the sum of its finer cells.
- ``balances``: within a row, one sum of counts equals another (admissions: enrolled on 15
  October + outgoing = finally admitted + incoming); ``unbounded`` counts are not at most the
  row's count (the preliminary round's admitted may exceed it).
- ``reconciles``: the sum of a measure over every cell of another family with the same values
  of some columns equals the sum of this table's cells of some values of a column (the
  admission year's finally admitted over every unit and programme = stayed + moved + left).
- ``not_applicable``: count columns that are no cell in some rows, because the figure cannot
  occur there (the completed of a komvux start that has not ended): neither shown nor hidden,
  and left out of every tie, as a row of status ``not_applicable`` is.

Cells of tables with the same ``family`` and the same breakdown values are one cell.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

SHOWN_STATUSES = frozenset({"exists", "rounded"})
"""Statuses under which a row's figures are shown (a rounded value counts as shown)."""
TOO_FEW = "too_few"
NOT_A_CELL = frozenset({"missing", "not_applicable"})
"""Statuses of rows that describe no students: not cells, neither shown nor hidden."""

LEVELS: tuple[str, ...] = (
    "school_unit_code",
    "organizer_code",
    "municipality_code",
    "region_code",
)
"""Level columns, finest first; a key with none of them is the nation."""


@dataclass(frozen=True, slots=True)
class Total:
    """A breakdown column's total rows: the ``marker`` value and whether the values are all.

    ``partitions``: when the column's values are several ways of splitting the total (girls
    and boys; born abroad and in Sweden), each tuple is one way, tied to the total on its own;
    empty when every value is one part of a single split.
    """

    marker: object = None
    complete: bool = False
    partitions: tuple[tuple[object, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class Span:
    """Rows that are sums over years ``first`` .. ``last`` (columns) of the ``dim`` cells."""

    first: str = "first_year"
    last: str = "last_year"
    dim: str = "school_year"


@dataclass(frozen=True, slots=True)
class Grouping:
    """Each value of a breakdown column lies in one value of a coarser column (a komvux
    start is a start of one course): the coarser cell is the sum of its finer cells.

    ``of`` maps a finer value to its coarser one (values it lacks are left untied);
    ``complete`` when every finer cell of a coarser value is a row of the tables (the
    coarser figure and the finer ones count the same students).
    """

    coarse: str
    of: Mapping[object, object]
    complete: bool = True


@dataclass(frozen=True, slots=True)
class Balance:
    """Within a row: the sum of the ``plus`` counts equals the sum of the ``minus`` counts."""

    plus: tuple[str, ...]
    minus: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Reconcile:
    """Per value of ``by`` (key columns both share): the sum of ``measure`` over every cell of
    ``family`` equals the sum of this table's count over its rows whose ``column`` is one of
    ``values`` (each student of the one counted once in the other)."""

    family: str
    measure: str
    column: str
    values: tuple[object, ...]
    by: tuple[str, ...] = ("school_year",)


@dataclass(frozen=True, slots=True)
class NotApplicable:
    """``columns`` are no cell in the rows whose key (the values of the table's ``dims``, in
    order) is in ``rows``: a part that cannot occur there, so its row's count is the sum of
    its other parts. Which rows they are must be a public fact of the table's design (the
    course calendar says which komvux starts have ended), never a figure about students."""

    columns: tuple[str, ...]
    rows: frozenset[tuple[object, ...]]


@dataclass(frozen=True, slots=True)
class Reference:
    """``column`` = (stratum total of ``numerator`` - own) / (stratum total of ``count`` - own).

    The stratum is the row's key without ``over``; the totals are over every unit of the
    comparison (unknown to the viewer, so they are unknowns of the system). ``precision`` is
    the half-width of the rounding of the released rate (0 for full precision).
    """

    column: str
    numerator: str
    over: str = "school_unit_code"
    precision: float = 1e-9
    complete: bool = False
    """True when the released rows of the stratum are every unit of the comparison."""


@dataclass(frozen=True, slots=True)
class ReleasedTable:
    """One table a viewer can obtain, with its rows (each with a ``status``) and definitions.

    ``counts``: the count column first, then value columns that are additive counts.
    ``min_group``: the minimum group: a ``too_few`` cell lies in 1 .. ``min_group`` - 1.
    """

    analysis: str
    name: str
    family: str
    dims: tuple[str, ...]
    counts: tuple[str, ...]
    rows: Sequence[Mapping[str, object]]
    min_group: int
    totals: Mapping[str, Total] = field(default_factory=dict)
    span: Span | None = None
    parts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    within: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Disjoint counts inside a row that need not cover its measure: their sum is at most it
    (completion's four-year outcomes of the starters, all 0 before the horizon)."""
    references: tuple[Reference, ...] = ()
    constants: Mapping[str, object] = field(default_factory=dict)
    aliases: Mapping[str, str] = field(default_factory=dict)
    """A count column's measure when named differently from the same measure elsewhere
    (a pattern's ``observed_higher`` is the yearly ``n_higher`` summed)."""
    min_group_where: Mapping[str, int] = field(default_factory=dict)
    """A stricter minimum for cells whose key has the column (10 for a school unit's)."""
    groupings: Mapping[str, Grouping] = field(default_factory=dict)
    """Breakdown columns whose values group into a coarser column's (``Grouping``)."""
    known: bool = False
    """True when the viewer sees this population in full (their own): every cell is known."""
    not_applicable: NotApplicable | None = None
    """Count columns that are no cell in some rows (``NotApplicable``)."""
    balances: tuple[Balance, ...] = ()
    unbounded: tuple[str, ...] = ()
    """Count columns that are not at most the row's count."""
    reconciles: tuple[Reconcile, ...] = ()

    def columns_read(self) -> frozenset[str]:
        """The row columns the auditor reads: ``status``, the breakdown (``dims``), the span's
        years, the counts and the reference rates. A row's other columns (a survey index's
        mean and interval, say) are no cell and enter no tie."""
        span = (self.span.first, self.span.last) if self.span is not None else ()
        references = (reference.column for reference in self.references)
        return frozenset({"status", *self.dims, *span, *self.counts, *references})

    def as_read(self) -> ReleasedTable:
        """This table with each row cut to ``columns_read`` (a column a row lacks stays
        absent): the auditor's verdict on it is the same as on the table itself, so a digest
        of it identifies the audit without the columns it never reads."""
        read = self.columns_read()
        rows = [{c: v for c, v in row.items() if c in read} for row in self.rows]
        return replace(self, rows=rows)

    def absent(self, row: Mapping[str, object]) -> frozenset[str]:
        """The count columns of ``row`` that are not applicable there (no cell)."""
        found = self.not_applicable
        if found is None or tuple(row.get(d) for d in self.dims) not in found.rows:
            return frozenset()
        return frozenset(found.columns)


@dataclass(frozen=True, slots=True)
class Hierarchy:
    """Which unit belongs to which organizer and municipality, and municipality to region."""

    unit_organizer: Mapping[str, str] = field(default_factory=dict)
    unit_municipality: Mapping[str, str] = field(default_factory=dict)
    municipality_region: Mapping[str, str] = field(default_factory=dict)

    def children(self, level: str, code: str) -> dict[str, list[str]]:
        """The finer cells a cell of ``level``/``code`` is the sum of, per child level."""
        units_of = {
            "organizer_code": self.unit_organizer,
            "municipality_code": self.unit_municipality,
        }
        if level in units_of:
            return {"school_unit_code": sorted(u for u, p in units_of[level].items() if p == code)}
        if level == "region_code":
            municipalities = sorted(m for m, r in self.municipality_region.items() if r == code)
            units = sorted(u for u, m in self.unit_municipality.items() if m in set(municipalities))
            return {"municipality_code": municipalities, "school_unit_code": units}
        return {}
