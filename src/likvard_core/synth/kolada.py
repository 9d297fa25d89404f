"""Synthetic Kolada key figures for the demo region: an API answer the ``kolada`` kind imports.

**Synthetic demo data, not Kolada's figures.** The quality catalogue's public-statistics
indicators read Kolada KPIs; so that the demo's analysis basis shows them, this module writes one
JSON file shaped like Kolada's ``/v3/data/kpi/...`` answer, with plausible values for every
demo municipality (GR and Skaraborg) and Riket (``0000``). The file says so in its
``synthetic`` field. Values are drawn around typical national levels (a municipality keeps its
level from year to year, with small yearly noise), rounded to one decimal as Kolada publishes
them; KPIs divided by gender get ``T``, ``K`` and ``M`` values. Skolenkäten KPIs appear every
other year per municipality (the survey's two-year cycle) and only in the years their
catalogue revision is valid; municipalities without upper-secondary schools get ``null``
diploma and grade-point values (as Kolada shows them).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from likvard_core.ingest.sources.kolada_api import NATION_CODE, school_year_of
from likvard_core.synth.population import rng_for
from likvard_core.synth.reference import load_reference

FILE_NAME = "kolada.json"
SYNTHETIC_NOTE = "Syntetiska demodata skapade av Likvärd, inte Koladas nyckeltal."


@dataclass(frozen=True, slots=True)
class DemoKpi:
    """How one KPI's demo values are drawn: level, spread, gender gap and valid school years."""

    kpi: str
    mean: float
    spread: float
    gender_gap: float | None  # girls minus boys; None when the KPI is not divided by gender
    first_year: int = 2000
    last_year: int = 2100
    survey: bool = False  # Skolenkäten: every other year per municipality
    upper_secondary: bool = False  # null where the municipality has no upper-secondary school


DEMO_KPIS: tuple[DemoKpi, ...] = (
    DemoKpi("N17448", 68.0, 6.0, 6.0, upper_secondary=True),
    DemoKpi("N17464", 71.0, 6.0, 5.0, upper_secondary=True),
    DemoKpi("N17488", 14.4, 0.8, 1.1, upper_secondary=True),
    DemoKpi("N15813", 72.0, 7.0, None),
    DemoKpi("N17825", 81.0, 5.0, None, upper_secondary=True),
    DemoKpi("N11808", 41.0, 8.0, None),
    DemoKpi("N15033", 12.1, 0.9, None),
    DemoKpi("N17816", 11.8, 1.2, None, upper_secondary=True),
    DemoKpi("N11102", 5.1, 0.4, None),
    DemoKpi("N13014", 19.5, 3.5, None),
    DemoKpi("N15533", 87.0, 3.5, 1.0, last_year=2021, survey=True),
    DemoKpi("N15643", 83.0, 3.5, 1.5, first_year=2022, survey=True),
    DemoKpi("N15532", 64.0, 6.0, -2.0, last_year=2021, survey=True),
    DemoKpi("N15633", 58.0, 6.0, -2.0, first_year=2022, survey=True),
    DemoKpi("N17648", 92.0, 2.5, 0.5, last_year=2021, survey=True),
    DemoKpi("N17673", 90.0, 2.5, 0.5, first_year=2022, survey=True),
    DemoKpi("N17647", 73.0, 5.0, -1.0, last_year=2021, survey=True),
    DemoKpi("N17663", 70.0, 5.0, -1.0, first_year=2022, survey=True),
)
"""The 18 KPIs the shipped quality catalogue reads, with their demo levels."""


def _period_of(kpi: str, school_year: int) -> int:
    """The Kolada period whose school year is ``school_year`` (inverse of ``school_year_of``)."""
    return school_year - (school_year_of(kpi, school_year) - school_year)


def _values(spec: DemoKpi, total: float | None) -> list[dict[str, object]]:
    gap = spec.gender_gap
    rounded = None if total is None else round(total, 1)
    values: list[dict[str, object]] = [{"gender": "T", "count": 1, "status": "", "value": rounded}]
    if gap is not None:
        for gender, sign in (("K", 0.5), ("M", -0.5)):
            value = None if total is None else round(total + sign * gap, 1)
            values.append({"gender": gender, "count": 1, "status": "", "value": value})
    return values


def demo_kolada_answer(
    municipalities: Sequence[str],
    school_years: range,
    *,
    seed: int,
    without_upper_secondary: frozenset[str] = frozenset(),
) -> dict[str, object]:
    """A Kolada API answer with demo values of ``DEMO_KPIS`` for ``municipalities`` and Riket.

    One record per KPI, area and period whose school year is in ``school_years``.
    """
    rng = rng_for(seed, "kolada")
    areas = [NATION_CODE, *municipalities]
    records: list[dict[str, object]] = []
    for spec in DEMO_KPIS:
        level = spec.mean + spec.spread * rng.standard_normal(len(areas))
        level[0] = spec.mean
        for year in school_years:
            if not spec.first_year <= year <= spec.last_year:
                continue
            noise = rng.normal(0.0, spec.spread / 5, len(areas))
            for index, code in enumerate(areas):
                if spec.survey and index > 0 and (index + year) % 2:
                    continue
                missing = spec.upper_secondary and code in without_upper_secondary
                total = None if missing else float(level[index] + noise[index])
                records.append(
                    {
                        "kpi": spec.kpi,
                        "municipality": code,
                        "period": _period_of(spec.kpi, year),
                        "values": _values(spec, total),
                    }
                )
    return {"count": len(records), "values": records, "synthetic": SYNTHETIC_NOTE}


def write_demo_kolada(reference_dir: Path, path: Path, *, seed: int, school_years: range) -> int:
    """Write the demo region's Kolada answer to ``path`` (once); the number of value entries."""
    reference = load_reference(reference_dir)
    municipalities = sorted({code for members in reference.regions.values() for code in members})
    upper = {s.municipality_code for s in reference.schools if "gymnasieskola" in s.school_forms}
    answer = demo_kolada_answer(
        municipalities,
        school_years,
        seed=seed,
        without_upper_secondary=frozenset(municipalities) - upper,
    )
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(answer, ensure_ascii=False, indent=1) + "\n"
        path.write_text(text, encoding="utf-8")
    records = answer["values"]
    assert isinstance(records, list)  # noqa: S101  (built above)
    return sum(len(record["values"]) for record in records)
