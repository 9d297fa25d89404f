"""Which compulsory school each student attends in each grade year.

Within a municipality, the schools offering a grade year are lined up by a drawn "area" score
(independent schools a little higher) and share the students in proportion to their real pupil
counts: a student's neighbourhood position picks the school, so the same student keeps to the
same part of town through the stages, and schools differ in their students' background.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from likvard_core.synth.population import Municipalities, Students, rng_for
from likvard_core.synth.reference import Reference, SchoolUnit

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

GRADE_YEARS = tuple(range(1, 10))


@dataclass(frozen=True, slots=True)
class SchoolTable:
    """The demo's school units as arrays (index = school id)."""

    units: tuple[SchoolUnit, ...]
    area_score: FloatArray
    effect: FloatArray  # value added, latent units

    def codes(self) -> npt.NDArray[np.str_]:
        """School unit codes by school id."""
        return np.array([unit.code for unit in self.units])

    def organizers(self) -> npt.NDArray[np.str_]:
        """Organizer codes by school id."""
        return np.array([unit.organizer_code for unit in self.units])


def school_table(reference: Reference, municipalities: Municipalities, seed: int) -> SchoolTable:
    """The region's compulsory and upper-secondary school units with drawn effects."""
    members = set(municipalities.codes)
    units = tuple(
        unit
        for unit in reference.schools
        if unit.municipality_code in members
        and (
            ("grundskola" in unit.school_forms and unit.grade_years)
            or ("gymnasieskola" in unit.school_forms and unit.programmes)
        )
    )
    rng = rng_for(seed, "schools")
    independent = np.array([not unit.organizer_municipality for unit in units])
    return SchoolTable(
        units=units,
        area_score=rng.normal(size=len(units)) + 0.6 * independent,
        effect=rng.normal(0.0, 0.12, len(units)),
    )


def _choose(position: FloatArray, schools: IntArray, weights: FloatArray) -> IntArray:
    cumulative = np.cumsum(weights) / weights.sum()
    pick = np.searchsorted(cumulative, position, side="right")
    return schools[np.minimum(pick, schools.size - 1)]


def compulsory_schools(
    students: Students, municipalities: Municipalities, schools: SchoolTable
) -> IntArray:
    """School id per student and grade year: an (n_students, 10) array, column = grade year."""
    result = np.full((students.size, 10), -1, dtype=np.int64)
    for grade in GRADE_YEARS:
        offering = [
            i
            for i, unit in enumerate(schools.units)
            if grade in unit.grade_years and "grundskola" in unit.school_forms
        ]
        for m, code in enumerate(municipalities.codes):
            local = [i for i in offering if schools.units[i].municipality_code == code]
            if not local:  # no such school at home: the region's schools take them
                region = municipalities.regions[m]
                local = [
                    i
                    for i in offering
                    if municipalities.regions[
                        municipalities.index(schools.units[i].municipality_code)
                    ]
                    == region
                ]
            ids = np.array(sorted(local, key=lambda i: schools.area_score[i]), dtype=np.int64)
            weights = np.array(
                [max(schools.units[i].pupils, 20) / len(schools.units[i].grade_years) for i in ids]
            )
            mine = np.flatnonzero(students.home == m)
            result[mine, grade] = _choose(students.position[mine], ids, weights)
    return result
