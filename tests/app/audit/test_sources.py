"""Adding a population to the disclosure audit is one registration (``gather.SOURCES``)."""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pytest

from likvard.access.policy import Viewer, viewer_for
from likvard.access.release import Released, release
from likvard.audit import gather as gathering
from likvard.audit.catalogue import DEFINITIONS, Definition, released_table
from likvard.organisations.models import Region
from likvard_core.audit.audit import audit
from likvard_core.audit.model import Total
from likvard_core.disclosure.aggregate import Aggregate, Level, Population
from likvard_core.disclosure.suppress import Thresholds
from tests.app.conftest import World


@dataclass(frozen=True)
class _Report:
    cells: Released


def _survey_report(*, viewer: Viewer, region: Region) -> _Report:
    """A made-up report: answers per municipality and their total, released by the gate."""
    table = pa.table({"municipality_code": ["1384", "1481", None], "n": [40, 3, 43]})
    aggregate = Aggregate(
        table=table,
        dims=("municipality_code",),
        count="n",
        values=(),
        population=Population(scope="survey", organizers=frozenset(), level=Level.REGION),
        data_version="v1",
        margins=("municipality_code",),
    )
    return _Report(release(aggregate, viewer=viewer, purpose="survey.region"))


def test_the_audit_gathers_the_newer_capabilities():
    assert {"completion", "opendata", "equity", "quality"} <= set(gathering.analyses())


@pytest.mark.django_db
def test_one_registration_adds_a_report_to_the_audit(world: World, monkeypatch):
    monkeypatch.setitem(
        DEFINITIONS,
        "survey.cells",
        Definition(counts=("n",), totals={"municipality_code": Total(None, complete=True)}),
    )
    monkeypatch.setattr(
        gathering,
        "SOURCES",
        [gathering.Source("survey", _survey_report, {"cells": "survey.cells"})],
    )
    viewer = viewer_for(world.users["network_member"])
    gathered = gathering.gather(viewer=viewer, region=world.region, only={"survey"})
    (table,) = gathered.tables
    assert (table.analysis, table.name) == ("survey", "region/_survey_report/cells")
    result = audit(gathered.tables, gathered.hierarchy)
    # 3 is hidden and so is a complement: the total alone cannot give it back
    (summary,) = result.summaries
    assert (summary.released, summary.hidden, summary.exposed) == (1, 2, 0)


@pytest.mark.django_db
def test_a_table_without_a_definitions_parts_is_audited_without_them(world: World):
    # The incident unit table has the reports but not the stage counts (those are on the
    # organizer and kind tables): its "reports = sum of the stages" cannot be written.
    table = pa.table({"school_unit_code": ["1", "2", None], "reports": [12, 3, 15]})
    aggregate = Aggregate(
        table=table,
        dims=("school_unit_code",),
        count="reports",
        values=(),
        population=Population(scope="incidents", organizers=frozenset(), level=Level.REGION),
        data_version="v1",
        margins=("school_unit_code",),
    )
    viewer = viewer_for(world.users["network_member"])
    released = release(aggregate, viewer=viewer, purpose="incidents.region")
    described = released_table(
        released,
        analysis="incidents",
        name="region/units",
        kind="incidents.followup",
        family="incidents",
        thresholds=Thresholds(default=5),
    )
    assert described.parts == {}
    (summary,) = audit([described]).summaries
    assert summary.exposed == 0
