"""The region's completion workbook speaks Swedish: every sheet's headers are words, not the
cohort table's column names, and its numbers are numbers (issue #16: "Swedish column headers
in every workbook")."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from likvard_core.analytics.completion.cohort import BREAKDOWNS, VALUE_COLUMNS
from tests.app.analyses.completion.test_not_observable import NEWEST, cohorts  # noqa: F401
from tests.app.conftest import World

pytestmark = pytest.mark.django_db

CODE_NAMES = {*VALUE_COLUMNS, *BREAKDOWNS, "start_year", "programme_group", "n", "status"}


def test_every_breakdown_sheet_has_swedish_headers_and_typed_numbers(
    cohorts: World,  # noqa: F811
):
    client = Client()
    client.force_login(cohorts.users["regional_coordinator"])
    url = reverse("analyses:completion-region", kwargs={"code": "gr"})
    response = client.get(f"{url}?year={NEWEST - 1}&format=xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    checked = numbers = 0
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        heads = [r for r in rows if r and "Nybörjare" in r]
        for head in heads:
            names = [str(n) for n in head if n is not None]
            assert not CODE_NAMES & set(names), (sheet.title, names)
            assert not [n for n in names if "_" in n], (sheet.title, names)
            checked += 1
        for head in heads:
            body = rows[rows.index(head) + 1 :]
            for index, name in enumerate(head):
                if name is None or not (name == "Nybörjare" or str(name).endswith("(%)")):
                    continue
                values = [r[index] for r in body if r and r[index] not in (None, "..", "–")]
                assert all(isinstance(v, int | float) for v in values), (sheet.title, name)
                numbers += len(values)
    assert checked >= 4  # the four breakdowns
    assert numbers
