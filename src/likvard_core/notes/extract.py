"""Text out of meeting-notes files: TXT, DOCX, PDF with a text layer, and scanned PDF (OCR).

Scanned pages are rasterised with poppler's ``pdftoppm`` (Debian ``poppler-utils``) and read by
tesseract (Debian ``tesseract-ocr`` + ``tesseract-ocr-swe``) through pytesseract with the Swedish
model, which keeps å/ä/ö; the English model turns them into ``é``/``6``/``o`` (see ``repair``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import docx
import pdfplumber
import pytesseract
from docx.table import Table
from docx.text.paragraph import Paragraph

OCR_DPI = 300
OCR_LANGUAGE = "swe"
OCR_WORKERS = max(1, min(4, os.cpu_count() or 1))
# A page with fewer characters than this in its text layer is treated as an image.
MIN_TEXT_LAYER_CHARS = 20
TEXT_ENCODINGS = ("utf-8-sig", "utf-16", "cp1252")
PAGE_BREAK = "\f"


class ExtractionMethod(StrEnum):
    """How the text was obtained."""

    TEXT = "text"
    DOCX = "docx"
    PDF_TEXT = "pdf_text"
    PDF_OCR = "pdf_ocr"


class ExtractionError(ValueError):
    """Raised for a file kind we cannot read or a missing external tool."""


@dataclass(frozen=True, slots=True)
class ExtractedText:
    """Extracted text: one string per page (one page for TXT/DOCX), the method and encoding."""

    pages: tuple[str, ...]
    method: ExtractionMethod
    encoding: str | None = None

    @property
    def text(self) -> str:
        """Return all pages joined by newlines (pages keep their own line structure)."""
        return "\n".join(self.pages)

    @property
    def lines(self) -> tuple[str, ...]:
        """Return the text's lines."""
        return tuple(self.text.split("\n"))


def extract(path: Path) -> ExtractedText:
    """Return the text of ``path`` chosen by its suffix (.txt/.md, .docx, .pdf)."""
    suffix = path.suffix.casefold()
    if suffix in {".txt", ".text", ".md"}:
        return extract_text_file(path)
    if suffix == ".docx":
        return extract_docx(path)
    if suffix == ".pdf":
        return extract_pdf(path)
    raise ExtractionError(f"unsupported notes file kind: {path.name}")


def decode_text(data: bytes) -> tuple[str, str]:
    """Return (text, encoding) trying UTF-8 (with BOM), UTF-16 (with BOM), then CP1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    for encoding in TEXT_ENCODINGS:
        if encoding == "utf-16":
            continue
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def extract_text_file(path: Path) -> ExtractedText:
    """Return a plain-text file's text with line ends normalised to LF."""
    text, encoding = decode_text(path.read_bytes())
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return ExtractedText(pages=(text,), method=ExtractionMethod.TEXT, encoding=encoding)


def extract_docx(path: Path) -> ExtractedText:
    """Return a Word document's paragraphs and tables in document order, one paragraph a line.

    A table row becomes one line with its cells separated by a tab.
    """
    document = docx.Document(str(path))
    lines: list[str] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(block, document).text)
        elif tag == "tbl":
            table = Table(block, document)
            lines.extend(
                "\t".join(cell.text.replace("\n", " ").strip() for cell in row.cells)
                for row in table.rows
            )
    return ExtractedText(pages=("\n".join(lines),), method=ExtractionMethod.DOCX)


def extract_pdf(path: Path) -> ExtractedText:
    """Return a PDF's text layer, or OCR of its pages when it has (almost) no text layer."""
    with pdfplumber.open(str(path)) as pdf:
        pages = tuple((page.extract_text() or "") for page in pdf.pages)
    if pages and all(len(page.strip()) >= MIN_TEXT_LAYER_CHARS for page in pages):
        return ExtractedText(pages=pages, method=ExtractionMethod.PDF_TEXT)
    return ocr_pdf(path)


def ocr_pdf(path: Path, *, dpi: int = OCR_DPI, language: str = OCR_LANGUAGE) -> ExtractedText:
    """Return the OCR text of every page of ``path`` rendered at ``dpi`` with tesseract."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise ExtractionError("the 'pdftoppm' command is not installed (Debian: poppler-utils)")
    with tempfile.TemporaryDirectory(prefix="likvard-ocr-") as workdir:
        prefix = Path(workdir) / "page"
        # Uncompressed greyscale (PGM): PNG compression of a noisy 300 dpi scan takes ~15 s a page.
        subprocess.run(  # noqa: S603 - fixed binary and arguments, no shell
            [pdftoppm, "-r", str(dpi), "-gray", str(path), str(prefix)],
            check=True,
            capture_output=True,
        )
        images = sorted(Path(workdir).glob("page*.pgm"), key=_page_number)
        with _single_threaded_tesseract(), ThreadPoolExecutor(max_workers=OCR_WORKERS) as pool:
            texts = pool.map(lambda image: _ocr_image(image, language), images)
            pages = tuple(texts)
    return ExtractedText(pages=pages, method=ExtractionMethod.PDF_OCR)


def _ocr_image(image: Path, language: str) -> str:
    text = str(pytesseract.image_to_string(str(image), lang=language))
    return text.rstrip("\n" + PAGE_BREAK)


@contextmanager
def _single_threaded_tesseract() -> Iterator[None]:
    """Run tesseract with one OpenMP thread per page (pages run in parallel instead).

    Tesseract's own threading is slower than one thread on small machines (10 s vs 3 s a page
    on two cores), so pages are spread over ``OCR_WORKERS`` processes instead.
    """
    previous = os.environ.get("OMP_THREAD_LIMIT")
    os.environ["OMP_THREAD_LIMIT"] = "1"
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("OMP_THREAD_LIMIT", None)
        else:
            os.environ["OMP_THREAD_LIMIT"] = previous


def _page_number(image: Path) -> int:
    return int(image.stem.rsplit("-", 1)[-1])
