"""A withdrawn publication level holds for figures already kept in the cache (issue #15).

The released levels cube of the analysis basis (``basis_levels``) is kept per data version and
viewer class; the Kolada API's K/M rows (``gender_levels``) and the joint movement release
likewise. A withdrawal does not make a new data version, so a key without the withdrawn levels
served the cube released before the withdrawal, figures of the withdrawn level included, until
it expired.
"""

from __future__ import annotations

import pytest
from django.test import Client

from likvard.access.models import PublicationLevel
from likvard.access.policy import ANONYMOUS, viewer_for
from likvard.access.publication import publication_level_set
from likvard.quality.services.basis import school_unit_basis
from tests.app.conftest import World
from tests.app.opendata.conftest import OWN_KPI, YEAR, region_world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
UNIT = "65390344"


def _unit_value(world: World) -> float | None:
    block = next(
        b
        for b in school_unit_basis(
            viewer=ANONYMOUS, school_unit=world.own_unit, year=YEAR
        ).all_blocks()
        if b.indicator.code == "gr9_test_vs_grade"
    )
    return block.value.value


def _api_value(gender: str) -> object:
    body = Client().get(f"/kolada/v3/oudata/kpi/{OWN_KPI}/ou/{UNIT}?gender={gender}").json()
    [row] = [v for v in body["values"] if v["period"] == YEAR]
    return row["values"][0]["value"]


def _withdraw(world: World, withdrawn: bool) -> None:
    publication_level_set(
        viewer=viewer_for(world.users["administrator"]),
        level=PublicationLevel.SCHOOL_UNIT,
        withdrawn=withdrawn,
    )


def test_a_withdrawal_hides_a_unit_s_kept_basis_and_api_figures(region_world: World):  # noqa: F811
    assert region_world.own_unit.code == UNIT
    assert _unit_value(region_world) == pytest.approx(75.0)  # now kept in the cache
    assert _api_value("T") == pytest.approx(75.0)
    _withdraw(region_world, True)
    assert _unit_value(region_world) is None
    assert _api_value("T") is None
    _withdraw(region_world, False)
    assert _unit_value(region_world) == pytest.approx(75.0)
