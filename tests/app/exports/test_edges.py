"""Issue #16: every export of the analysis basis, grade equity, adjusted results, movement,
planning, komvux, completion and incidents stays inside its A4 page or 16:9 slide, drawn as a
reader sees it (``edges.check``).

The files come from the views, as a user downloads them, for the test worlds of each analysis
(the demo's shape in small: GR, Kungsbacka and a second organizer, several years). One
LibreOffice run per analysis draws its decks and Word files, and the workbooks of completion
and incidents (the two whose wrapped headers printed over their first row).

The database only supplies names and the data version here, and the page and download tests of
each analysis run on PostgreSQL: the drawn edges cannot differ by database, so the PostgreSQL
pass of make test leaves these out (``database_neutral``; eight LibreOffice runs saved).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from likvard.access.policy import viewer_for
from likvard.exports.files import FORMATS as FILE_FORMATS
from likvard.quality.services import basis as basis_services
from likvard.quality.services.basis_export import FORMATS, basis_file
from tests.app.conftest import World
from tests.app.exports.edges import check, needs_tools

pytestmark = [pytest.mark.django_db, pytest.mark.database_neutral, pytest.mark.slow, needs_tools]
YEAR = 2025


def _files(
    world: World, user: str, urls: list[tuple[str, str, dict[str, str]]]
) -> list[tuple[str, bytes]]:
    client = Client()
    client.force_login(world.users[user])
    files = []
    for name, url, query in urls:
        response = client.get(url, query)
        assert response.status_code == 200, (name, response.status_code)
        assert not response["Content-Type"].startswith("text/html"), name
        files.append((name, response.content))
    return files


def test_analysis_basis_files_fit(warehouse: World, catalogue: World, tmp_path: Path):
    """An organizer's basis (the most comparison columns) and the region's (every member
    municipality side by side), each computed once and written in every format."""
    organizer = basis_services.organizer_basis(
        viewer=viewer_for(warehouse.users["organizer_analyst"]), organizer=warehouse.own,
        year=YEAR,
    )  # fmt: skip
    region = basis_services.region_basis(
        viewer=viewer_for(warehouse.users["regional_coordinator"]), region=warehouse.region,
        year=YEAR,
    )  # fmt: skip
    files = [
        (f"basis-{name}.{fmt}", basis_file(basis=basis, fmt=fmt).content)
        for name, basis in (("organizer", organizer), ("region", region))
        for fmt in FORMATS
    ]
    assert check(files, tmp_path) == []


def test_equity_files_fit(warehouse: World, tmp_path: Path):
    """Each page's tables (XLSX) and slides (PPTX): a school, an organizer, the region, and the
    published statistics of the region and of a municipality."""
    pages = [
        ("school", reverse("analyses:equity-school", kwargs={"code": warehouse.own_unit.code})),
        ("organizer", reverse("analyses:equity-organizer",
                              kwargs={"organisation_number": "2120001256"})),
        ("region", reverse("analyses:equity-region", kwargs={"code": "gr"})),
        ("published-region", reverse("analyses:equity-published-region", kwargs={"code": "gr"})),
        ("published-municipality", reverse("analyses:equity-published-municipality",
                                           kwargs={"code": "1384"})),
    ]  # fmt: skip
    files = _files(warehouse, "organizer_analyst", [
        (f"equity-{name}.{fmt}", url, {"format": fmt})
        for name, url in pages for fmt in ("pptx", "xlsx")
    ])  # fmt: skip
    assert check(files, tmp_path) == []


def test_adjusted_results_files_fit(modelled: World, tmp_path: Path):
    """The region's and an organizer's results (PDF, XLSX) and a school's (XLSX)."""
    organizer = reverse(
        "analyses:adjusted-year9-organizer", kwargs={"organisation_number": "2120001256"}
    )
    region = reverse("analyses:adjusted-year9-region", kwargs={"code": "gr"})
    school = reverse("analyses:adjusted-year9-school", kwargs={"code": modelled.own_unit.code})
    files = _files(modelled, "organizer_analyst", [
        ("adjusted-organizer.pdf", organizer, {"format": "pdf"}),
        ("adjusted-organizer.xlsx", organizer, {"format": "xlsx"}),
        ("adjusted-region.pdf", region, {"format": "pdf"}),
        ("adjusted-region.xlsx", region, {"format": "xlsx"}),
        ("adjusted-school.xlsx", school, {"format": "xlsx"}),
    ])  # fmt: skip
    assert check(files, tmp_path) == []


def test_movement_files_fit(movement_warehouse, tmp_path: Path):
    world = movement_warehouse.world
    region = reverse("movement:region", args=["gr"])
    municipality = reverse("movement:municipality", args=["1384"])
    files = _files(world, "regional_coordinator", [
        *((f"movement-{name}.{fmt}", url, {"format": fmt})
          for name, url in (("region", region), ("municipality", municipality))
          for fmt in ("pptx", "xlsx")),
        ("admissions.xlsx", reverse("movement:admissions", args=["gr"]), {"format": "xlsx"}),
    ])  # fmt: skip
    assert check(files, tmp_path) == []


def test_planning_files_fit(planning_world, tmp_path: Path):
    urls = [
        (f"planning.{fmt}", reverse("planning:region-export", args=["gr", fmt]), {})
        for fmt in ("pdf", "pptx", "docx", "xlsx")
    ]
    files = _files(planning_world.world, "regional_coordinator", urls)
    assert check(files, tmp_path) == []


def test_komvux_files_fit(komvux_data: World, tmp_path: Path):
    region = reverse("komvux:region", kwargs={"code": "gr"})
    organizer = reverse("komvux:organizer", kwargs={"organisation_number": "2120001256"})
    files = _files(komvux_data, "regional_coordinator", [
        (f"komvux-{name}.{fmt}", url, {"format": fmt})
        for name, url in (("region", region), ("organizer", organizer))
        for fmt in ("pdf", "pptx", "xlsx")
    ])  # fmt: skip
    assert check(files, tmp_path) == []


def test_completion_files_fit(completion_world: World, tmp_path: Path):
    """The region's report in every format, and a principal's early-warning list (XLSX)."""
    url = reverse("analyses:completion-region", kwargs={"code": "gr"})
    files = _files(completion_world, "regional_coordinator", [
        (f"completion.{fmt}", url, {"format": fmt}) for fmt in ("pdf", "pptx", "docx", "xlsx")
    ])  # fmt: skip
    warnings = reverse(
        "analyses:completion-warning-list", kwargs={"code": completion_world.own_unit.code}
    )
    files += _files(completion_world, "principal", [
        ("early-warning.xlsx", warnings, {"format": "xlsx"})
    ])  # fmt: skip
    assert check(files, tmp_path) == []


def test_incidents_files_fit(incident_world: World, tmp_path: Path):
    url = reverse("analyses:incidents-region", kwargs={"code": "gr"})
    files = _files(incident_world, "regional_coordinator", [
        (f"incidents.{fmt}", url, {"format": fmt}) for fmt in ("pdf", "pptx", "docx", "xlsx")
    ])  # fmt: skip
    assert check(files, tmp_path) == []


def test_survey_files_fit(surveyed: World, tmp_path: Path):
    url = reverse("surveys:survey-region", args=["gr-elev", "gr"])
    files = _files(surveyed, "network_member", [
        (f"survey.{fmt}", url, {"format": fmt}) for fmt in FILE_FORMATS
    ])  # fmt: skip
    assert check(files, tmp_path) == []
