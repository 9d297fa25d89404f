"""The Kolada ids Likvärd serves mean what Kolada's own catalogue says they mean.

``../shared/data/kolada-kpi-catalogue`` is Kolada's KPI metadata (a cached download kept by the
R client rKolada, early 2024), with no values: no figure of Kolada's can be reproduced from it,
and nothing in the shared data holds Kolada values. What it can check is the promise of
``docs/kolada-api.md``: an indicator served under a Kolada id has Kolada's definition of that
key figure (school-municipality basis, by gender, with school-unit data), and an own id never
meets one of Kolada's.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from likvard.opendata.services.kpis import kpi_list
from likvard.quality.services.catalogue import catalogue_load_shipped

pytestmark = [pytest.mark.realdata, pytest.mark.django_db]


def _catalogue(shared_data: Path) -> dict[str, dict[str, str]]:
    path = shared_data / "kolada-kpi-catalogue" / "kpi_df.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["id"]: row for row in csv.DictReader(handle)}


def test_served_kolada_ids_match_koladas_catalogue(shared_data: Path):
    catalogue_load_shipped()
    kolada = _catalogue(shared_data)
    assert len(kolada) == 5604
    served = [k for k in kpi_list() if k.is_kolada_id]
    assert {k.id for k in served} >= {"N15504", "N15418"}
    for kpi in served:
        theirs = kolada[kpi.id]
        ours = kpi.as_kolada(publication_date=None)
        # Likvärd counts a municipality's students by school unit (lägeskommun), as these ids do
        assert "lägeskommun" in theirs["title"], (kpi.id, theirs["title"])
        assert theirs["municipality_type"] == ours["municipality_type"] == "K"
        assert int(theirs["is_divided_by_gender"]) == ours["is_divided_by_gender"] == 1
        assert (theirs["has_ou_data"] == "True") is ours["has_ou_data"] is True
        assert theirs["operating_area"].startswith("Grundskola")
    own = [k.id for k in kpi_list() if not k.is_kolada_id]
    assert own
    assert not set(own) & set(kolada)
    assert not any(i.startswith("L") for i in kolada)  # Likvärd's L range is free in Kolada
