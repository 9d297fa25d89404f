"""The linear ties between cells, derived from the tables' definitions and the hierarchy.

Nothing here reads how the release gate decided: every tie follows from what a figure *is*
(a total, a sum over years, a level above others, the parts of a count, a rate over the other
units). Each tie becomes a constraint of an LP ``System`` whose unknowns are the hidden cells
(shown cells enter as constants), remainders (``>= 0``, or ``= 0`` when the parts are complete)
and stratum totals of reference rates.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from likvard_core.audit.cells import CellId, Key, Registry, SpanYears, key_of, row_cells
from likvard_core.audit.lp import System
from likvard_core.audit.model import (
    NOT_A_CELL,
    SHOWN_STATUSES,
    Balance,
    Grouping,
    Hierarchy,
    Reconcile,
    ReleasedTable,
    Total,
)


@dataclass(slots=True)
class Ties:
    """The system built from released tables, and how many ties of each kind it holds."""

    registry: Registry
    system: System = field(default_factory=System)
    counts: dict[str, int] = field(default_factory=dict)
    strata: list[tuple[Hashable, tuple[str, str, Key, str], bool]] = field(default_factory=list)
    """Stratum totals of reference rates: (unknown, index entry of its cells, complete)."""
    under_zero: set[CellId] = field(default_factory=set)
    """Hidden cells that are a part of a total shown as 0: the total already says of everyone
    in it what their 0 would say (nobody graded lower), so pinning them to 0 discloses nothing
    the total does not (``audit.Finding`` keeps them apart from the exposed cells). Also the
    hidden parts of such a part: a 0 holds all the way down (a municipality's 0, its course's
    hidden row, that course's hidden start)."""
    sums: list[tuple[CellId, tuple[CellId, ...], bool]] = field(default_factory=list)
    """Every sum tie as (total, parts, complete), to carry ``under_zero`` along the levels."""

    def term(self, cell_id: CellId, coefs: dict[Hashable, float], coef: float) -> float:
        """Add ``coef * cell`` to ``coefs`` when hidden; return its constant part when shown."""
        cell = self.registry.cells[cell_id]
        if cell.value is not None:
            return coef * cell.value
        coefs[cell_id] = coefs.get(cell_id, 0.0) + coef
        return 0.0

    def sum_tie(self, kind: str, total: CellId, parts: Sequence[CellId], *, complete: bool) -> None:
        """``total = sum(parts) + remainder``; the remainder is 0 when ``complete``."""
        coefs: dict[Hashable, float] = {}
        constant = self.term(total, coefs, 1.0)
        if self.registry.cells[total].value == 0:
            self.under_zero.update(p for p in parts if self.registry.cells[p].value is None)
        self.sums.append((total, tuple(parts), complete))
        for part in parts:
            constant += self.term(part, coefs, -1.0)
        if not complete:
            remainder = ("remainder", kind, total, tuple(parts))
            self.system.unknown(remainder)
            coefs[remainder] = -1.0
        self.system.add(coefs, -constant, kind=kind)
        self.counts[kind] = self.counts.get(kind, 0) + 1


def derive(tables: Sequence[ReleasedTable], hierarchy: Hierarchy) -> Ties:
    """Register every cell of ``tables`` and every tie the definitions give between them."""
    registry = Registry()
    registry.read(tables)
    ties = Ties(registry)
    for cell_id, cell in registry.cells.items():
        if cell.value is None:
            ties.system.unknown(cell_id, cell.low, cell.high)
    index = _index(registry)
    _totals(ties, tables, index)
    _spans(ties, index)
    _levels(ties, hierarchy, index, _complete_columns(tables))
    _groupings(ties, tables)
    reconciled = set()
    for table in tables:
        _rows(ties, table)
        for reconcile in table.reconciles:
            if (table.family, reconcile) not in reconciled:  # once per family, not per table
                reconciled.add((table.family, reconcile))
                _reconcile(ties, table, reconcile)
    _strata(ties, index)
    _zeros_carried(ties)
    return ties


def _zeros_carried(ties: Ties) -> None:
    """Carry ``under_zero`` from a hidden part of a shown 0 to its own hidden parts, and up
    to a hidden total that is the whole of its parts (``complete``) when each part is shown
    as 0 or under a shown 0: those zeros say the same of everyone in the total (an
    organizer without introduction starters beside a region whose national starters all
    show 0 moved)."""
    cells = ties.registry.cells
    grown = True
    while grown:
        before = len(ties.under_zero)
        for total, parts, complete in ties.sums:
            if total in ties.under_zero:
                hidden = (p for p in parts if cells[p].value is None)
                ties.under_zero.update(hidden)
            elif (
                complete
                and parts
                and cells[total].value is None
                and all(p in ties.under_zero or cells[p].value == 0 for p in parts)
            ):
                ties.under_zero.add(total)
        grown = len(ties.under_zero) > before


def _strata(ties: Ties, index: _Index) -> None:
    """A stratum total of a reference rate is at least (or, complete, exactly) its cells."""
    for total, entry, complete in ties.strata:
        coefs: dict[Hashable, float] = {total: 1.0}
        constant = 0.0
        for part in index.get(entry, []):
            constant += ties.term(part, coefs, -1.0)
        if complete:
            ties.system.add(coefs, -constant, kind="stratum")
        else:
            negated = {k: -v for k, v in coefs.items()}
            ties.system.add(negated, constant, equal=False, kind="stratum")
        ties.counts["stratum"] = ties.counts.get("stratum", 0) + 1


_Index = dict[tuple[str, str, Key, str], list[CellId]]
"""(family, measure, key without a column, that column) -> the cells with a value there."""


def _index(registry: Registry) -> _Index:
    index: _Index = {}
    for cell_id in registry.cells:
        family, measure, key = cell_id
        for position, (dim, _value) in enumerate(key):
            rest = key[:position] + key[position + 1 :]
            index.setdefault((family, measure, rest, dim), []).append(cell_id)
    return index


def _totals(ties: Ties, tables: Iterable[ReleasedTable], index: _Index) -> None:
    """A total over a column equals its values' cells (plus a remainder unless complete)."""
    declared: dict[tuple[str, str], Total] = {}
    for table in tables:
        for dim, total in table.totals.items():
            declared.setdefault((table.family, dim), total)
    for cell_id in list(ties.registry.cells):
        family, measure, key = cell_id
        for (of_family, dim), total in declared.items():
            if of_family != family:
                continue
            parts = [
                p
                for p in index.get((family, measure, key, dim), [])
                if p != cell_id and not isinstance(dict(p[2]).get(dim), SpanYears)
            ]
            splits = total.partitions or (None,)
            for split in splits:
                chosen = [p for p in parts if split is None or dict(p[2])[dim] in split]
                if chosen:
                    ties.sum_tie(f"total:{dim}", cell_id, chosen, complete=total.complete)


def _spans(ties: Ties, index: _Index) -> None:
    """A cell over a span of years equals the sum of its years' cells."""
    for cell_id in list(ties.registry.cells):
        family, measure, key = cell_id
        spans = [(dim, value) for dim, value in key if isinstance(value, SpanYears)]
        if not spans:
            continue
        dim, (first, last) = spans[0]
        rest = tuple(item for item in key if item[0] != dim)
        by_year = {dict(p[2])[dim]: p for p in index.get((family, measure, rest, dim), [])}
        years = [by_year[y] for y in range(first, last + 1) if y in by_year]
        complete = len(years) == last - first + 1
        if years:
            ties.sum_tie("span", cell_id, years, complete=complete)


def _complete_columns(tables: Iterable[ReleasedTable]) -> dict[str, set[str]]:
    """Per family, the breakdown columns whose values are all (``Total.complete``): every
    student lies in one value, so a value without a row has no students."""
    complete: dict[str, set[str]] = {}
    for table in tables:
        complete.setdefault(table.family, set()).update(
            dim for dim, total in table.totals.items() if total.complete
        )
    return complete


def _levels(
    ties: Ties, hierarchy: Hierarchy, index: _Index, complete_columns: Mapping[str, set[str]]
) -> None:
    """A cell of an organizer, municipality or region equals its units' (or municipalities').

    The tie is complete when every child of the register has a cell, or when the child
    column's values are all (``_complete_columns``): a child without a row has no students.
    """
    known: dict[tuple[str, str], dict[str, list[str]]] = {}
    for cell_id in list(ties.registry.cells):
        family, measure, key = cell_id
        for position, (dim, code) in enumerate(key):
            children = known.get((dim, str(code)))
            if children is None:  # a scan of the register: once per level and code
                children = known[dim, str(code)] = hierarchy.children(dim, str(code))
            if not children:
                continue
            rest = key[:position] + key[position + 1 :]
            for child_level, codes in children.items():
                present = {
                    str(dict(p[2])[child_level]): p
                    for p in index.get((family, measure, rest, child_level), [])
                }
                parts = [present[c] for c in codes if c in present]
                if parts:
                    complete = len(parts) == len(codes) or child_level in complete_columns.get(
                        family, set()
                    )
                    ties.sum_tie(f"level:{dim}", cell_id, parts, complete=complete)


def _groupings(ties: Ties, tables: Iterable[ReleasedTable]) -> None:
    """A coarser value's cell is the sum of its finer values' cells (a course of its starts).

    Each finer cell joins the coarser cell of the same key with the finer column replaced by
    the coarser one, and, where a column's total is complete (every value of it adds up to
    its total), the coarser cell of that key without the column too: a region's course is
    the sum of its starts in every municipality.
    """
    declared: dict[tuple[str, str], Grouping] = {}
    complete: dict[str, set[str]] = {}
    for table in tables:
        for fine, grouping in table.groupings.items():
            declared.setdefault((table.family, fine), grouping)
        complete.setdefault(table.family, set()).update(
            dim for dim, total in table.totals.items() if total.complete
        )
    if not declared:
        return
    groups: dict[tuple[CellId, str, bool], list[CellId]] = {}
    for cell_id in ties.registry.cells:
        family, measure, key = cell_id
        for dim, value in key:
            found = declared.get((family, dim))
            if found is None or value not in found.of:
                continue
            coarse = {d: v for d, v in key if d != dim}
            coarse[found.coarse] = found.of[value]
            keys = [coarse]
            keys += [
                {d: v for d, v in coarse.items() if d != drop}
                for drop in sorted(complete.get(family, set()) & set(coarse))
                if drop != found.coarse
            ]
            for of_key in keys:
                total = (family, measure, tuple(sorted(of_key.items(), key=lambda i: i[0])))
                groups.setdefault((total, dim, found.complete), []).append(cell_id)
    for (total, dim, whole), parts in groups.items():
        if total in ties.registry.cells:
            ties.sum_tie(f"grouping:{dim}", total, parts, complete=whole)


def _rows(ties: Ties, table: ReleasedTable) -> None:
    """Ties inside each row (parts of the count) and reference rates over the other units."""
    count = table.counts[0]
    for row in table.rows:
        status = str(row.get("status", "exists"))
        if status in NOT_A_CELL:
            continue
        absent = table.absent(row)  # parts that cannot occur in this row: no cell, no term
        cells = {c: i for c, i in row_cells(table, row).items() if c not in absent}
        if any(c not in ties.registry.cells for c in cells.values()):
            continue
        for measure, parts in table.parts.items():
            chosen = [cells[p] for p in parts if p in cells]
            ties.sum_tie("parts", cells[measure], chosen, complete=True)
        for measure, parts in table.within.items():
            chosen = [cells[p] for p in parts if p in cells]
            ties.sum_tie("within", cells[measure], chosen, complete=False)
        for balance in table.balances:
            _balance(ties, balance, cells)
        for measure in (c for c in table.counts[1:] if c in cells and c not in table.unbounded):
            coefs: dict[Hashable, float] = {}
            constant = ties.term(cells[measure], coefs, 1.0) + ties.term(cells[count], coefs, -1.0)
            ties.system.add(coefs, -constant, equal=False, kind="at most the count")
        if table.known or status in SHOWN_STATUSES:
            _reference(ties, table, row, cells)


def _balance(ties: Ties, balance: Balance, cells: Mapping[str, CellId]) -> None:
    """Within a row: sum(plus) - sum(minus) = 0 (counts the row does not have are left out)."""
    if not set(balance.plus) | set(balance.minus) <= set(cells):
        return
    coefs: dict[Hashable, float] = {}
    constant = 0.0
    for column in balance.plus:
        constant += ties.term(cells[column], coefs, 1.0)
    for column in balance.minus:
        constant += ties.term(cells[column], coefs, -1.0)
    ties.system.add(coefs, -constant, kind="balance")
    ties.counts["balance"] = ties.counts.get("balance", 0) + 1


def _reconcile(ties: Ties, table: ReleasedTable, reconcile: Reconcile) -> None:
    """Per ``by`` key: the other family's cells of the measure = this table's chosen cells."""
    count = table.aliases.get(table.counts[0], table.counts[0])
    ours: dict[tuple[object, ...], list[CellId]] = {}
    for cell_id in ties.registry.cells:
        family, measure, key = cell_id
        values = dict(key)
        if family != table.family or measure != count:
            continue
        if values.get(reconcile.column) in reconcile.values:
            ours.setdefault(tuple(values.get(b) for b in reconcile.by), []).append(cell_id)
    theirs: dict[tuple[object, ...], list[CellId]] = {}
    for cell_id in ties.registry.cells:
        family, measure, key = cell_id
        if family == reconcile.family and measure == reconcile.measure:
            by = tuple(dict(key).get(b) for b in reconcile.by)
            theirs.setdefault(by, []).append(cell_id)
    for by, parts in ours.items():
        if by not in theirs:  # (a value without a row of its own has no students)
            continue
        coefs: dict[Hashable, float] = {}
        constant = 0.0
        for cell_id in parts:
            constant += ties.term(cell_id, coefs, 1.0)
        for cell_id in theirs[by]:
            constant += ties.term(cell_id, coefs, -1.0)
        ties.system.add(coefs, -constant, kind=f"reconcile:{reconcile.measure}")
        kind = f"reconcile:{reconcile.measure}"
        ties.counts[kind] = ties.counts.get(kind, 0) + 1


def _reference(
    ties: Ties, table: ReleasedTable, row: Mapping[str, object], cells: dict[str, CellId]
) -> None:
    """(T_num - num) = rate * (T_den - den), within the rate's precision, T per stratum."""
    count = table.counts[0]
    for reference in table.references:
        rate = row.get(reference.column)
        if rate is None:
            continue
        stratum = tuple(i for i in key_of(table, row) if i[0] != reference.over)
        total_num = ("stratum", table.family, reference.numerator, stratum)
        total_den = ("stratum", table.family, count, stratum)
        for total, measure in ((total_num, reference.numerator), (total_den, count)):
            if total not in ties.system.bounds:
                ties.system.unknown(total)
                ties.strata.append(
                    (total, (table.family, measure, stratum, reference.over), reference.complete)
                )
        for bound, sign in (
            (float(str(rate)) + reference.precision, 1.0),
            (float(str(rate)) - reference.precision, -1.0),
        ):
            coefs: dict[Hashable, float] = {total_num: sign, total_den: -sign * bound}
            constant = ties.term(cells[reference.numerator], coefs, -sign)
            constant += ties.term(cells[count], coefs, sign * bound)
            ties.system.add(coefs, -constant, equal=False, kind="reference")
        ties.counts["reference"] = ties.counts.get("reference", 0) + 1
