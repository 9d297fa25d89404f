"""The planning page's overview: one line per programme, the full table on demand.

The page showed every programme and year inline (250 rows, about 16,000 px at 1280 px)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from likvard.analyses.planning.services.basis import ComparisonRow
from likvard.analyses.planning.services.summary import programme_summary
from tests.app.analyses.planning.conftest import PlanningWorld
from tests.app.analyses.planning.factories import scenario_change


def _row(year: int, code: str, name: str, gap: float | None) -> ComparisonRow:
    return ComparisonRow(
        year=year, programme_code=code, supply=10, demand=None if gap is None else 10 - gap,
        gap=gap, scenario_change=0, scenario_supply=10, scenario_gap=gap, status="exists",
        basis=None, programme=name,
    )  # fmt: skip


def test_the_summary_has_the_first_year_and_the_smallest_shown_gap():
    rows = [
        _row(2026, "NA", "Naturvetenskapsprogrammet", 4.0),
        _row(2027, "NA", "Naturvetenskapsprogrammet", -6.0),
        _row(2028, "NA", "Naturvetenskapsprogrammet", -6.0),
        _row(2029, "NA", "Naturvetenskapsprogrammet", None),  # hidden: not in the summary
        _row(2026, "EE", "El- och energiprogrammet", None),
        _row(2027, "EE", "El- och energiprogrammet", None),
    ]
    ee, na = programme_summary(rows, year=2026)  # by name: El- before Naturvetenskap
    assert (na.programme, na.first.gap, na.lowest_gap, na.lowest_year) == (
        "Naturvetenskapsprogrammet", 4.0, -6.0, 2027,  # the earlier of two equal years
    )  # fmt: skip
    assert (ee.programme_code, ee.first.gap, ee.lowest_gap, ee.lowest_year) == (
        "EE",
        None,
        None,
        None,
    )


@pytest.mark.django_db
def test_the_page_shows_one_line_per_programme_and_the_full_table_folded(
    planning_world: PlanningWorld,
):
    scenario_change(planning_world.world, planning_world.other_upper, places=-20)  # EE from 2026
    client = Client()
    client.force_login(planning_world.world.users["regional_coordinator"])
    content = client.get(reverse("planning:region", kwargs={"code": "gr"})).content.decode()
    summary = content.split('id="summary-table"')[1].split("</table>")[0]
    assert "läsåret 2025/26 (start hösten 2025)" in summary
    assert "minsta skillnaden med scenariot 2025–2034" in summary
    lines = summary.split("<tbody>")[1].split("</tr>")[:-1]
    assert len(lines) == 2  # EE and NA, not one row per programme and year
    ee = next(line for line in lines if "El- och energiprogrammet" in line)
    # 2025: 12 places, 12 expected; from 2026 the scenario takes 20 places away
    cells = [cell.split("<")[0] for cell in ee.split('<td class="num">')[1:]]
    assert cells[:4] == ["12", "12", "0", "0"]
    assert '-20 <span class="muted">(2026)</span>' in ee
    folded = content.split('<details id="supply-details">')[1].split("</details>")[0]
    assert 'id="supply-table"' in folded
    assert "Alla program och år (20 rader)" in folded
