"""One school year of the demo: the 15 October enrolment and every file kind built on it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from likvard_core.synth import grading
from likvard_core.synth.absence import TermAbsence, term_absence
from likvard_core.synth.courses import course_marks
from likvard_core.synth.csvout import Column, write_csv, yes_no
from likvard_core.synth.population import rng_for
from likvard_core.synth.results import Marks, YearResults
from likvard_core.synth.upper_secondary import Admission
from likvard_core.synth.world import World
from likvard_core.terms import SchoolYear

IntArray = npt.NDArray[np.int64]
StrArray = npt.NDArray[np.str_]


@dataclass(frozen=True, slots=True)
class Spans:
    """Upper-secondary enrolments: who, where, which programme, first school year, years."""

    student: IntArray
    school: IntArray
    programme: StrArray
    start: IntArray
    years: IntArray

    def active(self, school_year: int) -> tuple[IntArray, IntArray]:
        """Rows enrolled in ``school_year`` and their upper-secondary grade year."""
        grade = school_year - self.start + 1
        rows = np.flatnonzero((grade >= 1) & (grade <= self.years))
        return rows, grade[rows]


@dataclass(frozen=True, slots=True)
class Enrolled:
    """The 15 October enrolment of one school year, one row per student."""

    student: IntArray
    school: IntArray
    form: StrArray
    grade: IntArray
    programme: StrArray

    @property
    def stage(self) -> IntArray:
        """Grade year counted through: 1-9 compulsory, 10-12 upper secondary."""
        return np.where(self.form == "gymnasieskola", 9 + self.grade, self.grade)


def enrolled(world: World, spans: Spans, school_year: int) -> Enrolled:
    """Compulsory students in years 1-9 plus the active upper-secondary spans."""
    parts = [world.cohort(grade, school_year) for grade in range(1, 10)]
    rows, gy_grade = spans.active(school_year)
    n_comp = sum(part.student.size for part in parts)
    return Enrolled(
        student=np.concatenate([*(p.student for p in parts), spans.student[rows]]),
        school=np.concatenate([*(p.school for p in parts), spans.school[rows]]),
        form=np.array(["grundskola"] * n_comp + ["gymnasieskola"] * rows.size),
        grade=np.concatenate(
            [*(np.full(p.student.size, g) for g, p in enumerate(parts, start=1)), gy_grade]
        ),
        programme=np.concatenate([np.full(n_comp, ""), spans.programme[rows]]),
    )


class YearWriter:
    """Writes one school year's files into ``folder``."""

    def __init__(self, world: World, school_year: int, folder: Path) -> None:
        self.world = world
        self.year = school_year
        self.label = SchoolYear(school_year).label
        self.folder = folder
        self.codes = world.schools.codes()
        self.written: list[tuple[str, Path, int]] = []

    def _write(self, kind: str, columns: dict[str, Column]) -> None:
        path = self.folder / f"{kind}.csv"
        rows = write_csv(path, columns)
        self.written.append((kind, path, rows))

    def _pnr(self, student: IntArray) -> pa.Array:
        return self.world.students.pnr.take(student)

    def enrolments(self, rows: Enrolled) -> None:
        """The 15 October enrolment file."""
        s = self.world.students
        homes = np.array(self.world.municipalities.codes)
        self._write(
            "enrolments",
            {
                "personnummer": self._pnr(rows.student),
                "läsår": np.full(rows.student.size, self.label),
                "skolenhetskod": self.codes[rows.school],
                "huvudman": self.world.schools.organizers()[rows.school],
                "skolform": rows.form,
                "årskurs": rows.grade,
                "program": rows.programme,
                "hemkommun": homes[s.home[rows.student]],
                "kön": np.where(s.male[rows.student], "M", "F"),
                "född utomlands": yes_no(s.born_abroad[rows.student]),
                "nyanländ": yes_no(s.newly_arrived(self.year)[rows.student]),
                "föräldrars utbildningsnivå": s.parents_education[rows.student],
            },
        )

    def absence(self, rows: Enrolled) -> TermAbsence:
        """Minutes of scheduled time and absence per student and term; returns them."""
        rng = rng_for(self.world.seed, "absence", self.year)
        parents = self.world.students.parents_education[rows.student]
        terms = term_absence(rng, rows.stage, parents)
        self._write(
            "absence",
            {
                "personnummer": self._pnr(rows.student[terms.row]),
                "läsår": np.full(terms.row.size, self.label),
                "termin": terms.term,
                "skolenhetskod": self.codes[rows.school[terms.row]],
                "schemalagd tid": terms.scheduled,
                "frånvaro": terms.absent,
                "ogiltig frånvaro": terms.unexcused,
            },
        )
        return terms

    def grades(self, year6: YearResults, year9: YearResults) -> None:
        """Year-6 grades and the year-9 final certificate."""
        marks = [(6, year6.grades), (9, year9.grades)]
        self._write("final_grades", self._marks_columns(marks, "betyg", language=True))

    def tests(self, year6: YearResults, year9: YearResults, course_tests: Marks) -> None:
        """National tests of years 6 and 9 and of the first upper-secondary year (10)."""
        marks = [(6, year6.tests), (9, year9.tests), (10, course_tests)]
        self._write("national_tests", self._marks_columns(marks, "provbetyg", language=False))

    def _marks_columns(
        self, marks: list[tuple[int, Marks]], grade_header: str, *, language: bool
    ) -> dict[str, Column]:
        student = np.concatenate([m.student for _, m in marks])
        columns: dict[str, Column] = {
            "personnummer": self._pnr(student),
            "läsår": np.full(student.size, self.label),
            "skolenhetskod": self.codes[np.concatenate([m.school for _, m in marks])],
            "årskurs": np.concatenate([np.full(m.student.size, g) for g, m in marks]),
            "ämne": np.concatenate([m.subject for _, m in marks]),
            grade_header: grading.GRADE_LETTERS[np.concatenate([m.step for _, m in marks])],
        }
        if language:
            columns["språkval"] = yes_no(np.concatenate([m.language_choice for _, m in marks]))
        return columns

    def course_grades(self, rows: Enrolled) -> Marks:
        """Upper-secondary course grades; returns the first-year course tests as marks."""
        gy = np.flatnonzero(rows.form == "gymnasieskola")
        s = self.world.students
        student, school = rows.student[gy], rows.school[gy]
        base = grading.base_knowledge(
            s.ability[student],
            s.parents_education[student],
            s.newly_arrived(self.year)[student],
            self.world.schools.effect[school],
        )
        marks = course_marks(
            rng_for(self.world.seed, "courses", self.year),
            programme=rows.programme[gy],
            gy_year=rows.grade[gy],
            base=base,
            leniency=self.world.leniency[school],
            second_language=s.second_language[student],
        )
        self._write(
            "course_grades",
            {
                "personnummer": self._pnr(student[marks.row]),
                "läsår": np.full(marks.row.size, self.label),
                "skolenhetskod": self.codes[school[marks.row]],
                "program": rows.programme[gy][marks.row],
                "kurskod": marks.course,
                "poäng": marks.points,
                "betyg": grading.GRADE_LETTERS[marks.step],
            },
        )
        return Marks(
            student=student[marks.test_row],
            school=school[marks.test_row],
            subject=marks.test_course,
            step=marks.test_step,
            language_choice=np.zeros(marks.test_row.size, bool),
        )

    def admissions(self, rounds: list[Admission]) -> None:
        """Every admission round of students starting upper secondary this autumn."""
        s = self.world.students
        student = np.concatenate([r.student for r in rounds])
        homes = np.array(self.world.municipalities.codes)
        self._write(
            "admissions",
            {
                "personnummer": self._pnr(student),
                "antagningsår": np.full(student.size, str(self.year)),
                "antagningsomgång": np.concatenate([r.round_name for r in rounds]),
                "hemkommun": homes[s.home[student]],
                "val": np.concatenate([r.rank for r in rounds]),
                "skolenhetskod": self.codes[np.concatenate([r.school for r in rounds])],
                "program": np.concatenate([r.programme for r in rounds]),
                "antagen": yes_no(np.concatenate([r.admitted for r in rounds])),
            },
        )
