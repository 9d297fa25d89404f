"""What an export shows, independent of its format: a ``Document`` of sections and blocks.

A block says which media show it (``media``): a slide deck may show a shorter table than the
printed report, and a workbook leaves out charts drawn as pictures. Cells are values, never
text formatted in advance: the renderers write numbers as numbers (XLSX) or in Swedish text
(PDF, PPTX, DOCX) by the column's ``Kind``. A hidden figure is a ``Hidden`` cell: its mark
('..') is written, never a number, and its reason lands in the table's notes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum


class Medium(StrEnum):
    """The file formats."""

    XLSX = "xlsx"
    PDF = "pdf"
    PPTX = "pptx"
    DOCX = "docx"


ALL = frozenset(Medium)
PRINT = frozenset({Medium.PDF, Medium.DOCX})
"""Paged documents."""
NOT_SLIDES = frozenset({Medium.XLSX, Medium.PDF, Medium.DOCX})
NOT_WORKBOOK = frozenset({Medium.PDF, Medium.PPTX, Medium.DOCX})
WORKBOOK = frozenset({Medium.XLSX})
"""Only in the workbook: long tables that no page or slide could hold."""


class Kind(StrEnum):
    """How a column's values are written: Excel number format and Swedish text."""

    TEXT = "text"
    COUNT = "count"
    """Whole numbers: ``1 234``."""
    PERCENT = "percent"
    """Shares 0-1 written as percent: ``0.615`` -> ``61,5 %``."""
    DECIMAL = "decimal"
    """Numbers with ``Column.decimals`` decimals: ``14,3``."""
    SIGNED = "signed"
    """Differences with a sign: ``+2,1``, ``−0,4``."""
    YEAR = "year"
    """Calendar years, never with a thousands separator: ``2027``."""


@dataclass(frozen=True, slots=True)
class Hidden:
    """A cell whose figure is not shown: its ``mark`` is written and ``reason`` explains it."""

    mark: str = ".."
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Number:
    """A number written in its own ``kind``, not its column's (a share in a table of mixed
    units: ``0.75`` is ``75,0 %`` in a column of points)."""

    value: float
    kind: Kind
    decimals: int = 1


Value = str | int | float | Number | Hidden | None


@dataclass(frozen=True, slots=True)
class Column:
    """A table column: its Swedish header and how its values are written."""

    header: str
    kind: Kind = Kind.TEXT
    decimals: int = 1


@dataclass(frozen=True, slots=True)
class Table:
    """A table: columns, rows of values, notes under it. ``key`` leading columns name a row
    and are repeated when a wide table is split over pages or slides."""

    title: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[Value]]
    notes: Sequence[str] = ()
    key: int = 1
    line_chart: bool = False
    """XLSX: draw a native line chart of the second column over the first."""
    media: frozenset[Medium] = ALL

    def hidden_reasons(self) -> list[str]:
        """``'.. För få elever'`` once per mark and reason used in the table."""
        seen: dict[str, None] = {}
        for row in self.rows:
            for value in row:
                if isinstance(value, Hidden) and value.reason:
                    seen.setdefault(f"{value.mark} {value.reason}", None)
        return list(seen)


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading inside a section (level 3)."""

    text: str
    media: frozenset[Medium] = ALL


@dataclass(frozen=True, slots=True)
class Paragraph:
    """Running text; ``note`` paragraphs are set smaller (sources, remarks)."""

    text: str
    note: bool = False
    media: frozenset[Medium] = ALL


@dataclass(frozen=True, slots=True)
class Facts:
    """Label-value pairs (a document's particulars)."""

    pairs: Sequence[tuple[str, str]]
    media: frozenset[Medium] = ALL


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart: a Vega-Lite ``spec`` or a ready ``svg``, drawn by ``charts``."""

    caption: str
    spec: Mapping[str, object] | None = None
    svg: str | None = None
    media: frozenset[Medium] = NOT_WORKBOOK


@dataclass(frozen=True, slots=True)
class Field:
    """An empty box for the reader's own text (printed forms)."""

    label: str
    media: frozenset[Medium] = PRINT


Block = Heading | Paragraph | Facts | Table | Chart | Field


@dataclass(frozen=True, slots=True)
class Section:
    """A part of the document: a heading (a sheet in XLSX) and its blocks."""

    title: str
    blocks: Sequence[Block]
    sheet: str = ""
    """The XLSX sheet name (default: the title, shortened)."""
    media: frozenset[Medium] = ALL


@dataclass(frozen=True, slots=True)
class Document:
    """A whole export: title, subtitle, sections, and the sources that close it."""

    title: str
    sections: Sequence[Section]
    subtitle: str = ""
    sources: Sequence[str] = ()
    filename: str = "likvard"
    """Download name without the suffix."""

    def blocks(self, medium: Medium) -> list[tuple[Section, list[Block]]]:
        """The sections shown in ``medium``, each with its blocks shown there."""
        return [
            (section, [b for b in section.blocks if medium in b.media])
            for section in self.sections
            if medium in section.media
        ]


def chart_lead_ins(blocks: Sequence[Block]) -> dict[int, int]:
    """Chart index → index of the heading that leads to it through paragraphs only.

    A printed file keeps such a heading, its text and the chart on one page (the analysis basis
    left a heading and its definition at a page's foot, the chart on the next), and the chart
    gives no caption of its own when the heading already says the same.
    """
    leads: dict[int, int] = {}
    heading: int | None = None
    for i, block in enumerate(blocks):
        if isinstance(block, Heading):
            heading = i
        elif isinstance(block, Chart) and heading is not None:
            leads[i] = heading
            heading = None
        elif not isinstance(block, Paragraph):
            heading = None
    return leads
