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

Importing the same answers as a vendor delivers them: the file ``survey_answers.csv`` (written
once, untimed) has one row per respondent and a column per question (``enkät;respondent;läsår;
skolenhetskod;årskurs;kön;F1;…``, blanks for unanswered), about 1 M answers at scale 1.
``surveys.import`` is the product: ``ingest_file`` of kind ``survey_answers`` + ``stage_batch``,
what ``batch_import`` does without the app database (content hash, reading, the header checked
against the version's questions, every cell validated against the definition: survey, school
year, known school unit, year group, gender, a value of the question's scale; respondent ids
hashed; the long rows written as zstd Parquet with fsync). ``surveys.import_pandas_reference``
(``bench/reference/survey_import.py``) reads the file with pandas and makes the same checks and
the same long rows; its rows are checked equal to the product's in full (every respondent,
question and value) before any ratio. ``surveys.import_duckdb_read`` is DuckDB's bare
``CREATE TABLE AS SELECT * FROM read_csv(...)`` of the file (no validation, the wide rows).
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
import uuid
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from bench.harness import OUT_DIR, Engine, canonical_frame, compare, raw_connection
from bench.reference.survey_import import import_answers
from bench.reference.surveys import read_answers, unit_indices
from likvard_core.analytics.surveys.definition import SurveyVersion
from likvard_core.analytics.surveys.index import respondent_indices, scores_table
from likvard_core.analytics.surveys.registry import definition_get
from likvard_core.analytics.surveys.results import RESPONDENTS_SQL, index_aggregate
from likvard_core.disclosure.aggregate import Level
from likvard_core.ingest import ingest_file
from likvard_core.warehouse.schema import SURVEY_ANSWERS
from likvard_core.warehouse.snapshot import Snapshot
from likvard_core.warehouse.writer import stage_batch

KEY = "gr-elev/2025"
YEAR_GROUPS = [5, 8]
RESPONSE = 0.6
SEED = 2025
FILE = "batches/surveys/survey_answers/national.parquet"
CANONICAL = ["school_unit_code", "index_key", "n", "index_value"]
VENDOR_FILE = "vendor/survey_answers.csv"
KEY_BYTES = b"benchmark-pseudonym-key-0123456789"
IMPORTED = ["respondent_key", "school_year", "school_unit_code", "year_group", "gender",
            "question_code", "value"]  # fmt: skip


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


def write_vendor_file(root: Path, answers: Path, version: SurveyVersion) -> tuple[Path, int]:
    """The national answers as a vendor's wide CSV under ``root`` (kept between runs), and its
    number of answers (respondents × question columns)."""
    path = root / VENDOR_FILE
    codes = [q.code for q in version.questions if not q.municipalities]
    with raw_connection() as con:
        respondents = int(
            con.execute(  # type: ignore[index]
                "SELECT count(DISTINCT respondent_key) FROM read_parquet($p)", {"p": str(answers)}
            ).fetchone()[0]
        )
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            cells = ", ".join(
                f"coalesce(max(value) FILTER (question_code = '{c}')::VARCHAR, '') AS {c}"
                for c in codes
            )
            con.execute(
                f"""COPY (
                    SELECT survey_key || '/' || version AS "enkät", respondent_key AS respondent,
                           (school_year - 1)::VARCHAR || '/'
                               || lpad((school_year % 100)::VARCHAR, 2, '0') AS "läsår",
                           school_unit_code AS skolenhetskod,
                           coalesce(year_group::VARCHAR, '') AS "årskurs",
                           coalesce(gender, '') AS "kön", {cells}
                    FROM read_parquet('{answers}') GROUP BY ALL ORDER BY respondent
                ) TO '{path}' (HEADER, DELIMITER ';', QUOTE '')"""
            )
    return path, respondents * len(codes)


def _import(path: Path, units: frozenset[str], warehouse: Path) -> pa.Table:
    """Import the vendor file as ``batch_import`` does: validate, hash, stage as Parquet."""
    batch_id = uuid.uuid4().hex
    result = ingest_file(
        path, "survey_answers", pseudonym_key=KEY_BYTES, known_school_units=units,
        batch_id=batch_id,
    )  # fmt: skip
    if result.issues:
        raise RuntimeError("; ".join(issue.format_cli() for issue in result.issues[:5]))
    stage_batch(warehouse, batch_id, result.tables)
    shutil.rmtree(warehouse / "batches" / batch_id)
    return result.tables["survey_answers"]


def _bare_read(path: Path) -> int:
    with raw_connection() as con:
        reader = f"read_csv('{path}', delim=';', header=true)"
        con.execute(f"CREATE TABLE imported AS SELECT * FROM {reader}")
        return int(con.execute("SELECT count(*) FROM imported").fetchone()[0])  # type: ignore[index]


def _imported_canonical(result: object) -> pd.DataFrame:
    frame = result.to_pandas() if isinstance(result, pa.Table) else result
    assert isinstance(frame, pd.DataFrame)
    out = frame[IMPORTED].copy()
    for column in ("school_year", "year_group", "value"):
        out[column] = pd.to_numeric(out[column]).astype("float64")
    for column in ("respondent_key", "school_unit_code", "gender", "question_code"):
        out[column] = out[column].astype(object).where(out[column].notna(), "").astype(str)
    return out.sort_values(["respondent_key", "question_code"], ignore_index=True)


def run_import(answers: Path, root: Path, units: frozenset[str]) -> list[dict[str, object]]:
    """Importing about 1 M answers from a vendor's file, against pandas and DuckDB's read."""
    version = definition_get(KEY)
    assert version is not None, KEY
    path, rows = write_vendor_file(root, answers, version)
    with tempfile.TemporaryDirectory(dir=root) as warehouse:
        return compare(
            Engine("surveys.import", lambda: _import(path, units, Path(warehouse)),
                   _imported_canonical),
            {
                "pandas": Engine("surveys.import_pandas_reference",
                                 lambda: import_answers(path, version, units),
                                 _imported_canonical),
                "scan": Engine("surveys.import_duckdb_read", lambda: _bare_read(path)),
            },
            rows=rows,
            repeat=3,
        )  # fmt: skip


def run(
    snapshot: Snapshot, scale: float, *, out_dir: Path | None = None
) -> list[dict[str, object]]:
    """Every index of every school unit of a national survey, against pandas, SQL and the scan;
    then importing its answers from a vendor's file, against pandas and DuckDB's read."""
    version = _version()
    root = (out_dir or OUT_DIR) / f"surveys-{scale:g}"
    year, path = write_answers(snapshot, root, version)
    _, pupils = _pupils(snapshot)
    places = _places(pupils)
    eligible = _eligible(snapshot, year)
    rows = _bare_scan(path, version)
    scores = scores_table(version)
    units = frozenset(pupils.column("school_unit_code").to_pylist())
    with Snapshot(root, {"survey_answers": (FILE,)}, "bench-surveys") as survey:
        indices = compare(
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
            units=len(units),
        )  # fmt: skip
    return indices + run_import(path, root, units)


NOTES = " ".join((__doc__ or "").split())
"""The module's description as one paragraph of BENCHMARKS.md."""
