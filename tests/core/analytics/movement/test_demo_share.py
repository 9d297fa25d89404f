"""The demo region's GR share with another organizer, computed from its enrolment files."""

from __future__ import annotations

import pandas as pd
import pyarrow.compute as pc

from bench.reference.movement import movement_reference
from likvard_core.analytics.movement.admissions import admissions_reconciliation
from likvard_core.analytics.movement.flows import FLOW_DIMS, flows, other_organizer_share
from likvard_core.analytics.movement.introduction import Outcome, introduction_followup
from likvard_core.analytics.movement.scope import Scope
from likvard_core.analytics.movement.tables import movement_tables
from tests.core.analytics.movement.conftest import gr_codes, reference_lookups


def test_gr_share_with_another_organizer_is_near_sixty_percent(demo_snapshot):
    scope = Scope.of(municipalities=gr_codes())
    table = other_organizer_share(demo_snapshot, reference_lookups(), scope).table
    region = table.filter(pc.is_null(table["municipality_code"])).to_pylist()
    assert [r["school_year"] for r in region] == [2025, 2026]
    for row in region:  # seed 11, scale 0.1: 531/863 = 0.615 (2024/25), 545/897 = 0.608
        assert row["n"] > 500
        assert 0.5 <= row["share_other"] <= 0.7


def test_demo_flows_cover_the_enrolment(demo_snapshot):
    lookups = reference_lookups()
    result = flows(demo_snapshot, lookups, Scope()).table
    students = demo_snapshot.query(
        "SELECT count(DISTINCT (school_year, student_key)) AS n FROM enrolments "
        "WHERE school_form IN ('gymnasieskola', 'anpassad_gymnasieskola')"
    )
    assert pc.sum(result["n"]).as_py() == students["n"][0].as_py()
    unknown = result.filter(pc.equal(result["school_municipality_code"], ""))
    assert unknown.num_rows == 0  # every demo school unit is in the reference lookups


def test_demo_admissions_and_introduction(demo_snapshot):
    lookups = reference_lookups()
    summary = admissions_reconciliation(demo_snapshot, lookups, Scope.of(years=[2025])).table
    counts = dict(zip(summary["category"].to_pylist(), summary["n"].to_pylist(), strict=True))
    assert counts["stayed"] > counts["moved"] > 0
    follow = introduction_followup(demo_snapshot, lookups, Scope()).table
    totals = follow.filter(
        pc.and_(pc.is_null(follow["home_municipality_code"]),
                pc.is_null(follow["programme_code"]))
    )  # fmt: skip
    outcomes = set(totals["outcome"].to_pylist())
    assert Outcome.NATIONAL.value in outcomes or Outcome.INTRODUCTION.value in outcomes


def test_pandas_reference_agrees_on_the_demo(demo_snapshot):
    lookups = reference_lookups()
    enrolments = demo_snapshot.query("SELECT * FROM enrolments").to_pandas()
    organizers = pd.DataFrame(
        [(c, i.organizer_type, i.municipality_code) for c, i in lookups.organizers.items()],
        columns=["organizer_code", "organizer_type", "organizer_municipality"],
    )
    units = pd.DataFrame(
        [(c, i.municipality_code) for c, i in lookups.school_units.items()],
        columns=["school_unit_code", "school_municipality_code"],
    )
    reference = movement_reference(enrolments, organizers, units)
    fast = movement_tables(demo_snapshot, lookups, Scope())
    expected = reference["flows"].sort_values(list(FLOW_DIMS)).reset_index(drop=True)
    got = fast.flows.table.sort_by([(d, "ascending") for d in FLOW_DIMS]).to_pandas()
    assert got["n"].tolist() == expected["n"].tolist()
    assert got["school_unit_code"].tolist() == expected["school_unit_code"].tolist()
    share = fast.other_organizer_share.table.to_pandas()
    per = share[share["municipality_code"].notna()].reset_index(drop=True)
    assert per["n_other"].tolist() == reference["share"]["n_other"].tolist()
