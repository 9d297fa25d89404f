"""The demo's GR surveys: a vendor result file per surveyed year and survey, the pupils' and
the guardians' (added, never changing the other demo files).

Respondents are drawn from the year's enrolments (the version's year groups at GR's school
units; for the guardians' survey each pupil's guardians, two for three pupils in four and one
for the rest, each answering on their own, no gender): each school has a response rate (pupils
mostly around 80 %, guardians around 55 %, a few schools low, so the reporting threshold
shows), a school climate effect and each pupil a disposition; answers are
a logistic draw on the scale, reversed items inverted, with some "vet ej" and blanks. Same
seed: same bytes.
"""

# ruff: noqa: PLR2004  (a generator is made of numeric model parameters)

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import numpy as np

from likvard_core.analytics.surveys.definition import Respondents, SurveyVersion
from likvard_core.analytics.surveys.registry import builtin_definitions
from likvard_core.synth.population import rng_for
from likvard_core.synth.reference import load_reference
from likvard_core.terms import SchoolYear

FILE_NAME = "survey_answers.csv"
SURVEYS = {"gr-elev": FILE_NAME, "gr-vh": f"vardnadshavare/{FILE_NAME}"}
"""GR's surveys in the demo and each one's file in a school year's folder: the pupils' and
the guardians' (one level down, where the demo's scan of a year's files does not look)."""
REGION = "GR"
Pupil = tuple[int, str, str]
"""(grade, gender, born abroad) of one enrolled pupil."""
FIXED = ["enkät", "respondent", "läsår", "skolenhetskod", "årskurs", "kön"]


def _pupils(path: Path, units: set[str], groups: tuple[int, ...]) -> dict[str, list[Pupil]]:
    """(grade, gender, born abroad) of each pupil per school unit in ``units``."""
    out: dict[str, list[Pupil]] = defaultdict(list)
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            grade = row["årskurs"]
            if row["skolform"] != "grundskola" or not grade.isdigit():
                continue
            if int(grade) in groups and row["skolenhetskod"] in units:
                out[row["skolenhetskod"]].append((int(grade), row["kön"], row["född utomlands"]))
    return out


def _answer(rng: np.random.Generator, version: SurveyVersion, code: str, latent: float) -> str:
    question = version.question(code)
    scale = version.scales[question.scale]
    points = [p.value for p in scale.points]  # most positive first
    if rng.random() < 0.03:
        return ""
    if scale.dont_know is not None and rng.random() < 0.04:
        return str(scale.dont_know)
    level = latent if not question.reverse else -latent
    # cut points of a logistic model: a higher latent gives a more positive answer
    cuts = np.linspace(-1.2, 1.2, len(points) - 1)
    rank = int(np.sum(level + rng.logistic(0, 0.8) < cuts))  # 0 = most positive
    return str(points[min(rank, len(points) - 1)])


def _rows(
    rng: np.random.Generator,
    version: SurveyVersion,
    pupils: dict[str, list[Pupil]],
    municipalities: dict[str, str],
) -> list[list[str]]:
    offsets = {q.code: rng.normal(0.3, 0.3) for q in version.questions}
    guardians = version.respondents is Respondents.GUARDIANS
    rows = []
    for unit in sorted(pupils):
        low = rng.random() < 0.12
        rate = rng.beta(2, 6) if low else (rng.beta(5, 4) if guardians else rng.beta(8, 2))
        climate = rng.normal(0, 0.5)
        people = [
            (f"{number}-{g}" if guardians else str(number), grade, gender, abroad)
            for number, (grade, gender, abroad) in enumerate(pupils[unit], start=1)
            for g in range((2 if rng.random() < 0.75 else 1) if guardians else 1)
        ]  # a pupil's guardians answer on their own (at most two: the rate's denominator)
        for key, grade, gender, abroad in people:
            if rng.random() >= rate:
                continue
            person = rng.normal(0, 0.8) - (0.25 if grade == 8 else 0.0)
            cells = [
                version.key,
                f"{unit}-{key}",
                SchoolYear(int(version.version)).label,
                unit,
                str(grade),
                "" if guardians else gender,
            ]
            for question in version.questions:
                if question.background:
                    cells.append("2" if abroad == "ja" else "1")
                elif (
                    question.municipalities and municipalities[unit] not in question.municipalities
                ):
                    cells.append("")
                else:
                    latent = 0.6 + climate + person + offsets[question.code]
                    cells.append(_answer(rng, version, question.code, latent))
            rows.append(cells)
    return rows


def write_demo_surveys(
    reference_dir: Path, out_dir: Path, *, seed: int, years: range
) -> list[tuple[int, Path, int]]:
    """Write ``<läsår>/survey_answers.csv`` for each GR survey version in ``years`` (once);
    (school year, path, respondents) of each file."""
    reference = load_reference(reference_dir)
    members = set(reference.regions.get(REGION, ()))
    municipalities = {s.code: s.municipality_code for s in reference.schools}
    units = {code for code, m in municipalities.items() if m in members}
    written = []
    for version in builtin_definitions().values():
        year = int(version.version)
        if version.survey not in SURVEYS or year not in years:
            continue
        folder = out_dir / SchoolYear(year).label.replace("/", "-")
        path = folder / SURVEYS[version.survey]
        pupils = _pupils(folder / "enrolments.csv", units, version.year_groups)
        rows = _rows(rng_for(seed, "survey", version.key), version, pupils, municipalities)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle, delimiter=";", lineterminator="\n")
                writer.writerow([*FIXED, *version.question_codes])
                writer.writerows(rows)
        written.append((year, path, len(rows)))
    return written
