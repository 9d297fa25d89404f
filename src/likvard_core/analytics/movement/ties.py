"""The movement reports' tables with their linear ties declared, for one joint release.

``likvard.access.release.release_cube`` decides suppression over every table of a report at
once, tying cells by their breakdown columns: the same columns and key are the same cell, a
null in a ``margins`` column is the total over it, and any margin column is summable. So the
tables must name the same students the same way, and declare which columns add up:

- the other-organizer share counts the region's residents per home municipality: its rows are
  renamed to ``home_municipality_code`` and carry the region (``region_code``), so a
  municipality's residents are one cell with the matrix row and the Sankey's home links of that
  municipality (their sums), and the region's row is the sum of its municipalities;
- the origin-destination matrix adds up over the school municipality (and the home);
- each Sankey link table adds up over its target stage: home → organizer over organizers,
  organizer → school unit over units, school unit → programme over programmes, so an
  organizer's or a unit's students are one (unpublished) cell reached from both sides;
- the balance counts residents plus incoming students per municipality and programme, another
  quantity than the tables above, so it keeps its own column (``municipality_code``) and is tied
  only to its own total over programmes.

A part without a published total gets an unpublished total, and a total whose shown parts add up
to less gets an unpublished remainder (``likvard_core.disclosure.cube``), so students living
outside the region but studying in it (in the matrix and the links, not in the share) are tied
without being shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pyarrow as pa

from likvard_core.disclosure.aggregate import Aggregate

SHARE_DIMS = ("school_year", "region_code", "home_municipality_code")
"""The share's breakdown in the joint release: the region, and each home municipality in it."""


def share_by_home(share: Aggregate, *, region_code: str) -> Aggregate:
    """The other-organizer share with ``municipality_code`` as ``home_municipality_code`` and
    the region's code beside it (its null marks the region's own row, as before)."""
    table = share.table.rename_columns(
        [
            "home_municipality_code" if n == "municipality_code" else n
            for n in share.table.schema.names
        ]
    )
    table = table.add_column(
        1, "region_code", pa.array([region_code] * table.num_rows, pa.string())
    )
    return replace(
        share, table=table, dims=SHARE_DIMS, margins=("region_code", "home_municipality_code")
    )


def matrix_tied(matrix: Aggregate) -> Aggregate:
    """The origin-destination matrix, summable over school and home municipality."""
    return replace(matrix, margins=("home_municipality_code", "school_municipality_code"))


def link_tied(link: Aggregate) -> Aggregate:
    """A Sankey link table (``school_year``, source, target), summable over its target."""
    return replace(link, margins=(link.dims[-1],))


def links_tied(links: Sequence[Aggregate]) -> list[Aggregate]:
    """The Sankey's link tables, each summable over its target stage."""
    return [link_tied(link) for link in links]
