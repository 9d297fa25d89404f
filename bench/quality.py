"""The quality system: the analysis basis of one organizer, and all municipalities' values.

- ``quality.build_basis``: ``build_basis`` for the largest organizer and the latest year with
  the shared national context of that year already computed (``basis_context``: computed once
  per data version and year and cached by the app, like the release cube), released without
  suppression (the release gate is timed by the app's own benchmarks). Target: under 2 s.
- ``quality.basis_context``: that shared national computation (nation, all municipalities and
  organizers over ten years, the expected-value fits), once per data version and year.
- ``quality.build_basis_kept``: the same basis as the application builds it: the organizer's
  slice of the context kept on disk per data version (``basis_store``, derived tables) read
  back and narrowed. Target: under 2 s.
- ``quality.keep_context``: writing the computed context as derived tables and building the
  first basis from them (after ``basis_context``: the cold first request costs both).
- ``quality.build_basis_cold``: ``build_basis`` without a context (computes the year
  nationally and the organizer's own trend itself).
- ``quality.municipalities_10y``: every municipality's (and the nation's, each school unit's
  and organizer's) warehouse indicator values for ten school years, all students and by
  gender: one SQL pass over grades and tests, one over absence (``indicator_values``).
  Target: under 30 s.
- Its baselines, timed alike (one warm-up, best of two) and checked equal to it on every
  value (level, code, year, group, indicator, n, value; the absence indicator, which the
  baselines do not compute, left out) before any ratio is written:
  ``quality.pandas_reference``: the same values computed with vectorised pandas
  (``bench/reference/quality.py``), reading the same Parquet files with the same filters
  inside its time; ``quality.duckdb_sql``: the same values as one plain SQL statement an
  analyst would write (window functions for the merit value, GROUPING SETS for the levels);
  ``quality.bare_scan``: DuckDB reading exactly the rows and columns the values read.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import cast

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from bench.harness import Engine, best_of, canonical_frame, compare, national_files, national_root
from bench.reference.quality import (
    CORE,
    MERIT_SUBJECTS,
    SCIENCE,
    SOCIAL,
    municipality_values_reference,
    students_reference,
)
from bench.unsuppressed import without_suppression
from likvard_core.analytics.quality.basis import AnalysisBasis, SubjectKind
from likvard_core.analytics.quality.basis_build import build_basis
from likvard_core.analytics.quality.basis_context import BasisContext, basis_context
from likvard_core.analytics.quality.basis_store import (
    ContextKey,
    context_filters,
    context_from_tables,
    context_tables,
)
from likvard_core.analytics.quality.catalogue import load_catalogue
from likvard_core.analytics.quality.indicators import MunicipalityBasis, indicator_values
from likvard_core.disclosure.aggregate import Level
from likvard_core.terms import GRADE_POINTS, GRADE_STEPS
from likvard_core.warehouse.derived import derived_table
from likvard_core.warehouse.snapshot import Snapshot

BASIS_TARGET = 2.0
VALUES_TARGET = 30.0
YEARS = 10

_FRAME_SQL = {
    "final_grades": (
        "SELECT school_year, student_key, school_unit_code, grade_year, subject_code, grade, "
        "language_choice FROM final_grades WHERE grade_year = 9 AND list_contains($years, "
        "school_year)"
    ),
    "enrolments": (
        "SELECT school_year, student_key, school_unit_code, organizer_code, gender, "
        "home_municipality_code FROM enrolments WHERE list_contains($years, school_year)"
    ),
    "national_tests": (
        "SELECT school_year, student_key, school_unit_code, grade_year, subject_code, test_grade "
        "FROM national_tests WHERE grade_year = 9 AND list_contains($years, school_year)"
    ),
}


def _years(snapshot: Snapshot) -> list[int]:
    last = int(snapshot.query("SELECT max(school_year) AS y FROM final_grades")["y"][0].as_py())
    return list(range(last - YEARS + 1, last + 1))


def _largest_organizer(snapshot: Snapshot, year: int) -> str:
    table = snapshot.query(
        "SELECT organizer_code, count(*) AS n FROM enrolments WHERE school_year = $y "
        "AND grade_year = 9 GROUP BY ALL ORDER BY n DESC, organizer_code LIMIT 1",
        {"y": year},
    )
    return str(table["organizer_code"][0].as_py())


def _kept_basis(
    snapshot: Snapshot, root: Path, organizer: str, year: int, context: BasisContext | None
) -> AnalysisBasis:
    """The basis as the application builds it from the context kept on disk: the first call
    (``context`` given) writes the computed context; later calls read the organizer's slice."""
    key = ContextKey(year=year, trend_years=YEARS, municipality_basis=MunicipalityBasis.HOME)
    computed: dict[str, pa.Table] = {}

    def compute(part: str) -> Callable[[], pa.Table]:
        def run() -> pa.Table:
            if context is None:
                raise RuntimeError("the context is kept by the first call")
            if not computed:
                computed.update(context_tables(context))
            return computed[part]

        return run

    tables = {}
    for part, alternatives in context_filters(SubjectKind.ORGANIZER, organizer).items():
        slices = [
            derived_table(
                root, "0123456789abcdef", f"quality_context_{part}", {"year": year},
                compute(part), filters=filters,
            )
            for filters in alternatives
        ]  # fmt: skip
        tables[part] = pa.concat_tables(slices)
    kept = context_from_tables(tables, key, version=snapshot.version, school_municipalities=None)
    return build_basis(
        snapshot, load_catalogue(), subject_kind=SubjectKind.ORGANIZER, subject_code=organizer,
        year=year, release=without_suppression, context=kept,
    )  # fmt: skip


_POINTS = " ".join(f"WHEN '{g}' THEN {p}" for g, p in GRADE_POINTS.items())


_STEPS = " ".join(f"WHEN '{g}' THEN {p}" for g, p in GRADE_STEPS.items())


def _codes(values: set[str]) -> str:
    return ", ".join(f"'{v}'" for v in sorted(values))


ANALYST_SQL = f"""
WITH g AS (
    SELECT school_year, student_key, school_unit_code, subject_code, language_choice,
           CASE grade {_POINTS} END AS pts, CASE grade {_STEPS} END AS step
    FROM final_grades
    WHERE grade_year = 9 AND grade IN ({_codes(set(GRADE_POINTS))})
      AND list_contains($years, school_year)
),
lang AS (
    SELECT *, language_choice AND row_number() OVER (
        PARTITION BY school_year, student_key, language_choice ORDER BY pts DESC) = 1
        AS best_lang
    FROM g
),
pool AS (
    SELECT *, row_number() OVER (PARTITION BY school_year, student_key ORDER BY pts DESC) AS r
    FROM lang WHERE NOT best_lang
),
merit AS (
    SELECT school_year, student_key, sum(pts) AS merit_value FROM (
        SELECT school_year, student_key, pts FROM pool WHERE r <= {MERIT_SUBJECTS}
        UNION ALL
        SELECT school_year, student_key, pts FROM lang WHERE best_lang
    ) GROUP BY ALL
),
unit AS (
    SELECT school_year, student_key, school_unit_code FROM (
        SELECT school_year, student_key, school_unit_code, count(*) AS c FROM g GROUP BY ALL
    )
    QUALIFY row_number() OVER (PARTITION BY school_year, student_key
                               ORDER BY c DESC, school_unit_code) = 1
),
per AS (
    SELECT school_year, student_key,
           bool_and(pts > 0) AS passed_all, bool_or(pts > 0) AS any_pass,
           bool_or(pts > 0 AND subject_code IN ('SV', 'SVA')) AS sv,
           bool_or(pts > 0 AND subject_code = 'EN') AS en,
           bool_or(pts > 0 AND subject_code = 'MA') AS ma,
           count_if(pts > 0 AND subject_code NOT IN ({_codes(CORE)})) AS other,
           count_if(pts > 0 AND subject_code IN ({_codes(SOCIAL)})) AS social,
           count_if(pts > 0 AND subject_code IN ({_codes(SCIENCE)})) AS science
    FROM g GROUP BY ALL
),
students AS (
    SELECT p.school_year, u.school_unit_code, e.organizer_code, e.home_municipality_code,
           CASE e.gender WHEN 'F' THEN 'girls' WHEN 'M' THEN 'boys' ELSE 'unknown' END AS grp,
           p.passed_all, p.any_pass,
           CASE WHEN p.any_pass THEN m.merit_value ELSE 0 END AS merit_num,
           p.sv AND p.en AND p.ma AND p.other >= 5 AS eligible_vocational,
           p.sv AND p.en AND p.ma AND p.other >= 9 AS eligible_es,
           p.sv AND p.en AND p.ma AND p.other >= 9 AND p.social = {len(SOCIAL)}
               AS eligible_ek_hu_sa,
           p.sv AND p.en AND p.ma AND p.other >= 9 AND p.science = {len(SCIENCE)}
               AS eligible_na_te
    FROM per p
    JOIN unit u USING (school_year, student_key)
    LEFT JOIN merit m USING (school_year, student_key)
    LEFT JOIN enrolments e
        ON e.school_year = p.school_year AND e.student_key = p.student_key
       AND e.school_unit_code = u.school_unit_code
),
pairs AS (
    SELECT g.school_year, g.student_key, count(*) AS pairs,
           count_if(g.step > CASE t.test_grade {_STEPS} END) AS higher,
           min(g.school_unit_code) AS school_unit_code
    FROM g JOIN national_tests t USING (school_year, student_key, subject_code)
    WHERE t.grade_year = 9 AND t.test_grade IN ({_codes(set(GRADE_STEPS))})
    GROUP BY ALL
),
tested AS (
    SELECT p.school_year, p.school_unit_code, e.organizer_code, e.home_municipality_code,
           CASE e.gender WHEN 'F' THEN 'girls' WHEN 'M' THEN 'boys' ELSE 'unknown' END AS grp,
           p.pairs, p.higher
    FROM pairs p LEFT JOIN enrolments e
        ON e.school_year = p.school_year AND e.student_key = p.student_key
       AND e.school_unit_code = p.school_unit_code
),
graded_sums AS (
    SELECT school_year, school_unit_code, organizer_code, home_municipality_code, grp,
           GROUPING(school_unit_code, organizer_code, home_municipality_code, grp) AS gid,
           count(*) AS n, sum(passed_all::INT) AS passed_all, sum(any_pass::INT) AS any_pass,
           sum(merit_num) AS merit_num, sum(eligible_vocational::INT) AS eligible_vocational,
           sum(eligible_es::INT) AS eligible_es, sum(eligible_ek_hu_sa::INT) AS eligible_ek_hu_sa,
           sum(eligible_na_te::INT) AS eligible_na_te
    FROM students
    GROUP BY GROUPING SETS (
        (school_year, school_unit_code), (school_year, school_unit_code, grp),
        (school_year, organizer_code), (school_year, organizer_code, grp),
        (school_year, home_municipality_code), (school_year, home_municipality_code, grp),
        (school_year), (school_year, grp))
),
tested_sums AS (
    SELECT school_year, school_unit_code, organizer_code, home_municipality_code, grp,
           GROUPING(school_unit_code, organizer_code, home_municipality_code, grp) AS gid,
           count(*) AS n, sum(pairs) AS pairs, sum(higher) AS higher
    FROM tested
    GROUP BY GROUPING SETS (
        (school_year, school_unit_code), (school_year, school_unit_code, grp),
        (school_year, organizer_code), (school_year, organizer_code, grp),
        (school_year, home_municipality_code), (school_year, home_municipality_code, grp),
        (school_year), (school_year, grp))
),
labelled AS (
    SELECT *, CASE WHEN gid >> 1 = 3 THEN 'school_unit' WHEN gid >> 1 = 5 THEN 'organizer'
                   WHEN gid >> 1 = 6 THEN 'municipality' ELSE 'nation' END AS level,
           coalesce(school_unit_code, organizer_code, home_municipality_code, 'nation') AS code,
           CASE WHEN gid % 2 = 1 THEN NULL ELSE grp END AS "group"
    FROM graded_sums
),
tested_labelled AS (
    SELECT *, CASE WHEN gid >> 1 = 3 THEN 'school_unit' WHEN gid >> 1 = 5 THEN 'organizer'
                   WHEN gid >> 1 = 6 THEN 'municipality' ELSE 'nation' END AS level,
           coalesce(school_unit_code, organizer_code, home_municipality_code, 'nation') AS code,
           CASE WHEN gid % 2 = 1 THEN NULL ELSE grp END AS "group"
    FROM tested_sums
),
kept AS (
    SELECT * FROM labelled
    WHERE NOT (level <> 'nation' AND code = 'nation')
),
tested_kept AS (
    SELECT * FROM tested_labelled
    WHERE NOT (level <> 'nation' AND code = 'nation')
)
SELECT level, code, school_year, "group", 'gr9_pass_all' AS indicator, n,
       100.0 * passed_all / n AS value FROM kept
UNION ALL SELECT level, code, school_year, "group", 'gr9_eligible_vocational', n,
       100.0 * eligible_vocational / n FROM kept
UNION ALL SELECT level, code, school_year, "group", 'gr9_eligible_es', n,
       100.0 * eligible_es / n FROM kept
UNION ALL SELECT level, code, school_year, "group", 'gr9_eligible_ek_hu_sa', n,
       100.0 * eligible_ek_hu_sa / n FROM kept
UNION ALL SELECT level, code, school_year, "group", 'gr9_eligible_na_te', n,
       100.0 * eligible_na_te / n FROM kept
UNION ALL SELECT level, code, school_year, "group", 'gr9_merit_value', n,
       CASE WHEN any_pass > 0 THEN merit_num / any_pass END FROM kept
UNION ALL SELECT level, code, school_year, "group", 'gr9_test_vs_grade', n,
       100.0 * higher / pairs FROM tested_kept
"""
"""The warehouse indicators at the four levels, as plain SQL an analyst would write by hand."""

_LEVEL_NAMES = {
    Level.SCHOOL_UNIT: ("school_unit", "school_unit_code"),
    Level.ORGANIZER: ("organizer", "organizer_code"),
    Level.MUNICIPALITY: ("municipality", "municipality_code"),
    Level.NATION: ("nation", None),
}
_COLUMNS = ["level", "code", "school_year", "group", "indicator", "n", "value"]


def _canonical(result: object) -> pd.DataFrame:
    """Every engine's values as one frame: level, code, year, group, indicator, n, value."""
    if isinstance(result, pd.DataFrame):
        frame = result
    elif isinstance(result, pa.Table):
        frame = result.to_pandas()
    else:
        parts = []
        for level, (name, column) in _LEVEL_NAMES.items():
            table = result.level(level).table.to_pandas()  # type: ignore[attr-defined]
            table = table[table["indicator"] != "gr_absence"]
            code = table[column] if column else "nation"
            parts.append(table.assign(level=name, code=code))
        frame = pd.concat(parts, ignore_index=True)
    frame = frame.assign(
        group=frame["group"].where(frame["group"].notna(), "(alla)"),
        value=pd.to_numeric(frame["value"], errors="coerce").astype("float64"),
    )
    return canonical_frame(frame, _COLUMNS, ["level", "code", "school_year", "group", "indicator"])


def _scan(snapshot: Snapshot, years: list[int]) -> int:
    """DuckDB reading exactly the rows and columns the values read, once."""
    rows = 0
    for sql in _FRAME_SQL.values():
        columns = sql.split("SELECT ", 1)[1].split(" FROM ", 1)[0]
        mins = ", ".join(f"min({c.strip()})" for c in columns.split(","))
        rest = sql.split(" FROM ", 1)[1]
        table = snapshot.query(f"SELECT count(*) AS n, {mins} FROM {rest}", {"years": years})
        rows += int(table["n"][0].as_py())
    return rows


def _pandas(root: Path, years: list[int]) -> pd.DataFrame:
    """Load the Parquet files with the same filters and compute the values in pandas."""
    files = national_files(root)
    frames = {}
    for name, sql in _FRAME_SQL.items():
        columns = [c.strip() for c in sql.split("SELECT ", 1)[1].split(" FROM ", 1)[0].split(",")]
        filters: list[tuple[str, str, object]] = [("school_year", "in", years)]
        if "grade_year" in columns and name != "enrolments":
            filters.append(("grade_year", "=", 9))
        paths = [str(root / p) for p in files[name]]
        frames[name] = pq.read_table(paths, columns=columns, filters=filters).to_pandas()
    return municipality_values_reference(
        students_reference(frames["final_grades"], frames["enrolments"], frames["national_tests"])
    )


def run(snapshot: Snapshot, scale: float) -> list[dict[str, object]]:
    """Seconds for one analysis basis, all municipalities x ten years, and its baselines."""
    years = _years(snapshot)
    root = national_root(scale)
    catalogue = load_catalogue()
    organizer = _largest_organizer(snapshot, years[-1])
    context_seconds, context = best_of(
        lambda: basis_context(snapshot, year=years[-1], trend_years=YEARS),
        repeat=1,
        warmup=False,
    )
    basis_seconds, basis = best_of(
        lambda: build_basis(
            snapshot, catalogue, subject_kind=SubjectKind.ORGANIZER, subject_code=organizer,
            year=years[-1], release=without_suppression, context=context,  # type: ignore[arg-type]
        ),
        repeat=3,
    )  # fmt: skip
    with tempfile.TemporaryDirectory() as kept_root:
        keep_seconds, _ = best_of(
            lambda: _kept_basis(
                snapshot, Path(kept_root), organizer, years[-1], cast(BasisContext, context)
            ),
            repeat=1,
            warmup=False,
        )
        kept_seconds, _ = best_of(
            lambda: _kept_basis(snapshot, Path(kept_root), organizer, years[-1], None), repeat=3
        )
    cold_seconds, _ = best_of(
        lambda: build_basis(
            snapshot, catalogue, subject_kind=SubjectKind.ORGANIZER, subject_code=organizer,
            year=years[-1], release=without_suppression,
        ),
        repeat=1,
        warmup=False,
    )  # fmt: skip
    rows = _scan(snapshot, years)
    values = compare(
        Engine("quality.municipalities_10y", lambda: indicator_values(snapshot, years=years),
               _canonical),
        {
            "pandas": Engine("quality.pandas_reference", lambda: _pandas(root, years),
                             _canonical),
            "sql": Engine("quality.duckdb_sql",
                          lambda: snapshot.query(ANALYST_SQL, {"years": years}), _canonical),
            "scan": Engine("quality.bare_scan", lambda: _scan(snapshot, years)),
        },
        rows=rows,
        repeat=2,
    )  # fmt: skip
    blocks = len(basis.all_blocks())  # type: ignore[attr-defined]
    return [
        {"name": "quality.build_basis", "seconds": basis_seconds, "rows": blocks},
        {"name": "quality.basis_context", "seconds": context_seconds, "rows": rows},
        {"name": "quality.build_basis_kept", "seconds": kept_seconds, "rows": blocks},
        {"name": "quality.keep_context", "seconds": keep_seconds, "rows": blocks},
        {"name": "quality.build_basis_cold", "seconds": cold_seconds, "rows": blocks},
        *values,
    ]


NOTES = " ".join((__doc__ or "").split())
"""The module's description as one paragraph of BENCHMARKS.md."""


def targets(results: list[dict[str, object]]) -> list[tuple[str, bool, str]]:
    """The issue's targets: basis under 2 s, all municipalities for ten years under 30 s."""
    seconds = {str(r["name"]): float(r["seconds"]) for r in results}  # type: ignore[arg-type]
    checks = []
    if "quality.build_basis_kept" in seconds:
        s = seconds["quality.build_basis_kept"]
        checks.append(
            (
                "analysis basis, one organizer and year, context kept on disk < 2 s",
                s < BASIS_TARGET,
                f"{s:.2f} s",
            )
        )
    if "quality.municipalities_10y" in seconds:
        s = seconds["quality.municipalities_10y"]
        checks.append(("all municipalities x ten years < 30 s", s < VALUES_TARGET, f"{s:.2f} s"))
    return checks
