"""The quality system: the analysis basis of one organizer, and all municipalities' values.

- ``quality.build_basis``: ``build_basis`` for the largest organizer and the latest year with
  the shared national context of that year already computed (``basis_context``: computed once
  per data version and year and cached by the app, like the release cube), released without
  suppression (the release gate is timed by the app's own benchmarks). Target: under 2 s.
- ``quality.basis_context``: that shared national computation (nation, all municipalities and
  organizers over ten years, the expected-value fits), once per data version and year.
- ``quality.build_basis_cold``: ``build_basis`` without a context (computes the year
  nationally and the organizer's own trend itself).
- ``quality.municipalities_10y``: every municipality's (and the nation's) warehouse
  indicator values for ten school years, all students and by gender, one SQL pass per
  indicator family (``indicator_values``). Target: under 30 s.
- ``quality.pandas_reference``: the same municipal values computed with vectorised pandas
  (``bench/reference/quality.py``) from frames loaded before the clock starts.
"""

from __future__ import annotations

from bench.harness import best_of
from bench.reference.quality import municipality_values_reference, students_reference
from likvard_core.disclosure.aggregate import Level
from likvard_core.quality.basis import SubjectKind
from likvard_core.quality.basis_build import build_basis, without_suppression
from likvard_core.quality.basis_context import basis_context
from likvard_core.quality.catalogue import load_catalogue
from likvard_core.quality.indicators import indicator_values
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
        "SELECT school_year, student_key, school_unit_code, gender, home_municipality_code "
        "FROM enrolments WHERE list_contains($years, school_year) AND grade_year = 9"
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


def run(snapshot: Snapshot, scale: float) -> list[dict[str, object]]:
    """Seconds for one analysis basis, all municipalities x ten years, and the pandas version."""
    del scale
    years = _years(snapshot)
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
    cold_seconds, _ = best_of(
        lambda: build_basis(
            snapshot, catalogue, subject_kind=SubjectKind.ORGANIZER, subject_code=organizer,
            year=years[-1], release=without_suppression,
        ),
        repeat=1,
        warmup=False,
    )  # fmt: skip
    values_seconds, values = best_of(
        lambda: indicator_values(snapshot, years=years, school_units=[], organizers=[]),
        repeat=1,
        warmup=False,
    )
    frames = {
        name: snapshot.query(sql, {"years": years}).to_pandas() for name, sql in _FRAME_SQL.items()
    }
    rows = sum(len(frame) for frame in frames.values())
    pandas_seconds, reference = best_of(
        lambda: municipality_values_reference(
            students_reference(frames["final_grades"], frames["enrolments"])
        ),
        repeat=1,
        warmup=False,
    )
    municipal = values.level(Level.MUNICIPALITY).table  # type: ignore[attr-defined]
    municipalities = len(set(municipal.column("municipality_code").to_pylist()))
    blocks = len(basis.all_blocks())  # type: ignore[attr-defined]
    return [
        {"name": "quality.build_basis", "seconds": basis_seconds, "rows": blocks},
        {"name": "quality.basis_context", "seconds": context_seconds, "rows": rows},
        {"name": "quality.build_basis_cold", "seconds": cold_seconds, "rows": blocks},
        {
            "name": "quality.municipalities_10y",
            "seconds": values_seconds,
            "rows": rows,
            "pandas": "quality.pandas_reference",
            "municipalities": municipalities,
        },
        {"name": "quality.pandas_reference", "seconds": pandas_seconds, "rows": len(reference)},  # type: ignore[arg-type]
    ]


def targets(results: list[dict[str, object]]) -> list[tuple[str, bool, str]]:
    """The issue's targets: basis under 2 s, all municipalities for ten years under 30 s."""
    seconds = {str(r["name"]): float(r["seconds"]) for r in results}  # type: ignore[arg-type]
    checks = []
    if "quality.build_basis" in seconds:
        s = seconds["quality.build_basis"]
        checks.append(
            ("analysis basis, one organizer and year < 2 s", s < BASIS_TARGET, f"{s:.2f} s")
        )
    if "quality.municipalities_10y" in seconds:
        s = seconds["quality.municipalities_10y"]
        checks.append(("all municipalities x ten years < 30 s", s < VALUES_TARGET, f"{s:.2f} s"))
    return checks
