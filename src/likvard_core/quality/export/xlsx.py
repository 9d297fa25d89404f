"""The analysis basis as an Excel workbook: an overview, a sheet per goal, conditions, analysis.

Numbers are real numbers with number formats (``0.0``), never text; a hidden figure is its
mark ('..') with the reason in a footnote. Each indicator gets a trend table and a native
openpyxl line chart over it.
"""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from likvard_core.quality.basis import AnalysisBasis, IndicatorBlock
from likvard_core.quality.export.rows import (
    Cell,
    figure_cell,
    footnotes,
    header,
    indicator_row,
    members_header,
    members_rows,
)

NUMBER_FORMAT = "0.0"
COUNT_FORMAT = "0"
BOLD = Font(bold=True)
_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(text: str, used: set[str]) -> str:
    base = _SHEET_NAME.sub("", text)[:28] or "Blad"
    title, i = base, 2
    while title in used:
        title, i = f"{base[:25]} {i}", i + 1
    used.add(title)
    return title


def _write(ws: Worksheet, row: int, column: int, cell: Cell, *, count: bool = False) -> None:
    target = ws.cell(row=row, column=column)
    if cell.number is not None:
        target.value = cell.number
        target.number_format = COUNT_FORMAT if count else NUMBER_FORMAT
    else:
        target.value = cell.text


def _overview(ws: Worksheet, basis: AnalysisBasis) -> None:
    ws.title = "Översikt"
    ws["A1"] = f"Analysunderlag {basis.year_label}: {basis.subject_name}"
    ws["A1"].font = Font(bold=True, size=14)
    facts = [
        ("Läsår", basis.year_label),
        ("Enhet", f"{basis.subject_name} ({basis.subject_code})"),
        ("Dataversion", basis.data_version),
        ("Katalogversion", basis.catalogue_version),
        ("Indikatorer som sticker ut", str(len(basis.flagged()))),
    ]
    if basis.comparison_group is not None:
        facts.append(("Jämförelsegrupp", basis.comparison_group_sv()))
        facts.append(("Så valdes gruppen", basis.comparison_group.explanation_sv()))
    for i, (label, value) in enumerate(facts, start=3):
        ws.cell(row=i, column=1, value=label).font = BOLD
        ws.cell(row=i, column=2, value=value)
    row = len(facts) + 5
    ws.cell(row=row, column=1, value="Anmärkningar").font = BOLD
    for i, note in enumerate(footnotes(basis), start=row + 1):
        ws.cell(row=i, column=1, value=note)
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 80


def _table(
    ws: Worksheet, basis: AnalysisBasis, blocks: tuple[IndicatorBlock, ...], top: int
) -> int:
    titles = header(basis)
    for column, title in enumerate(titles, start=1):
        ws.cell(row=top, column=column, value=title).font = BOLD
    for r, block in enumerate(blocks, start=top + 1):
        for column, cell in enumerate(indicator_row(basis, block), start=1):
            _write(ws, r, column, cell, count=titles[column - 1] == "Antal elever")
    ws.column_dimensions["A"].width = 60
    return top + len(blocks) + 2


def _members(
    ws: Worksheet, basis: AnalysisBasis, blocks: tuple[IndicatorBlock, ...], top: int
) -> int:
    """A region's member municipalities side by side (nothing for other subjects)."""
    rows = members_rows(blocks)
    if not basis.members or not rows:
        return top
    ws.cell(row=top, column=1, value="Medlemskommunerna sida vid sida").font = BOLD
    for column, title in enumerate(members_header(basis), start=1):
        ws.cell(row=top + 1, column=column, value=title).font = BOLD
    for r, cells in enumerate(rows, start=top + 2):
        for column, cell in enumerate(cells, start=1):
            _write(ws, r, column, cell)
    return top + len(rows) + 3


def _flags(ws: Worksheet, blocks: tuple[IndicatorBlock, ...], top: int) -> int:
    flagged = [(b.indicator.name, f) for b in blocks for f in b.flags]
    if not flagged:
        return top
    ws.cell(row=top, column=1, value="Det här sticker ut").font = BOLD
    for i, (name, flag) in enumerate(flagged, start=top + 1):
        text = f"{name}: {flag.sentence_sv}"
        ws.cell(row=i, column=1, value=text).alignment = Alignment(wrap_text=True)
    return top + len(flagged) + 2


def _trend(ws: Worksheet, block: IndicatorBlock, top: int) -> int:
    """A trend table (year, value) for ``block`` and a line chart over it."""
    ws.cell(row=top, column=1, value=f"Utveckling: {block.indicator.name}").font = BOLD
    ws.cell(row=top + 1, column=1, value="Läsår").font = BOLD
    ws.cell(row=top + 1, column=2, value="Värde").font = BOLD
    for i, point in enumerate(block.trend, start=top + 2):
        ws.cell(row=i, column=1, value=point.school_year)
        _write(ws, i, 2, figure_cell(point.figure, block.indicator.unit))
    last = top + 1 + len(block.trend)
    if any(p.figure.shown for p in block.trend):
        chart = LineChart()
        chart.title = block.indicator.name[:60]
        chart.y_axis.title = "Värde"
        chart.x_axis.title = "Läsår"
        chart.add_data(
            Reference(ws, min_col=2, min_row=top + 1, max_row=last), titles_from_data=True
        )
        chart.set_categories(Reference(ws, min_col=1, min_row=top + 2, max_row=last))
        chart.height, chart.width = 6.5, 14
        ws.add_chart(chart, f"D{top}")
    return max(last, top + 13) + 2


def _own_analysis(ws: Worksheet, basis: AnalysisBasis) -> None:
    ws.title = "Egen analys"
    fields = [
        ("Styrkor", basis.own_analysis.strengths),
        ("Utvecklingsområden", basis.own_analysis.development_areas),
        ("Åtgärder", basis.own_analysis.actions),
    ]
    fields += [(f"Analys: {g.goal.title}", g.own_analysis) for g in basis.goals]
    for i, (label, text) in enumerate(fields, start=1):
        ws.cell(row=i, column=1, value=label).font = BOLD
        ws.cell(row=i, column=2, value=text)
    ws.column_dimensions["A"].width = 45
    ws.column_dimensions["B"].width = 90


def _section(
    ws: Worksheet, basis: AnalysisBasis, title: str, blocks: tuple[IndicatorBlock, ...]
) -> None:
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=13)
    row = _table(ws, basis, blocks, 3)
    row = _members(ws, basis, blocks, row)
    row = _flags(ws, blocks, row)
    for block in blocks:
        if block.trend:
            row = _trend(ws, block, row)


def basis_xlsx(basis: AnalysisBasis) -> bytes:
    """The workbook of ``basis`` as XLSX bytes."""
    workbook = Workbook()
    used = {"Översikt", "Förutsättningar", "Egen analys"}
    _overview(workbook.active, basis)
    for section in basis.goals:
        ws = workbook.create_sheet(
            _sheet_title(section.goal.title.replace("Nationell målsättning för ", "Mål "), used)
        )
        _section(ws, basis, section.goal.title, section.indicators)
    if basis.conditions:
        _section(
            workbook.create_sheet("Förutsättningar"),
            basis,
            "Verksamhetens förutsättningar",
            basis.conditions,
        )
    _own_analysis(workbook.create_sheet("Egen analys"), basis)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
