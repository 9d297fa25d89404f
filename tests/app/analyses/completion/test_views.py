"""Completion pages, API and CLI: the principal's own list, 403 for everyone else, audit."""

from __future__ import annotations

import io

import openpyxl
import pytest
from click.testing import CliRunner
from django.test import Client
from django.urls import reverse

from likvard.access.models import AuditEvent
from likvard.analyses.completion.models import WarningRuleSetting
from likvard.cli.main import command_tree
from tests.app.conftest import World

pytestmark = pytest.mark.django_db


def _client(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def _list_url(world: World) -> str:
    return reverse("analyses:completion-warning-list", kwargs={"code": world.own_unit.code})


def test_principal_sees_own_list_and_the_read_is_audited(completion_world: World):
    from likvard.organisations.models import Programme, ProgrammeKind

    Programme.objects.get_or_create(
        code="NA", defaults={"name": "Naturvetenskapsprogrammet", "kind": ProgrammeKind.PREPARATORY}
    )
    response = _client(completion_world, "principal").get(_list_url(completion_world))
    assert response.status_code == 200
    assert response.context["listing"].rows.__len__() == 6  # 25 % absence, the latest term
    assert "Lista för tidig varning" in response.content.decode()
    table = response.content.decode().split("warning-list")[1][:3000]
    assert "Naturvetenskapsprogrammet 3" in table  # the name, not NA (#16)
    assert "analyses/completion" in response.content.decode()  # its styles: short rows at 390 px
    event = AuditEvent.objects.get(purpose="completion.warning_list")
    assert event.username == "rektor"
    assert completion_world.own_unit.code in event.scope


@pytest.mark.parametrize(
    "role", ["organizer_analyst", "other_analyst", "regional_coordinator", "administrator"]
)
def test_everyone_else_gets_403_on_page_export_and_api(completion_world: World, role):
    client = _client(completion_world, role)
    assert client.get(_list_url(completion_world)).status_code == 403
    assert client.get(_list_url(completion_world) + "?format=xlsx").status_code == 403
    api = f"/api/v1/analyses/completion/school-units/{completion_world.own_unit.code}/warning-list"
    assert client.get(api).status_code == 403
    assert not AuditEvent.objects.filter(purpose="completion.warning_list").exists()


def test_principal_of_one_school_not_another(completion_world: World):
    url = reverse(
        "analyses:completion-warning-list", kwargs={"code": completion_world.other_unit.code}
    )
    assert _client(completion_world, "principal").get(url).status_code == 403
    unknown = reverse("analyses:completion-warning-list", kwargs={"code": "99999999"})
    assert _client(completion_world, "principal").get(unknown).status_code == 404


def test_export_for_the_team_meeting(completion_world: World):
    response = _client(completion_world, "principal").get(
        _list_url(completion_world) + "?format=xlsx"
    )
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Elevnyckel", "Läsår", "Termin")
    assert [r[5] for r in rows[1:7]] == [0.25] * 6  # native percentages, shown as 25,0 %
    assert "%" in sheet.cell(row=2, column=6).number_format
    assert sheet.freeze_panes == "A2"
    assert AuditEvent.objects.filter(action="export", channel="export").count() == 1


def test_api_list_for_the_principal(completion_world: World):
    code = completion_world.own_unit.code
    response = _client(completion_world, "principal").get(
        f"/api/v1/analyses/completion/school-units/{code}/warning-list"
    )
    assert response.status_code == 200
    body = response.json()
    assert len(body["rows"]) == 6
    assert body["rows"][0]["reasons"][0] == "level"
    assert len(body["rows"][0]["key"]) == 12


def test_cli_refuses_another_organizers_analyst(completion_world: World, tmp_path):
    runner = CliRunner()
    code = completion_world.own_unit.code
    refused = runner.invoke(
        command_tree(), ["completion", "warning-list", code, "--user", "analytiker2"]
    )
    assert refused.exit_code != 0
    assert "inte tillåtet" in refused.output
    allowed = runner.invoke(
        command_tree(),
        ["completion", "warning-list", code, "--user", "rektor", "-o", str(tmp_path / "l.xlsx")],
    )
    assert allowed.exit_code == 0, allowed.output
    assert "6 elever" in allowed.output


def test_region_page_and_rates(completion_world: World):
    url = reverse("analyses:completion-region", kwargs={"code": "gr"})
    response = _client(completion_world, "organizer_analyst").get(url + "?year=2022")
    assert response.status_code == 200
    trend = {row.year: row for row in response.context["trend"]}
    # 60 starters in 2021/22, 48 with a diploma in their third year (the 12 absent did not).
    assert trend["2021/22"].n == 60
    assert trend["2021/22"].diploma_3_national == pytest.approx(80.0)
    evaluation = {(r.kind, round(r.threshold)): r for r in response.context["evaluation_rows"]}
    row = evaluation[("Frånvaro under en termin", 10)]
    assert (row.flagged, row.true_positives, row.precision) == (12, 12, 100.0)


def test_rule_set_by_own_analyst_only(completion_world: World):
    url = reverse(
        "analyses:completion-organizer",
        kwargs={"organisation_number": completion_world.own.organisation_number},
    )
    data = {"level": "30", "window_level": "", "rise": "", "invalid_level": ""}
    assert _client(completion_world, "other_analyst").post(url, data).status_code == 403
    assert _client(completion_world, "organizer_analyst").post(url, data).status_code == 302
    setting = WarningRuleSetting.objects.get(organizer=completion_world.own)
    assert (setting.level, setting.window_level) == (0.3, None)
    # The principal's list now uses the organizer's 30 % rule: nobody reaches it.
    response = _client(completion_world, "principal").get(_list_url(completion_world))
    assert response.context["listing"].rows == []


@pytest.mark.parametrize(("fmt", "magic"), [("pdf", b"%PDF"), ("pptx", b"PK"), ("xlsx", b"PK")])
def test_region_exports_through_the_exports_package(completion_world: World, fmt, magic):
    client = _client(completion_world, "regional_coordinator")
    url = reverse("analyses:completion-region", kwargs={"code": "gr"})
    response = client.get(f"{url}?format={fmt}")
    assert response.status_code == 200
    assert response.content.startswith(magic)
    assert f"fullfoljda-gr.{fmt}" in response["Content-Disposition"]
    if fmt == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        # the test world's cohort has no four years yet: the trend and the evaluation only
        assert book.sheetnames[0] == "Trend"
        assert book.sheetnames[-1].startswith("Varningen")
    assert client.get(f"{url}?format=odt").status_code == 404


def test_the_year_shown_reads_as_a_school_year(completion_world: World):
    """The breakdown's heading names the school year as the tables above do
    (2021/22), not 'the school year ending in 2022'."""
    url = reverse("analyses:completion-region", kwargs={"code": "gr"})
    text = _client(completion_world, "organizer_analyst").get(url + "?year=2022").content.decode()
    assert "Nybörjare läsåret 2021/22</h2>" in text
    assert "som slutar" not in text
