"""Each national student's way through upper secondary, by the demo's rules.

A cohort's first upper-secondary school and programme are ``upper_secondary_places`` (the
admissions and the first-year course grades use them). From there, as in the demo
(``upper_secondary.national_years``, ``upper_secondary.introduction_years``,
``introduction.moves_on``):

- a national-programme student stays three years, or leaves after one or two (about 6 %:
  interrupted studies, no certificate);
- an introduction-programme student stays one or two years; some then start a national
  programme the next school year (IMV 45 %, IMY 35 %, IMS 30 %, IMA 10 %) for three years, at a
  school drawn among the chunk's upper-secondary units by size, three times as likely in the
  home municipality (``introduction.HOME_FACTOR``): a move of programme, and often of organizer
  and municipality.

Drawn from its own stream per chunk and birth year, so the same path comes back whenever the
cohort is asked for (enrolments, absence and diplomas of different years agree).
"""

# ruff: noqa: PLR2004  (a generator is made of numeric model parameters)

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from likvard_core.synth.introduction import HOME_FACTOR, NATIONAL_YEARS, moves_on
from likvard_core.synth.national_world import Country, NationalCohort
from likvard_core.synth.population import rng_for
from likvard_core.synth.upper_secondary import (
    PREPARATORY,
    VOCATIONAL,
    introduction_years,
    national_years,
)

IntArray = npt.NDArray[np.int64]
StrArray = npt.NDArray[np.str_]

LONGEST = 5
"""School years a path can span: two introduction years and three national ones."""
_PROGRAMMES = np.array([*PREPARATORY, *VOCATIONAL])
_PROGRAMME_P = np.array([*(v * 0.55 for v in PREPARATORY.values()),
                         *(v * 0.45 for v in VOCATIONAL.values())])  # fmt: skip


@dataclass(frozen=True, slots=True)
class Enrolled:
    """The cohort's students enrolled in one school year of their paths."""

    rows: IntArray  # index into the cohort
    school: IntArray
    programme: StrArray
    grade_year: IntArray  # 1-3 within the span


@dataclass(frozen=True, slots=True)
class Paths:
    """A cohort's spans: the first (every student) and a national one after an introduction
    programme (``second_school`` -1 for none), starting the year after the first ends."""

    school: IntArray
    programme: StrArray
    years: IntArray
    second_school: IntArray
    second_programme: StrArray

    def enrolled(self, offset: int) -> Enrolled:
        """Who is enrolled ``offset`` school years after the cohort's start, where, in which
        programme and grade year."""
        first = offset < self.years
        second = (self.second_school >= 0) & (offset >= self.years)
        second &= offset < self.years + NATIONAL_YEARS
        rows = np.flatnonzero(first | second)
        in_first = first[rows]
        return Enrolled(
            rows=rows,
            school=np.where(in_first, self.school[rows], self.second_school[rows]),
            programme=np.where(in_first, self.programme[rows], self.second_programme[rows]),
            grade_year=np.where(in_first, offset + 1, offset - self.years[rows] + 1),
        )

    def national_spans(self) -> tuple[IntArray, IntArray, IntArray, StrArray]:
        """The three-year national spans: cohort rows, start offset, school and programme."""
        national = ~np.char.startswith(self.programme.astype(str), "IM")
        first = np.flatnonzero(national & (self.years >= NATIONAL_YEARS))
        second = np.flatnonzero(self.second_school >= 0)
        return (
            np.concatenate([first, second]),
            np.concatenate([np.zeros(first.size, np.int64), self.years[second]]),
            np.concatenate([self.school[first], self.second_school[second]]),
            np.concatenate([self.programme[first], self.second_programme[second]]),
        )


def upper_secondary_places(
    country: Country, chunk: int, schools: IntArray, *, birth_year: int, cohort: NationalCohort,
    seed: int,
) -> tuple[IntArray, npt.NDArray[np.str_], IntArray]:  # fmt: skip
    """Each student's upper-secondary school, programme and second choice's school."""
    rng = rng_for(seed, "upper-secondary", chunk, birth_year)
    gy = schools[country.upper_secondary[schools]]
    if gy.size == 0:
        gy = schools
    weights = country.cohort_size[gy] / country.cohort_size[gy].sum()
    school = rng.choice(gy, cohort.ids.size, p=weights)
    other = rng.choice(gy, cohort.ids.size, p=weights)
    programme = rng.choice(_PROGRAMMES, cohort.ids.size, p=_PROGRAMME_P / _PROGRAMME_P.sum())
    strength = cohort.ability + 0.5 * (cohort.parents_education - 2.27)
    intro = np.where(cohort.newly_arrived, "IMS", np.where(strength < -1.6, "IMA", "IMV"))
    programme = np.where(strength < -1.1, intro, programme)
    return school, programme, np.where(rng.random(cohort.ids.size) < 0.6, other, -1)


def upper_secondary_paths(
    country: Country, chunk: int, schools: IntArray, *, birth_year: int, cohort: NationalCohort,
    seed: int,
) -> Paths:  # fmt: skip
    """The cohort's paths (module doc)."""
    school, programme, _ = upper_secondary_places(
        country, chunk, schools, birth_year=birth_year, cohort=cohort, seed=seed
    )
    rng = rng_for(seed, "upper-secondary-paths", chunk, birth_year)
    introduction = np.char.startswith(programme.astype(str), "IM")
    years = np.where(
        introduction, introduction_years(rng, school.size), national_years(rng, school.size)
    )
    movers, chosen = moves_on(rng, np.where(introduction, programme, ""))
    second_school = np.full(school.size, -1, np.int64)
    second_programme = np.full(school.size, "", dtype=programme.dtype)
    if movers.size:
        second_school[movers] = _national_schools(rng, country, schools, cohort.school[movers])
        second_programme[movers] = chosen
    return Paths(school, programme, years.astype(np.int64), second_school, second_programme)


def _national_schools(
    rng: np.random.Generator, country: Country, schools: IntArray, compulsory: IntArray
) -> IntArray:
    """A national-programme school for each mover (by the compulsory school's municipality)."""
    gy = schools[country.upper_secondary[schools]]
    if gy.size == 0:
        gy = schools
    home = country.school_municipality[compulsory]
    out = np.empty(compulsory.size, np.int64)
    for municipality in np.unique(home):
        here = np.flatnonzero(home == municipality)
        local = country.school_municipality[gy] == municipality
        weight = country.cohort_size[gy] * np.where(local, HOME_FACTOR, 1.0)
        out[here] = rng.choice(gy, here.size, p=weight / weight.sum())
    return out
