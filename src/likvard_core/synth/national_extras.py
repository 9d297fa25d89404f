"""Absence, diplomas, incidents and komvux of the national data set (issues #20 and #21).

Drawn with the demo's assumptions (docs/analyses/completion.md and the modules ``absence``,
``diplomas``, ``incidents`` and ``komvux``), each from its own random streams, so the tables the
national data set had before are the same bytes with or without these, and these can be added
to an existing set (``national_dataset(tables=...)``):

- **absence**: every enrolment row (compulsory grades and upper secondary) has an autumn and a
  spring term, drawn by ``absence.term_absence`` from the grade and the parents' education, one
  stream per chunk, school year and years since the cohort's start (a cohort's upper-secondary
  years are drawn again, identically, when its diplomas are drawn);
- **diplomas**: a national-programme span of three years (``national_paths``: a national
  starter who does not leave early, or an introduction student who moved on) gets a diploma
  after its third year with the demo's log-odds (``diplomas.diploma_logit``: mean absence over
  the span, its rise from the first to the third year, born abroad, parents' education), the
  intercept solved per cohort and chunk so that 84 % do; the others get a studiebevis after
  year 3, 30 % of them a diploma one year later and 10 % of the rest two years later. Early
  leavers and introduction spans get nothing, as in the demo, so about 79 % of
  national-programme starters have a diploma within 3 years;
- **incidents**: ``incidents.draw_cases`` per chunk and school year from the units' enrolled
  students, each unit's reporting factor and speed drawn once for the country;
- **komvux**: ``komvux.start_rows`` for every municipality and calendar year (its size: its
  compulsory schools' cohorts relative to the median municipality's; the other-municipality
  providers: the first three municipalities of its county), follow-up by
  ``komvux.followup_rows``. Komvux years are calendar years, the data set's school years'
  numbers, with data up to 31 December of the last (as the demo).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from likvard_core.synth.absence import TermAbsence, term_absence
from likvard_core.synth.diplomas import diploma_logit, draw_diplomas
from likvard_core.synth.incidents import KINDS, draw_cases
from likvard_core.synth.komvux import followup_rows, start_rows
from likvard_core.synth.national_paths import LONGEST, Enrolled, Paths, upper_secondary_paths
from likvard_core.synth.national_world import Country, NationalCohort, national_cohort
from likvard_core.synth.population import rng_for
from likvard_core.synth.upper_secondary import PREPARATORY
from likvard_core.terms import (
    Certificate,
    IncidentKind,
    KomvuxProviderType,
    KomvuxProvision,
    KomvuxStudyType,
)

Columns = dict[str, npt.NDArray[np.generic] | pa.Array]
"""A table's columns: numpy arrays, or Arrow arrays where a value may be missing."""

EXTRA_TABLES = ("absence", "diplomas", "incidents", "komvux_starts", "komvux_followup")
STUDENT_TABLES = ("absence", "diplomas", "incidents")
KOMVUX_TABLES = ("komvux_starts", "komvux_followup")
UPPER_SECONDARY_START = 17
"""A cohort starts upper secondary in the school year ``birth_year + 17`` (grade 10)."""

_KIND_VALUES = dict(
    zip(KINDS, (IncidentKind.STUDENT_TO_STUDENT, IncidentKind.STAFF_TO_STUDENT,
                IncidentKind.DISCRIMINATION, IncidentKind.OTHER), strict=True)
)  # fmt: skip
_PROVIDER_TYPES = {
    "egen regi": KomvuxProviderType.OWN.value,
    "upphandlad": KomvuxProviderType.CONTRACTED.value,
    "annan kommun": KomvuxProviderType.OTHER_PUBLIC.value,
}
_STUDY_TYPES = {"program": KomvuxStudyType.PROGRAMME.value, "kurs": KomvuxStudyType.COURSE.value}
_PROVISIONS = {
    "regional": KomvuxProvision.REGIONAL.value,
    "kommunal": KomvuxProvision.MUNICIPAL.value,
}


def _terms(
    seed: int, chunk: int, year: int, grade: int, group: NationalCohort,
    *, enrolled: Enrolled | None = None,
) -> TermAbsence:  # fmt: skip
    """The absence of the cohort's students in ``grade`` (1-9), or of those ``enrolled`` in
    upper secondary ``grade - 10`` years after its start (rows index ``enrolled.rows``)."""
    rng = rng_for(seed, "national-absence", chunk, year, grade)
    if enrolled is None:
        return term_absence(rng, np.full(group.ids.size, grade, np.int64), group.parents_education)
    stage = 9 + enrolled.grade_year
    return term_absence(rng, stage, group.parents_education[enrolled.rows])


@dataclass(slots=True)
class StudentExtras:
    """Draws absence, diplomas and incidents chunk by chunk, year by year.

    Each cohort's certificates are drawn once and kept until its last possible diploma year
    (three years after its third upper-secondary year) has been written.
    """

    country: Country
    seed: int
    scale: float
    last_year: int
    _certificates: dict[tuple[int, int], Columns] = field(default_factory=dict)
    _factor: npt.NDArray[np.float64] = field(init=False)
    _speed: npt.NDArray[np.float64] = field(init=False)

    def __post_init__(self) -> None:
        rng = rng_for(self.seed, "national-incident-units")
        size = self.country.school_codes.size
        self._factor = rng.lognormal(0.0, 0.6, size)
        self._speed = rng.uniform(4.0, 16.0, size)

    def _cohort(
        self, chunk: int, schools: npt.NDArray[np.int64], birth_year: int
    ) -> NationalCohort:
        return national_cohort(
            self.country, chunk, schools, birth_year, seed=self.seed, scale=self.scale
        )

    def _paths(
        self, chunk: int, schools: npt.NDArray[np.int64], birth_year: int, group: NationalCohort
    ) -> Paths:
        return upper_secondary_paths(
            self.country, chunk, schools, birth_year=birth_year, cohort=group, seed=self.seed
        )

    def rows(
        self, chunk: int, schools: npt.NDArray[np.int64], year: int, tables: tuple[str, ...]
    ) -> dict[str, Columns]:
        """The rows of ``tables`` (of ``STUDENT_TABLES``) for the chunk and school year."""
        out: dict[str, Columns] = {}
        if "absence" in tables or "incidents" in tables:
            absence, students = self._absence(chunk, schools, year)
            if "absence" in tables:
                out["absence"] = absence
            if "incidents" in tables:
                out["incidents"] = self._incidents(chunk, year, students)
        if "diplomas" in tables:
            out["diplomas"] = self._diplomas(chunk, schools, year)
        return out

    def _absence(
        self, chunk: int, schools: npt.NDArray[np.int64], year: int
    ) -> tuple[Columns, npt.NDArray[np.int64]]:
        parts: list[Columns] = []
        students = np.zeros(self.country.school_codes.size, np.int64)
        for grade in range(1, 10 + LONGEST):
            birth_year = year - 7 - grade
            group = self._cohort(chunk, schools, birth_year)
            if grade <= 9:  # noqa: PLR2004  (the last compulsory grade)
                ids, school, enrolled = group.ids, group.school, None
            else:
                enrolled = self._paths(chunk, schools, birth_year, group).enrolled(grade - 10)
                ids, school = group.ids[enrolled.rows], enrolled.school
            students += np.bincount(school, minlength=students.size)
            terms = _terms(self.seed, chunk, year, grade, group, enrolled=enrolled)
            parts.append({
                "school_year": np.full(terms.row.size, year),
                "term": terms.term,
                "student_id": ids[terms.row],
                "school": school[terms.row],
                "scheduled_minutes": terms.scheduled,
                "absent_minutes": terms.absent,
                "unexcused_minutes": terms.unexcused,
            })  # fmt: skip
        return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}, students

    def _incidents(self, chunk: int, year: int, students: npt.NDArray[np.int64]) -> Columns:
        rng = rng_for(self.seed, "national-incidents", chunk, year)
        cases = draw_cases(
            rng, students, self._factor, self._speed, school_year=year, last_year=self.last_year
        )

        def day(values: npt.NDArray[np.int64], done: npt.NDArray[np.bool_]) -> pa.Array:
            return pa.array(values.astype(np.int32), mask=~done).cast(pa.date32())

        words = np.array(KINDS)
        order = np.argsort(words)
        at = order[np.searchsorted(words[order], cases.kind)]
        kinds = np.array([_KIND_VALUES[k].value for k in KINDS])
        return {
            "school": cases.unit,
            "case_id": np.char.add(f"KR-{year}-", np.char.zfill((cases.number + 1).astype(str), 4)),
            "reported_on": day(cases.reported, np.ones(cases.unit.size, bool)),
            "incident_kind": kinds[at],
            "investigated_on": day(cases.investigated, cases.has_investigation),
            "measures_on": day(cases.measures, cases.has_measures),
            "closed_on": day(cases.closed, cases.has_closed),
        }

    def _diplomas(self, chunk: int, schools: npt.NDArray[np.int64], year: int) -> Columns:
        parts = []
        # issued after a national span's third year, up to two years late; the span starts
        # up to two years after the cohort's start (after an introduction programme)
        latest = LONGEST - 1 + 2
        for late in range(latest - 1):
            birth_year = year - 2 - late - UPPER_SECONDARY_START
            certificates = self._certificates_of(chunk, schools, birth_year)
            here = certificates["year"] == year
            parts.append({k: v[here] for k, v in certificates.items()})
        oldest = year - latest - UPPER_SECONDARY_START
        for key in [k for k in self._certificates if k[1] < oldest]:
            del self._certificates[key]
        columns = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
        columns["school_year"] = columns.pop("year")
        return columns

    def _certificates_of(
        self, chunk: int, schools: npt.NDArray[np.int64], birth_year: int
    ) -> Columns:
        key = (chunk, birth_year)
        if key not in self._certificates:
            self._certificates[key] = self._draw_certificates(chunk, schools, birth_year)
        return self._certificates[key]

    def _draw_certificates(
        self, chunk: int, schools: npt.NDArray[np.int64], birth_year: int
    ) -> Columns:
        group = self._cohort(chunk, schools, birth_year)
        start = birth_year + UPPER_SECONDARY_START
        paths = self._paths(chunk, schools, birth_year, group)
        n = group.ids.size
        rates = np.full((LONGEST, n), np.nan)
        for offset in range(LONGEST):
            enrolled = paths.enrolled(offset)
            terms = _terms(self.seed, chunk, start + offset, 10 + offset, group, enrolled=enrolled)
            size = enrolled.rows.size
            absent = np.bincount(terms.row, weights=terms.absent, minlength=size)
            scheduled = np.bincount(terms.row, weights=terms.scheduled, minlength=size)
            rates[offset, enrolled.rows] = absent / np.maximum(scheduled, 1.0)
        rows, first, school, programme = paths.national_spans()
        span = [rates[first + k, rows] for k in range(3)]
        logit = diploma_logit(
            (span[0] + span[1] + span[2]) / 3, span[2] - span[0], group.born_abroad[rows],
            group.parents_education[rows],
        )  # fmt: skip
        draws = draw_diplomas(rng_for(self.seed, "national-diplomas", chunk, birth_year), logit)
        end = start + first + 2
        preparatory = np.isin(programme, list(PREPARATORY))
        kind = np.where(
            preparatory, Certificate.PREPARATORY_DIPLOMA.value, Certificate.VOCATIONAL_DIPLOMA.value
        )
        has_diploma = draws.on_time | draws.late_one | draws.late_two
        issued = np.where(draws.on_time, end, np.where(draws.late_one, end + 1, end + 2))
        missing = ~draws.on_time
        return {
            "year": np.concatenate([end[missing], issued[has_diploma]]),
            "student_id": group.ids[np.concatenate([rows[missing], rows[has_diploma]])],
            "school": np.concatenate([school[missing], school[has_diploma]]),
            "programme_code": np.concatenate([programme[missing], programme[has_diploma]]),
            "certificate": np.concatenate(
                [np.full(int(missing.sum()), Certificate.STUDY_CERTIFICATE.value),
                 kind[has_diploma]]
            ),
        }  # fmt: skip


def _municipality_sizes(country: Country) -> npt.NDArray[np.float64]:
    compulsory = ~country.upper_secondary
    pupils = np.bincount(
        country.school_municipality[compulsory],
        weights=country.cohort_size[compulsory],
        minlength=country.municipality_codes.size,
    )
    pupils = np.maximum(pupils, 1.0)
    return np.asarray(pupils / np.median(pupils), dtype=np.float64)


def komvux_rows(
    country: Country, *, seed: int, years: range, names: dict[str, str]
) -> dict[int, dict[str, Columns]]:
    """Komvux starts and follow-up of every municipality, per calendar year of the start."""
    codes = [str(c) for c in country.municipality_codes]
    sizes = _municipality_sizes(country)
    last = date(max(years), 12, 31)
    counties: dict[str, list[str]] = {}
    for code in codes:
        counties.setdefault(code[:2], []).append(code)
    starts: list[list[str]] = []
    followup: list[list[str]] = []
    for index, code in enumerate(codes):
        hosts = [names.get(m, m) for m in counties[code[:2]][:3]]
        own: list[list[str]] = []
        for year in years:
            own += start_rows(
                rng_for(seed, "national-komvux", code, year), municipality=code,
                name=names.get(code, code), size=float(sizes[index]), year=year, last=last,
                regional_hosts=hosts,
            )  # fmt: skip
        followup += followup_rows(rng_for(seed, "national-komvux-followup", code), own, last)
        starts += own
    start_year = {(r[0], r[1]): int(r[2][:4]) for r in starts}
    out: dict[int, dict[str, Columns]] = {}
    for year in years:
        mine = [r for r in starts if int(r[2][:4]) == year]
        followed = [r for r in followup if start_year[(r[0], r[1])] == year]
        out[year] = {"komvux_starts": _start_columns(mine)}
        if followed:
            out[year]["komvux_followup"] = _followup_columns(followed)
    return out


def _counts(rows: list[list[str]], at: int) -> pa.Array:
    return pa.array([int(r[at]) if r[at] else None for r in rows], pa.int32())


def _start_columns(rows: list[list[str]]) -> Columns:
    def text(at: int) -> npt.NDArray[np.str_]:
        return np.array([r[at] for r in rows], dtype=str)

    return {
        "municipality_code": text(0),
        "start_id": text(1),
        "start_date": text(2).astype("datetime64[D]"),
        "course_code": text(3),
        "course_name": text(4),
        "study_type": np.array([_STUDY_TYPES[r[5]] for r in rows], dtype=str),
        "provider": text(6),
        "provider_type": np.array([_PROVIDER_TYPES[r[7]] for r in rows], dtype=str),
        "provision": np.array([_PROVISIONS[r[8]] for r in rows], dtype=str),
        **{name: _counts(rows, at) for name, at in (
            ("places", 9), ("applicants", 10), ("first_hand", 11), ("eligible", 12),
            ("admitted", 13))},
        "check_date": text(14).astype("datetime64[D]"),
        "enrolled": _counts(rows, 15),
        "completed": _counts(rows, 16),
        "interrupted": _counts(rows, 17),
    }  # fmt: skip


def _followup_columns(rows: list[list[str]]) -> Columns:
    return {
        "municipality_code": np.array([r[0] for r in rows], dtype=str),
        "start_id": np.array([r[1] for r in rows], dtype=str),
        **{name: np.array([int(r[at]) for r in rows]) for name, at in (
            ("months", 2), ("followed_up", 3), ("in_work", 4), ("in_studies", 5))},
    }  # fmt: skip
