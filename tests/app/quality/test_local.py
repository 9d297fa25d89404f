"""Local indicators: values entered by their owner, shown in the basis and every export."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from likvard.access.policy import viewer_for
from likvard.quality.models import LocalIndicatorValue
from likvard.quality.services import basis as services
from likvard.quality.services.basis_export import basis_file
from likvard.quality.services.catalogue_edit import local_value_save
from tests.app.conftest import World
from tests.app.quality.conftest import LOCAL_CODE, local_indicator
from tests.app.quality.test_basis import _pdf_text, _pptx_text, _xlsx_values

YEAR = 2025
NAME = "Elever som upplever studiero (lokal)"


def _client(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


@pytest.mark.django_db
def test_owner_enters_values_with_validation(world: World):
    local_indicator(world)
    url = reverse("quality:local-values", args=[LOCAL_CODE])
    analyst = _client(world, "organizer_analyst")
    too_big = analyst.post(url, {"year": YEAR, "value": "150"})
    assert too_big.status_code == 400
    assert "mellan 0 och 100" in too_big.content.decode()
    too_few = analyst.post(url, {"year": YEAR, "value": "80", "n": "3"})
    assert too_few.status_code == 400
    assert "färre än 5" in too_few.content.decode()
    before = analyst.post(url, {"year": 2019, "value": "80"})
    assert "ingen definition" in before.content.decode()
    saved = analyst.post(url, {"year": YEAR, "value": "72,5", "n": "40", "note": "Enkät"})
    assert saved.status_code == 302
    again = analyst.post(url, {"year": YEAR, "value": "74", "n": "41"})
    assert again.status_code == 302
    row = LocalIndicatorValue.objects.get(indicator__code=LOCAL_CODE)
    assert (row.school_year, row.value, row.n) == (YEAR, 74.0, 41)
    assert "74,0" in analyst.get(url).content.decode()
    assert _client(world, "other_analyst").get(url).status_code == 403
    assert (
        _client(world, "other_analyst").post(url, {"year": YEAR, "value": "1"}).status_code == 403
    )


def test_local_indicator_in_the_basis_and_all_exports(warehouse: World):
    indicator = local_indicator(warehouse)
    viewer = viewer_for(warehouse.users["organizer_analyst"])
    local_value_save(
        viewer=viewer, by=warehouse.users["organizer_analyst"], indicator=indicator,
        year=YEAR, value=72.5, n=40,
    )  # fmt: skip
    basis = services.organizer_basis(viewer=viewer, organizer=warehouse.own, year=YEAR)
    section = next(s for s in basis.goals if s.goal.code == "local")
    block = next(b for b in section.indicators if b.indicator.code == LOCAL_CODE)
    assert block.indicator.local
    assert block.indicator.name == NAME
    assert (block.value.value, block.value.n) == (72.5, 40)
    assert block.comparisons == ()
    page = _client(warehouse, "organizer_analyst").get(
        reverse("quality:basis-organizer", args=[warehouse.own.organisation_number])
        + f"?year={YEAR}"
    )
    text = page.content.decode()
    assert NAME in text
    assert "Lokala indikatorer" in text
    assert "72,5" in text
    xlsx = _xlsx_values(basis_file(basis=basis, fmt="xlsx").content)
    assert NAME in xlsx
    # a section of shares only writes them as native percent: 0.725 shown as 72,5 %
    assert any(isinstance(v, float) and abs(v - 0.725) < 1e-9 for v in xlsx)
    pdf = " ".join(_pdf_text(basis_file(basis=basis, fmt="pdf").content).split())
    assert NAME in pdf
    assert "72,5" in pdf
    pptx = _pptx_text(basis_file(basis=basis, fmt="pptx").content)
    assert "Lokala indikatorer" in pptx
    assert NAME in pptx
    assert "72,5" in pptx
    # Another organizer's basis does not list it; the unit's basis lists it without a value.
    other = services.organizer_basis(viewer=viewer, organizer=warehouse.other, year=YEAR)
    assert LOCAL_CODE not in {b.indicator.code for b in other.all_blocks()}
    unit = services.school_unit_basis(viewer=viewer, school_unit=warehouse.own_unit, year=YEAR)
    unit_block = next(b for b in unit.all_blocks() if b.indicator.code == LOCAL_CODE)
    assert not unit_block.value.shown
