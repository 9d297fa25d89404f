"""An equity workbook printed over several pages across names every row on every page: the
school unit, subject, school year and group (with their codes) repeat at the left of each page
and the header row at the top of each (only the school unit repeated before, so a reader of
the second page across could not tell which subject or group a row was).

The database only supplies names here, and the same three workbooks are downloaded on
PostgreSQL by ``test_views.py::test_every_table_exports_to_xlsx``: a workbook's print set-up and
its drawn header cannot differ by database, so the PostgreSQL pass of make test leaves these out
(``database_neutral``)."""

from __future__ import annotations

from io import BytesIO
from itertools import pairwise
from pathlib import Path

import pdfplumber
import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.app.conftest import World
from tests.app.exports.edges import check, needs_tools

YEARLY = ["Skolenhet", "Skolenhet (kod)", "Ämne eller kurs", "Ämne eller kurs (kod)", "Läsår",
          "Grupp"]  # fmt: skip
PATTERNS = ["Skolenhet", "Skolenhet (kod)", "Ämne eller kurs", "Ämne eller kurs (kod)", "Grupp"]
pytestmark = pytest.mark.database_neutral


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


@pytest.mark.slow
@needs_tools
@pytest.mark.django_db
def test_the_header_row_printed_ends_where_its_text_does(warehouse: World, tmp_path: Path):
    """The header row was set a line or two higher than its wrapped headers print ("~100 (alla
    utom högst fyra)" counted as five lines in its column, printed in three): an empty band
    under the headers on every page; and a row made higher by a wrapped explanation printed its
    figures at its bottom, 64 points under the headers. Printed by LibreOffice, the first row
    follows the longest header at less than a row's height, and nothing prints over anything."""
    client = Client()
    client.force_login(warehouse.users["organizer_analyst"])
    url = reverse("analyses:equity-school", kwargs={"code": "65390344"})
    content = client.get(url, {"format": "xlsx"}).content
    assert check([("skola.xlsx", content)], tmp_path) == []
    with pdfplumber.open(tmp_path / "drawn" / "skola-xlsx.pdf") as drawn:
        page = drawn.pages[0]
        words = page.extract_words()
    first_row = min(w["top"] for w in words if w["text"] == "Björkris")  # the unit's rows
    header = [w for w in words if w["top"] < first_row - 1]
    tops = sorted({round(w["top"], 1) for w in header})
    # a header line, as printed (words of one line may sit a tenth of a point apart)
    line = min(b - a for a, b in pairwise(tops) if b - a > 2)
    gap = first_row - max(w["bottom"] for w in header)
    assert gap < 1.5 * line, (gap, line)
