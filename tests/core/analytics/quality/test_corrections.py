"""Issue #5: own regions only, school units named in the population, corrected flags."""

from __future__ import annotations

import re

import pyarrow as pa
import pytest

from bench.unsuppressed import without_suppression
from likvard_core.analytics.quality.assess import (
    CANDIDATE,
    Flag,
    FlagKind,
    corrected_flags,
    flag_comparison,
)
from likvard_core.analytics.quality.basis import AnalysisBasis, SubjectKind
from likvard_core.analytics.quality.basis_build import (
    ReleasedTable,
    build_basis,
)
from likvard_core.analytics.quality.catalogue import indicator_revision, load_catalogue
from likvard_core.disclosure.aggregate import Aggregate, Level
from likvard_core.warehouse.snapshot import Snapshot
from tests.core.analytics.quality.tiny_warehouse import model_tables, tiny_tables

CATALOGUE = load_catalogue()
REGIONS = {"R": ["1480", "1401"], "X": ["9901", "9902"]}  # X does not hold the subject
NAMES = {"R": "Testregionen", "X": "Annan region", "1480": "Göteborg", "1401": "Härryda"}


def _snapshot() -> Snapshot:
    tables = tiny_tables(2025)
    older = tiny_tables(2024)
    return Snapshot.from_tables(
        {k: pa.concat_tables([tables[k], older[k]]) for k in tables}, version="tiny-v1"
    )


def _basis(kind: SubjectKind, code: str, seen: list[Aggregate] | None = None) -> AnalysisBasis:
    def gate(aggregate: Aggregate) -> ReleasedTable:
        if seen is not None:
            seen.append(aggregate)
        return without_suppression(aggregate)

    with _snapshot() as db:
        return build_basis(
            db, CATALOGUE, subject_kind=kind, subject_code=code, year=2025, release=gate,
            regions=REGIONS, trend_years=2, similar=1, names=NAMES,
        )  # fmt: skip


def _region_codes(basis: AnalysisBasis) -> set[str]:
    merit = next(b for b in basis.all_blocks() if b.indicator.code == "gr9_merit_value")
    return {c.label_sv for c in merit.comparisons if c.kind == FlagKind.REGION.value}


def test_organizer_is_compared_with_its_own_region_only():
    assert _region_codes(_basis(SubjectKind.ORGANIZER, "O1")) == {"Testregionen"}


def test_region_is_compared_with_the_nation_not_itself_and_shows_its_members():
    basis = _basis(SubjectKind.REGION, "R")
    assert _region_codes(basis) == set()  # was {"regionen R"}: the region against itself
    merit = next(b for b in basis.all_blocks() if b.indicator.code == "gr9_merit_value")
    assert [c.kind for c in merit.comparisons] == [FlagKind.NATION.value]
    assert basis.members == (("1480", "Göteborg"), ("1401", "Härryda"))
    # home municipality 1480: s1 180 and s2 225; 1401: s3 260 and s4 295 (s5 has no E)
    members = {m.label_sv: m.figure.value for m in merit.members}
    assert members == {"Göteborg": pytest.approx(202.5), "Härryda": pytest.approx(277.5)}


def test_school_unit_aggregates_name_their_school_unit():
    seen: list[Aggregate] = []
    _basis(SubjectKind.SCHOOL_UNIT, "U1", seen)
    units = [a for a in seen if a.population.level is Level.SCHOOL_UNIT and a.table.num_rows]
    assert len(units) >= 2  # the indicator values of the year, the trend, the expected value
    assert all(a.population.school_units == frozenset({"U1"}) for a in units)
    wider = [a for a in seen if a.population.level is not Level.SCHOOL_UNIT]
    assert wider
    assert all(not a.population.school_units for a in wider)


def _flag(p_value: float, index: int = 0) -> Flag:
    return Flag(f"i{index}", FlagKind.NATION, True, True, "Skillnad.", p_value)


def test_one_nominal_hit_among_many_tests_is_not_a_flag():
    candidates = [_flag(0.04), *(_flag(0.6, i) for i in range(1, 45))]
    assert corrected_flags(candidates) == (None,) * 45


def test_corrected_flags_follow_benjamini_hochberg_and_say_so():
    # p sorted: 0.001, 0.012, 0.03, 0.5 -> q = 0.004, 0.024, 0.04, 0.5 (m = 4)
    candidates = [_flag(0.5, 0), _flag(0.012, 1), _flag(0.001, 2), _flag(0.03, 3)]
    kept = corrected_flags(candidates)
    assert kept[0] is None
    assert [f.indicator for f in kept if f is not None] == ["i1", "i2", "i3"]
    third = kept[3]
    assert third is not None
    assert third.sentence_sv == (
        "Skillnad. Justerat för multipla test (Benjamini–Hochberg över underlagets 4 test): "
        "q = 0,040."
    )
    assert corrected_flags([_flag(0.03), _flag(0.04)])[0] is not None  # q = 0.04 both
    assert corrected_flags([_flag(0.03), _flag(0.5), _flag(0.5)])[0] is None  # q = 0.09


def test_candidate_comparison_carries_its_p_value():
    merit = indicator_revision(CATALOGUE, "gr9_merit_value", 2025)
    assert merit is not None
    # difference 3, standard error 2 (interval half-width 1.96 * 2): z = 1.5, p = 0.1336
    args = {"own": 203.0, "own_low": 203.0 - 3.919928, "own_high": 203.0 + 3.919928}
    assert (
        flag_comparison(merit, kind=FlagKind.NATION, label_sv="riket", other=200.0, **args) is None
    )
    candidate = flag_comparison(
        merit, kind=FlagKind.NATION, label_sv="riket", other=200.0, alpha=CANDIDATE, **args
    )
    assert candidate is not None
    assert candidate.p_value == pytest.approx(0.1336, abs=1e-4)


def test_every_basis_flag_names_the_correction():
    tables = model_tables(30, seed=7)
    municipalities = sorted(set(tables["enrolments"].column("home_municipality_code").to_pylist()))
    with Snapshot.from_tables(tables, version="model") as db:
        basis = build_basis(
            db, CATALOGUE, subject_kind=SubjectKind.SCHOOL_UNIT, subject_code="60000004",
            year=2025, release=without_suppression, regions={"R": municipalities},
            trend_years=1, similar=1,
        )  # fmt: skip
    flags = [f for b in basis.all_blocks() for f in b.flags]
    assert flags
    pattern = r"Justerat för multipla test \(Benjamini–Hochberg över underlagets \d+ test\): q = "
    assert all(re.search(pattern, f.sentence_sv) for f in flags)


def test_merit_denominator_is_not_called_skolverkets_definition():
    merit = indicator_revision(CATALOGUE, "gr9_merit_value", 2025)
    assert merit is not None
    assert "Skolverkets definition" not in merit.definition
    assert "inte verifierat" in merit.definition
    assert "arbetsregel" in merit.note
