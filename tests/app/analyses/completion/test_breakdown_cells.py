"""A completion breakdown's hidden row shows `..` and why in every cell, and a figure whose years
are not over shows "–" and says so: they were both "–", so a small hidden municipality read
like a group whose years had not passed (issue #15: hidden cells show `..` everywhere)."""

from __future__ import annotations

import lxml.html  # python-pptx's and python-docx's parser
from django.template.loader import render_to_string
from django.utils import translation

from likvard.analyses.completion.rows import CompletionRow

HIDDEN = "Dolt: för få elever"
NOT_OVER = "Åren har inte gått än"


def _row(label: str, *, hidden: bool, n: int | None, diploma_5: float | None) -> CompletionRow:
    shown = None if hidden else 50.0
    return CompletionRow(
        label=label, total=False, n=n, diploma_3=shown, diploma_4=shown, diploma_4_low=None,
        diploma_4_high=None, diploma_5=diploma_5, certificate_4=shown, studying_4=shown,
        interrupted_4=shown, moved_programme=shown, moved_organizer=shown, im_to_national=shown,
        hidden=hidden,
    )  # fmt: skip


def _cells() -> dict[str, list[tuple[str, str | None]]]:
    rows = [_row("Härryda", hidden=True, n=None, diploma_5=None),
            _row("Ale", hidden=False, n=105, diploma_5=None)]  # fmt: skip
    with translation.override("sv"):
        html = render_to_string(
            "analyses/completion/_breakdown.html",
            {"rows": rows, "caption": "Hemkommun", "table_id": "t"},
        )
    table = lxml.html.fromstring(html).xpath("//table")[0]
    width = len(table.xpath("./thead//th"))
    out = {}
    for tr in table.xpath("./tbody/tr"):
        cells = tr.xpath("./td")
        assert len(cells) + 1 == width
        out[tr.xpath("./th")[0].text_content()] = [
            (td.text_content().strip(), next(iter(td.xpath(".//abbr/@title")), None))
            for td in cells
        ]
    return out


def test_a_hidden_row_shows_dots_and_the_reason_in_every_cell():
    assert _cells()["Härryda"] == [("..", HIDDEN)] * 8


def test_a_shown_row_marks_years_not_over_with_their_reason():
    ale = _cells()["Ale"]
    assert ale[0] == ("105", None)
    assert ale[3] == ("–", NOT_OVER)  # five years from 2021/22 are not over
    assert ale[1] == ("50,0", None)
