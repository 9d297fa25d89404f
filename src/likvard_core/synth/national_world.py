"""The national dataset's synthetic Sweden: municipalities, school units and cohorts.

Everything is a function of the seed: a cohort (chunk of municipalities, birth year) is drawn
from its own generator, so the same students reappear each year they are at school without
being kept in memory. Codes are synthetic but shaped like the real ones: 8-digit school units,
10-digit organisation numbers (``212000xxxx`` for municipalities), 4-digit municipality codes
(the real list when a reference folder is given).
"""

# ruff: noqa: PLR2004  (a generator is made of numeric model parameters)

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from likvard_core.synth.population import rng_for

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
StrArray = npt.NDArray[np.str_]

COHORT_PER_SCHOOL = 18.0
"""Mean students per grade year in a compulsory school unit at scale 1.0."""
UPPER_SECONDARY_SHARE = 0.2
GENEROUS_SHARE = 0.01
"""Share of school units that grade systematically above their tests."""
CHUNK_MUNICIPALITIES = 30


@dataclass(frozen=True, slots=True)
class Country:
    """Synthetic municipalities and school units (arrays indexed by school id)."""

    municipality_codes: StrArray
    school_codes: StrArray
    organizer_codes: StrArray
    school_municipality: IntArray
    upper_secondary: BoolArray
    cohort_size: FloatArray
    parents_education: FloatArray  # mean of the school's catchment
    effect: FloatArray
    leniency: FloatArray

    def chunks(self) -> list[IntArray]:
        """School ids grouped by blocks of municipalities (students move only within one)."""
        blocks = self.school_municipality // CHUNK_MUNICIPALITIES
        return [np.flatnonzero(blocks == block) for block in np.unique(blocks)]


def _municipality_codes(reference_dir: Path | None, count: int) -> StrArray:
    if reference_dir is not None:
        with (reference_dir / "municipalities.csv").open(encoding="utf-8") as handle:
            codes = [row["code"] for row in csv.DictReader(handle)]
        return np.array(codes[:count])
    counties = np.arange(count) // 14 + 1
    return np.array([f"{c:02d}{i % 14 + 10:02d}" for i, c in enumerate(counties)])


def build_country(
    *, seed: int, municipalities: int, school_units: int, reference_dir: Path | None
) -> Country:
    """Draw ``school_units`` school units over ``municipalities`` municipalities."""
    rng = rng_for(seed, "country")
    munis = _municipality_codes(reference_dir, municipalities)
    size = rng.pareto(1.2, munis.size) + 1.0  # a few large cities, many small towns
    where = rng.choice(munis.size, school_units, p=size / size.sum())
    where[: munis.size] = np.arange(min(munis.size, school_units))  # each has a school
    where = np.sort(where)
    codes = rng.permutation(np.unique(rng.integers(10_000_000, 100_000_000, 2 * school_units)))
    codes = np.sort(codes[:school_units])
    municipal = rng.random(school_units) < 0.82
    organizers = np.where(
        municipal,
        np.char.add("212000", np.char.zfill(where.astype(str), 4)),
        np.char.add("55", rng.integers(60_000_000, 99_999_999, school_units).astype(str)),
    )
    muni_parents = np.clip(rng.normal(2.27, 0.15, munis.size), 1.8, 2.7)
    return Country(
        municipality_codes=munis,
        school_codes=codes.astype(str),
        organizer_codes=organizers,
        school_municipality=where.astype(np.int64),
        upper_secondary=rng.random(school_units) < UPPER_SECONDARY_SHARE,
        cohort_size=rng.lognormal(np.log(COHORT_PER_SCHOOL) - 0.18, 0.6, school_units),
        parents_education=np.clip(muni_parents[where] + rng.normal(0, 0.2, school_units), 1.4, 2.9),
        effect=rng.normal(0.0, 0.12, school_units),
        leniency=np.where(rng.random(school_units) < GENEROUS_SHARE, 0.4, 0.0),
    )


@dataclass(frozen=True, slots=True)
class NationalCohort:
    """The students of one birth year in one chunk (same draws whenever asked for)."""

    ids: npt.NDArray[np.uint64]
    school: IntArray  # compulsory school id
    girl: BoolArray
    born_abroad: BoolArray
    newly_arrived: BoolArray
    parents_education: FloatArray
    ability: FloatArray
    second_language: BoolArray


def national_cohort(
    country: Country, chunk: int, schools: IntArray, birth_year: int, *, seed: int, scale: float
) -> NationalCohort:
    """The cohort born in ``birth_year`` in the compulsory schools ``schools``."""
    rng = rng_for(seed, "cohort", chunk, birth_year)
    compulsory = schools[~country.upper_secondary[schools]]
    counts = rng.poisson(country.cohort_size[compulsory] * scale)
    school = np.repeat(compulsory, counts)
    n = school.size
    serial = np.arange(n, dtype=np.uint64)
    ids = (np.uint64(birth_year) << np.uint64(40)) | (np.uint64(chunk) << np.uint64(28)) | serial
    born_abroad = rng.random(n) < 0.17
    parents = country.parents_education[school] + 0.45 * rng.normal(size=n) - 0.3 * born_abroad
    return NationalCohort(
        ids=ids,
        school=school,
        girl=rng.random(n) < 0.487,
        born_abroad=born_abroad,
        newly_arrived=born_abroad & (rng.random(n) < 0.25),
        parents_education=np.clip(np.round(parents * 2) / 2, 1.0, 3.0),
        ability=rng.normal(size=n),
        second_language=born_abroad & (rng.random(n) < 0.6),
    )
