"""Municipality year-9 results rebuilt from Skolverket's published school-unit figures.

Skolverket publishes per school unit the number of year-9 students and three results (share
passing all subjects, share eligible for a vocational programme, mean merit value), rounded to
one decimal. A municipality's figure is rebuilt by weighting its school units by their
student counts: shares by reconstructing each unit's whole number of students
(``round(n * share / 100)``), the merit value as ``Σ n·m / Σ n``. A municipality is only
rebuilt for a measure when every one of its school units shows both numbers (a '..', '.' or
'~100' in any unit makes it unknown); the reason is kept for the rest.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from likvard_core.terms import ValueStatus
from likvard_core.warehouse.schema import PUBLIC_STATS
from likvard_core.warehouse.snapshot import Snapshot

UNIT_COUNT = "Antal elever"
UNIT_MEASURES: dict[str, str] = {
    "gr9_pass_all": "Andel (%) elever som uppfyllt betygskriterierna i alla ämnen",
    "gr9_eligible_vocational": "Andel (%) elever behöriga till yrkesprog.",
    "gr9_merit_value": "Genomsnittligt meritvärde (17 ämnen)",
}
"""The school-unit file's column per indicator."""
MUNICIPALITY_MEASURES: dict[str, str] = {
    "gr9_pass_all": "Andel (%) som fått godkänt betyg i alla ämnen",
    "gr9_eligible_vocational": "Andel (%) behöriga till yrkesprogram",
    "gr9_merit_value": "Genomsnittligt meritvärde (17 ämnen)",
}
"""The municipal comparison file's row label ('Uppgift') per indicator."""
SHARES = ("gr9_pass_all", "gr9_eligible_vocational")
_NUDGE = 1e-9  # floating-point guard when rounding and comparing one-decimal figures

_SQL = f"""
SELECT level, area_code, measure, value, status
FROM {PUBLIC_STATS.name}
WHERE school_year = $year AND organizer_type IN ('all', 'kommunal', 'enskild')
  AND "group" = 'all' AND subject = '' AND list_contains($measures::VARCHAR[], measure)
  AND (level = 'school_unit' OR organizer_type = 'all')
"""


@dataclass(frozen=True, slots=True)
class Rebuilt:
    """One municipality and measure: our figure, the published one, or why there is none."""

    municipality: str
    indicator: str
    units: int
    students: int
    rebuilt: float | None
    published: float | None
    reason: str  # '' when rebuilt; else why not

    @property
    def reproduced(self) -> bool:
        """True when the rebuilt figure rounds to the published one (one decimal)."""
        return (
            self.rebuilt is not None
            and self.published is not None
            and abs(round(self.rebuilt + _NUDGE, 1) - self.published) < _NUDGE
        )


def _unit_reason(row: pd.Series, indicator: str) -> str:
    count_status, status = row.get(f"status:{UNIT_COUNT}"), row.get(f"status:{indicator}")
    if count_status != ValueStatus.EXISTS.value or status is None or pd.isna(status):
        return (
            f"antal elever '{count_status}'"
            if count_status != ValueStatus.EXISTS.value
            else ("värde saknas")
        )
    if status != ValueStatus.EXISTS.value:
        return {
            ValueStatus.TOO_FEW.value: "skolenhet med '..' (färre än 10 elever)",
            ValueStatus.ROUNDED.value: "skolenhet med '~100' (1–4 elever utan)",
            ValueStatus.MISSING.value: "skolenhet med '.' (uppgift saknas)",
        }.get(str(status), str(status))
    return ""


def municipality_from_school_units(
    db: Snapshot, unit_municipality: Mapping[str, str], *, year: int
) -> list[Rebuilt]:
    """Each municipality's three year-9 results rebuilt from its school units, with reasons.

    ``unit_municipality`` maps school unit codes to municipality codes (the school-unit
    file's ``Kommun-kod``). Published municipal figures are read from the same snapshot's
    ``public_stats`` (organizer type ``all``).
    """
    measures = [UNIT_COUNT, *UNIT_MEASURES.values(), *MUNICIPALITY_MEASURES.values()]
    rows = db.query(_SQL, {"year": year, "measures": sorted(set(measures))}).to_pandas()
    units = rows[rows["level"] == "school_unit"]
    wide = units.pivot_table(
        index="area_code", columns="measure", values=["value", "status"], aggfunc="first"
    )
    wide.columns = [f"{kind}:{measure}" for kind, measure in wide.columns]
    rename = {
        f"{k}:{m}": f"{k}:{code}" for code, m in UNIT_MEASURES.items() for k in ("value", "status")
    }
    wide = wide.rename(columns=rename).reset_index()
    wide["municipality"] = wide["area_code"].map(dict(unit_municipality))
    published = rows[rows["level"] == "municipality"].set_index(["area_code", "measure"])["value"]
    return [
        _rebuild(str(municipality), indicator, block, published)
        for municipality, block in wide.dropna(subset=["municipality"]).groupby("municipality")
        for indicator in UNIT_MEASURES
    ]


def _rebuild(
    municipality: str, indicator: str, block: pd.DataFrame, published: pd.Series
) -> Rebuilt:
    key = (municipality, MUNICIPALITY_MEASURES[indicator])
    found = key in published.index and pd.notna(published[key])
    target = float(published[key]) if found else None
    reasons = sorted({_unit_reason(row, indicator) for _, row in block.iterrows()} - {""})
    n = block.get(f"value:{UNIT_COUNT}", pd.Series(dtype=float))
    students = int(n.fillna(0).sum())
    if reasons:
        reason = "; ".join(reasons)
        return Rebuilt(municipality, indicator, len(block), students, None, target, reason)
    values = block[f"value:{indicator}"].astype(float)
    counts = n.astype(float)
    if indicator in SHARES:
        hits = (counts * values / 100.0).round()
        rebuilt = float(100.0 * hits.sum() / counts.sum())
    else:
        rebuilt = float((counts * values).sum() / counts.sum())
    reason = "" if target is not None else "kommunens värde saknas i den publicerade filen"
    return Rebuilt(municipality, indicator, len(block), students, rebuilt, target, reason)
