"""A ``Document`` as an XLSX workbook: a sheet per section, numbers as numbers.

Every table has Swedish headers in bold (wrapped), native number formats by column kind
(percent, counts with thousands, decimals, years without separators), the first table's header
row frozen and filterable, hidden figures as their mark with the reasons under the table, and
the table's notes (the source) after it. Charts drawn as pictures are left to the other formats;
a table may carry a native line chart instead.

Printed (issue #16), a sheet is set up as a person expects: rows as high as their wrapped text,
measured in the workbook's font (``calibri``: a two-line header never prints over the first
row, since LibreOffice does not grow a row itself, and Excel shows no empty line under it),
notes and long texts wrapped across the table's width instead of running off onto pages of
their own, A4 in landscape where the columns are wide, fitted to one page wide, the header row
repeated on every page and page numbers in the footer. A table too wide to be read at a third
of its size is printed at ``MIN_SCALE`` over several pages across instead, its key columns
repeated on each (as the PDF splits it).
"""

from __future__ import annotations

import io
import re
from copy import copy

from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from likvard.exports import calibri, cells, layout
from likvard.exports.document import (
    Block,
    Document,
    Facts,
    Heading,
    Hidden,
    Medium,
    Paragraph,
    Section,
    Table,
)

FONT = "Calibri"
"""The workbook's body font: a bold cell names it too, or it is drawn in the default serif."""
BOLD = Font(name=FONT, bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
"""A cell of a table's body: at the top of a row made higher by a wrapped neighbour (at the
bottom, the default, a row's figures sat a line or more under the header above them)."""
HIDDEN_MARK = Alignment(horizontal="right", vertical="top")
MAX_WIDTH = 60
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_TITLE = 31
LINE_PT = 15.0
"""Height of a line of 11 pt Calibri (Carlito in LibreOffice), in points: the default row."""
MARGIN_IN = 0.5
"""Left and right page margins, in inches."""
PORTRAIT = 98.0
"""Column width (in characters) that A4 portrait holds between its margins at 100 %."""
LANDSCAPE = 144.0
"""The same for A4 landscape."""
MIN_SCALE = 0.55
"""The smallest print scale a table is fitted to one page wide at (11 pt drawn at 6 pt);
a wider table is printed at this scale over several pages across."""
CHART_CM = 14.0
"""Width of a native line chart."""
CM_PER_CHAR = 0.19
"""Centimetres a character of column width takes (7 px at 96 dpi, and padding)."""
CHART_PORTRAIT_SCALE = 0.8
"""The smallest scale a portrait page is fitted to for a chart beside narrow tables."""
A4_LONG_PT, A4_SHORT_PT = 841.9, 595.3
"""The sides of an A4 page, in points."""
MARGIN_TB_PT = 72.0
"""Top and bottom page margins (openpyxl's default inch; the footer is printed inside)."""
SAFETY = 0.85
"""The share of a printed page's height counted on when keeping a chart on one page: LibreOffice
and Excel round row heights and the fitted scale differently, and a page a little emptier is
better than a chart cut in two."""
NOTE_WIDTH = 90.0
"""Characters a note or paragraph may run across before it wraps, when the table is narrower."""


def sheet_title(text: str, used: set[str]) -> str:
    """A valid, unique sheet name (at most 31 characters, no ``[]:*?/\\``)."""
    base = _FORBIDDEN.sub("", text).strip()[:SHEET_TITLE] or "Blad"
    title, number = base, 2
    while title.lower() in used:
        suffix = f" {number}"
        title, number = base[: SHEET_TITLE - len(suffix)] + suffix, number + 1
    used.add(title.lower())
    return title


class _Sheet:
    """Writes blocks one under the other and remembers column widths and the frozen row."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.row = 1
        self.widths: dict[int, float] = {}
        self.frozen = False
        self.notes: set[str] = set()
        self.texts: list[tuple[int, str, bool]] = []
        """Rows of a line of text (notes, paragraphs, titles): row, text, bold."""
        self.wrapped: list[tuple[int, int, str, bool]] = []
        """Wrapped cells: row, column, text, bold (headers, long texts in a table, facts)."""
        self.tables: list[tuple[int, int, int]] = []
        """Header row, columns and key columns of each table."""
        self.reach = 0.0
        """Characters across that a chart beside a table reaches."""
        self.charted: list[tuple[int, int]] = []
        """First and last row of each table with its chart (title to chart foot): kept on one
        printed page."""

    def width(self, column: int, chars: float) -> None:
        self.widths[column] = max(self.widths.get(column, 8.0), min(chars + 2, MAX_WIDTH))

    def line(self, text: str, *, bold: bool = False, size: int | None = None) -> None:
        cell = self.ws.cell(row=self.row, column=1, value=text)
        if bold or size:
            cell.font = Font(name=FONT, bold=True, size=size) if size else BOLD
        if not size:
            self.texts.append((self.row, text, bold))
        self.row += 1

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.add(text)
            self.line(text)

    def facts(self, block: Facts) -> None:
        for label, value in block.pairs:
            self.ws.cell(row=self.row, column=1, value=label).font = BOLD
            self.ws.cell(row=self.row, column=2, value=value).alignment = WRAP
            self.width(1, min(len(label), 30))
            self.width(2, min(len(value), MAX_WIDTH))
            self.wrapped.append((self.row, 2, value, False))
            self.row += 1
        self.row += 1

    def table(self, table: Table, *, titled: bool) -> None:
        first = self.row
        if titled and table.title:
            self.line(table.title, bold=True)
        top = self.row
        for index, column in enumerate(table.columns, start=1):
            cell = self.ws.cell(row=top, column=index, value=column.header)
            cell.font, cell.alignment = BOLD, WRAP
            self.wrapped.append((top, index, column.header, True))
        self.tables.append((top, len(table.columns), table.key))
        shape = layout.grid(table)
        for index, wanted in enumerate(shape.wanted, start=1):
            self.width(index, wanted)
        for offset, row in enumerate(table.rows, start=1):
            for index, (value, column) in enumerate(zip(row, table.columns, strict=True), 1):
                target = self.ws.cell(row=top + offset, column=index)
                number = cells.number_value(value, column)
                if number is not None:
                    target.value = number
                    own = cells.own_column(value, column)[1]
                    target.number_format = cells.excel_format(own) or "General"
                    target.alignment = TOP
                elif isinstance(value, Hidden):
                    target.value = value.mark
                    target.alignment = HIDDEN_MARK
                elif value is not None and not (isinstance(value, float)):
                    target.value = str(value)
                    target.alignment = TOP
                    if len(target.value) > shape.wanted[index - 1]:  # wraps in its column
                        target.alignment = WRAP
                        self.wrapped.append((top + offset, index, target.value, False))
        last = top + len(table.rows)
        if not self.frozen:
            self.ws.freeze_panes = f"A{top + 1}"
            last_letter = get_column_letter(max(1, len(table.columns)))
            self.ws.auto_filter.ref = f"A{top}:{last_letter}{max(top, last)}"
            self.frozen = True
        self.row = last + 1
        if table.line_chart and table.rows and len(table.columns) > 1:
            self._chart(table, top, last)
            self.charted.append((first, self.row - 1))
        for text in [*table.hidden_reasons(), *table.notes]:
            self.note(text)
        self.row += 1

    def _chart(self, table: Table, top: int, last: int) -> None:
        chart = LineChart()  # untitled: the table's title is beside it, and a title of two
        # or three lines took half the chart's height from the plot
        chart.y_axis.title = table.columns[1].header
        chart.x_axis.title = table.columns[0].header
        chart.add_data(
            Reference(self.ws, min_col=2, min_row=top, max_row=last), titles_from_data=True
        )
        chart.set_categories(Reference(self.ws, min_col=1, min_row=top + 1, max_row=last))
        chart.legend = None  # one series, named by the axis title
        for series in chart.series:  # left out, the line is drawn as a curve between the years
            series.smooth = False
        chart.height, chart.width = 6.5, CHART_CM
        before = sum(self.widths.get(c, 8.0) for c in range(1, len(table.columns) + 2))
        self.reach = max(self.reach, before + CHART_CM / CM_PER_CHAR)
        self.ws.add_chart(chart, f"{get_column_letter(len(table.columns) + 2)}{top}")
        self.row = max(self.row, top + 14)

    def finish(self, title: str) -> None:
        """Column widths, row heights, and the print set-up (``title`` in the footer)."""
        for index, width in self.widths.items():
            self.ws.column_dimensions[get_column_letter(index)].width = width
        lines: dict[int, int] = {}
        for row, column, text, bold in self.wrapped:
            needed = calibri.lines(text, self.widths.get(column, 8.0), bold=bold)
            lines[row] = max(lines.get(row, 1), needed)
        page, first, scale = self._print_setup(title)
        span = max(first, self._span(page))
        room = sum(self.widths.get(c, 8.0) for c in range(first, span + 1))
        for row, text, bold in self.texts:
            if first > 1:  # beside the repeated key columns: the text is on the first page only
                cell = self.ws.cell(row=row, column=1)
                self.ws.cell(row=row, column=first, value=cell.value).font = copy(cell.font)
                cell.value = None
            if span > first:
                self.ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=span)
            self.ws.cell(row=row, column=first).alignment = WRAP
            needed = calibri.lines(text, room, bold=bold)
            lines[row] = max(lines.get(row, 1), needed)
        for row, count in lines.items():
            if count > 1:
                self.ws.row_dimensions[row].height = LINE_PT * count
        self._keep_charts_whole(lines, scale)

    def _keep_charts_whole(self, lines: dict[int, int], scale: float) -> None:
        """A page break before a table with its chart that would not fit on what is left of
        the printed page: a chart is one drawing, and a page break through it printed its lower
        part (axis labels) past the page's edge. Tables that fit share a page (a break before
        every such table printed the analysis basis as 27 pages, each a fifth full)."""
        if not self.charted:
            return
        landscape = self.ws.page_setup.orientation == "landscape"
        height = (A4_SHORT_PT if landscape else A4_LONG_PT) - 2 * MARGIN_TB_PT
        room = SAFETY * height / scale
        used, row = 0.0, 1
        for start, end in self.charted:
            used += sum(LINE_PT * lines.get(r, 1) for r in range(row, start))
            while used > room:  # the pages the rows above fill on their own
                used -= room
            block = sum(LINE_PT * lines.get(r, 1) for r in range(start, end + 1))
            if start > 1 and used + block > room:
                self.ws.row_breaks.append(Break(id=start - 1))
                used = 0.0
            used += block
            row = end + 1

    def _span(self, page: float) -> int:
        """Columns a line of text is wrapped across: the widest table's, or as many as make
        ``NOTE_WIDTH`` characters where the tables are narrower, but never more than the first
        printed page holds (``page`` characters wide), or the line is cut at its edge."""
        span = max((columns for _, columns, _ in self.tables), default=1)
        total = sum(self.widths.get(c, 8.0) for c in range(1, span + 1))
        while total < NOTE_WIDTH:
            span += 1
            total += self.widths.get(span, 8.0)
        while span > 1 and total > page:
            total -= self.widths.get(span, 8.0)
            span -= 1
        return span

    def _print_setup(self, title: str) -> tuple[float, int, float]:
        """A4, landscape where wide, one page wide (or ``MIN_SCALE`` with the key columns
        repeated), the header row on every page of a sheet of one table, page numbers; returns
        how many characters of columns a printed page holds, the first column that is not
        repeated on every page (a line of text starts there, or it is cut on later pages), and
        the scale it is printed at."""
        ws = self.ws
        columns = max((c for _, c, _ in self.tables), default=1)
        used = max(columns, max(self.widths, default=1))
        cells = sum(self.widths.get(c, 8.0) for c in range(1, used + 1))
        width = max(cells, self.reach)
        # a chart beside narrow tables reaching a little past portrait is printed a little
        # smaller, not in landscape: a landscape page held one table with its chart, not two
        landscape = cells > PORTRAIT or PORTRAIT / width < CHART_PORTRAIT_SCALE
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.page_margins.left = ws.page_margins.right = MARGIN_IN
        capacity = LANDSCAPE if landscape else PORTRAIT
        page, first, scale = max(width, capacity), 1, min(1.0, capacity / width)
        if width <= capacity or capacity / width >= MIN_SCALE:
            ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
            ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        else:
            page, scale = capacity / MIN_SCALE, MIN_SCALE
            ws.page_setup.scale = round(100 * MIN_SCALE)
            if self.tables:
                key = max(1, self.tables[0][2])
                ws.print_title_cols = f"A:{get_column_letter(key)}"
                first = key + 1
        if len(self.tables) == 1:  # a second table's pages would carry the first's header
            top = self.tables[0][0]
            ws.print_title_rows = f"{top}:{top}"
        ws.oddFooter.left.text = title.replace("&", "&&")[:100]
        ws.oddFooter.right.text = gettext("Page") + " &P " + gettext("of") + " &N"
        return page, first, scale


def _write(sheet: _Sheet, section: Section, blocks: list[Block]) -> None:
    leading_table = bool(blocks) and isinstance(blocks[0], Table)
    if not leading_table:
        sheet.line(section.title, bold=True, size=13)
        sheet.row += 1
    for index, block in enumerate(blocks):
        if isinstance(block, Table):
            sheet.table(block, titled=index > 0 or not leading_table)
        elif isinstance(block, Heading):
            sheet.line(block.text, bold=True)
        elif isinstance(block, Paragraph):
            sheet.note(block.text) if block.note else sheet.line(block.text)
        elif isinstance(block, Facts):
            sheet.facts(block)


def workbook(document: Document) -> bytes:
    """``document`` as XLSX bytes."""
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for section, blocks in document.blocks(Medium.XLSX):
        ws = book.create_sheet(sheet_title(section.sheet or section.title, used))
        sheet = _Sheet(ws)
        _write(sheet, section, blocks)
        if any(isinstance(b, Table) for b in blocks):
            sheet.row += 0
            for source in document.sources:
                sheet.note(source)
        sheet.finish(document.title or section.title)
    if not book.sheetnames:
        book.create_sheet(sheet_title(document.title, used))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
