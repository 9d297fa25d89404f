"""Text out of meeting-notes files: TXT, DOCX, PDF with a text layer, and scanned PDF (OCR).

Scanned pages are rasterised with poppler's ``pdftoppm`` (Debian ``poppler-utils``) and read by
tesseract (Debian ``tesseract-ocr`` + ``tesseract-ocr-swe``) through pytesseract with the Swedish
model, which keeps å/ä/ö; the English model turns them into ``é``/``6``/``o`` (see ``repair``).

An uploaded file is read by ``extract``: checked against its declared type and the document
limits first (``likvard_core.untrusted``), then parsed in a child process with memory, CPU and
wall-clock limits, so a bomb or a broken file is refused (``FileRefused``) and never takes the
caller down. ``extract_text_file``, ``extract_docx`` and ``extract_pdf`` parse in-process, for
files we made ourselves.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from likvard_core.untrusted import FileRefused, Limits, inspect_file, run_limited
from likvard_core.untrusted.inspect import DOCUMENT_LIMITS

if TYPE_CHECKING:
    import pdfplumber.pdf

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


class OcrNeeded(Exception):  # noqa: N818 (a state to act on, not an error)
    """Raised by ``extract(..., ocr=False)`` for a PDF whose pages must be read by OCR.

    Reading a scan takes seconds of CPU a page (about 4.5 s at 300 dpi), longer than a
    person should wait for a web request; the caller reads it in the background instead.
    ``pages`` is the PDF's number of pages.
    """

    def __init__(self, pages: int) -> None:
        super().__init__(pages)
        self.pages = pages


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


_SUFFIXES = {".txt", ".text", ".md", ".docx", ".pdf"}
_PAGE_POINTS = 1700  # 60 cm: any page larger than A2 is refused before it is rendered for OCR


def extract(
    path: Path,
    *,
    limits: Limits = DOCUMENT_LIMITS,
    ocr: bool = True,
    progress: Callable[[int], None] | None = None,
) -> ExtractedText:
    """Return the text of an uploaded ``path`` chosen by its suffix (.txt/.md, .docx, .pdf).

    Raises ``FileRefused`` when the file is not what its suffix says, exceeds ``limits`` or
    cannot be read, and ``ExtractionError`` for a suffix we do not read. With ``ocr`` false, a
    PDF that needs OCR raises ``OcrNeeded`` once its pages are checked, instead of being read.
    ``progress`` is called with the number of pages read by OCR so far.
    """
    if path.suffix.casefold() not in _SUFFIXES:
        raise ExtractionError(f"unsupported notes file kind: {path.name}")
    inspect_file(path, limits=limits)
    answer = run_limited(
        "likvard_core.notes.extract:extract_unlimited",
        str(path),
        ocr,
        limits=limits,
        progress=progress,
    )
    if "needs_ocr" in answer:
        raise OcrNeeded(int(answer["needs_ocr"]))
    return ExtractedText(
        pages=tuple(str(page) for page in answer["pages"]),
        method=ExtractionMethod(answer["method"]),
        encoding=answer["encoding"],
    )


def extract_unlimited(
    path: str,
    ocr: bool = True,
    *,
    limits: Limits,
    progress: Callable[[int], None] | None = None,
) -> dict[str, object]:
    """``extract`` without the child process, as JSON: run by ``run_limited`` in the child."""
    file = Path(path)
    suffix = file.suffix.casefold()
    if suffix == ".docx":
        result = extract_docx(file)
    elif suffix == ".pdf":
        try:
            result = extract_pdf(file, limits=limits, ocr=ocr, progress=progress)
        except OcrNeeded as needed:
            return {"needs_ocr": needed.pages}
    else:
        result = extract_text_file(file)
    return {"pages": list(result.pages), "method": result.method.value, "encoding": result.encoding}


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
    import docx  # noqa: PLC0415  (parsers are imported where used: the child imports little)
    from docx.table import Table  # noqa: PLC0415
    from docx.text.paragraph import Paragraph  # noqa: PLC0415

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


def extract_pdf(
    path: Path,
    *,
    limits: Limits | None = None,
    ocr: bool = True,
    progress: Callable[[int], None] | None = None,
) -> ExtractedText:
    """Return a PDF's text layer, or OCR of its pages when it has (almost) no text layer.

    With ``limits``, a PDF with more pages than ``limits.pages``, or a page larger than A2
    (which OCR would render to gigapixels), is refused (``FileRefused``). With ``ocr`` false,
    a PDF that needs OCR raises ``OcrNeeded``; ``progress`` gets the pages read by OCR so far.
    """
    import pdfplumber  # noqa: PLC0415

    with pdfplumber.open(str(path)) as pdf:
        if limits is not None:
            _check_pages(pdf, limits)
        pages = tuple((page.extract_text() or "") for page in pdf.pages)
    if pages and all(len(page.strip()) >= MIN_TEXT_LAYER_CHARS for page in pages):
        return ExtractedText(pages=pages, method=ExtractionMethod.PDF_TEXT)
    if not ocr:
        raise OcrNeeded(len(pages))
    return ocr_pdf(path, progress=progress)


def _check_pages(pdf: pdfplumber.pdf.PDF, limits: Limits) -> None:
    if len(pdf.pages) > limits.pages:
        raise FileRefused("too_many_pages", str(limits.pages))
    if any(max(page.width, page.height) > _PAGE_POINTS for page in pdf.pages):
        raise FileRefused("page_too_large")


def ocr_pdf(
    path: Path,
    *,
    dpi: int = OCR_DPI,
    language: str = OCR_LANGUAGE,
    progress: Callable[[int], None] | None = None,
) -> ExtractedText:
    """Return the OCR text of every page of ``path`` rendered at ``dpi`` with tesseract;
    ``progress`` is called with the number of pages read so far, as they finish."""
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
            texts = []
            for text in pool.map(lambda image: _ocr_image(image, language), images):
                texts.append(text)
                if progress is not None:
                    progress(len(texts))
            pages = tuple(texts)
    return ExtractedText(pages=pages, method=ExtractionMethod.PDF_OCR)


def _ocr_image(image: Path, language: str) -> str:
    import pytesseract  # noqa: PLC0415  (imports pandas when installed: only for scans)

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
