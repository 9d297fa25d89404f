"""A ``Document`` as an XLSX workbook: a sheet per section, numbers as numbers.

Every table has Swedish headers in bold (wrapped), native number formats by column kind
(percent, counts with thousands, decimals, years without separators), the first table's header
row frozen and filterable, hidden figures as their mark with the reasons under the table, and
the table's notes (the source) after it. Charts drawn as pictures are left to the other formats;
a table may carry a native line chart instead.
"""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from likvard.exports import cells, layout
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

BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
MAX_WIDTH = 60
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_TITLE = 31


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

    def width(self, column: int, chars: float) -> None:
        self.widths[column] = max(self.widths.get(column, 8.0), min(chars + 2, MAX_WIDTH))

    def line(self, text: str, *, bold: bool = False, size: int | None = None) -> None:
        cell = self.ws.cell(row=self.row, column=1, value=text)
        if bold or size:
            cell.font = Font(bold=True, size=size) if size else BOLD
        self.row += 1

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.add(text)
            self.line(text)

    def facts(self, block: Facts) -> None:
        for label, value in block.pairs:
            self.ws.cell(row=self.row, column=1, value=label).font = BOLD
            self.ws.cell(row=self.row, column=2, value=value)
            self.width(1, min(len(label), 30))
            self.row += 1
        self.row += 1

    def table(self, table: Table, *, titled: bool) -> None:
        if titled and table.title:
            self.line(table.title, bold=True)
        top = self.row
        for index, column in enumerate(table.columns, start=1):
            cell = self.ws.cell(row=top, column=index, value=column.header)
            cell.font, cell.alignment = BOLD, WRAP
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
                elif isinstance(value, Hidden):
                    target.value = value.mark
                    target.alignment = Alignment(horizontal="right")
                elif value is not None and not (isinstance(value, float)):
                    target.value = str(value)
        last = top + len(table.rows)
        if not self.frozen:
            self.ws.freeze_panes = f"A{top + 1}"
            last_letter = get_column_letter(max(1, len(table.columns)))
            self.ws.auto_filter.ref = f"A{top}:{last_letter}{max(top, last)}"
            self.frozen = True
        self.row = last + 1
        if table.line_chart and table.rows and len(table.columns) > 1:
            self._chart(table, top, last)
        for text in [*table.hidden_reasons(), *table.notes]:
            self.note(text)
        self.row += 1

    def _chart(self, table: Table, top: int, last: int) -> None:
        chart = LineChart()
        chart.title = table.title[:60]
        chart.y_axis.title = table.columns[1].header
        chart.x_axis.title = table.columns[0].header
        chart.add_data(
            Reference(self.ws, min_col=2, min_row=top, max_row=last), titles_from_data=True
        )
        chart.set_categories(Reference(self.ws, min_col=1, min_row=top + 1, max_row=last))
        chart.height, chart.width = 6.5, 14
        self.ws.add_chart(chart, f"{get_column_letter(len(table.columns) + 2)}{top}")
        self.row = max(self.row, top + 14)

    def finish(self) -> None:
        for index, width in self.widths.items():
            self.ws.column_dimensions[get_column_letter(index)].width = width


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
        sheet.finish()
    if not book.sheetnames:
        book.create_sheet(sheet_title(document.title, used))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
