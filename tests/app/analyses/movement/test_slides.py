"""The dependency map's slides show the whole origin-destination matrix (#16: the deck cut it
after nine columns, at Lerum): every school municipality and the total, over as many slides as
it needs, each inside the slide."""

from __future__ import annotations

import io
from types import SimpleNamespace

from pptx import Presentation

from likvard.analyses.movement.services.region import MatrixRow
from likvard.analyses.movement.slides import region_deck
from tests.app.exports.edges import pptx_problems
from tests.documents import deck_table_cells

GR = ["Ale", "Alingsås", "Göteborg", "Härryda", "Kungsbacka", "Kungälv", "Lerum", "Lilla Edet",
      "Mölndal", "Partille", "Stenungsund", "Tjörn", "Öckerö"]  # fmt: skip
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0 0 10 10"></svg>'


def _report() -> SimpleNamespace:
    columns = [(f"14{i:02d}", name) for i, name in enumerate(GR)]
    rows = [
        MatrixRow(code=code, name=name, cells=[None if i == j else 100 + j for j in range(13)],
                  total=1300)
        for i, (code, name) in enumerate(columns)
    ]  # fmt: skip
    released = SimpleNamespace(provenance="Källa: test")
    return SimpleNamespace(
        region=SimpleNamespace(name="Göteborgsregionen"), year=2026, map_rows=[],
        matrix_columns=columns, matrix_rows=rows, map_chart={"data": {"values": []}},
        sankey=SVG, share=released, matrix=released,
    )  # fmt: skip


def test_matrix_slides_show_every_column_inside_the_slide():
    content = region_deck(_report())  # type: ignore[arg-type]
    assert pptx_problems(content, "beroendekarta.pptx") == []
    deck = Presentation(io.BytesIO(content))
    cells = deck_table_cells(deck)
    assert set(GR) <= set(cells)
    assert {"Öckerö", "Totalt", "1\u00a0300", "112"} <= set(cells)  # the last columns too
    titles = [s.shapes.title.text for s in deck.slides if s.shapes.title is not None]
    assert any(t.startswith("Hemkommun och skolkommun") for t in titles)
