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
- ``quality.pandas_reference``: the same values (grade and test indicators at the same four
  levels, the same enrolment join) computed with vectorised pandas
  (``bench/reference/quality.py``) from frames loaded before the clock starts.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import cast

import pyarrow as pa

from bench.harness import best_of
from bench.reference.quality import municipality_values_reference, students_reference
from likvard_core.disclosure.aggregate import Level
from likvard_core.quality.basis import AnalysisBasis, SubjectKind
from likvard_core.quality.basis_build import build_basis, without_suppression
from likvard_core.quality.basis_context import BasisContext, basis_context
from likvard_core.quality.basis_store import (
    ContextKey,
    context_filters,
    context_from_tables,
    context_tables,
)
from likvard_core.quality.catalogue import load_catalogue
from likvard_core.quality.indicators import MunicipalityBasis, indicator_values
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
    with tempfile.TemporaryDirectory() as root:
        keep_seconds, _ = best_of(
            lambda: _kept_basis(
                snapshot, Path(root), organizer, years[-1], cast(BasisContext, context)
            ),
            repeat=1,
            warmup=False,
        )
        kept_seconds, _ = best_of(
            lambda: _kept_basis(snapshot, Path(root), organizer, years[-1], None), repeat=3
        )
    cold_seconds, _ = best_of(
        lambda: build_basis(
            snapshot, catalogue, subject_kind=SubjectKind.ORGANIZER, subject_code=organizer,
            year=years[-1], release=without_suppression,
        ),
        repeat=1,
        warmup=False,
    )  # fmt: skip
    values_seconds, values = best_of(
        lambda: indicator_values(snapshot, years=years),
        repeat=1,
        warmup=False,
    )
    frames = {
        name: snapshot.query(sql, {"years": years}).to_pandas() for name, sql in _FRAME_SQL.items()
    }
    rows = sum(len(frame) for frame in frames.values())
    pandas_seconds, reference = best_of(
        lambda: municipality_values_reference(
            students_reference(
                frames["final_grades"], frames["enrolments"], frames["national_tests"]
            )
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
        {"name": "quality.build_basis_kept", "seconds": kept_seconds, "rows": blocks},
        {"name": "quality.keep_context", "seconds": keep_seconds, "rows": blocks},
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
