"""The grade model shared by the demo and the national generator.

Every student has a latent knowledge per subject (ability, parents' education, gender, newly
arrived, school effect, subject noise). The teacher's grade and the national test read that same
knowledge with their own noise; the grade is a little lenient everywhere (most in mathematics)
and much more lenient at the few schools chosen to grade above their tests. Latent values become
A-F through fixed thresholds calibrated so that a municipality's average merit value lands
around 200-250 and 70-85 % of students pass every subject.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

GRADE_LETTERS = np.array(list("FEDCBA"))
"""Grade letters by step: index 0 is F, 5 is A."""
GRADE_POINT_BY_STEP = np.array([0.0, 10.0, 12.5, 15.0, 17.5, 20.0])
"""Skolverket's grade points by step (F=0 ... A=20)."""
THRESHOLDS = np.array([-1.45, -0.40, 0.0, 0.6, 1.15])
"""Latent cut points between F|E, E|D, D|C, C|B and B|A."""

SUBJECT_EFFECTS: dict[str, tuple[float, float]] = {
    # subject: (difficulty offset, girls' advantage), in latent units
    "BI": (0.0, 0.4),
    "BL": (0.25, 0.72),
    "EN": (0.3, 0.16),
    "FY": (-0.1, 0.24),
    "GE": (0.05, 0.32),
    "HI": (0.0, 0.32),
    "HKK": (0.3, 0.72),
    "IDH": (0.35, -0.08),
    "KE": (-0.1, 0.32),
    "MA": (-0.25, 0.08),
    "MU": (0.3, 0.64),
    "RE": (0.05, 0.56),
    "SH": (0.05, 0.4),
    "SL": (0.25, 0.56),
    "SV": (0.05, 0.72),
    "TK": (0.05, 0.08),
}
"""The 16 subjects of the year-9 certificate (SV or SVA) with their effects."""
SUBJECTS = tuple(sorted(SUBJECT_EFFECTS))
LANGUAGE_CHOICE = "M2"
"""Moderna språk as språkval: the optional 17th merit subject."""
LANGUAGE_CHOICE_EFFECT = (0.1, 0.3)
SECOND_LANGUAGE = "SVA"
"""Svenska som andraspråk, read instead of SV by most students born abroad."""

TEST_SUBJECTS_6 = ("EN", "MA", "SV")
"""National tests in year 6 (SV stands for SV or SVA)."""
TEST_SUBJECTS_9 = ("EN", "MA", "SV")
SCIENCE_TESTS = ("BI", "FY", "KE")
"""Year 9: each school sits one NO test and one SO test a year."""
SOCIAL_TESTS = ("GE", "HI", "RE", "SH")

SUBJECT_NOISE = 0.45
TEST_NOISE = 0.33
GRADE_NOISE = 0.18
LENIENCY = {"MA": 0.22, "HI": 0.15}
"""The everywhere-leniency of teachers' grades over the tests, per subject (default 0.08)."""
DEFAULT_LENIENCY = 0.08
NEWLY_ARRIVED_EFFECT = -0.9
PARENTS_EDUCATION_MEAN = 2.27
"""The national mean of SALSA's parents' education level (2015/16)."""
PARENTS_EDUCATION_EFFECT = 0.55
ABILITY_SD = 0.72


def to_steps(latent: FloatArray) -> npt.NDArray[np.int64]:
    """Grade steps (0 = F ... 5 = A) of latent values."""
    return np.asarray(np.searchsorted(THRESHOLDS, latent), dtype=np.int64)


def base_knowledge(
    ability: FloatArray,
    parents_education: FloatArray,
    newly_arrived: BoolArray,
    school_effect: FloatArray,
) -> FloatArray:
    """Each student's general latent knowledge before subject effects."""
    return np.asarray(
        ABILITY_SD * ability
        + PARENTS_EDUCATION_EFFECT * (parents_education - PARENTS_EDUCATION_MEAN)
        + NEWLY_ARRIVED_EFFECT * newly_arrived
        + school_effect,
        dtype=np.float64,
    )


def subject_knowledge(
    rng: np.random.Generator, base: FloatArray, girl: BoolArray, subject: str
) -> FloatArray:
    """Latent knowledge in one subject (``SVA`` uses SV's effects, ``M2`` its own)."""
    key = "SV" if subject == SECOND_LANGUAGE else subject
    offset, girls = LANGUAGE_CHOICE_EFFECT if key == LANGUAGE_CHOICE else SUBJECT_EFFECTS[key]
    noise = rng.normal(0.0, SUBJECT_NOISE, base.size)
    return np.asarray(base + offset + girls * (girl - 0.5) + noise, dtype=np.float64)


def teacher_grade(
    rng: np.random.Generator, knowledge: FloatArray, subject: str, extra_leniency: FloatArray
) -> npt.NDArray[np.int64]:
    """Steps of the teacher's grade: knowledge, leniency, the school's extra leniency, noise."""
    key = "SV" if subject == SECOND_LANGUAGE else subject
    lenient = LENIENCY.get(key, DEFAULT_LENIENCY) + extra_leniency
    return to_steps(knowledge + lenient + rng.normal(0.0, GRADE_NOISE, knowledge.size))


def test_grade(rng: np.random.Generator, knowledge: FloatArray) -> npt.NDArray[np.int64]:
    """Steps of the national test grade (provbetyg): knowledge read with test noise."""
    return to_steps(knowledge + rng.normal(0.0, TEST_NOISE, knowledge.size))


def takes_language_choice(rng: np.random.Generator, base: FloatArray) -> BoolArray:
    """Whether each student reads moderna språk as språkval (about three in four)."""
    probability = 1.0 / (1.0 + np.exp(-(1.3 + 1.4 * base)))
    return np.asarray(rng.random(base.size) < probability, dtype=np.bool_)
