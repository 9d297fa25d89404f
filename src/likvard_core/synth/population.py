"""The demo region's students: one record per synthetic person, across every birth cohort.

Students are drawn per municipality and birth year in proportion to the real pupil counts of the
municipality's compulsory schools. Each has a home municipality, gender, a neighbourhood
position (which decides the schools they attend and colours their parents' education), parents'
education on SALSA's 1-3 scale, whether born abroad and at what age they arrived, and a latent
ability. Municipal levels of parents' education and of the share born abroad are random draws,
not claims about the real municipalities.
"""

# ruff: noqa: PLR2004  (a generator is made of numeric model parameters)

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
from scipy.special import ndtri

from likvard_core.synth.identity import personnummer
from likvard_core.synth.reference import Reference

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

STUDENTS_PER_REAL_PUPIL = 0.28
"""At scale 1.0 the demo has this many students per real compulsory-school pupil (~50 000/year)."""
NEWLY_ARRIVED_YEARS = 4
SCHOOL_START_AGE = 7


def rng_for(seed: int, *parts: object) -> np.random.Generator:
    """An independent, reproducible generator for one named part of the generation."""
    words = [zlib.crc32(str(part).encode()) for part in parts]
    return np.random.default_rng([seed, *words])


@dataclass(frozen=True, slots=True)
class Municipalities:
    """The member municipalities of the demo regions and their drawn characteristics."""

    codes: tuple[str, ...]
    regions: tuple[str, ...]
    cohort_size: FloatArray  # expected students per birth year at scale 1.0
    parents_education_mean: FloatArray
    born_abroad_share: FloatArray

    def index(self, code: str) -> int:
        """Position of a municipality code."""
        return self.codes.index(code)


@dataclass(frozen=True, slots=True)
class Students:
    """Every synthetic student as parallel arrays (index = student id)."""

    pnr: pa.Array
    birth_year: IntArray
    male: BoolArray
    home: IntArray  # index into Municipalities.codes
    position: FloatArray  # neighbourhood position in [0, 1)
    parents_education: FloatArray
    born_abroad: BoolArray
    arrival_age: FloatArray  # 0 for students born in Sweden or arrived as infants
    ability: FloatArray
    second_language: BoolArray  # reads svenska som andraspråk

    @property
    def size(self) -> int:
        """Number of students."""
        return int(self.birth_year.size)

    def present(self, school_year: int) -> BoolArray:
        """Students living in Sweden by the autumn of ``school_year`` (its spring year)."""
        return np.asarray(school_year - 1 - self.birth_year >= self.arrival_age, dtype=np.bool_)

    def newly_arrived(self, school_year: int) -> BoolArray:
        """Born abroad and arrived within the last four years of ``school_year``."""
        since = school_year - 1 - self.birth_year - self.arrival_age
        recent = (since < NEWLY_ARRIVED_YEARS) & (self.arrival_age > 0)
        return np.asarray(self.born_abroad & recent, dtype=np.bool_)


def demo_municipalities(reference: Reference, seed: int) -> Municipalities:
    """The GR and Skaraborg members with cohort sizes from the real pupil counts."""
    codes: list[str] = []
    regions: list[str] = []
    for region, members in reference.regions.items():
        codes.extend(members)
        regions.extend([region] * len(members))
    pupils = dict.fromkeys(codes, 0)
    for school in reference.schools:
        if "grundskola" in school.school_forms and school.municipality_code in pupils:
            pupils[school.municipality_code] += school.pupils
    rng = rng_for(seed, "municipalities")
    return Municipalities(
        codes=tuple(codes),
        regions=tuple(regions),
        cohort_size=np.array([pupils[code] / 10.0 for code in codes]) * STUDENTS_PER_REAL_PUPIL,
        parents_education_mean=np.clip(rng.normal(2.27, 0.16, len(codes)), 1.8, 2.7),
        born_abroad_share=rng.uniform(0.06, 0.26, len(codes)),
    )


def _parents_education(
    rng: np.random.Generator, mean: FloatArray, position: FloatArray, born_abroad: BoolArray
) -> FloatArray:
    latent = mean + 0.38 * ndtri(position) + 0.4 * rng.normal(size=mean.size)
    latent -= 0.3 * born_abroad
    return np.asarray(np.clip(np.round(latent * 2.0) / 2.0, 1.0, 3.0), dtype=np.float64)


def draw_students(
    municipalities: Municipalities, birth_years: range, *, seed: int, scale: float
) -> Students:
    """Students of every municipality and birth year; same seed and scale, same students."""
    rng = rng_for(seed, "students")
    sizes = [
        rng.poisson(municipalities.cohort_size * scale * (1 + 0.012 * (year - 2008)))
        for year in birth_years
    ]
    counts = np.concatenate(sizes)
    n_muni = len(municipalities.codes)
    home = np.repeat(np.tile(np.arange(n_muni), len(birth_years)), counts)
    birth_year = np.repeat(np.repeat(np.array(list(birth_years)), n_muni), counts)
    n = int(counts.sum())
    male = rng.random(n) < 0.513
    position = rng.random(n)
    born_abroad = rng.random(n) < municipalities.born_abroad_share[home]
    late = born_abroad & (rng.random(n) < 0.65)
    arrival = np.where(late, rng.uniform(1.0, 16.0, n).round(), 0.0)
    parents = _parents_education(
        rng, municipalities.parents_education_mean[home], position, born_abroad
    )
    return Students(
        pnr=personnummer(rng, birth_year, male),
        birth_year=birth_year,
        male=male,
        home=home,
        position=position,
        parents_education=parents,
        born_abroad=born_abroad,
        arrival_age=arrival,
        ability=rng.normal(size=n),
        second_language=born_abroad & (arrival > 2) & (rng.random(n) < 0.85),
    )
