"""An equity workbook printed over several pages across names every row on every page: the
school unit, subject, school year and group (with their codes) repeat at the left of each page
and the header row at the top of each (only the school unit repeated before, so a reader of
the second page across could not tell which subject or group a row was)."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.app.conftest import World

YEARLY = ["Skolenhet", "Skolenhet (kod)", "Ämne eller kurs", "Ämne eller kurs (kod)", "Läsår",
          "Grupp"]  # fmt: skip
PATTERNS = ["Skolenhet", "Skolenhet (kod)", "Ämne eller kurs", "Ämne eller kurs (kod)", "Grupp"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "kwargs", "sheets"),
    [
        ("analyses:equity-region", {"code": "gr"}, {"Per år": YEARLY}),
        ("analyses:equity-organizer", {"organisation_number": "2120001256"},
         {"Per år": YEARLY, "Mönster": PATTERNS}),
        ("analyses:equity-school", {"code": "65390344"}, {"Per år": YEARLY, "Mönster": PATTERNS}),
    ],
)  # fmt: skip
def test_every_printed_page_repeats_the_columns_naming_a_row(
    warehouse: World, name: str, kwargs: dict[str, str], sheets: dict[str, list[str]]
):
    client = Client()
    client.force_login(warehouse.users["organizer_analyst"])
    response = client.get(reverse(name, kwargs=kwargs), {"format": "xlsx"})
    workbook = load_workbook(BytesIO(response.content))
    for title, key in sheets.items():
        sheet = workbook[title]
        header = [c.value for c in sheet[1]]
        assert header[: len(key)] == key
        assert header[len(key)] not in YEARLY  # the first figure, not another name
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.print_title_rows == "$1:$1"  # the header row on every page
        fitted = sheet.sheet_properties.pageSetUpPr is not None and (
            sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
        )
        if title == "Per år":  # 29 columns: printed over several pages across
            assert not fitted
        if not fitted:
            last = chr(ord("A") + len(key) - 1)
            assert sheet.print_title_cols == f"$A:${last}", title
