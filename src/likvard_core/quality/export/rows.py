"""The tables every exporter shows, built once from an ``AnalysisBasis``.

A cell is a number only when its figure is shown; otherwise it is the figure's mark ('..',
'.') and the reason is collected in a footnote, so no exporter can print a hidden value.
"""

from __future__ import annotations

from dataclasses import dataclass

from likvard_core.quality.assess import format_sv
from likvard_core.quality.basis import AnalysisBasis, Figure, IndicatorBlock
from likvard_core.quality.catalogue_model import Unit


@dataclass(frozen=True, slots=True)
class Cell:
    """A table cell: ``number`` (shown) or ``text`` (a mark or a label), with a unit."""

    number: float | None = None
    text: str = ""
    unit: Unit | None = None
    reason: str = ""
    decimals: int = 1

    def display_sv(self) -> str:
        """The cell as Swedish text (decimal comma)."""
        if self.number is not None:
            return format_sv(self.number, self.unit, decimals=self.decimals)
        return self.text


def figure_cell(figure: Figure | None, unit: Unit | None) -> Cell:
    """A number for a shown figure, else its mark with the Swedish reason."""
    if figure is None:
        return Cell(text="")
    if figure.shown and figure.value is not None:
        return Cell(number=figure.value, unit=unit)
    return Cell(text=figure.mark, reason=figure.reason_sv)


def count_cell(figure: Figure) -> Cell:
    """The group size ``n`` of a shown figure (hidden with it otherwise)."""
    if figure.shown and figure.n is not None:
        return Cell(number=float(figure.n), decimals=0)
    return Cell(text=figure.mark if not figure.shown else "")


def comparison_labels(basis: AnalysisBasis) -> list[str]:
    """The comparison columns of the basis, in order (labels of the first warehouse block)."""
    labels: list[str] = []
    for block in basis.all_blocks():
        for comparison in block.comparisons:
            if comparison.label_sv not in labels:
                labels.append(comparison.label_sv)
    return labels


def header(basis: AnalysisBasis) -> list[str]:
    """Column titles of an indicator table."""
    return [
        "Indikator",
        "Värde",
        "Flickor",
        "Pojkar",
        "Antal elever",
        *(label[:1].upper() + label[1:] for label in comparison_labels(basis)),
        "Förväntat värde",
        "Skillnad mot förväntat",
        "Sticker ut",
    ]


def indicator_row(basis: AnalysisBasis, block: IndicatorBlock) -> list[Cell]:
    """One row of an indicator table."""
    unit = block.indicator.unit
    by_label = {c.label_sv: c.figure for c in block.comparisons}
    expected = block.expectation.expected if block.expectation else None
    gap = block.expectation.gap if block.expectation else None
    return [
        Cell(text=block.indicator.name),
        figure_cell(block.value, unit),
        figure_cell(block.by_group.get("girls"), unit),
        figure_cell(block.by_group.get("boys"), unit),
        count_cell(block.value),
        *(figure_cell(by_label.get(label), unit) for label in comparison_labels(basis)),
        figure_cell(expected, unit),
        Cell(number=gap, unit=None) if gap is not None else Cell(text=""),
        Cell(text="Ja" if block.flags else "Nej"),
    ]


def members_header(basis: AnalysisBasis) -> list[str]:
    """Column titles of a region's members table: the indicator, then each municipality."""
    return ["Indikator", *(name for _code, name in basis.members)]


def members_rows(blocks: tuple[IndicatorBlock, ...]) -> list[list[Cell]]:
    """A region's member municipalities side by side: one row per indicator that has them."""
    return [
        [
            Cell(text=block.indicator.name),
            *(figure_cell(m.figure, block.indicator.unit) for m in block.members),
        ]
        for block in blocks
        if block.members
    ]


def footnotes(basis: AnalysisBasis) -> list[str]:
    """The marks used in the basis and why, plus the basis's own notes (Swedish)."""
    seen: dict[str, str] = {}
    for block in basis.all_blocks():
        figures = [block.value, *block.by_group.values(), *(c.figure for c in block.comparisons)]
        figures += [m.figure for m in block.members]
        figures += [p.figure for p in block.trend]
        for figure in figures:
            if not figure.shown and figure.reason_sv:
                seen.setdefault(f"{figure.mark} {figure.reason_sv}", "")
    marks = [f"{text}" for text in seen]
    return [*marks, *basis.notes_sv, provenance(basis)]


def provenance(basis: AnalysisBasis) -> str:
    """Where the figures come from (Swedish)."""
    return (
        f"Källa: Likvärd, dataversion {basis.data_version}; katalog över "
        f"kvalitetssystemet version {basis.catalogue_version}."
    )
