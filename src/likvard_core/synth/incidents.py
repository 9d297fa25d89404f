"""Reported incidents of degrading treatment for the demo, one row per case per school unit.

Assumptions (written down for the incident follow-up page; no Swedish source gives these
rates, so they are the generator's, not facts):
- each school unit has a reporting rate drawn once: 3 reports per 100 enrolled students a
  school year times a log-normal unit factor (σ 0.6), rising 6 % a year over the period, so
  units, organizers and years differ;
- reports fall on any day between 20 August and 12 June, evenly (weekends included);
- 90 % are investigated, after a geometric number of days (mean 4 to 16, a unit's own
  speed); 75 % of investigated cases get measures, a geometric 3 to 30 days later; cases are
  closed a geometric 10 to 40 days after the last step, except 10 % left open. A date after
  the data's end (30 June of the last year) is left empty, so the latest cases are open;
- kinds: 78 % student to student, 8 % staff to student, 9 % discrimination, 5 % other.
Each year draws from its own stream (``rng_for(seed, "incidents", year)``) and writes a new
file, so no earlier file of the demo changes.
"""

# ruff: noqa: PLR2004  (a generator is made of numeric model parameters)

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from likvard_core.synth.csvout import write_csv
from likvard_core.synth.population import rng_for
from likvard_core.synth.world import World

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

FILE_NAME = "incidents.csv"
BASE_PER_100 = 3.0
YEARLY_RISE = 0.06
KINDS = ("elev mot elev", "personal mot elev", "diskriminering", "annat")
KIND_SHARES = (0.78, 0.08, 0.09, 0.05)


def _unit_factors(world: World) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Each unit's reporting factor and its speed (mean days to investigation)."""
    rng = rng_for(world.seed, "incident-units")
    size = len(world.schools.units)
    return rng.lognormal(0.0, 0.6, size), rng.uniform(4.0, 16.0, size)


def _later(
    rng: np.random.Generator, start: npt.NDArray[np.int64], mean_days: npt.NDArray[np.float64]
) -> npt.NDArray[np.int64]:
    return start + rng.geometric(1.0 / np.maximum(mean_days, 1.0)) - 1


def _dates(days: npt.NDArray[np.int64], keep: npt.NDArray[np.bool_]) -> list[str]:
    origin = dt.date(1970, 1, 1)
    return [
        (origin + dt.timedelta(days=int(d))).isoformat() if k else ""
        for d, k in zip(days, keep, strict=True)
    ]


@dataclass(frozen=True, slots=True)
class Cases:
    """Drawn cases, sorted by unit and report date: dates as days since 1970-01-01, each
    later step with a flag saying whether it happened within the data."""

    unit: IntArray
    number: IntArray  # 0, 1, ... within the unit and year
    reported: IntArray
    investigated: IntArray
    measures: IntArray
    closed: IntArray
    has_investigation: BoolArray
    has_measures: BoolArray
    has_closed: BoolArray
    kind: npt.NDArray[np.str_]


def draw_cases(
    rng: np.random.Generator, students: IntArray, factor: FloatArray, speed: FloatArray, *,
    school_year: int, last_year: int,
) -> Cases:  # fmt: skip
    """``school_year``'s cases of units with ``students`` enrolled each (module doc)."""
    rise = (1 + YEARLY_RISE) ** (school_year - 2016)
    counts = rng.poisson(students * BASE_PER_100 / 100 * factor * rise)
    unit = np.repeat(np.arange(factor.size), counts)
    n = unit.size
    first = np.datetime64(f"{school_year - 1}-08-20").astype(np.int64)
    span = int(np.datetime64(f"{school_year}-06-12").astype(np.int64) - first)
    reported = first + rng.integers(0, span + 1, n)
    order = np.lexsort((reported, unit))
    unit, reported = unit[order], reported[order]
    end = int(np.datetime64(f"{last_year}-06-30").astype(np.int64))
    investigated = _later(rng, reported, speed[unit])
    has_investigation = rng.random(n) < 0.90
    measures = _later(rng, investigated, rng.uniform(3.0, 30.0, n))
    has_measures = has_investigation & (rng.random(n) < 0.75)
    last_step = np.where(
        has_measures, measures, np.where(has_investigation, investigated, reported)
    )
    closed = _later(rng, last_step, rng.uniform(10.0, 40.0, n))
    has_closed = rng.random(n) < 0.90
    has_investigation &= investigated <= end
    has_measures &= has_investigation & (measures <= end)
    has_closed &= closed <= end
    kind = rng.choice(np.array(KINDS), size=n, p=KIND_SHARES)
    within = np.concatenate([[0], np.flatnonzero(unit[1:] != unit[:-1]) + 1]) if n else unit
    number = np.arange(n) - np.repeat(within, np.diff(np.append(within, n)))
    return Cases(
        unit, number, reported, investigated, measures, closed, has_investigation,
        has_measures, has_closed, kind,
    )  # fmt: skip


def write_incidents(
    world: World, school: npt.NDArray[np.int64], school_year: int, last_year: int, folder: Path
) -> tuple[Path, int] | None:
    """Draw ``school_year``'s cases from its enrolments (``school``: each enrolled student's
    school id) and write them as ``incidents.csv``; None when no case was drawn."""
    factor, speed = _unit_factors(world)
    rng = rng_for(world.seed, "incidents", school_year)
    students = np.bincount(school, minlength=factor.size)
    cases = draw_cases(rng, students, factor, speed, school_year=school_year, last_year=last_year)
    n = cases.unit.size
    if not n:
        return None
    codes = world.schools.codes()[cases.unit]
    path = folder / FILE_NAME
    rows = write_csv(
        path,
        {
            "skolenhetskod": codes,
            "ärendenummer": np.char.add(
                f"KR-{school_year}-", np.char.zfill((cases.number + 1).astype(str), 4)
            ),
            "anmäld": np.array(_dates(cases.reported, np.ones(n, bool))),
            "typ": cases.kind,
            "utredd": np.array(_dates(cases.investigated, cases.has_investigation)),
            "åtgärdad": np.array(_dates(cases.measures, cases.has_measures)),
            "avslutad": np.array(_dates(cases.closed, cases.has_closed)),
        },
    )
    return path, rows
