"""The kept national context: written as derived tables, read back per subject, same basis."""

from __future__ import annotations

import math
from pathlib import Path

import pyarrow as pa
import pytest

from bench.unsuppressed import without_suppression
from likvard_core.analytics.quality.basis import AnalysisBasis, SubjectKind
from likvard_core.analytics.quality.basis_build import build_basis
from likvard_core.analytics.quality.basis_context import basis_context
from likvard_core.analytics.quality.basis_store import (
    ContextKey,
    context_filters,
    context_from_tables,
    context_tables,
)
from likvard_core.analytics.quality.catalogue import load_catalogue
from likvard_core.analytics.quality.indicators import MunicipalityBasis
from likvard_core.warehouse.derived import derived_table, has_derived
from likvard_core.warehouse.snapshot import Snapshot
from tests.core.analytics.quality.tiny_warehouse import tiny_tables

KEY = ContextKey(year=2025, trend_years=2, municipality_basis=MunicipalityBasis.HOME)
VERSION_KEY = "ab12cd34ef56"


@pytest.fixture(scope="module")
def snapshot():
    tables = {**tiny_tables(2025)}
    older = tiny_tables(2024)
    tables = {k: pa.concat_tables([tables[k], older[k]]) for k in tables}
    with Snapshot.from_tables(tables, version="tiny-v1") as db:
        yield db


def _build(db: Snapshot, kind: SubjectKind, code: str, context) -> AnalysisBasis:
    return build_basis(
        db, load_catalogue(), subject_kind=kind, subject_code=code, year=2025,
        release=without_suppression, regions={"R": ["1480", "1401"]}, trend_years=2,
        similar=1, context=context,
    )  # fmt: skip


def _kept(db: Snapshot, root: Path, kind: SubjectKind, code: str) -> tuple:
    """The context as the application reads it: one subject's rows of the kept tables."""
    calls: list[str] = []

    def compute(part: str):
        def run() -> pa.Table:
            calls.append(part)
            return context_tables(basis_context(db, year=2025, trend_years=2))[part]

        return run

    tables = {
        part: pa.concat_tables(
            [
                derived_table(
                    root,
                    VERSION_KEY,
                    f"quality_context_{part}",
                    {"y": 2025},
                    compute(part),
                    filters=filters,
                )
                for filters in alternatives
            ]
        )
        for part, alternatives in context_filters(kind, code).items()
    }
    context = context_from_tables(tables, KEY, version=db.version, school_municipalities=None)
    return context, tables, calls


def _num(value: float | None) -> float | None:
    """Rounded for comparison; a missing value (None or NaN) as None."""
    return None if value is None or math.isnan(value) else round(value, 9)


def _figures(basis: AnalysisBasis) -> list[tuple]:
    return [
        (
            block.indicator.code,
            _num(block.value.value),
            block.value.n,
            tuple(_num(c.figure.value) for c in block.comparisons),
            tuple(_num(p.figure.value) for p in block.trend),
            _num(block.expectation.expected.value) if block.expectation else None,
        )
        for block in basis.all_blocks()
    ]


@pytest.mark.parametrize(("kind", "code"), [(SubjectKind.ORGANIZER, "O1"),
                                            (SubjectKind.SCHOOL_UNIT, "U3"),
                                            (SubjectKind.REGION, "R")])  # fmt: skip
def test_kept_slice_gives_the_same_basis_as_the_whole_context(snapshot, tmp_path, kind, code):
    whole = _build(snapshot, kind, code, basis_context(snapshot, year=2025, trend_years=2))
    context, tables, calls = _kept(snapshot, tmp_path, kind, code)
    kept = _build(snapshot, kind, code, context)
    assert _figures(kept) == _figures(whole)
    assert any(f[1] is not None for f in _figures(kept))
    # Only the subject's own rows are read besides the national levels.
    levels = set(tables["values"].column("level").to_pylist())
    own = {"organizer"} if kind is SubjectKind.ORGANIZER else set()
    own |= {"school_unit", "unit_organizer"} if kind is SubjectKind.SCHOOL_UNIT else set()
    assert levels - {"municipality", "organizer_municipality", "nation"} == own
    assert set(tables["values"].filter(
        pa.compute.is_in(tables["values"].column("level"), pa.array(sorted(own), pa.string()))
    ).column("code").to_pylist()) <= {code}  # fmt: skip
    # Every part computed once on the first read, then read from disk.
    assert calls
    again = _kept(snapshot, tmp_path, kind, code)
    assert again[2] == []
    assert has_derived(tmp_path, VERSION_KEY, "quality_context_values", {"y": 2025})
