"""The absence early warning evaluated on history, for every starter of the country.

``early_warning.evaluation`` is the product's evaluation as the early-warning page computes it
(``warning_evaluation_table`` with the default rule, every organizer): every
national-programme starter whose three years are over and whose absence is in the data, each
one's absence per term (rate, invalid rate, the term before, the two-term window, the rule's
parts), and per kind of warning and threshold (term 5-30 %, window 5-30 %, invalid 1-10 %, the
combined rule) how many it flagged before the last term, how many of them left without a
diploma (precision, recall) and the median lead time in terms; one SQL query over the
enrolments, diplomas and those starters' absence in the terms of their three years, timed from
the Parquet files. Its
baselines, timed alike (one untimed warm-up, best of three) and checked equal to it in full
(every kind and threshold; n, positives, flagged, true positives, precision, recall, lead time)
before any ratio is written: ``early_warning.pandas_reference``
(``bench/reference/completion.py``: starters, terms and the evaluation written from the
definitions, Parquet reading included), ``early_warning.duckdb_sql`` (the same as plain SQL
an analyst would write) and ``early_warning.bare_scan`` (DuckDB reading exactly the rows and
columns the evaluation reads: the gymnasieskola enrolments, the diplomas and the absence's six
columns). The national data set's absence covers every enrolment row (compulsory and upper
secondary), as the demo's does; upper-secondary paths and diplomas follow the demo's rules
(``likvard_core.synth.national_paths``, ``national_extras``), so the warning has a signal to
find.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from bench.completion import EACH_SQL, bare_scan, paths_of, unit_municipalities
from bench.harness import OUT_DIR, Engine, canonical_frame, compare, national_root, raw_connection
from bench.reference.completion import (
    evaluation,
    read_absence,
    read_diplomas,
    read_upper_secondary,
    starters,
    student_terms,
)
from likvard_core.analytics.completion.evaluation import (
    INVALID_THRESHOLDS,
    THRESHOLDS,
    warning_evaluation_table,
)
from likvard_core.analytics.completion.warning import WarningRule
from likvard_core.warehouse.snapshot import Snapshot

RULE = WarningRule()
TESTS: list[tuple[str, float]] = [
    *(("term", t) for t in THRESHOLDS),
    *(("window", t) for t in THRESHOLDS),
    *(("invalid", t) for t in INVALID_THRESHOLDS),
    ("rule", RULE.level if RULE.level is not None else 0.0),
]
COLUMNS = ["kind", "threshold", "n", "positives", "flagged", "true_positives", "precision",
           "recall", "lead_terms"]  # fmt: skip
ABSENCE_COLUMNS = ("school_year", "term", "student_key", "scheduled_minutes", "absent_minutes",
                   "unexcused_minutes")  # fmt: skip


def _product(snapshot: Snapshot, units: dict[str, str]) -> pd.DataFrame:
    table = warning_evaluation_table(snapshot, RULE, unit_municipalities=units, organizers=None)
    return table.to_pandas()


def _pandas(
    gy_paths: list[Path], diploma_paths: list[Path], absence_paths: list[Path],
    units: dict[str, str],
) -> pd.DataFrame:  # fmt: skip
    gy = read_upper_secondary(gy_paths)
    each = starters(gy, read_diplomas(diploma_paths), units, int(gy["school_year"].max()))
    absence = read_absence(absence_paths)
    terms = student_terms(absence, RULE.params())
    return evaluation(each, terms, TESTS, int(absence["school_year"].min()))


def _tests_sql() -> str:
    return ", ".join(f"('{kind}', {threshold!r}::DOUBLE)" for kind, threshold in TESTS)


ANALYST_SQL = f"""
CREATE OR REPLACE TEMP TABLE evaluation AS
{EACH_SQL.strip()},
t AS (
    SELECT student_key, 2 * school_year + CASE WHEN term = 'VT' THEN 1 ELSE 0 END AS term_index,
           sum(scheduled_minutes)::DOUBLE AS scheduled, sum(absent_minutes)::DOUBLE AS absent,
           sum(unexcused_minutes)::DOUBLE AS invalid
    FROM read_parquet($absence)
    GROUP BY student_key, school_year, term
),
rated AS (
    SELECT t.student_key, t.term_index,
           t.absent / nullif(t.scheduled, 0) AS rate,
           t.invalid / nullif(t.scheduled, 0) AS invalid_rate,
           b.absent / nullif(b.scheduled, 0) AS previous_rate,
           (t.absent + coalesce(b.absent, 0))
               / nullif(t.scheduled + coalesce(b.scheduled, 0), 0) AS window_rate
    FROM t LEFT JOIN t AS b ON b.student_key = t.student_key AND b.term_index = t.term_index - 1
),
history AS (
    SELECT student_key, 2 * start_year AS start_index, 2 * last_3 + 1 AS end_index,
           outcome_3 IN ('certificate', 'interrupted') AS positive
    FROM each
    WHERE programme_group <> 'introduction' AND outcome_3 IS NOT NULL
      AND start_year >= (SELECT min(school_year) FROM read_parquet($absence))
),
seen AS (
    SELECT r.* FROM history AS h JOIN rated AS r
        ON r.student_key = h.student_key
       AND r.term_index >= h.start_index AND r.term_index < h.end_index
),
tests(kind, threshold) AS (VALUES {_tests_sql()}),
first_flags AS (
    SELECT s.student_key, x.kind, x.threshold, min(s.term_index) AS first_index
    FROM seen AS s JOIN tests AS x
      ON (x.kind = 'term' AND s.rate >= x.threshold)
      OR (x.kind = 'window' AND s.previous_rate IS NOT NULL AND s.window_rate >= x.threshold)
      OR (x.kind = 'invalid' AND s.invalid_rate >= x.threshold)
      OR (x.kind = 'rule' AND (coalesce(s.rate >= $level, false)
                               OR coalesce(s.previous_rate IS NOT NULL
                                           AND s.window_rate >= $window_level, false)
                               OR coalesce(s.rate - s.previous_rate >= $rise, false)
                               OR coalesce(s.invalid_rate >= $invalid_level, false)))
    GROUP BY ALL
)
SELECT x.kind, x.threshold, count(*) AS n,
       count(*) FILTER (WHERE h.positive) AS positives,
       count(f.first_index) AS flagged,
       count(f.first_index) FILTER (WHERE h.positive) AS true_positives,
       (count(f.first_index) FILTER (WHERE h.positive))
           / nullif(count(f.first_index), 0) AS precision,
       (count(f.first_index) FILTER (WHERE h.positive))
           / nullif(count(*) FILTER (WHERE h.positive), 0) AS recall,
       median(h.end_index - f.first_index) FILTER (WHERE h.positive)::DOUBLE AS lead_terms
FROM history AS h CROSS JOIN tests AS x
LEFT JOIN first_flags AS f
    ON f.student_key = h.student_key AND f.kind = x.kind AND f.threshold = x.threshold
GROUP BY x.kind, x.threshold;
"""  # fmt: skip
"""The evaluation as plain SQL over the Parquet files (the starters as in the completion
benchmark's SQL)."""


def _analyst_sql(
    gy_paths: list[Path], diploma_paths: list[Path], absence_paths: list[Path],
    units: dict[str, str],
) -> pd.DataFrame:  # fmt: skip
    con = raw_connection()
    try:
        con.register(
            "units",
            pd.DataFrame({"school_unit_code": list(units),
                          "municipality_code": list(units.values())}),
        )  # fmt: skip
        con.execute(
            ANALYST_SQL,
            {
                "enrolments": [str(p) for p in gy_paths],
                "diplomas": [str(p) for p in diploma_paths],
                "absence": [str(p) for p in absence_paths],
                **RULE.params(),
            },
        )
        return con.sql("SELECT * FROM evaluation").df()
    finally:
        con.close()


def _canonical(result: object) -> pd.DataFrame:
    frame = result if isinstance(result, pd.DataFrame) else pd.DataFrame(result)
    frame = frame.copy()
    for column in ("threshold", "precision", "recall", "lead_terms"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return canonical_frame(frame, COLUMNS, ["kind", "threshold"])


def _bare_scan(gy_paths: list[Path], diploma_paths: list[Path], absence_paths: list[Path]) -> int:
    """DuckDB reading the evaluation's rows and columns: the follow-up's and the absence's."""
    columns = ", ".join(f"min({c})" for c in ABSENCE_COLUMNS)
    con = raw_connection()
    try:
        row = con.execute(
            f"SELECT count(*), {columns} FROM read_parquet($files)",
            {"files": [str(p) for p in absence_paths]},
        ).fetchone()
    finally:
        con.close()
    return bare_scan(gy_paths, diploma_paths) + int(row[0] if row else 0)


def run(
    snapshot: Snapshot, scale: float, *, out_dir: Path | None = None
) -> list[dict[str, object]]:
    """The warning's evaluation on history against pandas, plain SQL and the bare scan."""
    root = national_root(scale, out_dir=out_dir or OUT_DIR)
    gy, diplomas = paths_of(root, "enrolments"), paths_of(root, "diplomas")
    absence = paths_of(root, "absence")
    units = unit_municipalities(scale)
    rows = _bare_scan(gy, diplomas, absence)
    return compare(
        Engine("early_warning.evaluation", lambda: _product(snapshot, units), _canonical),
        {
            "pandas": Engine("early_warning.pandas_reference",
                             lambda: _pandas(gy, diplomas, absence, units), _canonical),
            "sql": Engine("early_warning.duckdb_sql",
                          lambda: _analyst_sql(gy, diplomas, absence, units), _canonical),
            "scan": Engine("early_warning.bare_scan",
                           lambda: _bare_scan(gy, diplomas, absence)),
        },
        rows=rows,
        repeat=3,
    )  # fmt: skip


NOTES = " ".join((__doc__ or "").split())
"""The module's description as one paragraph of BENCHMARKS.md."""
