"""The analysis basis's files (``basis_document`` rendered by ``likvard.exports``) on the tiny
warehouse of the core's tests: real numbers with formats, hidden figures as marks only."""

from __future__ import annotations

import io
import re

import pdfplumber
import pytest
from openpyxl import load_workbook
from pptx import Presentation

from likvard.exports.pdf import document_html
from likvard.quality.services.basis_document import basis_document
from likvard.quality.services.basis_export import basis_file
from likvard_core.analytics.quality.basis import AnalysisBasis
from tests.core.analytics.quality.test_basis import _basis, _hide_small


@pytest.fixture(scope="module")
def basis() -> AnalysisBasis:
    return _basis()


@pytest.fixture(scope="module")
def hidden() -> AnalysisBasis:
    return _basis(_hide_small)


def test_hidden_figures_are_marks_in_the_report(hidden):
    html = document_html(basis_document(hidden))
    assert "220,0" not in html  # the girls' merit value (2 girls) is hidden
    assert "..</td>" in html


def test_xlsx_has_real_numbers_charts_and_marks(basis, hidden):
    workbook = load_workbook(io.BytesIO(basis_file(basis=basis, fmt="xlsx").content))
    assert workbook.sheetnames[0] == "Översikt"
    assert "Förutsättningar" in workbook.sheetnames
    sheet = workbook["Mål grundskolan"]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].value == "Indikator"
    names = [c.value for c in sheet["A"]]
    assert "Genomsnittligt meritvärde i åk 9 (17 ämnen)" in names
    row = names.index("Genomsnittligt meritvärde i åk 9 (17 ämnen)") + 1
    assert sheet.cell(row=row, column=2).value == pytest.approx(221.6667, abs=1e-3)
    assert sheet.cell(row=row, column=2).number_format == "0.0"
    assert len(sheet._charts) >= 7
    hidden_book = load_workbook(io.BytesIO(basis_file(basis=hidden, fmt="xlsx").content))
    girls = hidden_book["Mål grundskolan"].cell(row=row, column=3).value
    assert girls == ".."
    values = [c.value for ws in hidden_book.worksheets for r in ws.iter_rows() for c in r]
    assert 220.0 not in values  # the girls' hidden merit value appears nowhere


def test_xlsx_trends_name_school_years_as_school_years(basis):
    """A trend's years are written as Swedish statistics write a school year (``2024/25``),
    never as the spring's calendar year (``2025``) nor as a number."""
    workbook = load_workbook(io.BytesIO(basis_file(basis=basis, fmt="xlsx").content))
    years = []
    for sheet in workbook.worksheets:
        for (header,) in sheet.iter_rows(max_col=1):
            if header.value == "Läsår" and sheet.cell(header.row, 2).value == "Värde":
                for (value,) in sheet.iter_rows(
                    min_row=header.row + 1, max_col=1, values_only=True
                ):
                    if value is None:
                        break
                    years.append(value)
    assert years
    assert all(isinstance(y, str) and re.fullmatch(r"\d{4}/\d{2}", y) for y in years), years[:5]


def test_pdf_docx_and_pptx_name_every_indicator(basis):
    pdf = basis_file(basis=basis, fmt="pdf").content
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        text = "\n".join(page.extract_text() or "" for page in document.pages)
    flat = " ".join(text.split())
    for block in basis.all_blocks():
        assert block.indicator.name.split()[0] in flat
    assert "221,7" in flat
    assert "Analysunderlag 2024/25" in flat
    deck = Presentation(io.BytesIO(basis_file(basis=basis, fmt="pptx").content))
    texts = " ".join(
        shape.text_frame.text if shape.has_text_frame else ""
        for slide in deck.slides for shape in slide.shapes
    )  # fmt: skip
    assert "Analysunderlag 2024/25" in texts
    cells = {c.text for s in deck.slides for sh in s.shapes if sh.has_table
             for r in sh.table.rows for c in r.cells}  # fmt: skip
    assert {"Indikator", "Värde", "Riket", "Förväntat", "Sticker ut", "221,7"} <= cells
    docx = basis_file(basis=basis, fmt="docx")
    assert docx.filename.endswith(".docx")
    assert docx.content[:2] == b"PK"
