"""The analysis basis on the tiny warehouse: figures, comparisons, suppression (its files are
tested in tests/app/quality/test_basis_document.py)."""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from bench.unsuppressed import without_suppression
from likvard_core.analytics.quality.basis import AnalysisBasis, SubjectKind
from likvard_core.analytics.quality.basis_build import build_basis
from likvard_core.analytics.quality.catalogue import load_catalogue
from likvard_core.analytics.quality.charts import trend_chart
from likvard_core.disclosure.aggregate import Aggregate
from likvard_core.terms import ValueStatus
from likvard_core.warehouse.snapshot import Snapshot
from tests.core.analytics.quality.tiny_warehouse import tiny_tables


@dataclass(frozen=True)
class _Released:
    table: pa.Table
    data_version: str
    source: str


def _hide_small(aggregate: Aggregate) -> _Released:
    """A stand-in release gate: rows with n < 3 become '..' with no figures."""
    table = aggregate.table
    n = table.column(aggregate.count)
    small = pc.fill_null(pc.less(n, 3), False)
    columns = {}
    for name in table.column_names:
        column = table.column(name)
        if name in aggregate.values or name == aggregate.count:
            column = pc.if_else(small, pa.scalar(None, column.type), column)
        columns[name] = column
    status = pc.if_else(small, ValueStatus.TOO_FEW.value, ValueStatus.EXISTS.value)
    return _Released(pa.table({**columns, "status": status}), aggregate.data_version, "test")


def _basis(release=without_suppression) -> AnalysisBasis:
    tables = {**tiny_tables(2025)}
    older = tiny_tables(2024)
    tables = {k: pa.concat_tables([tables[k], older[k]]) for k in tables}
    with Snapshot.from_tables(tables, version="tiny-v1") as db:
        return build_basis(
            db, load_catalogue(), subject_kind=SubjectKind.ORGANIZER, subject_code="O1",
            year=2025, release=release, subject_name="Testkommunen",
            regions={"R": ["1480", "1401"]}, trend_years=2, similar=1,
        )  # fmt: skip


@pytest.fixture(scope="module")
def basis() -> AnalysisBasis:
    return _basis()


@pytest.fixture(scope="module")
def hidden() -> AnalysisBasis:
    return _basis(_hide_small)


def _block(basis: AnalysisBasis, code: str):
    return next(b for b in basis.all_blocks() if b.indicator.code == code)


def test_figures_comparisons_and_trend(basis):
    merit = _block(basis, "gr9_merit_value")
    assert merit.value.value == pytest.approx((180 + 225 + 260) / 3)
    assert merit.value.n == 3
    assert merit.value.data_version == "tiny-v1"
    nation = next(c for c in merit.comparisons if c.kind == "nation")
    assert nation.figure.value == pytest.approx(240.0)
    region = next(c for c in merit.comparisons if c.kind == "region")
    assert region.figure.value == pytest.approx(240.0)  # home municipalities 1480 + 1401 = all
    assert [p.school_year for p in merit.trend] == [2024, 2025]
    assert merit.by_group["girls"].value == pytest.approx(220.0)
    assert basis.comparison_group is not None
    assert len(basis.comparison_group.members) == 1
    assert {s.goal.school_form for s in basis.goals} == {"grundskola", "gymnasieskola"}
    assert basis.subject_name == "Testkommunen"
    safety = _block(basis, "safety")
    assert safety.indicator.kolada_kpi == "N15643"  # the 2025 revision
    assert not safety.value.shown


def test_suppressed_cells_carry_status_never_a_value(hidden):
    merit = _block(hidden, "gr9_merit_value")
    assert merit.value.shown  # n = 3
    girls = merit.by_group["girls"]
    assert girls.status == ValueStatus.TOO_FEW.value
    assert girls.value is None
    assert girls.mark == ".."


def test_chart_definition_has_only_shown_values(hidden):
    merit = _block(hidden, "gr9_merit_value")
    spec = trend_chart(merit)
    assert spec["$schema"].endswith("v5.json")
    values = [row["värde"] for row in spec["data"]["values"]]
    assert all(v is not None for v in values)
    assert len(spec["layer"]) == 2


def test_cached_context_gives_the_same_basis(basis):
    from likvard_core.analytics.quality.basis_context import basis_context

    tables = {**tiny_tables(2025)}
    older = tiny_tables(2024)
    tables = {k: pa.concat_tables([tables[k], older[k]]) for k in tables}
    with Snapshot.from_tables(tables, version="tiny-v1") as db:
        context = basis_context(db, year=2025, trend_years=2)
        cached = build_basis(
            db, load_catalogue(), subject_kind=SubjectKind.ORGANIZER, subject_code="O1",
            year=2025, release=without_suppression, subject_name="Testkommunen",
            regions={"R": ["1480", "1401"]}, similar=1, context=context,
        )  # fmt: skip
    for cold_block, warm_block in zip(basis.all_blocks(), cached.all_blocks(), strict=True):
        assert cold_block.indicator.code == warm_block.indicator.code
        assert cold_block.value.value == warm_block.value.value
        assert [c.figure.value for c in cold_block.comparisons] == pytest.approx(
            [c.figure.value for c in warm_block.comparisons], nan_ok=True
        )
        assert [p.figure.value for p in cold_block.trend] == [
            p.figure.value for p in warm_block.trend
        ]


def test_python_regions_equal_the_sql_regions():
    from likvard_core.analytics.quality.indicators import indicator_values
    from likvard_core.analytics.quality.narrow import narrow_values
    from likvard_core.disclosure.aggregate import Level

    regions = {"R": ["1480"], "S": ["1480", "1401"]}
    with Snapshot.from_tables(tiny_tables(), version="tiny") as db:
        in_sql = indicator_values(db, years=[2025], regions=regions)
        national = indicator_values(db, years=[2025])
    in_python = narrow_values(national, regions=regions)
    key = ["region_code", "indicator", "school_year", "group"]
    left = in_sql.level(Level.REGION).table.sort_by([(k, "ascending") for k in key]).to_pylist()
    right = in_python.level(Level.REGION).table.sort_by([(k, "ascending") for k in key]).to_pylist()
    assert len(left) == len(right) > 0
    for a, b in zip(left, right, strict=True):
        assert {k: a[k] for k in key} == {k: b[k] for k in key}
        assert a["n"] == b["n"]
        assert a["value"] == pytest.approx(b["value"], nan_ok=True)
        assert a["ci_low"] == pytest.approx(b["ci_low"], nan_ok=True)


def test_chart_names_school_years_as_people_write_them(hidden):
    merit = _block(hidden, "gr9_merit_value")
    spec = trend_chart(merit)
    domain = spec["encoding"]["x"]["scale"]["domain"]
    assert domain == [f"{p.school_year - 1}/{p.school_year % 100:02d}" for p in merit.trend]
    assert all(row["läsår"] in domain for row in spec["data"]["values"])
