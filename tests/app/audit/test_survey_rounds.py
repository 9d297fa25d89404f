"""A survey round's progress pages join the disclosure audit (issue #20): the answers per
school unit as each viewer's page shows them, and the round's total for those who run it."""

from __future__ import annotations

import dataclasses

from likvard.access.policy import viewer_for
from likvard.analyses.surveys import rounds
from likvard.analyses.surveys.rounds import ClassSpec
from likvard.audit import gather as gathering
from likvard.organisations.models import SchoolUnit
from likvard_core.audit.audit import audit
from tests.app.conftest import World
from tests.factories.organisations import SchoolUnitFactory


def _round(world: World) -> int:
    # Two units of the own organizer: 12 answers at one, 3 at the other (a round's total of
    # 15 beside the 12 would give the 3, were the total shown to anyone but those who run it).
    second = SchoolUnitFactory(
        code="65390345", name="Tölö skola", organizer=world.own,
        municipality=world.own_unit.municipality,
    )  # fmt: skip
    analyst = viewer_for(world.users["organizer_analyst"])
    created = rounds.round_create(
        viewer=analyst, organizer=world.own, version_key="gr-elev/2025", title="Våren 2025",
        classes=[ClassSpec(world.own_unit, "5A", 5, 20), ClassSpec(second, "5B", 5, 6)],
    )  # fmt: skip
    for unit, count in ((world.own_unit, 12), (second, 3)):
        entry = created.classes.get(school_unit=unit)
        for _ in range(count):
            rounds.answer_submit(code=entry.code, answers={"F1": "4"})
    return created.pk


def _round_tables(world: World, role: str):
    viewer = viewer_for(world.users[role])
    gathered = gathering.gather(viewer=viewer, region=world.region, only={"surveys"})
    return gathered, [t for t in gathered.tables if t.name.startswith("round:")]


def test_a_round_s_progress_is_gathered_as_each_viewer_sees_it(world: World):
    pk = _round(world)
    gathered, tables = _round_tables(world, "network_member")
    assert [t.name for t in tables] == [f"round:{pk}/units"]
    (units,) = tables
    assert {r["status"] for r in units.rows} == {"exists", "too_few"}
    assert audit(gathered.tables, gathered.hierarchy).findings == []
    gathered, tables = _round_tables(world, "organizer_analyst")
    assert [t.name for t in tables] == [f"round:{pk}/units", f"round:{pk}/total"]
    assert tables[1].rows[0]["n"] == 15
    assert tables[1].known


def test_a_shown_round_total_is_tied_to_its_units(world: World):
    # Were the total shown to the region, 15 - 12 would give the hidden 3: the audit ties the
    # total (the organizer's cell) to its units by the register and finds it.
    _round(world)
    _, analyst_tables = _round_tables(world, "organizer_analyst")
    gathered, (units,) = _round_tables(world, "network_member")
    total = dataclasses.replace(analyst_tables[1], known=False)
    result = audit([units, total], gathered.hierarchy)
    assert SchoolUnit.objects.filter(organizer=world.own).count() == 2
    assert [s.exposed for s in result.summaries] == [1]
