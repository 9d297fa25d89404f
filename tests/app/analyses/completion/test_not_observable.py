"""Issue #16/#21: a path of the newest start year is "not yet observable", never 0 %.

Paths (changed programme, organizer or municipality; IM to a national programme) are changes
between two school years, counted so far. For a start year whose next school year is not in the
data every path count is 0 by design, and the page showed "IM till nationellt 0,0", read as
"nobody went on". The gate now releases those cells empty with the reason
``not_yet_observable``, shown or hidden alike, on the page, in the API and in the exports, and
the auditor reads them as no cell.
"""

from __future__ import annotations

import io

import numpy as np
import openpyxl
import pyarrow as pa
import pytest
from django.test import Client
from django.urls import reverse

from likvard.access.policy import viewer_for
from likvard.access.release import NOT_APPLICABLE_COLUMN
from likvard.analyses.completion import services
from likvard.audit import gather as gathering
from likvard_core.analytics.completion.cohort import PATH_COLUMNS, PATH_COUNTS
from likvard_core.audit.audit import audit
from tests.app.analyses.completion.test_one_cube import PROGRAMMES, _cell
from tests.app.conftest import World

pytestmark = pytest.mark.django_db

NEWEST = 2024
"""The completion world's last school year: its starters' next year is not in the data."""
YEARS = (2021, 2023, NEWEST)


def _cells(world: World) -> pa.Table:
    """Finest cells of three start years (small groups, some hidden); the newest has no path,
    as no path of it can have been seen."""
    rng = np.random.default_rng(11)
    rows = []
    for year in YEARS:
        for unit, organizer in ((world.own_unit, world.own), (world.other_unit, world.other)):
            for programme, group in PROGRAMMES.items():
                for home in ("1384", "1481"):
                    n = int(rng.integers(8, 15) if group == "introduction" else rng.integers(2, 9))
                    row = _cell(rng, year, unit.code, organizer.organisation_number, programme,
                                group, home, "born_in_sweden", n)  # fmt: skip
                    if year == NEWEST:
                        row.update(dict.fromkeys(PATH_COUNTS, 0))
                    else:  # some moved, so that the paths of older years are figures
                        row["im_to_national"] = n // 2 if group == "introduction" else 0
                    rows.append(row)
    return pa.Table.from_pylist(rows)


@pytest.fixture
def cohorts(completion_world: World, monkeypatch) -> World:
    table = _cells(completion_world)
    monkeypatch.setattr(services, "_cells", lambda version: table)
    return completion_world


def _client(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def test_the_gate_releases_the_newest_years_paths_as_not_applicable(cohorts: World):
    viewer = viewer_for(cohorts.users["network_member"])
    report = services.completion_region_report(viewer=viewer, region=cohorts.region, year=NEWEST)
    assert report.last_year == NEWEST
    released = [report.totals, *report.tables.values()]
    statuses = set()
    for table in released:
        assert table.not_applicable == PATH_COLUMNS
        for row in table.rows():
            if row["start_year"] == NEWEST:
                statuses.add(row["status"])
                assert row[NOT_APPLICABLE_COLUMN] == "not_yet_observable"
                assert all(row[c] is None for c in PATH_COLUMNS), row  # never 0
                if row["status"] == "exists":  # the other figures stay
                    assert row["n"] is not None
            else:
                assert row[NOT_APPLICABLE_COLUMN] is None
    assert {"exists", "too_few"} <= statuses  # shown and hidden rows alike
    older = [
        r for r in report.totals.rows() if r["start_year"] == 2023 and r["programme_group"] == "all"
    ]
    assert older[0]["im_to_national"] > 0
    assert older[0]["im_to_national_share"] == pytest.approx(
        older[0]["im_to_national"] / older[0]["n"]
    )


def test_page_shows_not_yet_observable_and_from_which_start_year(cohorts: World):
    url = reverse("analyses:completion-region", kwargs={"code": "gr"})
    response = _client(cohorts, "regional_coordinator").get(url)
    assert response.status_code == 200
    trend = {row.year: row for row in response.context["trend"]}
    assert trend["2023/24"].im_to_national_not_applicable
    assert trend["2023/24"].im_to_national is None
    assert not trend["2022/23"].im_to_national_not_applicable
    assert trend["2022/23"].im_to_national is not None
    html = response.content.decode()
    row = html.split('<th scope="row">2023/24</th>')[1].split("</tr>")[0]
    assert 'class="not-applicable"' in row
    assert "Ännu inte observerbart" in row
    assert "0,0" not in row
    note = html.split('id="paths-observable"')[1].split("</p>")[0]
    assert "till och med 2022/23" in note
    assert "2023/24" in note


def test_page_breakdowns_of_the_newest_year(cohorts: World):
    url = reverse("analyses:completion-region", kwargs={"code": "gr"})
    response = _client(cohorts, "regional_coordinator").get(f"{url}?year={NEWEST}")
    groups = response.context["groups"]
    assert groups
    assert all(g.paths_not_applicable for g in groups)
    assert all(g.moved_programme is None for g in groups)
    table = response.content.decode().split('id="table-groups"')[1].split("</table>")[0]
    assert table.count('class="not-applicable"') == len(groups)


def test_api_gives_null_with_the_reason(cohorts: World):
    client = _client(cohorts, "regional_coordinator")
    body = client.get(f"/api/v1/analyses/completion/regions/gr?year={NEWEST}").json()
    assert body["year"] == NEWEST
    for table in (body["totals"], *body["tables"].values()):
        assert table["not_applicable"] == list(PATH_COLUMNS)
        for row in table["rows"]:
            newest = row["start_year"] == NEWEST
            assert (row[NOT_APPLICABLE_COLUMN] == "not_yet_observable") is newest
            if newest:
                assert all(row[c] is None for c in PATH_COLUMNS)


def test_exports_mark_it_and_never_as_a_hidden_cell(cohorts: World):
    client = _client(cohorts, "regional_coordinator")
    url = reverse("analyses:completion-region", kwargs={"code": "gr"})
    response = client.get(f"{url}?year={NEWEST}&format=xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    trend = list(book["Trend"].iter_rows(values_only=True))
    header = next(r for r in trend if r and r[0] == "Start")
    column = header.index("IM till nationellt")
    newest = next(r for r in trend if r and r[0] == "2023/24")
    assert newest[column] == "–"
    assert next(r for r in trend if r and r[0] == "2022/23")[column] not in ("–", "..", None)
    notes = " ".join(str(r[0]) for r in trend if r and r[0])
    assert "– Ännu inte observerbart" in notes
    sheet = list(book[book.sheetnames[1]].iter_rows(values_only=True))
    head = next(i for i, r in enumerate(sheet) if r and "Ej tillämpligt" in r)
    names = list(sheet[head])
    marked = 0
    for row in sheet[head + 1 :]:
        if not row or row[names.index("Ej tillämpligt")] != "Ännu inte observerbart":
            continue
        marked += 1
        paths = ("Bytt program", "Bytt huvudman", "Bytt skolkommun", "IM till nationellt program")
        assert {row[names.index(name)] for name in paths} == {"–"}
    assert marked > 0


def test_the_auditor_reads_them_as_no_cell_and_finds_nothing_exposed(cohorts: World, monkeypatch):
    monkeypatch.setattr(gathering, "GATHERERS", {})
    monkeypatch.setattr(gathering, "SOURCES", gathering.SOURCES[:1])
    viewer = viewer_for(cohorts.users["network_member"])
    gathered = gathering.gather(viewer=viewer, region=cohorts.region)
    absent = [t for t in gathered.tables if t.not_applicable is not None]
    assert absent
    for table in absent:
        assert set(table.not_applicable.columns) == set(PATH_COUNTS)
        years = {
            dict(zip(table.dims, k, strict=True))["start_year"] for k in table.not_applicable.rows
        }
        assert years == {NEWEST}
    result = audit(gathered.tables, gathered.hierarchy)
    assert sum(s.hidden for s in result.summaries) > 0
    assert [f.describe() for f in result.findings] == []
