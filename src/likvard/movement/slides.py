"""The dependency map as slides (python-pptx): the map and the Sankey as pictures, the page's
figures as table slides, provenance last.

The map is the page's Vega-Lite spec drawn to PNG by vl-convert; the Sankey is the page's SVG
drawn to PNG by vl-convert's ``svg_to_png``. Hidden cells are written ``..``, as on the page.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from io import BytesIO

import vl_convert
from django.utils.translation import gettext as _
from pptx import Presentation
from pptx.presentation import Presentation as Deck
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from likvard.movement.services import MunicipalityReport, RegionReport
from likvard.movement.services.introduction import FollowupRow

PPTX_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ROWS_PER_SLIDE = 14
SWEDISH_LOCALE = {
    "decimal": ",",
    "thousands": "\u00a0",
    "grouping": [3],
    "currency": ["", "\u00a0kr"],
    "percent": "\u00a0%",
}
_TITLE_ONLY = 5
_WIDE = Inches(13.333)
_HIGH = Inches(7.5)
_MARGIN = Inches(0.4)
TABLE_TOP = Inches(1.4)
ROW_HEIGHT = Inches(0.34)
TABLE_POINTS = 11
CHAR_INCHES = 0.085
"""A generous average width of a character at 11 pt, in inches (for sizing table columns)."""

Table = tuple[str, Sequence[str], Sequence[Sequence[str]]]


def cell(value: object, *, percent: bool = False) -> str:
    """A figure as slide text: ``..`` when hidden, a decimal comma, percent for a share."""
    if value is None:
        return ".."
    if isinstance(value, float):
        return f"{value * 100 if percent else value:.1f}".replace(".", ",")
    return str(value)


def map_png(spec: Mapping[str, object]) -> bytes:
    """The Vega-Lite map as a PNG (a fixed width instead of the page's container)."""
    drawn = copy.deepcopy(dict(spec))
    drawn["width"] = 700
    drawn.pop("autosize", None)
    return bytes(
        vl_convert.vegalite_to_png(
            vl_spec=drawn, scale=2, format_locale=SWEDISH_LOCALE, allowed_base_urls=[]
        )
    )


def svg_png(svg: str) -> bytes:
    """An inline SVG (the Sankey) as a PNG."""
    fixed = svg.replace('width="100%"', 'width="960" height="560"', 1)
    return bytes(vl_convert.svg_to_png(fixed, scale=2))


def fit_title(
    slide: Slide, text: str, *, size: int = 26, top: float = 0.25, height: float = 1.0
) -> None:
    """Set the slide's title across the 16:9 slide above the body (the default template's
    placeholder is placed for a 4:3 slide, so a long title ran into the picture or table)."""
    title = slide.shapes.title
    if title is None:
        raise ValueError("the slide layout has no title")
    title.left, title.top = _MARGIN, Inches(top)
    title.width, title.height = Emu(_WIDE - 2 * _MARGIN), Inches(height)
    title.text = text
    frame = title.text_frame
    frame.word_wrap = True
    for paragraph in frame.paragraphs:
        paragraph.font.size = Pt(size)


def column_widths(headings: Sequence[str], rows: Sequence[Sequence[str]], total: int) -> list[int]:
    """Column widths (EMU) summing to ``total``, each as wide as its longest text where that
    fits, the rest shared in proportion, so names do not wrap into tall rows."""
    longest = [max([len(h), *(len(r[c]) for r in rows)]) for c, h in enumerate(headings)]
    wanted = [Inches(CHAR_INCHES * max(n, 4) + 0.2) for n in longest]
    scale = total / sum(wanted)
    widths = [int(w * scale) for w in wanted]
    widths[-1] += total - sum(widths)
    return widths


def _picture_slide(deck: Deck, caption: str, png: bytes) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[_TITLE_ONLY])
    fit_title(slide, caption)
    picture = slide.shapes.add_picture(BytesIO(png), Inches(0.6), Inches(1.4))
    limit_w, limit_h = _WIDE - Inches(1.2), _HIGH - Inches(1.7)
    ratio = min(limit_w / picture.width, limit_h / picture.height, 1.0)
    picture.width, picture.height = (
        Emu(int(picture.width * ratio)),
        Emu(int(picture.height * ratio)),
    )


def _table_slides(
    deck: Deck, title: str, headings: Sequence[str], rows: Sequence[Sequence[str]]
) -> None:
    chunks = [rows[i : i + ROWS_PER_SLIDE] for i in range(0, len(rows), ROWS_PER_SLIDE)] or [[]]
    for index, chunk in enumerate(chunks):
        slide = deck.slides.add_slide(deck.slide_layouts[_TITLE_ONLY])
        suffix = f" ({index + 1}/{len(chunks)})" if len(chunks) > 1 else ""
        fit_title(slide, title + suffix)
        grid = slide.shapes.add_table(
            len(chunk) + 1,
            len(headings),
            _MARGIN,
            TABLE_TOP,
            _WIDE - 2 * _MARGIN,
            ROW_HEIGHT * (len(chunk) + 1),
        ).table
        widths = column_widths(headings, chunk, _WIDE - 2 * _MARGIN)
        for col, width in enumerate(widths):
            grid.columns[col].width = width
        for line in range(len(chunk) + 1):
            grid.rows[line].height = ROW_HEIGHT
        for col, heading in enumerate(headings):
            grid.cell(0, col).text = heading
            for line, row in enumerate(chunk, start=1):
                grid.cell(line, col).text = row[col]
        for r in range(len(chunk) + 1):
            for c in range(len(headings)):
                for paragraph in grid.cell(r, c).text_frame.paragraphs:
                    paragraph.font.size = Pt(TABLE_POINTS)


def presentation(
    *,
    title: str,
    subtitle: str,
    pictures: Sequence[tuple[str, bytes]],
    tables: Sequence[Table],
    sources: Sequence[str],
) -> bytes:
    """A 16:9 deck: title, one slide per picture, the tables, then the sources."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = _WIDE, _HIGH
    first = deck.slides.add_slide(deck.slide_layouts[0])
    fit_title(first, title, size=36, top=2.0, height=1.6)
    subtitle_box = first.placeholders[1]
    subtitle_box.left, subtitle_box.top = _MARGIN, Inches(3.8)
    subtitle_box.width, subtitle_box.height = _WIDE - 2 * _MARGIN, Inches(1.2)
    subtitle_box.text = subtitle
    for caption, png in pictures:
        _picture_slide(deck, caption, png)
    for table_title, headings, rows in tables:
        _table_slides(deck, table_title, headings, rows)
    last = deck.slides.add_slide(deck.slide_layouts[_TITLE_ONLY])
    fit_title(last, _("Sources"))
    box = last.shapes.add_textbox(Inches(0.6), Inches(1.6), _WIDE - Inches(1.2), Inches(4))
    box.text_frame.word_wrap = True
    box.text_frame.text = "\n".join(sorted(set(sources)))
    buffer = BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _year_label(year: int | None) -> str:
    return "–" if year is None else f"{year - 1}/{year % 100:02d}"


def region_deck(report: RegionReport) -> bytes:
    """The region page as slides: map, Sankey, the map's figures and the matrix."""
    headings = [_("Municipality"), _("Residents"), _("Another organizer"), _("Share (%)"),
                _("Outgoing"), _("Incoming"), _("Net")]  # fmt: skip
    rows = [
        [r.name, cell(r.residents), cell(r.other), cell(r.share, percent=True), cell(r.outgoing),
         cell(r.incoming), cell(r.net)]
        for r in report.map_rows
    ]  # fmt: skip
    matrix_headings = [_("Home municipality"), *[name for _c, name in report.matrix_columns[:9]]]
    matrix = [[r.name, *[cell(v) for v in r.cells[:9]]] for r in report.matrix_rows]
    year = _year_label(report.year)
    return presentation(
        title=_("Dependency map: %(region)s %(year)s")
        % {"region": report.region.name, "year": year},
        subtitle=_("Likvärd: where upper-secondary students live and study, 15 October"),
        pictures=[
            (
                _("Share with another organizer than the home municipality"),
                map_png(report.map_chart),
            ),
            (
                _("Flows: home municipality, organizer, school unit, programme"),
                svg_png(report.sankey),
            ),
        ],
        tables=[
            (_("Municipalities"), headings, rows),
            (_("Origin and destination (first columns)"), matrix_headings, matrix),
        ],
        sources=[report.share.provenance, report.matrix.provenance],
    )


def municipality_deck(report: MunicipalityReport) -> bytes:
    """The municipality page as slides: outgoing, incoming and net per programme."""
    headings = [_("Programme"), _("Residents"), _("Outgoing"), _("Incoming"), _("Net")]
    rows = [
        [r.label, cell(r.residents),
         cell(r.outgoing), cell(r.incoming), cell(r.net)]
        for r in report.balance_rows
    ]  # fmt: skip
    organizers = [[r.name, cell(r.students)] for r in report.organizer_rows]
    origins = [[r.name, cell(r.students)] for r in report.origin_rows]
    followup = _("Introduction programmes: where the students are the next year")
    pictures = [(followup, map_png(report.introduction_chart))] if report.introduction_rows else []
    return presentation(
        title=_("Dependency map: %(name)s %(year)s")
        % {"name": report.municipality.name, "year": _year_label(report.year)},
        subtitle=_("Likvärd: where upper-secondary students live and study, 15 October"),
        pictures=pictures,
        tables=[
            (_("Outgoing, incoming and net per programme"), headings, rows),
            (_("Where our young people study"), [_("Organizer"), _("Students")], organizers),
            (
                _("Where the students of our schools live"),
                [_("Home municipality"), _("Students")],
                origins,
            ),
            (followup, *_followup_table(report.introduction_rows)),
        ],
        sources=[report.balance.provenance, report.introduction.provenance],
    )


def _followup_table(rows: Sequence[FollowupRow]) -> tuple[list[str], list[list[str]]]:
    """The introduction follow-up as on the page: students, then each outcome as count and
    percent of the students (``..`` when hidden)."""

    def outcome(count: int | None, percent: float | None) -> str:
        if count is None:
            return ".."
        return f"{count} ({cell(percent)} %)" if percent is not None else str(count)

    headings = [_("Start year"), _("Programme"), _("Students"), _("National programme"),
                _("Still on an introduction programme"), _("Left upper secondary")]  # fmt: skip
    body = [
        [_year_label(r.school_year),
         r.label,
         cell(r.students), outcome(r.national, r.national_percent),
         outcome(r.introduction, r.introduction_percent), outcome(r.left, r.left_percent)]
        for r in rows
    ]  # fmt: skip
    return headings, body
