"""Survey indices at national scale: every index of every school unit of a national survey.

A national round of GR's pupil survey (version 2025) is drawn from the national data set:
every pupil of years 5 and 8 in grundskola in its latest school year answers with probability
0.6,
each question of the version (the municipal add-on question left out) a draw on its scale
with blanks and "vet ej"; at scale 1 about 1 M answers (rows of respondent × question) in one
Parquet file of the ``survey_answers`` schema (written once, untimed).

``surveys.unit_indices`` is the product: ``respondent_indices`` (the definition's item scores
joined to the answers in DuckDB, one row per respondent and index) and ``index_aggregate`` per
school unit (n, mean, interval, response rate against the enrolments), as the region page
computes them, timed from the Parquet file. The survey's response-rate threshold is set to 0
here, so that every unit's value is compared (the rates are still computed). Its baselines,
timed alike (one untimed warm-up, best of three) and checked equal to it in full (n and index
value of every unit and index) before any ratio is written: ``surveys.pandas_reference``
(``bench/reference/surveys.py``: the same item scores merged in pandas from the same file and
columns), ``surveys.duckdb_sql`` (the same as one plain SQL query an analyst would write) and
``surveys.bare_scan`` (DuckDB reading exactly the rows and columns the computation reads).
The enrolments behind the response rates are counted once, untimed, for every engine alike.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from bench.harness import OUT_DIR, Engine, canonical_frame, compare, raw_connection
from bench.reference.surveys import read_answers, unit_indices
from likvard_core.analytics.surveys.definition import SurveyVersion
from likvard_core.analytics.surveys.index import respondent_indices, scores_table
from likvard_core.analytics.surveys.registry import definition_get
from likvard_core.analytics.surveys.results import RESPONDENTS_SQL, index_aggregate
from likvard_core.disclosure.aggregate import Level
from likvard_core.warehouse.schema import SURVEY_ANSWERS
from likvard_core.warehouse.snapshot import Snapshot

KEY = "gr-elev/2025"
YEAR_GROUPS = [5, 8]
RESPONSE = 0.6
SEED = 2025
FILE = "batches/surveys/survey_answers/national.parquet"
CANONICAL = ["school_unit_code", "index_key", "n", "index_value"]


def _version() -> SurveyVersion:
    version = definition_get(KEY)
    assert version is not None, KEY
    return dataclasses.replace(
        version, thresholds=dataclasses.replace(version.thresholds, response_rate=0.0)
    )


def _pupils(snapshot: Snapshot) -> tuple[int, pa.Table]:
    year = int(snapshot.query("SELECT max(school_year) AS y FROM enrolments")["y"][0].as_py())
    pupils = snapshot.query(
        """SELECT student_key, school_unit_code, organizer_code, home_municipality_code, gender,
                  grade_year
           FROM enrolments WHERE school_year = $year AND school_form = 'grundskola'
             AND grade_year IN (SELECT unnest($groups)) ORDER BY student_key""",
        {"year": year, "groups": YEAR_GROUPS},
    )
    return year, pupils


def write_answers(snapshot: Snapshot, root: Path, version: SurveyVersion) -> tuple[int, Path]:
    """The national survey's answers as one Parquet file under ``root`` (kept between runs)."""
    path = root / FILE
    year, pupils = _pupils(snapshot)
    if path.exists():
        return year, path
    rng = np.random.default_rng(SEED)
    chosen = pupils.filter(pa.array(rng.random(pupils.num_rows) < RESPONSE))
    questions = [q for q in version.questions if not q.municipalities]
    people = chosen.num_rows
    columns: dict[str, list[pa.Array]] = {n: [] for n in SURVEY_ANSWERS.schema.names}
    keys = pa.array([f"r{i:07d}" for i in range(people)], pa.string())
    for question in questions:
        scale = version.scales[question.scale]
        points = np.array([p.value for p in scale.points], dtype=np.int16)
        values = points[rng.integers(0, len(points), people)].astype(float)
        if scale.dont_know is not None:
            values[rng.random(people) < 0.04] = scale.dont_know
        values[rng.random(people) < 0.03] = np.nan
        for name, array in (
            ("survey_key", pa.array([version.survey] * people, pa.string())),
            ("version", pa.array([version.version] * people, pa.string())),
            ("school_year", pa.array(np.full(people, year, np.int16))),
            ("respondent_key", keys),
            ("school_unit_code", chosen.column("school_unit_code").combine_chunks()),
            ("year_group", chosen.column("grade_year").combine_chunks().cast(pa.int8())),
            ("gender", chosen.column("gender").combine_chunks()),
            ("question_code", pa.array([question.code] * people, pa.string())),
            ("value", pa.array(values, pa.float64(), from_pandas=True).cast(pa.int16())),
            ("batch_id", pa.array(["bench"] * people, pa.string())),
        ):
            columns[name].append(array)
    table = pa.table(
        {n: pa.concat_arrays(a) for n, a in columns.items()}, schema=SURVEY_ANSWERS.schema
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, compression="zstd")
    return year, path


def _places(pupils: pa.Table) -> dict[str, tuple[str, str]]:
    """School unit to (organizer, municipality: its pupils' most common home municipality)."""
    frame = pupils.select(["school_unit_code", "organizer_code", "home_municipality_code"])
    counts = frame.to_pandas().value_counts().reset_index()
    first = counts.drop_duplicates("school_unit_code")
    return {
        str(r.school_unit_code): (str(r.organizer_code), str(r.home_municipality_code))
        for r in first.itertuples()
    }


def _eligible(snapshot: Snapshot, year: int) -> pa.Table:
    return snapshot.query(
        """SELECT school_year, school_unit_code, grade_year::TINYINT AS year_group,
                  count(*) AS eligible
           FROM enrolments WHERE school_year = $year AND school_form = 'grundskola'
             AND grade_year IN (SELECT unnest($groups)) GROUP BY ALL""",
        {"year": year, "groups": YEAR_GROUPS},
    )


def _product(
    survey: Snapshot, version: SurveyVersion, eligible: pa.Table, places: dict[str, tuple[str, str]]
) -> pa.Table:
    respondents = respondent_indices(survey, version)
    answered = survey.query(RESPONDENTS_SQL, {"survey": version.survey, "version": version.version})
    return index_aggregate(
        respondents, eligible, answered, version=version, level=Level.SCHOOL_UNIT,
        places=places, scope="bench/national", data_version="bench",
    ).table  # fmt: skip


ANALYST_SQL = """
WITH scores AS (
    SELECT unnest($index_keys) AS index_key, unnest($codes) AS question_code,
           unnest($values)::SMALLINT AS value, unnest($scores)::DOUBLE AS score,
           unnest($minimums)::INTEGER AS min_answered
), per_respondent AS (
    SELECT a.respondent_key, a.school_unit_code, s.index_key, avg(s.score) AS index_value,
           count(*) AS items, min(s.min_answered) AS minimum
    FROM read_parquet($path) AS a
    JOIN scores AS s ON s.question_code = a.question_code AND s.value = a.value
    WHERE a.survey_key = $survey AND a.version = $version
    GROUP BY ALL
)
SELECT school_unit_code, index_key, count(*) AS n, avg(index_value) AS index_value
FROM per_respondent WHERE items >= minimum GROUP BY ALL
"""


def _analyst_sql(path: Path, version: SurveyVersion) -> pd.DataFrame:
    scores = scores_table(version)
    params = {
        "index_keys": scores.column("index_key").to_pylist(),
        "codes": scores.column("question_code").to_pylist(),
        "values": scores.column("value").to_pylist(),
        "scores": scores.column("score").to_pylist(),
        "minimums": scores.column("min_answered").to_pylist(),
        "survey": version.survey, "version": version.version, "path": str(path),
    }  # fmt: skip
    with raw_connection() as con:
        return con.execute(ANALYST_SQL, params).df()


def _bare_scan(path: Path, version: SurveyVersion) -> int:
    with raw_connection() as con:
        con.execute(
            """CREATE TEMP TABLE scanned AS SELECT respondent_key, school_unit_code,
                      question_code, value FROM read_parquet($path)
               WHERE survey_key = $survey AND version = $version""",
            {"path": str(path), "survey": version.survey, "version": version.version},
        )
        return int(con.execute("SELECT count(*) FROM scanned").fetchone()[0])  # type: ignore[index]


def _canonical(result: object) -> pd.DataFrame:
    frame = result.to_pandas() if isinstance(result, pa.Table) else result
    assert isinstance(frame, pd.DataFrame)
    return canonical_frame(frame, CANONICAL, ["school_unit_code", "index_key"])


def run(
    snapshot: Snapshot, scale: float, *, out_dir: Path | None = None
) -> list[dict[str, object]]:
    """Every index of every school unit of a national survey, against pandas, SQL and the scan."""
    version = _version()
    root = (out_dir or OUT_DIR) / f"surveys-{scale:g}"
    year, path = write_answers(snapshot, root, version)
    _, pupils = _pupils(snapshot)
    places = _places(pupils)
    eligible = _eligible(snapshot, year)
    rows = _bare_scan(path, version)
    scores = scores_table(version)
    with Snapshot(root, {"survey_answers": (FILE,)}, "bench-surveys") as survey:
        return compare(
            Engine("surveys.unit_indices",
                   lambda: _product(survey, version, eligible, places), _canonical),
            {
                "pandas": Engine("surveys.pandas_reference", lambda: unit_indices(
                    read_answers(path, survey=version.survey, version=version.version), scores),
                    _canonical),
                "sql": Engine("surveys.duckdb_sql", lambda: _analyst_sql(path, version),
                              _canonical),
                "scan": Engine("surveys.bare_scan", lambda: _bare_scan(path, version)),
            },
            rows=rows,
            repeat=3,
            units=len(set(pupils.column("school_unit_code").to_pylist())),
        )  # fmt: skip


NOTES = " ".join((__doc__ or "").split())
"""The module's description as one paragraph of BENCHMARKS.md."""
