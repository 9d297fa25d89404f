"""The survey region page is computed once per data version and viewer rights class and its
body rendered once per those figures and index; every reader of student-level figures is
audited, from the cache too, and a change in the register computes anew (issue #18)."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from likvard.access.models import AuditEvent, Role
from likvard.analyses.surveys import services, views
from likvard.warehouse.services import batch_import
from tests.app.analyses.surveys.test_results import HEAD, _answers, surveyed  # noqa: F401
from tests.app.conftest import World
from tests.factories.access import user_with_role

URL = reverse("surveys:survey-region", args=["gr-elev", "gr"])


def _reads(username: str) -> list[tuple[str, str, str, str]]:
    rows = AuditEvent.objects.filter(username=username).order_by("pk")
    return [(r.action, r.scope, r.purpose, r.data_version) for r in rows]


@pytest.fixture
def counted(monkeypatch) -> dict[str, int]:
    """How often the figures were computed and the body rendered."""
    calls = {"computed": 0, "rendered": 0}
    compute, render = services._report, views._region_context

    def computing(**kwargs):  # type: ignore[no-untyped-def]
        calls["computed"] += 1
        return compute(**kwargs)

    def rendering(*args):  # type: ignore[no-untyped-def]
        calls["rendered"] += 1
        return render(*args)

    monkeypatch.setattr(services, "_report", computing)
    monkeypatch.setattr(views, "_region_context", rendering)
    caches["default"].clear()
    return calls


def _page(user, **query: str) -> str:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    response = client.get(URL, query)
    assert response.status_code == 200
    return response.content.decode()


def _main(page: str) -> str:
    return page[page.index('<main id="main"') : page.index("</main>")]


def test_a_colleague_reads_the_kept_page_and_is_audited_alike(
    surveyed: World,  # noqa: F811
    counted: dict[str, int],
):
    analyst = surveyed.users["organizer_analyst"]
    colleague = user_with_role(
        "analytiker.kollega", Role.ORGANIZER_ANALYST, organizer=surveyed.own.organisation_number
    )
    first = _page(analyst)
    again = _page(colleague)
    assert counted == {"computed": 1, "rendered": 1}
    assert _main(again) == _main(first)  # the same figures, from the kept page
    assert "Björkris skola" in _main(first)
    assert _reads(analyst.username)  # the analyst reads the own units' figures in full
    assert _reads(colleague.username) == _reads(analyst.username)

    second = services.survey_get(survey="gr-elev").indices[1].key
    _page(colleague, index=second)  # another index: the same figures, rendered anew
    assert counted == {"computed": 1, "rendered": 2}
    assert _reads(colleague.username)[-1] == _reads(analyst.username)[-1]

    _page(surveyed.users["other_analyst"])  # another rights class: its own figures
    _page(surveyed.users["network_member"])
    assert counted == {"computed": 3, "rendered": 4}


def test_a_new_data_version_or_a_renamed_unit_computes_anew(
    surveyed: World,  # noqa: F811
    counted: dict[str, int],
    tmp_path: Path,
):
    member = surveyed.users["network_member"]
    _page(member)
    _page(member)
    assert counted["computed"] == 1

    surveyed.own_unit.name = "Björkris nya skola"
    surveyed.own_unit.save()
    page = _page(member)
    assert counted["computed"] == 2
    assert "Björkris nya skola" in page

    rows = _answers("2025", surveyed.own_unit.code, 5, first=200)
    path = tmp_path / "enkat-mer.csv"
    path.write_text("\n".join([HEAD["2025"], *rows]) + "\n", encoding="utf-8")
    batch_import(path=path, kind="survey_answers", by=None)
    _page(member)
    assert counted["computed"] == 3


def test_the_revision_names_questions_by_text_and_tables_name_their_index(
    surveyed: World,  # noqa: F811
):
    """A reader sees which question changed, not a list of codes, and which index a table of
    municipalities, organizers and units shows (issue #16); the workbook says the same."""
    page = _page(surveyed.users["network_member"], index="trygghet")
    assert "Jämfört med version 2024 är 10 frågor desamma." in page
    assert "Ändrad: Är det lugnt på lektionerna? (F4)" in page
    assert "Ny: Jag får använda digitala verktyg på ett bra sätt i skolarbetet. (F10)" in page
    assert "jämförbara F1" not in page
    assert "<caption>Trygghet per kommun</caption>" in page
    assert "<caption>Trygghet per skolenhet</caption>" in page
    client = Client()
    client.force_login(surveyed.users["network_member"])
    book = openpyxl.load_workbook(io.BytesIO(client.get(URL, {"format": "xlsx"}).content))
    cells = {str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row}
    assert "Ändrad: Är det lugnt på lektionerna? (F4)" in cells
