"""Upper-secondary leaving certificates: who gets a diploma (examen), when, and why not.

The demo's enrolments and absence are drawn first and are not changed here (other analyses'
figures stay the same); the certificates are drawn *given* them, so that the demo holds the
signal the early warning looks for. Assumptions (docs/analyses/completion.md):

- A national-programme student enrolled all three years gets a diploma after year 3 with a
  probability whose log-odds fall with the mean upper-secondary absence rate (-10 per unit, so
  10 % absence costs 1 logit), with a rise in absence from the first to the last year (-8 per
  unit of rise), with being born abroad (-0.9) and rise with parents' education (+0.6 per level).
  The intercept is solved so that 84 % of them get one (with the generator's ~6 % early leavers,
  about 79 % of starters get a diploma within 3 years; Skolverket: 76.6 % in 2019).
- Those without get a study certificate (studiebevis) after year 3; 30 % of them complete the
  missing courses and get a diploma one year later, and 10 % of the rest a year after that.
- Early leavers (enrolled one or two years) and introduction-programme students get nothing
  for those spans; an introduction student who moves on to a national programme
  (``likvard_core.synth.introduction``) is drawn like any national student on that span.
"""

# ruff: noqa: PLR2004  (a generator is made of numeric model parameters)

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from likvard_core.synth.absence import TermAbsence
from likvard_core.synth.csvout import write_csv
from likvard_core.synth.demo_year import Enrolled, Spans
from likvard_core.synth.upper_secondary import PREPARATORY
from likvard_core.synth.world import World
from likvard_core.terms import SchoolYear

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

TARGET_DIPLOMA_AFTER_3 = 0.84
"""Share of national-programme students enrolled three years who get a diploma on time."""
ABSENCE_LOGIT = -10.0
RISE_LOGIT = -8.0
BORN_ABROAD_LOGIT = -0.9
PARENTS_LOGIT = 0.6
LATE_DIPLOMA = (0.3, 0.1)
"""Chance of a diploma one and two years late, for those without one after year 3."""
_YEAR_SLOT = 100


@dataclass(slots=True)
class AbsenceHistory:
    """Each upper-secondary student's absence rate per school year, as the demo drew it."""

    keys: list[IntArray] = field(default_factory=list)
    rates: list[FloatArray] = field(default_factory=list)

    def add(self, school_year: int, rows: Enrolled, terms: TermAbsence) -> None:
        """Record the school year's rates (both terms together) of its upper-secondary rows."""
        n = rows.student.size
        absent = np.bincount(terms.row, weights=terms.absent, minlength=n)
        scheduled = np.bincount(terms.row, weights=terms.scheduled, minlength=n)
        gy = np.flatnonzero(rows.form == "gymnasieskola")
        self.keys.append(rows.student[gy] * _YEAR_SLOT + (school_year % _YEAR_SLOT))
        self.rates.append(absent[gy] / np.maximum(scheduled[gy], 1.0))

    def lookup(self, student: IntArray, school_year: IntArray) -> FloatArray:
        """The rate of each (student, year), NaN where the demo drew none."""
        wanted = student * _YEAR_SLOT + (school_year % _YEAR_SLOT)
        if not self.keys:
            return np.full(wanted.size, np.nan)
        keys = np.concatenate(self.keys)
        rates = np.concatenate(self.rates)
        order = np.argsort(keys, kind="stable")
        keys, rates = keys[order], rates[order]
        at = np.clip(np.searchsorted(keys, wanted), 0, keys.size - 1)
        return np.where(keys[at] == wanted, rates[at], np.nan)


@dataclass(frozen=True, slots=True)
class Certificates:
    """Leaving certificates: student, school, programme, school year issued, certificate."""

    student: IntArray
    school: IntArray
    programme: npt.NDArray[np.str_]
    year: IntArray
    certificate: npt.NDArray[np.str_]


def _mean_and_rise(
    history: AbsenceHistory, spans: Spans, rows: IntArray
) -> tuple[FloatArray, FloatArray]:
    per_year = np.stack(
        [history.lookup(spans.student[rows], spans.start[rows] + k) for k in range(3)]
    )
    seen = ~np.isnan(per_year)
    count = seen.sum(axis=0)
    total = np.where(seen, per_year, 0.0).sum(axis=0)
    mean = np.where(count > 0, total / np.maximum(count, 1), 0.06)
    first = np.where(seen[0], per_year[0], np.where(seen[1], per_year[1], per_year[2]))
    rise = np.where(seen[2] & ~np.isnan(first), per_year[2] - first, 0.0)
    return mean, np.nan_to_num(rise, nan=0.0)


def _solve_intercept(logit: FloatArray, target: float) -> float:
    low, high = -10.0, 10.0
    for _ in range(50):
        middle = (low + high) / 2
        if np.mean(1 / (1 + np.exp(-(middle + logit)))) < target:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def diploma_logit(
    mean: FloatArray, rise: FloatArray, born_abroad: BoolArray, parents: FloatArray
) -> FloatArray:
    """Each student's log-odds of a diploma on time, before the intercept (module doc)."""
    return np.asarray(
        ABSENCE_LOGIT * mean
        + RISE_LOGIT * np.maximum(rise, 0.0)
        + BORN_ABROAD_LOGIT * born_abroad
        + PARENTS_LOGIT * (parents - 2.27),
        dtype=np.float64,
    )


@dataclass(frozen=True, slots=True)
class DiplomaDraws:
    """Who gets a diploma after year 3 (``on_time``), one year late and two years late."""

    on_time: BoolArray
    late_one: BoolArray
    late_two: BoolArray


def draw_diplomas(rng: np.random.Generator, logit: FloatArray) -> DiplomaDraws:
    """Draw on-time and late diplomas given ``diploma_logit``: the intercept is solved so that
    ``TARGET_DIPLOMA_AFTER_3`` of these students get one on time (the demo's and the national
    data set's one rule)."""
    intercept = _solve_intercept(logit, TARGET_DIPLOMA_AFTER_3)
    on_time = rng.random(logit.size) < 1 / (1 + np.exp(-(intercept + logit)))
    late_one = ~on_time & (rng.random(logit.size) < LATE_DIPLOMA[0])
    late_two = ~on_time & ~late_one & (rng.random(logit.size) < LATE_DIPLOMA[1])
    return DiplomaDraws(on_time, late_one, late_two)


def leaving_certificates(
    rng: np.random.Generator, world: World, spans: Spans, history: AbsenceHistory
) -> Certificates:
    """Diplomas and study certificates of the spans that completed three national years."""
    national = ~np.char.startswith(spans.programme.astype(str), "IM")
    rows = np.flatnonzero(national & (spans.years >= 3))
    mean, rise = _mean_and_rise(history, spans, rows)
    s = world.students
    student = spans.student[rows]
    logit = diploma_logit(mean, rise, s.born_abroad[student], s.parents_education[student])
    draws = draw_diplomas(rng, logit)
    on_time, late_one, late_two = draws.on_time, draws.late_one, draws.late_two
    end = spans.start[rows] + 2
    preparatory = np.isin(spans.programme[rows], list(PREPARATORY))
    kind = np.where(preparatory, "högskoleförberedande examen", "yrkesexamen")
    diploma_year = np.where(on_time, end, np.where(late_one, end + 1, end + 2))
    has_diploma = on_time | late_one | late_two
    certificate_rows = np.concatenate([rows[~on_time], rows[has_diploma]])
    return Certificates(
        student=spans.student[certificate_rows],
        school=spans.school[certificate_rows],
        programme=spans.programme[certificate_rows],
        year=np.concatenate([end[~on_time], diploma_year[has_diploma]]),
        certificate=np.concatenate(
            [np.full(int((~on_time).sum()), "studiebevis"), kind[has_diploma]]
        ),
    )


def write_certificates(
    world: World, certificates: Certificates, school_year: int, folder: Path
) -> tuple[Path, int] | None:
    """Write the certificates issued in ``school_year`` as ``diplomas.csv``; None when none."""
    here = np.flatnonzero(certificates.year == school_year)
    if not here.size:
        return None
    path = folder / "diplomas.csv"
    rows = write_csv(
        path,
        {
            "personnummer": world.students.pnr.take(certificates.student[here]),
            "läsår": np.full(here.size, SchoolYear(school_year).label),
            "skolenhetskod": world.schools.codes()[certificates.school[here]],
            "program": certificates.programme[here],
            "bevis": certificates.certificate[here],
        },
    )
    return path, rows
