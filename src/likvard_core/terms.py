"""Value types and code lists shared by the core and the Django apps.

Choices are ``StrEnum``s so that the Django models can map them to ``TextChoices``
and the warehouse can store their plain string values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class SchoolForm(StrEnum):
    """Skolform. Values follow Skolverket's abbreviations where they exist."""

    PRESCHOOL = "forskola"
    PRESCHOOL_CLASS = "forskoleklass"
    COMPULSORY = "grundskola"
    COMPULSORY_ADAPTED = "anpassad_grundskola"
    UPPER_SECONDARY = "gymnasieskola"
    UPPER_SECONDARY_ADAPTED = "anpassad_gymnasieskola"
    ADULT = "komvux"
    SFI = "sfi"


class OrganizerType(StrEnum):
    """Huvudmannatyp."""

    MUNICIPAL = "kommunal"
    PRIVATE = "enskild"
    STATE = "statlig"
    REGION = "region"
    INTERNATIONAL = "internationell"  # Skolverket's "Internationella skolor"


class Gender(StrEnum):
    """Legal gender as registered (kön). Statistics use girls/boys."""

    FEMALE = "F"
    MALE = "M"


class Group(StrEnum):
    """Breakdown groups used in published statistics."""

    ALL = "all"
    GIRLS = "girls"
    BOYS = "boys"


class ValueStatus(StrEnum):
    """Why a released value is what it is (as Skolverket's APIs mark values)."""

    EXISTS = "exists"
    MISSING = "missing"  # '.' no students / no data
    TOO_FEW = "too_few"  # '..' suppressed: fewer than the minimum group
    ROUNDED = "rounded"  # '~100' and the like
    NOT_APPLICABLE = "not_applicable"  # '-'
    SUPPRESSED_COMPLEMENTARY = "suppressed_complementary"  # hidden to protect another cell
    WITHDRAWN = "withdrawn"  # the publication level is withdrawn by an administrator


class AdmissionRound(StrEnum):
    """Antagningsomgång."""

    PRELIMINARY = "preliminar"
    FINAL = "slutlig"
    RESERVE = "reserv"


class Certificate(StrEnum):
    """What an upper-secondary student leaves with (gymnasieexamen or studiebevis)."""

    PREPARATORY_DIPLOMA = "preparatory_diploma"  # högskoleförberedande examen
    VOCATIONAL_DIPLOMA = "vocational_diploma"  # yrkesexamen
    DIPLOMA = "diploma"  # gymnasieexamen, type not stated by the export
    STUDY_CERTIFICATE = "study_certificate"  # studiebevis: no diploma

    @classmethod
    def diplomas(cls) -> tuple[str, ...]:
        """The values that are a gymnasieexamen."""
        return (cls.PREPARATORY_DIPLOMA.value, cls.VOCATIONAL_DIPLOMA.value, cls.DIPLOMA.value)


class IncidentKind(StrEnum):
    """What a reported incident was (the case systems' categories, Skollagen 6 kap.)."""

    STUDENT_TO_STUDENT = "student_to_student"  # kränkning elev mot elev
    STAFF_TO_STUDENT = "staff_to_student"  # kränkning av personal mot elev
    DISCRIMINATION = "discrimination"  # diskriminering eller trakasserier
    OTHER = "other"


GRADE_POINTS: dict[str, float] = {"A": 20.0, "B": 17.5, "C": 15.0, "D": 12.5, "E": 10.0, "F": 0.0}
"""Grade points for the A-F scale (Skolverket)."""

GRADE_STEPS: dict[str, int] = {"F": 0, "E": 1, "D": 2, "C": 3, "B": 4, "A": 5}
"""Grade steps used when comparing a test grade with a final grade."""

NATIONAL_TESTS_NOT_HELD: frozenset[int] = frozenset({2020, 2021})
"""School years (by spring year) without national tests: 2019/20 and 2020/21, when Skolverket
cancelled them during the pandemic (shared reference on statistics; the published tables have
no test results for those years)."""


def national_tests_held(spring: int) -> bool:
    """True when the national tests were held in the school year ending in spring ``spring``."""
    return spring not in NATIONAL_TESTS_NOT_HELD


FIRST_SCHOOL_YEAR = 1990
LAST_SCHOOL_YEAR = 2100
_MUNICIPALITY = re.compile(r"^\d{4}$")
_SCHOOL_UNIT = re.compile(r"^\d{8}$")


def school_year_label(spring: int) -> str:
    """A school year as Swedish statistics write it, by its spring year: ``2025`` is ``2024/25``."""
    return f"{spring - 1}/{spring % 100:02d}"


@dataclass(frozen=True, slots=True)
class SchoolYear:
    """A school year named by its spring year: ``SchoolYear(2025)`` is 2024/25 (läsår)."""

    spring: int

    def __post_init__(self) -> None:
        if not FIRST_SCHOOL_YEAR <= self.spring <= LAST_SCHOOL_YEAR:
            raise ValueError(f"school year out of range: {self.spring}")

    @property
    def label(self) -> str:
        """The Swedish label, e.g. ``2024/25``."""
        return school_year_label(self.spring)

    @classmethod
    def parse(cls, text: str) -> SchoolYear:
        """Parse ``2024/25``, ``2024/2025``, ``2025`` or ``VT2025``."""
        cleaned = text.strip().upper().removeprefix("VT").removeprefix("HT")
        match = re.fullmatch(r"(\d{4})\s*[/-]\s*(\d{2}|\d{4})", cleaned)
        if match:
            return cls(int(match.group(1)) + 1)
        if re.fullmatch(r"\d{4}", cleaned):
            return cls(int(cleaned))
        raise ValueError(f"not a school year: {text!r}")


class KomvuxStudyType(StrEnum):
    """What a komvux start is: one course, or a programme of courses (yrkespaket)."""

    COURSE = "course"
    PROGRAMME = "programme"


class KomvuxProviderType(StrEnum):
    """Who runs a komvux start (anordnare): the municipality itself, a contracted provider
    (upphandlad anordnare) or another municipality or a region by agreement."""

    OWN = "own"  # egen regi
    CONTRACTED = "contracted"  # upphandlad extern anordnare
    OTHER_PUBLIC = "other_public"  # annan kommun eller region genom avtal


class KomvuxProvision(StrEnum):
    """Whether a start is the municipality's own supply or part of regional yrkesvux."""

    MUNICIPAL = "municipal"
    REGIONAL = "regional"
