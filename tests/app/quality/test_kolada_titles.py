"""Kolada key figures come with their names: the catalogue, an indicator's page and the basis.

An indicator's page read "N15504 (närliggande: N15505, N15506, N15507)": codes a school leader
cannot read. ``reference_data/kolada_kpis.csv`` names every KPI the shipped catalogue refers to.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from likvard.quality.services.catalogue import catalogue_load_shipped
from likvard.quality.services.kolada import kolada_kpi_label, kolada_kpi_titles
from likvard_core.analytics.quality.catalogue import DEFAULT_PATH
from tests.app.conftest import World

CATALOGUE_IDS = set(re.findall(r'"([NU]\d{5})"', DEFAULT_PATH.read_text(encoding="utf-8")))
MERIT = "N15504: Elever i åk. 9, meritvärde lägeskommun, genomsnitt (17 ämnen)"


def test_every_kolada_id_of_the_catalogue_has_a_name():
    assert len(CATALOGUE_IDS) >= 50
    assert not CATALOGUE_IDS - set(kolada_kpi_titles())
    assert kolada_kpi_label("N15504") == MERIT
    assert kolada_kpi_label("N99999") == "N99999"


@pytest.mark.realdata
def test_kolada_names_are_koladas_titles(shared_data: Path):
    path = shared_data / "kolada-kpi-catalogue" / "kpi_df.csv"
    with path.open(encoding="utf-8") as handle:
        kolada = {row["id"]: " ".join(row["title"].split()) for row in csv.DictReader(handle)}
    assert {code: kolada[code] for code in kolada_kpi_titles()} == kolada_kpi_titles()


@pytest.mark.django_db
def test_indicator_page_names_its_key_figures_and_school_years(world: World):
    catalogue_load_shipped()
    client = Client()
    client.force_login(world.users["organizer_analyst"])
    text = client.get(reverse("quality:indicator-detail", args=["gr9_merit_value"])).content
    page = text.decode()
    assert MERIT in page
    assert "N15505: Elever i åk. 9, meritvärde kommunala skolor, genomsnitt (17 ämnen)" in page
    assert "Från läsåret 2014/15" in page  # the spring year 2015 as the school year it ends
    table = client.get(reverse("quality:catalogue-school-form", args=["grundskola"]))
    assert 'N15504<br><small class="muted">Elever i åk. 9, meritvärde lägeskommun' in (
        table.content.decode()
    )
