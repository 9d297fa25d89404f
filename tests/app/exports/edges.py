"""The edge check of issue #16: nothing an export draws crosses its page or slide edge.

Each file is checked from the file itself and as a reader sees it: a PDF's characters, ruled
lines and rectangles must lie inside the page box (pdfplumber) and the outermost strip of every
page rendered by pdftoppm must be blank; a deck's shapes must lie inside the slide (python-pptx,
a table by its columns and rows) with each title ending above the body, and a Word file's tables
must fit between its margins (python-docx); a chart drawn as a picture must be blank at its own
edges too, or a label or mark is cut there (a Sankey label running off its drawing);
decks, Word files and workbooks are then drawn by LibreOffice to PDF and checked like a PDF;
a workbook printed from LibreOffice must also print no text over other text (a header row too
low for its wrapped lines prints over the first data row).
``soffice`` converts every file of a test in one run.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pdfplumber
import pytest
from docx import Document as Word
from docx.shape import InlineShape
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Emu

from likvard.exports.pptx import BODY_TOP

TOLERANCE_PT = 0.5
STRIP_PX = 3
TOOLS = ("pdftoppm", "soffice")
TWIPS_ROUNDING = 12700 * 2
"""Word stores widths in twentieths of a point: allow two points of rounding."""

needs_tools = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in TOOLS),
    reason="pdftoppm and LibreOffice (soffice) render the files",
)


@dataclass(frozen=True)
class Page:
    """What the checks read of one PDF page: its box, characters, and rectangles and lines."""

    number: int
    width: float
    height: float
    chars: list[dict[str, Any]]
    shapes: list[dict[str, Any]]


def read_pages(pdf: bytes | Path) -> list[Page]:
    """Every page of ``pdf``, parsed once: pdfplumber's parse of a page (most of the edge check's
    time) is shared by the checks of a drawn file instead of repeated by each."""
    source = io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf
    with pdfplumber.open(source) as document:
        return [
            Page(number, float(page.width), float(page.height), page.chars,
                 [*page.rects, *page.lines])
            for number, page in enumerate(document.pages, start=1)
        ]  # fmt: skip


def pdf_problems(pdf: bytes | list[Page], name: str, *, clipped: bool = False) -> list[str]:
    """What crosses a page edge: characters, lines and rectangles outside the page box.
    ``clipped``: only what straddles an edge (LibreOffice draws a sheet's merged cells whole
    on every page they reach and clips them: what lies wholly outside the page is not seen)."""
    problems = []
    for page in read_pages(pdf) if isinstance(pdf, bytes) else pdf:
        width, height = page.width, page.height
        for item in [*page.chars, *page.shapes]:
            x0, x1 = float(item["x0"]), float(item["x1"])
            top, bottom = float(item["top"]), float(item["bottom"])
            if (
                x0 < -TOLERANCE_PT
                or top < -TOLERANCE_PT
                or x1 > width + TOLERANCE_PT
                or bottom > height + TOLERANCE_PT
            ) and not (clipped and (x1 <= 0 or top >= height or x0 >= width or bottom <= 0)):
                what = item.get("text", item["object_type"])
                problems.append(f"{name} page {page.number}: {what!r} crosses the edge")
    return problems


def rendered_problems(pdf: Path, out: Path) -> list[str]:
    """Render with pdftoppm; the outermost pixels of every page must be white."""
    prefix = out / f"{pdf.stem}-page"
    subprocess.run(["pdftoppm", "-png", "-r", "30", str(pdf), str(prefix)], check=True, timeout=120)
    pages = sorted(out.glob(f"{pdf.stem}-page*.png"))
    assert pages, pdf
    problems = []
    for path in pages:
        image = np.asarray(Image.open(path).convert("L"))
        strips = [
            image[:, -STRIP_PX:],
            image[-STRIP_PX:, :],
            image[:, :STRIP_PX],
            image[:STRIP_PX, :],
        ]
        if any((strip < 200).any() for strip in strips):
            problems.append(f"{path.name}: ink at the edge")
    return problems


def image_cut(blob: bytes) -> bool:
    """Whether a picture has ink in its outermost strip (transparent counts as blank)."""
    image = Image.open(io.BytesIO(blob)).convert("RGBA")
    white = Image.new("RGBA", image.size, "white")
    grey = np.asarray(Image.alpha_composite(white, image).convert("L"))
    strips = [grey[:, -STRIP_PX:], grey[-STRIP_PX:, :], grey[:, :STRIP_PX], grey[:STRIP_PX, :]]
    return any((strip < 200).any() for strip in strips)


def pptx_problems(content: bytes, name: str) -> list[str]:
    """Shapes outside the slide, and titles reaching into the body."""
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
                problems.append(f"{name} slide {number}: {shape.name} crosses the slide")
            if number > 1 and shape == slide.shapes.title and bottom > int(BODY_TOP):
                problems.append(f"{name} slide {number}: the title box reaches into the body")
            if shape.shape_type == MSO_SHAPE_TYPE.PICTURE and image_cut(shape.image.blob):
                problems.append(f"{name} slide {number}: the picture is cut at its edge")
    return problems


def docx_problems(content: bytes, name: str) -> list[str]:
    """Tables wider than the text width of their section."""
    document = Word(io.BytesIO(content))
    widest = max(
        int(s.page_width or 0) - int(s.left_margin or 0) - int(s.right_margin or 0)
        for s in document.sections
    )
    problems = [
        f"{name} picture {number}: the picture is cut at its edge"
        for number, picture in enumerate(document.inline_shapes, start=1)
        if image_cut(document.part.related_parts[_embed(picture)].blob)
    ]
    for number, table in enumerate(document.tables, start=1):
        total = sum(int(c.width or 0) for c in table.columns)
        if total > widest + TWIPS_ROUNDING:
            problems.append(f"{name} table {number}: {Emu(total).cm:.1f} cm wider than the page")
    return problems


def _embed(picture: InlineShape) -> str:
    """The relationship id of an inline picture's image."""
    return str(picture._inline.graphic.graphicData.pic.blipFill.blip.embed)


def titles_above_body(pages: list[Page], name: str) -> list[str]:
    """A deck drawn by LibreOffice: the title's characters (18 pt and up) end above the body
    on every slide after the first."""
    body = Emu(int(BODY_TOP)).pt
    problems = []
    for page in pages[1:]:
        big = [c for c in page.chars if float(c["size"]) >= 17.5]
        if any(float(c["bottom"]) > body + TOLERANCE_PT for c in big):
            problems.append(f"{name} page {page.number}: the title runs into the body")
    return problems


OVERLAP_PT = 1.0
"""How far two characters of different lines may reach into each other (ascenders, rounding)."""


def _slanted(char: dict[str, Any]) -> bool:
    """A character drawn at an angle (a chart's axis label at 45°, as LibreOffice slants them
    when Carlito draws the workbook's Calibri): the upright boxes of its neighbours overlap
    although nothing is drawn over anything."""
    matrix = char.get("matrix") or (1, 0, 0, 1)
    return abs(float(matrix[1])) > 1e-3 or abs(float(matrix[2])) > 1e-3


def overprint_problems(pages: list[Page], name: str) -> list[str]:
    """Characters of different lines drawn over each other (a wrapped cell in a row too low):
    their boxes overlap by more than ``OVERLAP_PT`` both across and down. Each character is
    compared with those of its own and the eight neighbouring 20-point squares (numpy, a square
    at a time: the pairs of a drawn workbook run to millions)."""
    problems = []
    for page in pages:
        chars = [c for c in page.chars if str(c["text"]).strip() and not _slanted(c)]
        if not chars:
            continue
        boxes = np.array(
            [[float(c["x0"]), float(c["x1"]), float(c["top"]), float(c["bottom"])] for c in chars]
        )
        squares: dict[tuple[int, int], list[int]] = {}
        for index, (x0, top) in enumerate((boxes[:, [0, 2]] // 20).astype(int).tolist()):
            squares.setdefault((x0, top), []).append(index)
        found = 0
        for (bx, by), members in squares.items():
            near = [i for dx in (-1, 0, 1) for dy in (-1, 0, 1)
                    for i in squares.get((bx + dx, by + dy), [])]  # fmt: skip
            one, two = boxes[members][:, None, :], boxes[near][None, :, :]
            other_line = np.abs(one[..., 2] - two[..., 2]) >= 2
            across = np.minimum(one[..., 1], two[..., 1]) - np.maximum(one[..., 0], two[..., 0])
            down = np.minimum(one[..., 3], two[..., 3]) - np.maximum(one[..., 2], two[..., 2])
            found += int(np.count_nonzero(other_line & (across > OVERLAP_PT) & (down > OVERLAP_PT)))
        if found:
            problems.append(f"{name} page {page.number}: {found // 2} characters overprinted")
    return problems


def check(files: Iterable[tuple[str, bytes]], out: Path) -> list[str]:
    """Every problem of ``files`` (name with suffix, content), drawn and read as above."""
    problems: list[str] = []
    office: list[Path] = []
    for name, content in files:
        stem, suffix = name.rsplit(".", 1)
        path = out / f"{stem}-{suffix}.{suffix}"  # one stem per file: LibreOffice names by stem
        path.write_bytes(content)
        if name.endswith(".pdf"):
            problems += pdf_problems(content, name)
            problems += rendered_problems(path, out)
        elif name.endswith(".pptx"):
            problems += pptx_problems(content, name)
            office.append(path)
        elif name.endswith(".docx"):
            problems += docx_problems(content, name)
            office.append(path)
        elif name.endswith(".xlsx"):
            office.append(path)
    if office:
        drawn = out / "drawn"
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(drawn),
             *map(str, office)],
            check=True, timeout=300, capture_output=True,
            env={**os.environ, "HOME": str(out)},  # a private LibreOffice profile
        )  # fmt: skip
        for path in office:
            pdf = drawn / f"{path.stem}.pdf"
            assert pdf.exists(), f"LibreOffice did not draw {path.name}"
            pages = read_pages(pdf)
            sheet = path.suffix == ".xlsx"
            problems += pdf_problems(pages, f"{path.name} (drawn)", clipped=sheet)
            problems += rendered_problems(pdf, drawn)
            if path.suffix == ".pptx":
                problems += titles_above_body(pages, pdf.name)
            if path.suffix == ".xlsx":
                problems += overprint_problems(pages, pdf.name)
    return problems
