"""SCB-like population by municipality, age 0-19 and gender for the demo region.

The demo's students are a scaled sample of each municipality's birth cohorts
(``population.STUDENTS_PER_REAL_PUPIL``), so the population written here is on the same scale:
the 16-year-olds of a year are the students who start upper secondary that autumn, and the
cohort forecast's transition rate comes out near 1, as in the real region.

- Birth years the demo world has drawn are counted from its students: a student counts in
  year Y (31 December) at age ``Y - birth_year`` in their home municipality once they live in
  Sweden (``Students.present(Y + 1)``), so arrivals make cohorts grow with age, which the
  forecast's net migration ratios pick up.
- Younger (and older) birth years are drawn the way ``population.draw_students`` draws cohort
  sizes (Poisson around the municipality's cohort size, growing 1.2 % a year), with the share
  of late arrivals not yet present removed by their expected arrival age.

The file is the long form the ``population`` import kind reads: ``kommun;ålder;kön;år;antal``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt

from likvard_core.synth.csvout import write_csv
from likvard_core.synth.population import rng_for
from likvard_core.synth.world import World

MAX_AGE = 19
FILE_NAME = "population.csv"
_MALE_SHARE = 0.513
_LATE_ARRIVALS = 0.65  # share of those born abroad who arrive after birth (draw_students)

IntArray = npt.NDArray[np.int64]


def population_by_age(world: World, years: range, *, scale: float) -> dict[str, np.ndarray]:
    """Columns ``year, municipality_code, age, gender, persons`` for every demo municipality,
    age 0-``MAX_AGE`` and gender in ``years``; same world and scale, same figures."""
    n_muni = len(world.municipalities.codes)
    ages = np.arange(MAX_AGE + 1)
    shape = (len(years), n_muni, ages.size, 2)
    counts = np.zeros(shape, dtype=np.int64)
    drawn = set(np.unique(world.students.birth_year).tolist())
    for y_index, year in enumerate(years):
        _count_drawn(world, year, counts[y_index])
        for age in ages:
            if year - age not in drawn:
                counts[y_index, :, age, :] = _undrawn(world, year - int(age), int(age), scale)
    grid = np.stack(np.meshgrid(np.array(list(years)), np.arange(n_muni), ages, np.arange(2),
                                indexing="ij"), axis=-1).reshape(-1, 4)  # fmt: skip
    codes = np.array(world.municipalities.codes)
    return {
        "year": grid[:, 0],
        "municipality_code": codes[grid[:, 1]],
        "age": grid[:, 2],
        "gender": np.where(grid[:, 3] == 1, "M", "F"),
        "persons": counts.reshape(-1),
    }


def _count_drawn(world: World, year: int, out: IntArray) -> None:
    """Add the drawn students living in the region on 31 December ``year`` into ``out``."""
    students = world.students
    age = year - students.birth_year
    keep = (age >= 0) & (age <= MAX_AGE) & students.present(year + 1)
    index = (students.home[keep], age[keep], students.male[keep].astype(np.int64))
    np.add.at(out, index, 1)


def _undrawn(world: World, birth_year: int, age: int, scale: float) -> IntArray:
    """A birth cohort the world has not drawn: (municipality, gender) counts at ``age``."""
    municipalities = world.municipalities
    rng = rng_for(world.seed, "population-by-age", birth_year)
    expected = municipalities.cohort_size * scale * (1 + 0.012 * (birth_year - 2008))
    born = rng.poisson(np.stack([expected * (1 - _MALE_SHARE), expected * _MALE_SHARE], axis=1))
    # late arrivals come uniformly at ages 1-16: the share of them not yet here at ``age``
    absent = municipalities.born_abroad_share * _LATE_ARRIVALS * np.clip((16.5 - age) / 16, 0, 1)
    return np.asarray(np.round(born * (1 - absent[:, None])), dtype=np.int64)


def write_population_by_age(world: World, years: range, path: Path, *, scale: float) -> int:
    """Write the population file to ``path`` (kommun;ålder;kön;år;antal); returns rows written."""
    columns = population_by_age(world, years, scale=scale)
    return write_csv(
        path,
        {
            "kommun": columns["municipality_code"],
            "ålder": columns["age"],
            "kön": columns["gender"],
            "år": columns["year"],
            "antal": columns["persons"],
        },
    )
