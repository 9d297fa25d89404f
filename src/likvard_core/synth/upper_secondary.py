"""Upper-secondary entry: applications, the three admission rounds, and where students enrol.

Eligible year-9 leavers apply within their region to (school unit, programme) pairs. A choice's
weight is the programme's popularity for the student's track, spread over the units offering it
by their size, times a factor for schools of the student's own municipality. That factor is
solved per region and year so that a target share of first choices lies with another organizer
than the home municipality (GR's notes report about 60 % studying elsewhere). Students who are
not eligible go to an introduction programme, mostly at home (the home municipality is
responsible for them).
"""

# ruff: noqa: PLR2004  (a generator is made of numeric model parameters)

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from likvard_core.synth.placement import SchoolTable
from likvard_core.synth.population import Municipalities

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
StrArray = npt.NDArray[np.str_]

TARGET_OTHER_ORGANIZER = {"GR": 0.62, "SKARABORG": 0.45}
"""First-choice share with another organizer, national programmes (Skaraborg's is assumed)."""
PREPARATORY = {"NA": 0.22, "SA": 0.3, "EK": 0.22, "TE": 0.14, "ES": 0.08, "HU": 0.04}
VOCATIONAL = {
    "BA": 0.11, "BF": 0.08, "EE": 0.13, "FT": 0.08, "HA": 0.08, "HT": 0.04,
    "HV": 0.04, "IN": 0.05, "NB": 0.05, "RL": 0.05, "VF": 0.04, "VO": 0.1,
}  # fmt: skip
LOCAL_FACTOR = 2.0
"""Extra weight of any school located in the home municipality (short travel)."""
EARLY_LEAVING = 0.03
"""Chance, drawn twice, that a national-programme student leaves a year early: about 6 % leave
after one or two years (interrupted studies), 0.1 % after one."""
INTRODUCTION_SECOND_YEAR = 0.5
"""Chance that an introduction-programme student stays a second year."""


def national_years(rng: np.random.Generator, size: int) -> IntArray:
    """Years each national-programme student stays: 3, less one per early-leaving draw."""
    stays = 3 - (rng.random(size) < EARLY_LEAVING) - (rng.random(size) < EARLY_LEAVING)
    return np.asarray(stays, dtype=np.int64)


def introduction_years(rng: np.random.Generator, size: int) -> IntArray:
    """Years each introduction-programme student stays: one or two."""
    return 1 + (rng.random(size) < INTRODUCTION_SECOND_YEAR).astype(np.int64)


@dataclass(frozen=True, slots=True)
class Options:
    """The (school unit, programme) pairs of one region."""

    school: IntArray
    programme: StrArray
    capacity: FloatArray


@dataclass(frozen=True, slots=True)
class Applicants:
    """One admission year's year-9 leavers of one region."""

    student: IntArray
    home: IntArray  # municipality index
    merit: FloatArray
    track: IntArray  # 0 preparatory, 1 vocational, 2 introduction
    im_programme: StrArray  # IMS/IMA/IMV/IMY for track 2, else ''


@dataclass(frozen=True, slots=True)
class Admission:
    """Application rows of all rounds and each student's enrolment at the next 15 October."""

    round_name: StrArray
    student: IntArray
    rank: IntArray
    school: IntArray
    programme: StrArray
    admitted: BoolArray
    enrolled_student: IntArray
    enrolled_school: IntArray
    enrolled_programme: StrArray
    years: IntArray  # years the student stays (1-3)


def region_options(schools: SchoolTable, municipalities: Municipalities, region: str) -> Options:
    """National-programme options of a region's upper-secondary units."""
    members = {
        code
        for code, r in zip(municipalities.codes, municipalities.regions, strict=True)
        if r == region
    }
    school, programme, capacity = [], [], []
    for i, unit in enumerate(schools.units):
        if "gymnasieskola" not in unit.school_forms or unit.municipality_code not in members:
            continue
        national = [p for p in unit.programmes if p in PREPARATORY or p in VOCATIONAL]
        for code in national:
            school.append(i)
            programme.append(code)
            capacity.append(max(unit.pupils, 30) / len(national))
    return Options(np.array(school, np.int64), np.array(programme), np.array(capacity))


def _base_weights(options: Options, track: IntArray) -> FloatArray:
    weights = np.zeros((2, options.school.size))
    for row, table in enumerate((PREPARATORY, VOCATIONAL)):
        for code, share in table.items():
            mask = options.programme == code
            if mask.any():
                weights[row, mask] = share * options.capacity[mask] / options.capacity[mask].sum()
    return weights[np.minimum(track, 1)]


def _home_masks(
    options: Options, schools: SchoolTable, municipalities: Municipalities, home: IntArray
) -> tuple[BoolArray, BoolArray]:
    codes = np.array(municipalities.codes)[home]
    owner = np.array([schools.units[i].organizer_municipality for i in options.school])
    located = np.array([schools.units[i].municipality_code for i in options.school])
    return codes[:, None] == owner[None, :], codes[:, None] == located[None, :]


def _other_share(base: FloatArray, own: BoolArray, factor: float) -> float:
    weights = base * np.where(own, factor, 1.0)
    return float(np.mean((weights * ~own).sum(axis=1) / weights.sum(axis=1)))


def solve_home_factor(base: FloatArray, own: BoolArray, target: float) -> float:
    """The own-municipality factor giving ``target`` expected other-organizer first choices."""
    low, high = -4.0, 8.0
    for _ in range(40):
        middle = (low + high) / 2
        if _other_share(base, own, float(np.exp(middle))) > target:
            low = middle
        else:
            high = middle
    return float(np.exp((low + high) / 2))


def _choices(rng: np.random.Generator, weights: FloatArray) -> IntArray:
    """Ranked option ids per student (Gumbel top-k), -1 padded: (n, 5)."""
    count = 1 + np.asarray(rng.binomial(4, 0.45, weights.shape[0]), dtype=np.int64)
    with np.errstate(divide="ignore"):
        scores = np.log(weights) + rng.gumbel(size=weights.shape)
    order = np.argsort(-scores, axis=1, kind="stable")[:, :5]
    available = np.isfinite(np.take_along_axis(scores, order, axis=1))
    keep = (np.arange(5)[None, :] < count[:, None]) & available
    return np.where(keep, order, -1)


def _ranks(rng: np.random.Generator, merit: FloatArray, n_choices: IntArray) -> IntArray:
    first = rng.random(merit.size) < np.clip(0.45 + merit / 600.0, 0.55, 0.95)
    other = 2 + (rng.random(merit.size) * np.maximum(n_choices - 1, 1)).astype(np.int64)
    return np.where(first | (n_choices == 1), 1, np.minimum(other, n_choices))


def admit_national(
    rng: np.random.Generator,
    applicants: Applicants,
    options: Options,
    *,
    schools: SchoolTable,
    municipalities: Municipalities,
    region: str,
) -> tuple[Admission, float]:
    """Rounds and enrolment of national-programme applicants, and the solved home factor."""
    base = _base_weights(options, applicants.track)
    own, local = _home_masks(options, schools, municipalities, applicants.home)
    base = base * np.where(local, LOCAL_FACTOR, 1.0)
    factor = solve_home_factor(base, own, TARGET_OTHER_ORGANIZER.get(region, 0.5))
    chosen = _choices(rng, base * np.where(own, factor, 1.0))
    n_choices = (chosen >= 0).sum(axis=1)
    final = _ranks(rng, applicants.merit, n_choices)
    shift = rng.choice(np.array([0, 1, -1]), size=final.size, p=[0.75, 0.15, 0.1])
    preliminary = np.clip(final + shift, 1, n_choices + 1)  # n+1: not admitted yet
    upgrade = (final > 1) & (rng.random(final.size) < 0.3)
    reserve = np.where(upgrade, 1 + (rng.random(final.size) * (final - 1)).astype(np.int64), final)
    rounds = (("preliminar", preliminary, n_choices > 0), ("slutlig", final, n_choices > 0),
              ("reserv", reserve, final > 1))  # fmt: skip
    parts = [
        _round_rows(name, ranks, who, chosen=chosen, applicants=applicants, options=options)
        for name, ranks, who in rounds
    ]
    enrolled_rank = reserve.copy()
    switch = (n_choices > 1) & (rng.random(final.size) < 0.04)
    enrolled_rank[switch] = 1 + (enrolled_rank[switch] % n_choices[switch])
    picked = chosen[np.arange(final.size), enrolled_rank - 1]
    years = national_years(rng, final.size)
    admission = Admission(
        round_name=np.concatenate([part[0] for part in parts]),
        student=np.concatenate([part[1] for part in parts]),
        rank=np.concatenate([part[2] for part in parts]),
        school=np.concatenate([part[3] for part in parts]),
        programme=np.concatenate([part[4] for part in parts]),
        admitted=np.concatenate([part[5] for part in parts]),
        enrolled_student=applicants.student,
        enrolled_school=options.school[picked],
        enrolled_programme=options.programme[picked],
        years=years.astype(np.int64),
    )
    return admission, factor


def _round_rows(
    name: str,
    ranks: IntArray,
    who: BoolArray,
    *,
    chosen: IntArray,
    applicants: Applicants,
    options: Options,
) -> tuple[StrArray, IntArray, IntArray, IntArray, StrArray, BoolArray]:
    rows, cols = np.nonzero((chosen >= 0) & who[:, None])
    option = chosen[rows, cols]
    return (
        np.full(rows.size, name),
        applicants.student[rows],
        cols + 1,
        options.school[option],
        options.programme[option],
        ranks[rows] == cols + 1,
    )


def applicants(
    rng: np.random.Generator,
    *,
    student: IntArray,
    home: IntArray,
    merit: FloatArray,
    core_passed: BoolArray,
    passed: IntArray,
    recently_arrived: BoolArray,
) -> Applicants:
    """Year-9 leavers with their track: preparatory, vocational or an introduction programme.

    Eligibility follows Skolverket's rules in outline: E in SV/SVA, EN and MA plus 5 more subjects
    for a vocational programme, plus 9 more (12 in all) for a preparatory one.
    """
    vocational = core_passed & (passed >= 8)
    preparatory = core_passed & (passed >= 12)
    wants_preparatory = rng.random(merit.size) < 1 / (1 + np.exp(-(merit - 205.0) / 20.0))
    track = np.where(preparatory & wants_preparatory, 0, np.where(vocational, 1, 2))
    im = np.where(
        recently_arrived,
        "IMS",
        np.where(passed >= 6, "IMV", np.where(passed >= 3, "IMY", "IMA")),
    )
    return Applicants(student, home, merit, track, np.where(track == 2, im, ""))


def _introduction_candidates(
    schools: SchoolTable, home_code: str, region_codes: set[str], code: str
) -> IntArray:
    def offering(where: set[str], own: bool) -> list[int]:
        return [
            i
            for i, unit in enumerate(schools.units)
            if code in unit.programmes
            and unit.municipality_code in where
            and (not own or unit.organizer_municipality == home_code)
        ]

    candidates = offering({home_code}, True) or offering({home_code}, False)
    return np.array(candidates or offering(region_codes, False), dtype=np.int64)


def admit_introduction(
    rng: np.random.Generator,
    entrants: Applicants,
    schools: SchoolTable,
    municipalities: Municipalities,
    region: str,
) -> Admission:
    """Introduction-programme students: enrolled for one or two years, mostly at home.

    Only IMV and IMY are applied for through admission, and only in the final round (there is no
    preliminary admission to introduction programmes); IMS and IMA go by individual agreement.
    """
    codes = np.array(municipalities.codes)
    region_codes = {
        c for c, r in zip(municipalities.codes, municipalities.regions, strict=True) if r == region
    }
    school = np.full(entrants.student.size, -1, dtype=np.int64)
    for home in np.unique(entrants.home):
        for code in ("IMS", "IMA", "IMV", "IMY"):
            mask = (entrants.home == home) & (entrants.im_programme == code)
            candidates = _introduction_candidates(schools, str(codes[home]), region_codes, code)
            if mask.any() and candidates.size:
                school[mask] = rng.choice(candidates, int(mask.sum()))
    placed = school >= 0
    applied = placed & np.isin(entrants.im_programme, ["IMV", "IMY"])
    n = int(applied.sum())
    return Admission(
        round_name=np.full(n, "slutlig"),
        student=entrants.student[applied],
        rank=np.ones(n, np.int64),
        school=school[applied],
        programme=entrants.im_programme[applied],
        admitted=np.ones(n, bool),
        enrolled_student=entrants.student[placed],
        enrolled_school=school[placed],
        enrolled_programme=entrants.im_programme[placed],
        years=introduction_years(rng, int(placed.sum())),
    )
