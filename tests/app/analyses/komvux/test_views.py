"""Komvux pages, exports, API and CLI: the same released figures on every surface."""

from __future__ import annotations

import io
import re

import openpyxl
import pdfplumber
from click.testing import CliRunner
from django.test import Client
from django.urls import reverse

from likvard.cli.komvux import komvux
from likvard.exports.files import PDF_TYPE, PPTX_TYPE, XLSX_TYPE


def _client(world, role):
    client = Client()
    client.force_login(world.users[role])
    return client


def test_region_page_shows_measures_with_definitions_and_names(komvux_data):
    response = _client(komvux_data, "regional_coordinator").get(
        reverse("komvux:region", kwargs={"code": "gr"})
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Söktryck" in text
    assert "Fyllnadsgrad" in text
    assert "Arbetsdefinition" in text  # the working definition beside the figure
    assert "Undersköterska" in text
    assert "Kungsbacka" in text
    assert 'id="table-course_code"' in text


def test_organizer_page_in_full_for_own_analyst(komvux_data):
    response = _client(komvux_data, "organizer_analyst").get(
        reverse("komvux:organizer", kwargs={"organisation_number": "2120001256"})
    )
    assert response.status_code == 200
    assert "Bageri och konditori" in response.content.decode()


def test_exports_in_three_formats(komvux_data):
    client = _client(komvux_data, "regional_coordinator")
    url = reverse("komvux:region", kwargs={"code": "gr"})
    for fmt, kind in (("xlsx", XLSX_TYPE), ("pdf", PDF_TYPE), ("pptx", PPTX_TYPE)):
        response = client.get(url, {"format": fmt})
        assert response.status_code == 200, fmt
        assert response["Content-Type"] == kind
        assert response.content
    book = openpyxl.load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content))
    sheet = book[book.sheetnames[0]]
    headers = [c.value for c in next(sheet.iter_rows(min_row=1, max_row=8)) if c.value]
    assert headers
    values = {c.value for ws in book.worksheets for r in ws.iter_rows() for c in r}
    assert "Bageri och konditori" in values  # courses by name, the code beside (issue #16)
    assert not values & {"own", "contracted", "other_public", "municipal", "large", "small"}
    assert client.get(url, {"format": "doc"}).status_code == 404


def test_api_region(komvux_data):
    response = _client(komvux_data, "regional_coordinator").get("/api/v1/komvux/regions/gr")
    assert response.status_code == 200
    body = response.json()
    assert body["years"] == [2024]
    starts = body["tables"]["enrolment"]["start_key"]["rows"]
    small = next(r for r in starts if r["start_key"] == "1384/K3")
    assert small["enrolled"] is None
    assert small["status"] != "exists"


def test_cli_region_csv(komvux_data):
    result = CliRunner().invoke(
        komvux, ["region", "gr", "--by", "provider_type", "--user", "samordnare"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("year;provider_type;name;places")
    assert lines[1].startswith("2024;;Alla;106;")


def test_pages_are_decided_once_per_class_and_every_read_audited(komvux_data, monkeypatch):
    from likvard.access.models import AuditEvent
    from likvard.analyses.komvux import services

    decided: list[int] = []
    real = services.release_cube

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        decided.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "release_cube", counting)
    analyst = komvux_data.users["organizer_analyst"]  # Kungsbacka's figures in full
    for url in (
        reverse("komvux:region", kwargs={"code": "gr"}),
        reverse("komvux:organizer", kwargs={"organisation_number": "2120001256"}),
    ):
        before = AuditEvent.objects.filter(username=analyst.username).count()
        first = _client(komvux_data, "organizer_analyst").get(url).content.decode()
        reads = AuditEvent.objects.filter(username=analyst.username).count() - before
        once = len(decided)
        again = _client(komvux_data, "organizer_analyst").get(url).content.decode()
        assert len(decided) == once  # kept for the analyst's rights class
        strip = r'name="csrfmiddlewaretoken" value="[^"]+"'
        assert re.sub(strip, "", again) == re.sub(strip, "", first)
        assert AuditEvent.objects.filter(username=analyst.username).count() - before == 2 * reads
    assert reads > 0  # the organizer's own figures: read in full, audited every time


def test_tables_name_what_their_rows_are(komvux_data):
    """Each table's first column says what its rows are (the trend's rows are years, not
    names), and the list of single starts is 'Kurstillfälle', not 'Start', which reads as the
    start page; the workbook's sheet says the same."""
    client = _client(komvux_data, "organizer_analyst")
    url = reverse("komvux:organizer", kwargs={"organisation_number": "2120001256"})
    text = client.get(url).content.decode()
    trend = text.split('id="trend-table"')[1].split("</tr>")[0]
    assert '<th scope="col">År kursen startade</th>' in trend
    assert '<th scope="col">Namn</th>' not in text
    assert re.search(r"<summary>Kurstillfälle \(\d+\)</summary>", text)
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"{url}?format=xlsx").content))
    cells = {str(c.value) for ws in book.worksheets for r in ws.iter_rows() for c in r}
    assert not any(value.startswith("Start ") for value in cells)


def test_the_pdf_overview_writes_measures_as_the_page_does(komvux_data):
    """The overview's percentages are written with one decimal and a percent sign, as on the
    page (``87,4 %``), and söktryck with two (``1,59``), not every measure with two (``87,40``)."""
    client = _client(komvux_data, "regional_coordinator")
    url = reverse("komvux:region", kwargs={"code": "gr"})
    content = client.get(url, {"format": "pdf"}).content
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        table = pdf.pages[0].extract_tables()[0]
    values = {row[0]: row[1] for row in table[1:]}
    assert re.fullmatch(r"\d+,\d\d", values["Söktryck"])
    assert re.fullmatch(r"\d+,\d\s%", values["Fyllnadsgrad"]), values["Fyllnadsgrad"]
    assert re.fullmatch(r"\d+,\d\s%", values["Slutfört"]), values["Slutfört"]
