"""The audit: every hidden cell bounded by LP, and which of them an attacker can pin down.

A hidden cell is *exposed* when the width of its feasible interval (its maximum minus its
minimum over every assignment of the hidden cells consistent with the released figures and the
ties) is below ``protection``. The default protection of 1 means: exposed unless at least two
whole values remain possible (a single value is a disclosure). A stricter protection, e.g. the
minimum group, asks that the interval stay as wide as the cell's own '..' promises.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

from likvard_core.audit.cells import CellId
from likvard_core.audit.lp import Interval, intervals
from likvard_core.audit.model import Hierarchy, ReleasedTable
from likvard_core.audit.ties import derive

DEFAULT_PROTECTION = 1.0
"""A hidden cell must keep an interval at least one wide: two whole values or more."""
_ZERO = 0.5
"""An interval whose top is below this holds only the value 0."""


@dataclass(frozen=True, slots=True)
class Finding:
    """An exposed cell: where it appears, its key and the interval an attacker can solve."""

    analysis: str
    table: str
    measure: str
    key: tuple[tuple[str, object], ...]
    interval: Interval

    def describe(self) -> str:
        """``measure key -> [low, high]``, for logs and the CLI."""
        key = ", ".join(f"{dim}={value}" for dim, value in self.key)
        low, high = self.interval.low + 0.0, self.interval.high + 0.0
        return f"{self.measure} [{key}] ∈ [{_number(low)}, {_number(high)}]"


def _number(value: float) -> str:
    """``value`` rounded to 3 decimals, without a negative zero."""
    rounded = round(value, 3)
    return f"{rounded if rounded != 0 else 0.0:g}"


@dataclass(frozen=True, slots=True)
class Summary:
    """One analysis: its cells shown, hidden and exposed."""

    analysis: str
    tables: int
    released: int
    hidden: int
    exposed: int
    seconds: float = 0.0
    """Seconds of LP spent on this analysis's hidden cells (a component's time shared
    equally among its hidden cells, each counted in the first analysis that shows it)."""


@dataclass(frozen=True, slots=True)
class AuditResult:
    """Per analysis a summary, every exposed cell, and the ties used."""

    summaries: list[Summary]
    findings: list[Finding]
    ties: dict[str, int]
    conflicts: int
    intervals: Mapping[Hashable, Interval] = field(repr=False)
    zeros_of_totals: int = 0
    """Hidden cells pinned to 0 only because a total containing them is shown as 0: not
    exposed (the shown total says the same of everyone in it), counted here."""

    @property
    def exposed(self) -> int:
        """The number of exposed cells (a cell shown in two analyses counts once)."""
        return len({(f.measure, f.key) for f in self.findings})


def audit(
    tables: Sequence[ReleasedTable],
    hierarchy: Hierarchy | None = None,
    *,
    protection: float = DEFAULT_PROTECTION,
) -> AuditResult:
    """Bound every hidden cell of ``tables`` and report those narrower than ``protection``."""
    ties = derive(tables, hierarchy or Hierarchy())
    cells = ties.registry.cells
    hidden = ties.registry.hidden()
    spent: dict[Hashable, float] = {}
    bounds = intervals(ties.system, hidden, enough=protection, seconds=spent)
    pinned = {c for c in hidden if bounds[c].width < protection - 1e-9}
    # A narrow cell's interval may be one that holds its true one (bounds its ties imply, or
    # its neighbourhood's): those about to be reported are solved exactly first, so a cell
    # pinned to 0 under a shown 0 is told apart, and each finding gives its true interval.
    loose = [c for c in pinned if not (c in ties.under_zero and bounds[c].high < _ZERO)]
    if loose:
        bounds = {**bounds, **intervals(ties.system, loose)}
    implied = {c for c in pinned if c in ties.under_zero and bounds[c].high < _ZERO}
    exposed = pinned - implied
    findings = []
    for cell_id in sorted(exposed, key=repr):
        places = sorted(set(cells[cell_id].places))
        findings.append(
            Finding(places[0][0], places[0][1], cell_id[1], cell_id[2], bounds[cell_id])
        )
    by_analysis: dict[str, dict[str, set[CellId]]] = {}
    lp_seconds: dict[str, float] = {}
    for cell_id in hidden:
        first = cells[cell_id].places[0][0]
        lp_seconds[first] = lp_seconds.get(first, 0.0) + spent.get(cell_id, 0.0)
    names: dict[str, set[str]] = {}
    for table in tables:
        names.setdefault(table.analysis, set()).add(table.name)
    for cell_id, cell in cells.items():
        for analysis, _table in cell.places:
            kinds = by_analysis.setdefault(analysis, {"released": set(), "hidden": set()})
            kinds["hidden" if cell.value is None else "released"].add(cell_id)
    summaries = [
        Summary(
            analysis,
            len(names.get(analysis, set())),
            len(kinds["released"]),
            len(kinds["hidden"]),
            len(kinds["hidden"] & exposed),
            lp_seconds.get(analysis, 0.0),
        )
        for analysis, kinds in sorted(by_analysis.items())
    ]
    return AuditResult(
        summaries,
        findings,
        dict(ties.counts),
        len(ties.registry.conflicts),
        bounds,
        zeros_of_totals=len(implied),
    )
