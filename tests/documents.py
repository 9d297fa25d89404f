"""Reading the documents the app exports, for assertions: the text in a PPTX deck's tables."""

from __future__ import annotations

from pptx.presentation import Presentation as Deck


def deck_table_cells(deck: Deck) -> list[str]:
    """The text of every table cell of ``deck``, slide by slide, row by row."""
    return [
        cell.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_table
        for row in shape.table.rows
        for cell in row.cells
    ]
