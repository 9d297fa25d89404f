"""Incident follow-up: import through the pipeline, released counts, cases for the school's own
principal and student health team only (page, API, CLI), every read audited."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from likvard.access import release as gate
from likvard.access.models import AuditEvent, Role
from likvard.analyses.warm import warm_region_releases
from likvard.cli.main import command_tree
from likvard.warehouse.selectors import data_version_newest
from likvard.warehouse.services import ImportRejectedError, batch_import
from tests.app.conftest import World
from tests.factories.access import user_with_role

pytestmark = pytest.mark.django_db

HEADER = "skolenhetskod;ärendenummer;anmäld;typ;utredd;åtgärdad;avslutad"


def _cases(unit: str, n: int) -> list[str]:
    """``n`` cases in 2024/25: every other one investigated after 3 days, a third closed."""
    rows = []
    for i in range(n):
        investigated = "2024-10-04" if i % 2 == 0 else ""
        closed = "2024-11-01" if i % 3 == 0 else ""
        rows.append(f"{unit};K-{i};2024-10-01;elev mot elev;{investigated};;{closed}")
    return rows


def _import(tmp_path: Path, world: World, rows: list[str], name: str = "k.csv"):
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return batch_import(path=path, kind="incidents", by=None, organizer=world.own)


@pytest.fixture
def incident_world(world: World, tmp_path: Path, settings) -> World:
    settings.LIKVARD_WAREHOUSE_DIR = tmp_path / "warehouse"
    _import(tmp_path, world, _cases(world.own_unit.code, 12))
    return world


@pytest.fixture
def health(world: World):
    return user_with_role("elevhalsa", Role.STUDENT_HEALTH, school_unit=world.own_unit.code)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _cases_url(world: World, unit=None) -> str:
    code = unit or world.own_unit.code
    return reverse("analyses:incidents-cases", kwargs={"code": code})


def test_a_bad_file_imports_nothing_and_names_file_row_column(incident_world, tmp_path):
    rows = _cases(incident_world.own_unit.code, 3)
    rows[1] = rows[1].replace("2024-10-01", "1 oktober")
    with pytest.raises(ImportRejectedError) as error:
        _import(tmp_path, incident_world, rows, name="bad.csv")
    assert error.value.issues[0].format_cli().startswith("bad.csv:3:anmäld")
    response = _client(incident_world.users["principal"]).get(_cases_url(incident_world))
    assert len(response.context["listing"].rows) == 12  # the first file's cases only


def test_importing_the_same_file_again_changes_nothing(incident_world, tmp_path):
    again = _import(tmp_path, incident_world, _cases(incident_world.own_unit.code, 12))
    assert again.already_imported


def test_region_counts_for_everyone_through_the_gate(incident_world):
    client = _client(incident_world.users["regional_coordinator"])
    response = client.get(reverse("analyses:incidents-region", kwargs={"code": "gr"}))
    assert response.status_code == 200
    total = response.context["trend"][0]
    # 12 reports, 6 investigated within 3 days, 4 closed (i = 0, 3, 6, 9)
    assert (total.reports, total.investigated_within) == (12, 50.0)
    assert total.closed == pytest.approx(100 * 4 / 12)
    assert total.not_investigated == 6 - 2  # the odd ones, but closed ones are closed: 3, 9
    assert "Uppföljning av kränkningar" in response.content.decode()
    # the year's tables are headed by the school year, as the trend table names it
    assert "Anmälningar under läsåret 2024/25</h2>" in response.content.decode()


def test_region_exports(incident_world):
    client = _client(incident_world.users["regional_coordinator"])
    url = reverse("analyses:incidents-region", kwargs={"code": "gr"})
    for fmt, magic in (("xlsx", b"PK"), ("pptx", b"PK")):
        response = client.get(f"{url}?format={fmt}")
        assert response.status_code == 200
        assert response.content[:2] == magic
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"{url}?format=xlsx").content))
    values = {c.value for ws in book.worksheets for r in ws.iter_rows() for c in r}
    assert "Elev mot elev" in values  # the kinds of incident in Swedish (issue #16)
    assert "Student to student" not in values
    assert client.get(f"{url}?dagar=9").status_code == 404


@pytest.mark.parametrize("who", ["principal", "health"])
def test_own_school_sees_cases_and_the_read_is_audited(incident_world, health, who):
    user = incident_world.users["principal"] if who == "principal" else health
    client = _client(user)
    response = client.get(_cases_url(incident_world))
    assert response.status_code == 200
    # The trail leads to the school and its cases, not to "Fullföljda studier" (#16).
    crumbs = response.content.decode().split('class="breadcrumbs"')[1].split("</nav>")[0]
    assert "Fullföljda studier" not in crumbs
    assert incident_world.own_unit.name in crumbs
    assert "Kränkningsärenden" in crumbs
    api = f"/api/v1/analyses/incidents/school-units/{incident_world.own_unit.code}/cases"
    body = client.get(api).json()
    assert len(body["rows"]) == 12
    events = AuditEvent.objects.filter(purpose="incidents.cases", username=user.username)
    assert {e.channel for e in events} == {"web", "api"}


@pytest.mark.parametrize(
    "role",
    ["organizer_analyst", "other_analyst", "regional_coordinator", "administrator",
     "network_member"],
)  # fmt: skip
def test_everyone_else_gets_403_on_cases(incident_world, role):
    client = _client(incident_world.users[role])
    assert client.get(_cases_url(incident_world)).status_code == 403
    api = f"/api/v1/analyses/incidents/school-units/{incident_world.own_unit.code}/cases"
    assert client.get(api).status_code == 403
    assert not AuditEvent.objects.filter(purpose="incidents.cases").exists()


def test_student_health_only_at_its_own_school(incident_world, health):
    client = _client(health)
    assert client.get(_cases_url(incident_world, incident_world.other_unit.code)).status_code == 403
    warning = reverse(
        "analyses:completion-warning-list", kwargs={"code": incident_world.own_unit.code}
    )
    assert client.get(warning).status_code == 200
    other = reverse(
        "analyses:completion-warning-list", kwargs={"code": incident_world.other_unit.code}
    )
    assert client.get(other).status_code == 403
    # nothing else student-level: the organizer's student list stays suppressed for them
    api = f"/api/v1/analyses/completion/school-units/{incident_world.other_unit.code}/warning-list"
    assert client.get(api).status_code == 403


def test_cli_cases_for_the_team_only(incident_world, health):
    runner = CliRunner()
    code = incident_world.own_unit.code
    ok = runner.invoke(
        command_tree(), ["completion", "incident-cases", code, "--user", "elevhalsa"]
    )
    assert ok.exit_code == 0, ok.output
    assert ok.output.count("\n") == 13  # header and 12 cases
    refused = runner.invoke(
        command_tree(), ["completion", "incident-cases", code, "--user", "analytiker"]
    )
    assert refused.exit_code != 0
    assert "inte tillåtet" in refused.output
    warning = runner.invoke(
        command_tree(), ["completion", "warning-list", code, "--user", "elevhalsa"]
    )
    assert warning.exit_code == 0, warning.output
    counts = runner.invoke(
        command_tree(), ["completion", "incidents", "gr", "--user", "samordnare"]
    )
    assert counts.exit_code == 0, counts.output
    assert "school_year;organizer_code;reports" in counts.output


def test_after_the_warm_up_the_region_page_decides_nothing(incident_world, monkeypatch):
    """The yearly stage cubes take minutes at demo scale: decided by the warm-up, not a visit."""
    cache.clear()
    assert warm_region_releases(data_version_newest()) >= 1
    decided: list[int] = []
    real = gate.suppress_cube

    def counting(*args, **kwargs):
        decided.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(gate, "suppress_cube", counting)
    client = _client(incident_world.users["regional_coordinator"])
    response = client.get(reverse("analyses:incidents-region", kwargs={"code": "gr"}))
    assert response.status_code == 200
    assert decided == []


def test_region_page_is_decided_once_per_class_and_every_read_audited(incident_world, monkeypatch):
    from likvard.analyses.incidents import services

    decided: list[int] = []
    real = services.release_cube

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        decided.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "release_cube", counting)
    url = reverse("analyses:incidents-region", kwargs={"code": "gr"})
    analyst = incident_world.users["organizer_analyst"]  # rights to Kungsbacka's students
    before = AuditEvent.objects.filter(username=analyst.username).count()
    first = _client(analyst).get(url)
    reads = AuditEvent.objects.filter(username=analyst.username).count() - before
    once = len(decided)
    assert once > 0
    again = _client(analyst).get(url)  # kept for the analyst's rights class
    assert len(decided) == once
    assert "Uppföljning av kränkningar" in again.content.decode()
    assert first.context["trend"]  # rendered by the first request
    assert again.context.get("trend") is None  # served from the kept fragment: not rendered
    assert AuditEvent.objects.filter(username=analyst.username).count() - before == 2 * reads


def test_a_hidden_row_reads_two_dots_in_every_cell():
    """A row under the minimum group reads '..' in each figure cell, as every other table does;
    '–' is kept for 'nothing to count', so a reader can tell hidden from none."""
    from types import SimpleNamespace

    from django.template.loader import render_to_string

    from likvard.analyses.incidents.rows import FollowupRow

    none = dict.fromkeys(
        ["per_100", "closed", "investigated_within", "measures_within", "days_investigated",
         "days_measures", "not_investigated"]
    )  # fmt: skip
    hidden = FollowupRow(label="Liten skola", year="2024/25", total=False, hidden=True,
                         reports=None, **none)  # fmt: skip
    html = render_to_string(
        "analyses/incidents/_table.html",
        {"rows": [hidden], "report": SimpleNamespace(within_days=14), "caption": "Skolenhet",
         "first": "Skolenhet", "table_id": "t"},
    )  # fmt: skip
    cells = html.split("Liten skola</th>")[1].split("</tr>")[0]
    assert cells.count("<td") == 7 == cells.count(">..</abbr>")
    assert "–" not in cells
