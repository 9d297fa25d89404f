"""Our matrix and other-organizer arithmetic against Skolverket's published commuting figures.

``pendling_2025.json`` (Kungsbacka, upper secondary, 2025/26; see its PROVENANCE.md) gives the
residents, the pupils of schools in the municipality and the in- and out-commuters by organizer
type. We expand those published counts into one row per student, run the movement functions and
check that they give back every published figure (row and column sums of the origin-destination
matrix), and that the published identities hold for the real numbers.
"""

from __future__ import annotations

import json

import pyarrow as pa
import pytest

from likvard_core.analytics.movement.flows import origin_destination, other_organizer_share
from likvard_core.analytics.movement.scope import Lookups, OrganizerInfo, Scope, UnitInfo
from likvard_core.warehouse.snapshot import Snapshot

pytestmark = pytest.mark.realdata

HOME, ELSEWHERE = "1384", "1380"  # Kungsbacka; one stand-in for every other municipality
LOOKUPS = Lookups(
    organizers={
        "2120001256": OrganizerInfo("kommunal", HOME),
        "5500000001": OrganizerInfo("enskild", ""),
        "2120000001": OrganizerInfo("kommunal", ELSEWHERE),
    },
    school_units={
        "10000001": UnitInfo(HOME, "2120001256"),
        "10000002": UnitInfo(HOME, "5500000001"),
        "20000001": UnitInfo(ELSEWHERE, "2120000001"),
        "20000002": UnitInfo(ELSEWHERE, "5500000001"),
    },
)


def _rows(figures: dict[str, int]) -> pa.Table:
    groups = [  # (count, home, unit, organizer)
        (figures["folkbokfordaStuderandeKom"], HOME, "10000001", "2120001256"),
        (figures["folkbokfordaStuderandeEnsk"], HOME, "10000002", "5500000001"),
        (figures["utpendlingKom"], HOME, "20000001", "2120000001"),
        (figures["utpendlingEnsk"], HOME, "20000002", "5500000001"),
        (figures["inpendlingKom"], ELSEWHERE, "10000001", "2120001256"),
        (figures["inpendlingEnsk"], ELSEWHERE, "10000002", "5500000001"),
    ]
    rows = [
        (f"s{len(groups)}-{g}-{i}", home, unit, organizer)
        for g, (count, home, unit, organizer) in enumerate(groups)
        for i in range(count)
    ]
    n = len(rows)
    return pa.table(
        {
            "school_year": [2026] * n,
            "student_key": [r[0] for r in rows],
            "school_unit_code": [r[2] for r in rows],
            "organizer_code": [r[3] for r in rows],
            "school_form": ["gymnasieskola"] * n,
            "grade_year": [1] * n,
            "programme_code": ["NA"] * n,
            "home_municipality_code": [r[1] for r in rows],
            "gender": ["F"] * n,
            "born_abroad": [None] * n,
            "newly_arrived": [None] * n,
            "parents_education": [None] * n,
        }
    )


def test_commuting_figures_reconcile_with_our_matrix(shared_data):
    path = shared_data / "kungsbacka-moggleif-politik" / "pendling_2025.json"
    assert path.is_file(), f"{path} is absent from ../shared/data"
    figures = json.loads(path.read_text(encoding="utf-8"))["gymnasiet"]
    # the published identities (Skolverket rounds to tens; these hold exactly for 2025)
    out = figures["utpendlingKom"] + figures["utpendlingEnsk"]
    staying = figures["folkbokfordaStuderandeKom"] + figures["folkbokfordaStuderandeEnsk"]
    assert staying + out == figures["folkbokforda"] == 3810
    for kind in ("Kom", "Ensk"):
        expected = figures[f"folkbokfordaStuderande{kind}"] + figures[f"inpendling{kind}"]
        assert expected == figures[f"studerande{kind}"]
    with Snapshot.from_tables({"enrolments": _rows(figures)}, "published") as db:
        matrix = origin_destination(db, LOOKUPS, Scope()).table.to_pylist()
        share = other_organizer_share(db, LOOKUPS, Scope.of(municipalities=[HOME])).table
    cells = {(r["home_municipality_code"], r["school_municipality_code"]): r["n"] for r in matrix}
    assert cells[(HOME, HOME)] + cells[(HOME, ELSEWHERE)] == figures["folkbokforda"]
    assert cells[(HOME, ELSEWHERE)] == out
    in_schools = cells[(HOME, HOME)] + cells[(ELSEWHERE, HOME)]
    assert in_schools == figures["studerandeKom"] + figures["studerandeEnsk"]
    # residents with another organizer than Kungsbacka kommun: all but those at its own schools
    row = share.filter(pa.compute.equal(share["municipality_code"], HOME)).to_pylist()[0]
    assert row["n"] == 3810
    assert row["n_other"] == 3810 - figures["folkbokfordaStuderandeKom"] == 1480
    assert row["share_other"] == pytest.approx(0.388, abs=0.001)
