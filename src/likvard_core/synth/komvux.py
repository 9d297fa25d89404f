"""Synthetic komvux starts and follow-up for the demo regions: the two komvux import files.

Every municipality of the demo regions (GR and Skaraborg) offers course and programme starts
twice a year (August and January), in its own provision or through contracted providers,
vocational programmes often as regional yrkesvux. Applicants, admissions, enrolment at a check
date four weeks in, completion and interruption, and for vocational programmes the six-month
follow-up are drawn around course-typical levels, so the pages show söktryck and fill rate
that differ by course and provider type. Starts of the last autumn are still running (no
completed count), and follow-up needs six months after the start's end. Same seed, same bytes.
"""

# ruff: noqa: PLR2004  (a generator is made of numeric model parameters)

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from likvard_core.synth.csvout import Column, write_csv
from likvard_core.synth.population import rng_for
from likvard_core.synth.reference import load_reference

STARTS_FILE = "komvux_starts.csv"
FOLLOWUP_FILE = "komvux_followup.csv"
DEMO_REGIONS = ("GR", "SKARABORG")


@dataclass(frozen=True, slots=True)
class _Course:
    code: str
    name: str
    programme: bool
    pressure: float  # mean applicants per place
    completion: float  # completed among those who did not interrupt
    interruption: float
    work: float  # in work six months after, among those followed up
    weeks: int


COURSES: tuple[_Course, ...] = (
    _Course("VARUSK", "Undersköterska", True, 2.3, 0.88, 0.12, 0.80, 60),
    _Course("BARNSK", "Barnskötare", True, 1.6, 0.86, 0.14, 0.72, 40),
    _Course("ELINST", "Elinstallatör", True, 2.6, 0.84, 0.13, 0.82, 60),
    _Course("BYGGAN", "Bygg och anläggning", True, 1.5, 0.80, 0.18, 0.76, 50),
    _Course("LAGLOG", "Lager och logistik", True, 1.3, 0.85, 0.15, 0.70, 20),
    _Course("RESTKO", "Restaurang och storkök", True, 0.9, 0.78, 0.22, 0.64, 40),
    _Course("BAGKON", "Bageri och konditori", True, 1.1, 0.82, 0.17, 0.60, 40),
    _Course("FORDON", "Fordonsteknik", True, 1.4, 0.80, 0.19, 0.74, 60),
    _Course("CNCOPE", "CNC-operatör", True, 0.8, 0.83, 0.16, 0.78, 30),
    _Course("VVSMON", "VVS-montör", True, 1.8, 0.84, 0.14, 0.81, 50),
    _Course("SVASVA01", "Svenska som andraspråk 1", False, 1.3, 0.75, 0.22, 0.0, 10),
    _Course("MATMAT01a", "Matematik 1a", False, 0.9, 0.72, 0.25, 0.0, 10),
    _Course("ENGENG05", "Engelska 5", False, 1.0, 0.74, 0.22, 0.0, 10),
    _Course("SVESVE01", "Svenska 1", False, 1.1, 0.76, 0.20, 0.0, 10),
)
PROVIDERS = {
    "own": "Lärcentrum {name}",
    "contracted": ("Hermods", "NTI-skolan", "Lernia", "Medlearn", "Astar"),
    "other_public": "Vuxenutbildningen {host}",
}
STARTS_HEADER = (
    "kommun", "kurstillfälle", "startdatum", "kurskod", "kursnamn", "typ", "anordnare",
    "anordnartyp", "kommunal eller regional", "platser", "sökande", "förstahandssökande",
    "behöriga sökande", "antagna", "kontrolldatum", "registrerade", "slutfört", "avbrutit",
)  # fmt: skip
FOLLOWUP_HEADER = ("kommun", "kurstillfälle", "månader", "uppföljda", "i arbete", "i studier")
_TYPE_WORD = {"own": "egen regi", "contracted": "upphandlad", "other_public": "annan kommun"}


def _sizes(reference_dir: Path, municipalities: Sequence[str]) -> dict[str, float]:
    """Each municipality's size as the pupils of its schools, relative to the median."""
    reference = load_reference(reference_dir)
    pupils = dict.fromkeys(municipalities, 0)
    for school in reference.schools:
        if school.municipality_code in pupils:
            pupils[school.municipality_code] += school.pupils
    median = float(np.median([max(p, 1) for p in pupils.values()]))
    return {m: max(p, 1) / median for m, p in pupils.items()}


def _names(reference_dir: Path) -> dict[str, str]:
    import csv  # noqa: PLC0415 (only the demo needs the names)

    with (reference_dir / "municipalities.csv").open(encoding="utf-8") as handle:
        return {row["code"]: row["name"] for row in csv.DictReader(handle)}


def start_rows(
    rng: np.random.Generator, *, municipality: str, name: str, size: float, year: int,
    last: date, regional_hosts: Sequence[str],
) -> list[list[str]]:  # fmt: skip
    """The starts of ``municipality`` (relative ``size``) in calendar year ``year``, as the
    starts file's fields (``STARTS_HEADER``); results empty for starts running at ``last``."""
    rows: list[list[str]] = []
    grant = 1.25 if year in (2021, 2022) else 1.0  # higher state grants: more starts
    number = int(np.clip(round(rng.normal(3 + 4 * np.sqrt(size), 1.5) * grant), 2, 40))
    for index in range(number):
        course = COURSES[int(rng.integers(len(COURSES)))]
        month = 8 if index % 2 == 0 else 1
        start = date(year, month, 15 + int(rng.integers(0, 10)))
        if start > last:
            continue
        kind = str(rng.choice(["own", "contracted", "other_public"], p=[0.5, 0.38, 0.12]))
        if kind == "own":
            provider = str(PROVIDERS["own"]).format(name=name)
        elif kind == "contracted":
            provider = str(rng.choice(PROVIDERS["contracted"]))
        else:
            provider = str(PROVIDERS["other_public"]).format(host=rng.choice(regional_hosts))
        regional = course.programme and rng.random() < 0.6
        low, high = (16, 32) if size > 0.8 else (8, 24)
        places = int(rng.integers(low, high + 1))
        pressure = course.pressure * float(rng.lognormal(0.0, 0.3)) * (1.15 if regional else 1.0)
        applicants = int(rng.poisson(places * pressure))
        first_hand = int(rng.binomial(applicants, 0.55))
        eligible = int(rng.binomial(applicants, 0.72))
        admitted = min(eligible, places + int(rng.integers(0, 3)))
        enrolled = int(rng.binomial(admitted, 0.9))
        check = start + timedelta(days=28)
        end = start + timedelta(weeks=course.weeks)
        interruption = course.interruption + (0.03 if kind == "contracted" else 0.0)
        if end <= last:
            interrupted = int(rng.binomial(enrolled, interruption))
            completed = int(rng.binomial(enrolled - interrupted, course.completion))
            ended = [str(completed), str(interrupted)]
        else:
            ended = ["", ""]
        rows.append([
            municipality, f"{municipality}-{year}-{index + 1:02d}", start.isoformat(), course.code,
            course.name, "program" if course.programme else "kurs", provider, _TYPE_WORD[kind],
            "regional" if regional else "kommunal", str(places), str(applicants),
            str(first_hand), str(eligible), str(admitted), check.isoformat(), str(enrolled),
            *ended,
        ])  # fmt: skip
    return rows


def followup_rows(rng: np.random.Generator, starts: list[list[str]], last: date) -> list[list[str]]:
    """The six-month follow-up of the completed programme starts of ``starts``
    (``FOLLOWUP_HEADER``'s fields)."""
    courses = {c.code: c for c in COURSES}
    rows = []
    for row in starts:
        course = courses[row[3]]
        completed = row[16]
        end = date.fromisoformat(row[2]) + timedelta(weeks=course.weeks)
        if not course.programme or not completed or end + timedelta(days=183) > last:
            continue
        followed = int(rng.binomial(int(completed), 0.82))
        work_share = min(0.95, course.work + (0.06 if row[8] == "regional" else 0.0))
        in_work = int(rng.binomial(followed, work_share))
        in_studies = int(rng.binomial(followed - in_work, 0.35))
        rows.append([row[0], row[1], "6", str(followed), str(in_work), str(in_studies)])
    return rows


def _columns(header: Sequence[str], rows: list[list[str]]) -> dict[str, Column]:
    return {name: np.array([row[i] for row in rows], dtype=str) for i, name in enumerate(header)}


def write_demo_komvux(
    reference_dir: Path, out_dir: Path, *, seed: int, years: range
) -> list[tuple[str, Path, int]]:
    """Write ``komvux_starts.csv`` and ``komvux_followup.csv`` under ``out_dir`` for the demo
    regions' municipalities, starts in the calendar years ``years`` (data up to 31 December of
    the last); returns (kind, path, rows) of each file."""
    reference = load_reference(reference_dir)
    municipalities = [m for r in DEMO_REGIONS for m in reference.regions.get(r, ())]
    sizes = _sizes(reference_dir, municipalities)
    names = _names(reference_dir)
    last = date(max(years), 12, 31)
    starts: list[list[str]] = []
    for region in DEMO_REGIONS:
        members = reference.regions.get(region, ())
        hosts = [names.get(m, m) for m in members[:3]]
        for municipality in members:
            for year in years:
                rng = rng_for(seed, "komvux", municipality, year)
                starts += start_rows(
                    rng, municipality=municipality, name=names.get(municipality, municipality),
                    size=sizes[municipality], year=year, last=last, regional_hosts=hosts,
                )  # fmt: skip
    followup = followup_rows(rng_for(seed, "komvux-followup"), starts, last)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, name, header, rows in (
        ("komvux_starts", STARTS_FILE, STARTS_HEADER, starts),
        ("komvux_followup", FOLLOWUP_FILE, FOLLOWUP_HEADER, followup),
    ):  # fmt: skip
        path = out_dir / name
        written.append((kind, path, write_csv(path, _columns(header, rows))))
    return written
