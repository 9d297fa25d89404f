"""The Kolada import's derived reference sets agree with their sources."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from likvard_core.analytics.quality.catalogue import load_catalogue
from likvard_core.ingest.sources.kolada_reference import (
    AUTUMN_CENSUS_KPIS,
    COUNTY_CODES,
    MUNICIPALITY_CODES,
)

REFERENCE = Path(__file__).resolve().parents[4] / "src/likvard/organisations/reference_data"
_SCHOOL_AREAS = re.compile(
    r"Grundskola|Gymnasieskola|Förskol|Skolbarnsomsorg|Fritidshem|Särskola|Vuxenutbildning"
    r"|Kommunala skolor|Barn och utbildning"
)
_AUTUMN_CENSUS = re.compile(r"15 ?okt|15/10|oktober|13/2 år T\+1", re.IGNORECASE)
_UNDATED_STAFF_CENSUS = {"N11808"}


def _column(path: Path, name: str) -> set[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row[name] for row in csv.DictReader(handle)}


def test_area_codes_are_the_registers():
    assert _column(REFERENCE / "municipalities.csv", "code") == MUNICIPALITY_CODES
    assert _column(REFERENCE / "counties.csv", "county_code") == COUNTY_CODES
    assert len(MUNICIPALITY_CODES) == 290
    assert len(COUNTY_CODES) == 21


@pytest.mark.realdata
def test_autumn_census_kpis_follow_the_kpi_catalogue(shared_data):
    with (shared_data / "kolada-kpi-catalogue" / "kpi_df.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    derived = {
        row["id"]
        for row in rows
        if _SCHOOL_AREAS.search(row["operating_area"]) and _AUTUMN_CENSUS.search(row["description"])
    }
    assert derived | _UNDATED_STAFF_CENSUS == AUTUMN_CENSUS_KPIS
    catalogue_kpis = {
        measure.measure
        for indicator in load_catalogue().indicators
        for measure in indicator.public_measures
        if measure.source == "kolada"
    }
    autumn = {"N15813", "N17825", "N11808", "N15033", "N17816", "N11102", "N13014"}
    assert catalogue_kpis & AUTUMN_CENSUS_KPIS == autumn  # staff and children on 15 October
