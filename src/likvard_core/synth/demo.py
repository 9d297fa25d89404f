"""The demo region: GR's 13 and Skaraborg's 15 municipalities, written as import files.

``demo_region_files`` draws a synthetic population, sends it through compulsory school and
upper-secondary admission, and writes per school year the CSV files that the import pipeline
reads (enrolments, final_grades, national_tests, course_grades, absence, admissions,
diplomas, incidents; no
national_tests in 2019/20 and 2020/21, when the tests were not held), SCB-like
population by age for the whole period (``population.csv``), plus a
``ground_truth.json`` with what analyses should find (the schools grading above their tests,
the achieved share studying with another organizer). Same seed, years and scale: same bytes.
"""

# ruff: noqa: PLR2004  (a generator is made of numeric model parameters)

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from likvard_core.synth.demo_year import Spans, YearWriter, enrolled
from likvard_core.synth.diplomas import AbsenceHistory, leaving_certificates, write_certificates
from likvard_core.synth.incidents import write_incidents
from likvard_core.synth.introduction import with_national_moves
from likvard_core.synth.population import rng_for
from likvard_core.synth.population_by_age import FILE_NAME as POPULATION_FILE
from likvard_core.synth.population_by_age import write_population_by_age
from likvard_core.synth.results import Cohort, YearResults, year_results
from likvard_core.synth.upper_secondary import (
    Admission,
    Applicants,
    admit_introduction,
    admit_national,
    applicants,
    region_options,
)
from likvard_core.synth.world import GENEROUS_LENIENCY, World, build_world
from likvard_core.terms import SchoolYear, national_tests_held

BoolArray = npt.NDArray[np.bool_]
GROUND_TRUTH = "ground_truth.json"


@dataclass(frozen=True, slots=True)
class DemoFile:
    """One written import file: its kind, school year, path and number of data rows."""

    kind: str
    school_year: int
    path: Path
    rows: int


@dataclass(frozen=True, slots=True)
class _Entry:
    results: YearResults
    cohort: Cohort
    admissions: list[Admission]
    home_factors: dict[str, float]


def _results(world: World, grade_year: int, school_year: int) -> tuple[YearResults, Cohort]:
    cohort = world.cohort(grade_year, school_year)
    results = year_results(
        rng_for(world.seed, "results", grade_year, school_year),
        cohort,
        grade_year=grade_year,
        school_effect=world.schools.effect,
        leniency=world.leniency,
        test_subjects=world.test_subjects(school_year),
    )
    return results, cohort


def _subset(group: Applicants, mask: BoolArray) -> Applicants:
    return Applicants(
        group.student[mask], group.home[mask], group.merit[mask], group.track[mask],
        group.im_programme[mask],
    )  # fmt: skip


def _entry(world: World, year9: int) -> _Entry:
    results, cohort = _results(world, 9, year9)
    s = world.students
    since = (year9 - 1 - s.birth_year - s.arrival_age)[cohort.student]
    recent = s.born_abroad[cohort.student] & (s.arrival_age[cohort.student] > 0) & (since < 2)
    rng = rng_for(world.seed, "admission", year9)
    group = applicants(
        rng, student=cohort.student, home=s.home[cohort.student], merit=results.merit,
        core_passed=results.core_passed, passed=results.passed, recently_arrived=recent,
    )  # fmt: skip
    region_of = np.array(world.municipalities.regions)[group.home]
    admissions: list[Admission] = []
    factors: dict[str, float] = {}
    for region in world.reference.regions:
        here = region_of == region
        options = region_options(world.schools, world.municipalities, region)
        national, factors[region] = admit_national(
            rng, _subset(group, here & (group.track < 2)), options, schools=world.schools,
            municipalities=world.municipalities, region=region,
        )  # fmt: skip
        intro = admit_introduction(
            rng, _subset(group, here & (group.track == 2)), world.schools, world.municipalities,
            region,
        )  # fmt: skip
        admissions.extend([national, intro])
    return _Entry(results, cohort, admissions, factors)


def _spans(entries: dict[int, _Entry]) -> Spans:
    admissions = [(year, a) for year, entry in entries.items() for a in entry.admissions]
    return Spans(
        student=np.concatenate([a.enrolled_student for _, a in admissions]),
        school=np.concatenate([a.enrolled_school for _, a in admissions]),
        programme=np.concatenate([a.enrolled_programme for _, a in admissions]),
        start=np.concatenate([np.full(a.enrolled_student.size, y + 1) for y, a in admissions]),
        years=np.concatenate([a.years for _, a in admissions]),
    )


def other_organizer_share(world: World, spans: Spans, school_year: int) -> dict[str, float]:
    """Per region: the share of upper-secondary students whose school's organizer is not
    their home municipality (independent schools and other municipalities' schools)."""
    rows, _ = spans.active(school_year)
    student, school = spans.student[rows], spans.school[rows]
    home = np.array(world.municipalities.codes)[world.students.home[student]]
    owner = np.array([unit.organizer_municipality for unit in world.schools.units])[school]
    region = np.array(world.municipalities.regions)[world.students.home[student]]
    return {
        code: round(float(np.mean(home[region == code] != owner[region == code])), 4)
        for code in world.reference.regions
        if (region == code).any()
    }


def _ground_truth(
    world: World, years: range, spans: Spans, entries: dict[int, _Entry], scale: float
) -> dict[str, object]:
    units = world.schools.units
    shares = {str(y): other_organizer_share(world, spans, y) for y in years}
    return {
        "seed": world.seed,
        "scale": scale,
        "school_years": [SchoolYear(y).label for y in years],
        "students": world.students.size,
        "generous_schools": [
            {
                "school_unit_code": units[i].code,
                "name": units[i].name,
                "municipality_code": units[i].municipality_code,
                "school_form": "gymnasieskola" if units[i].programmes else "grundskola",
                "extra_leniency_latent": GENEROUS_LENIENCY,
                "subjects": "all",
            }
            for i in world.generous
        ],
        "other_organizer_share": shares,
        "other_organizer_share_mean": {
            region: round(float(np.mean([s[region] for s in shares.values() if region in s])), 4)
            for region in world.reference.regions
        },
        "home_factor": {
            str(y): {r: round(f, 4) for r, f in entry.home_factors.items()}
            for y, entry in entries.items()
        },
    }


def demo_region_files(
    reference_dir: Path,
    out_dir: Path,
    *,
    seed: int = 2026,
    years: range = range(2016, 2026),
    scale: float = 1.0,
) -> list[DemoFile]:
    """Write the demo's import files under ``out_dir/<läsår>/<kind>.csv``; returns them.

    ``scale`` 1.0 gives about 50 000 students a year. ``out_dir/ground_truth.json`` records
    the schools generated to grade above their tests and the achieved movement shares.
    """
    world = build_world(reference_dir, seed=seed, years=years, scale=scale)
    entries = {y: _entry(world, y) for y in range(min(years) - 3, max(years) + 1)}
    spans = with_national_moves(rng_for(world.seed, "introduction moves"), world, _spans(entries))
    files: list[DemoFile] = []
    history = AbsenceHistory()
    for year in years:
        folder = out_dir / SchoolYear(year).label.replace("/", "-")
        writer = YearWriter(world, year, folder)
        rows = enrolled(world, spans, year)
        writer.enrolments(rows)
        history.add(year, rows, writer.absence(rows))
        course_tests = writer.course_grades(rows)
        year6, _ = _results(world, 6, year)
        writer.grades(year6, entries[year].results)
        if national_tests_held(year):
            writer.tests(year6, entries[year].results, course_tests)
        writer.admissions(entries[year].admissions)
        files.extend(DemoFile(kind, year, path, n) for kind, path, n in writer.written)
        cases = write_incidents(world, rows.school, year, max(years), folder)
        if cases is not None:
            files.append(DemoFile("incidents", year, *cases))
    certificates = leaving_certificates(rng_for(world.seed, "diplomas"), world, spans, history)
    for year in years:
        folder = out_dir / SchoolYear(year).label.replace("/", "-")
        written = write_certificates(world, certificates, year, folder)
        if written is not None:
            files.append(DemoFile("diplomas", year, *written))
    population_years = range(min(years) - 1, max(years) + 1)  # 31 Dec Y: enrolments of Y+1
    out_dir.mkdir(parents=True, exist_ok=True)
    population = out_dir / POPULATION_FILE
    persons = write_population_by_age(world, population_years, population, scale=scale)
    files.append(DemoFile("population", max(years), population, persons))
    truth = _ground_truth(world, years, spans, entries, scale)
    text = json.dumps(truth, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    (out_dir / GROUND_TRUTH).write_text(text, encoding="utf-8")
    return files
