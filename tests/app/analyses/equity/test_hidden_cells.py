"""A school's yearly table shows `..` with its reason in every hidden cell, never a blank.

A hidden year used to be one cell spanning six columns, right-aligned, so its `..` stood under
"Hela jämförelsen" alone: the page read as if the comparison were hidden and the unit's own
figures simply missing.
"""

from __future__ import annotations

from types import SimpleNamespace

import lxml.html  # python-pptx's and python-docx's parser
from django.template.loader import render_to_string
from django.utils import translation

HEADERS = ["Läsår", "Elever", "Lägre (%)", "Samma (%)", "Högre (%)", "95 %-intervall, högre",
           "Hela jämförelsen, högre (%)", "Flagga"]  # fmt: skip


def _table(rows: list[SimpleNamespace]) -> list[list[tuple[str, str | None]]]:
    report = SimpleNamespace(
        grade_year=9, breakdown="all", unit_pages=False, courses=False,
        chosen=SimpleNamespace(units=[], subjects=[], years=[], groups=[], school_unit="",
                               subject="", year=2025, group=""),
        detail=SimpleNamespace(rows=rows, total=len(rows), pages=1, number=1),
    )  # fmt: skip
    with translation.override("sv"):
        html = render_to_string("analyses/equity/_student_detail.html", {"report": report})
    [table] = lxml.html.fromstring(html).xpath("//table[@id='yearly-table']")
    headers = [" ".join(th.text_content().split()) for th in table.xpath("./thead//th")]
    assert headers == HEADERS
    out = []
    for tr in table.xpath("./tbody/tr"):
        cells = tr.xpath("./td")
        assert sum(int(td.get("colspan", 1)) for td in cells) == len(HEADERS)
        out.append([
            (td.text_content().strip(), next(iter(td.xpath("./abbr/@title")), None))
            for td in cells
        ])  # fmt: skip
    return out


def _row(**values: object) -> SimpleNamespace:
    base = {"year_label": "2024/25", "n": None, "shares_rounded": False, "share_lower": None,
                "share_same": None, "share_higher": None, "share_higher_ci_low": None,
                "share_higher_ci_high": None, "comparison_share_higher": None, "flag_reason": "",
                "unit_name": ""}  # fmt: skip
    return SimpleNamespace(**(base | values))


def test_a_hidden_year_shows_dots_and_the_reason_in_each_of_its_cells():
    [cells] = _table([_row()])
    assert cells[0] == ("2024/25", None)
    assert cells[1:7] == [("..", "För få elever för att visas")] * 6
    assert cells[7][0] == "Dold"


def test_a_hidden_year_keeps_a_released_comparison():
    [cells] = _table([_row(comparison_share_higher=0.37)])
    assert cells[1:6] == [("..", "För få elever för att visas")] * 5
    assert cells[6] == ("37", None)


def test_a_rounded_year_says_why_its_interval_is_not_shown():
    rounded = _row(year_label="2016/17", n=10, shares_rounded=True, share_lower=0.0,
                   share_same=1.0, share_higher=0.0, comparison_share_higher=0.37)  # fmt: skip
    [cells] = _table([rounded])
    assert cells[5] == ("..", "Visas inte när nästan alla elever hade samma utfall")


def test_a_hidden_adjusted_result_shows_dots_in_each_of_its_four_cells():
    """The adjusted results' row (actual, expected, difference, interval): the same rule."""
    with translation.override("sv"):
        html = render_to_string(
            "analyses/adjusted/_row_cells.html", {"row": SimpleNamespace(hidden=True)}
        )
    [tr] = lxml.html.fromstring(f"<table><tr>{html}</tr></table>").xpath("//tr")
    cells = tr.xpath("./td")
    assert [int(td.get("colspan", 1)) for td in cells] == [1, 1, 1, 1]
    assert {(td.text_content(), td.xpath("./abbr/@title")[0]) for td in cells} == {
        ("..", "För få elever för att visas")
    }
