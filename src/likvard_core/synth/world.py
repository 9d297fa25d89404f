"""The demo world: reference data, students, schools and the year-independent draws."""

# ruff: noqa: PLR2004  (a generator is made of numeric model parameters)

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from likvard_core.synth import grading
from likvard_core.synth.placement import SchoolTable, compulsory_schools, school_table
from likvard_core.synth.population import (
    Municipalities,
    Students,
    demo_municipalities,
    draw_students,
    rng_for,
)
from likvard_core.synth.reference import Reference, load_reference
from likvard_core.synth.results import Cohort

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
StrArray = npt.NDArray[np.str_]

GENEROUS_COMPULSORY = {"GR": 3, "SKARABORG": 2}
"""How many year-9 schools per region grade systematically above their tests."""
GENEROUS_LENIENCY = 0.4
"""Their extra leniency in latent units: about half a grade step in every subject."""
GENEROUS_MIN_PUPILS = 250


@dataclass(frozen=True, slots=True)
class World:
    """Everything drawn once for a demo: who lives where and goes to which school."""

    seed: int
    reference: Reference
    municipalities: Municipalities
    students: Students
    schools: SchoolTable
    compulsory: IntArray  # (n_students, 10): school id per grade year
    leniency: FloatArray  # per school id
    generous: tuple[int, ...]  # school ids grading above their tests

    def cohort(self, grade_year: int, school_year: int) -> Cohort:
        """The students in compulsory ``grade_year`` in ``school_year`` and their schools."""
        students = self.students
        born = students.birth_year == school_year - 7 - grade_year
        index = np.flatnonzero(born & students.present(school_year))
        return Cohort(
            student=index,
            school=self.compulsory[index, grade_year],
            ability=students.ability[index],
            parents_education=students.parents_education[index],
            girl=~students.male[index],
            newly_arrived=students.newly_arrived(school_year)[index],
            second_language=students.second_language[index],
        )

    def test_subjects(self, school_year: int) -> dict[str, StrArray]:
        """Each school's year-9 NO and SO test subject in ``school_year``."""
        rng = rng_for(self.seed, "test-subjects", school_year)
        n = len(self.schools.units)
        return {
            "NO": rng.choice(np.array(grading.SCIENCE_TESTS), n),
            "SO": rng.choice(np.array(grading.SOCIAL_TESTS), n),
        }


def _pick_generous(schools: SchoolTable, municipalities: Municipalities, seed: int) -> list[int]:
    rng = rng_for(seed, "generous")
    picked: list[int] = []
    for region, count in GENEROUS_COMPULSORY.items():
        candidates = [
            i
            for i, unit in enumerate(schools.units)
            if 9 in unit.grade_years
            and unit.pupils >= GENEROUS_MIN_PUPILS
            and unit.municipality_code in municipalities.codes
            and municipalities.regions[municipalities.index(unit.municipality_code)] == region
        ]
        picked.extend(int(i) for i in rng.choice(np.array(candidates), count, replace=False))
    upper = [
        i
        for i, unit in enumerate(schools.units)
        if "gymnasieskola" in unit.school_forms and unit.pupils >= 2 * GENEROUS_MIN_PUPILS
    ]
    picked.append(int(rng.choice(np.array(upper))))
    return sorted(picked)


def build_world(reference_dir: Path, *, seed: int, years: range, scale: float) -> World:
    """Draw the students of every cohort that passes through ``years`` and their schools."""
    reference = load_reference(reference_dir)
    municipalities = demo_municipalities(reference, seed)
    birth_years = range(min(years) - 19, max(years) - 7)
    students = draw_students(municipalities, birth_years, seed=seed, scale=scale)
    schools = school_table(reference, municipalities, seed)
    generous = _pick_generous(schools, municipalities, seed)
    leniency = np.zeros(len(schools.units))
    leniency[generous] = GENEROUS_LENIENCY
    return World(
        seed=seed,
        reference=reference,
        municipalities=municipalities,
        students=students,
        schools=schools,
        compulsory=compulsory_schools(students, municipalities, schools),
        leniency=leniency,
        generous=tuple(generous),
    )
