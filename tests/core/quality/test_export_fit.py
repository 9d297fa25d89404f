"""Issue #16: the analysis basis's PDF pages and slides hold their tables and text boxes.

Each file is rendered as a reader sees it (the PDF by pdftoppm, the slides by LibreOffice to
PDF and then pdftoppm) and checked twice: every character and ruled line lies inside the page
(pdfplumber), and the outermost strip of every rendered page is blank. The slides' geometry is
checked too: no shape crosses the slide, and no title box reaches into the body below it.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pdfplumber
import pyarrow as pa
import pytest
from PIL import Image
from pptx import Presentation
from pptx.util import Emu

from likvard_core.quality.basis import AnalysisBasis, SubjectKind
from likvard_core.quality.basis_build import build_basis, without_suppression
from likvard_core.quality.catalogue import load_catalogue
from likvard_core.quality.export.pdf import basis_pdf
from likvard_core.quality.export.pptx import BODY_TOP, basis_pptx
from likvard_core.warehouse.snapshot import Snapshot
from tests.core.quality.tiny_warehouse import tiny_tables

# Thirteen members as in Göteborgsregionen, with long names: the widest table of a basis.
MEMBERS = {f"15{i:02d}": f"Kommunen med ett långt namn {i}" for i in range(13)}
NAMES = {"R": "Göteborgsregionen", "1480": "Göteborg", "1401": "Härryda", **MEMBERS}
TOLERANCE_PT = 0.5
STRIP_PX = 3


def _basis(kind: SubjectKind, code: str) -> AnalysisBasis:
    tables = tiny_tables(2025)
    older = tiny_tables(2024)
    tables = {k: pa.concat_tables([tables[k], older[k]]) for k in tables}
    with Snapshot.from_tables(tables, version="tiny-v1") as db:
        return build_basis(
            db, load_catalogue(), subject_kind=kind, subject_code=code, year=2025,
            release=without_suppression,
            subject_name="Huvudmannen med ett mycket långt namn för att pröva radbrytningen AB",
            regions={"R": ["1480", "1401", *MEMBERS]}, trend_years=2, similar=1, names=NAMES,
        )  # fmt: skip


@pytest.fixture(scope="module")
def bases() -> dict[str, AnalysisBasis]:
    return {
        "organizer": _basis(SubjectKind.ORGANIZER, "O1"),
        "region": _basis(SubjectKind.REGION, "R"),
    }


def _inside(pdf: bytes) -> list[str]:
    """What crosses a page edge: characters, lines and rectangles outside the page box."""
    problems = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for number, page in enumerate(document.pages, start=1):
            width, height = float(page.width), float(page.height)
            objects = [*page.chars, *page.rects, *page.lines]
            for item in objects:
                x0, x1 = float(item["x0"]), float(item["x1"])
                top, bottom = float(item["top"]), float(item["bottom"])
                if (
                    x0 < -TOLERANCE_PT
                    or top < -TOLERANCE_PT
                    or x1 > width + TOLERANCE_PT
                    or bottom > height + TOLERANCE_PT
                ):
                    problems.append(f"page {number}: {item.get('text', item['object_type'])!r}")
    return problems


def _rendered_edges_blank(pdf: Path, out: Path) -> list[str]:
    """Render with pdftoppm; the outermost pixels of every page must be white."""
    subprocess.run(
        ["pdftoppm", "-png", "-r", "30", str(pdf), str(out / "page")], check=True, timeout=120
    )
    problems = []
    pages = sorted(out.glob("page*.png"))
    assert pages
    for path in pages:
        image = np.asarray(Image.open(path).convert("L"))
        strips = [image[:, -STRIP_PX:], image[-STRIP_PX:, :], image[:, :STRIP_PX]]
        if any((strip < 200).any() for strip in strips):
            problems.append(path.name)
    return problems


needs_tools = pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("soffice") is None,
    reason="pdftoppm and LibreOffice (soffice) render the files",
)


@needs_tools
@pytest.mark.parametrize("subject", ["organizer", "region"])
def test_pdf_tables_stay_on_the_page(bases, subject, tmp_path: Path):
    pdf = basis_pdf(bases[subject])
    assert _inside(pdf) == []
    path = tmp_path / "underlag.pdf"
    path.write_bytes(pdf)
    assert _rendered_edges_blank(path, tmp_path) == []


def _shape_problems(content: bytes) -> list[str]:
    deck = Presentation(io.BytesIO(content))
    width, height = int(deck.slide_width or 0), int(deck.slide_height or 0)
    problems = []
    for number, slide in enumerate(deck.slides, start=1):
        for shape in slide.shapes:
            left, top = int(shape.left or 0), int(shape.top or 0)
            right, bottom = left + int(shape.width or 0), top + int(shape.height or 0)
            if shape.has_table:  # the columns and rows decide a table's real extent
                right = left + sum(int(c.width) for c in shape.table.columns)
                bottom = top + sum(int(r.height) for r in shape.table.rows)
            if left < 0 or top < 0 or right > width or bottom > height:
                problems.append(f"slide {number}: {shape.name} crosses the slide")
            if shape == slide.shapes.title and bottom > int(BODY_TOP):
                problems.append(f"slide {number}: the title box reaches into the body")
    return problems


@needs_tools
def test_slides_hold_their_tables_and_titles(bases, tmp_path: Path):
    content = basis_pptx(bases["organizer"])  # one LibreOffice run: the slides are alike
    assert _shape_problems(content) == []
    deck = tmp_path / "underlag.pptx"
    deck.write_bytes(content)
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(deck)],
        check=True, timeout=240, capture_output=True,
    )  # fmt: skip
    pdf = tmp_path / "underlag.pdf"
    assert _inside(pdf.read_bytes()) == []
    assert _rendered_edges_blank(pdf, tmp_path) == []
    # titles of up to two lines end above the body (LibreOffice lays them out)
    body_top_pt = Emu(int(BODY_TOP)).pt
    with pdfplumber.open(pdf) as document:
        for page in document.pages[1:]:
            title = [c for c in page.chars if float(c["size"]) >= 24]
            assert all(float(c["bottom"]) <= body_top_pt for c in title), page.page_number
