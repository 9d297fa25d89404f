"""The planning page's overview: one line per programme instead of one per programme and year.

The region's supply-and-demand table has a row per programme and forecast year (25 programmes
times 10 years is 250 rows). A planning coordinator first asks, per programme, how next intake
looks and whether places run short later in the period; ``programme_summary`` answers both from
the released rows, and the page keeps the full table on demand and in the workbook.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from likvard.analyses.planning.services.basis import ComparisonRow


@dataclass(frozen=True, slots=True)
class ProgrammeSummary:
    """One programme: its released row of the first forecast year and, over all forecast
    years, the smallest gap with the scenario (places minus expected first-choice applicants)
    and the year it falls in. ``first`` is ``None`` when the programme has no row that year;
    ``lowest_gap`` is ``None`` when every year's gap is hidden."""

    programme_code: str
    programme: str
    first: ComparisonRow | None
    lowest_gap: float | None
    lowest_year: int | None


def programme_summary(rows: Iterable[ComparisonRow], *, year: int) -> list[ProgrammeSummary]:
    """Per programme (by name), the row of ``year`` and the smallest shown scenario gap over
    the years of ``rows``; the earliest year wins a tie. Hidden gaps are left out: the
    summary only repeats figures the viewer may see."""
    by_programme: dict[str, list[ComparisonRow]] = {}
    for row in rows:
        by_programme.setdefault(row.programme_code, []).append(row)
    result = []
    for code, programme_rows in by_programme.items():
        first = next((r for r in programme_rows if r.year == year), None)
        shown = [(r.scenario_gap, r.year) for r in programme_rows if r.scenario_gap is not None]
        lowest = min(shown) if shown else None
        result.append(
            ProgrammeSummary(
                programme_code=code,
                programme=programme_rows[0].programme or code,
                first=first,
                lowest_gap=None if lowest is None else lowest[0],
                lowest_year=None if lowest is None else lowest[1],
            )
        )
    return sorted(result, key=lambda s: (s.programme.casefold(), s.programme_code))


__all__ = ["ProgrammeSummary", "programme_summary"]
