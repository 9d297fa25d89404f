"""A part that is 0 almost everywhere (issues #21, #15: the GR completion page hid GR's total).

The introduction-programme paths (moved programme, still studying, IM to national) are
non-zero only in the rows of the few organizers with IM students. A small organizer's row is
hidden, and its 0 in such a part is protected like any hidden cell (``measures``). A hidden 0
gets room only from a hidden non-zero cell of its equations (counts are never negative), and
the only non-zero ones are the big IM organizer's and the region's, hidden with their whole
rows; the region's introduction row is then the IM organizer's, and the programme-group tie
took the region's total with it: in the miniature below one organizer of 3 hid every row. On
the demo it hid GR's total for start years 2016-2018 and Göteborg's and Kungsbacka's rows.

The small organizer's 0 says nothing the shown figures do not: it has no introduction row, so
its movers are its national movers, and the region's national row shows 0 movers. A hidden
total whose every part is shown as 0 or lies under a total shown as 0 is now released like
those parts (ADR 0003, 2026-12-06), and the auditor counts it among the zeros of totals.
"""

from __future__ import annotations

import pyarrow as pa

from likvard_core.disclosure.aggregate import Aggregate, Level, Partitions, Population
from likvard_core.disclosure.suppress import suppress_cube

GROUPS = Partitions("group", "all", (("national", "introduction"),))
POPULATION = Population(scope="t", organizers=frozenset({"1"}), level=Level.REGION)


def _aggregate(rows: list[tuple[object, ...]], *, by: str | None) -> Aggregate:
    names = ["group", "n", "diploma_4", "other_4", "moved"]
    if by:
        names.insert(0, by)
    table = pa.table({name: [r[i] for r in rows] for i, name in enumerate(names)})
    return Aggregate(
        table=table,
        dims=(*([by] if by else []), "group"),
        count="n",
        values=("diploma_4", "other_4", "moved"),
        population=POPULATION,
        data_version="v1",
        margins=(by,) if by else (),
        partitions=GROUPS,
        parts=("diploma_4", "other_4"),
        part_sets=(("moved",),),
    )


def _cube() -> dict[str, Aggregate]:
    # organizer A has the IM students (the only ones who move); B is big, C small
    by_organizer = [
        ("A", "all", 260, 210, 50, 9),
        ("A", "national", 240, 205, 35, 0),
        ("A", "introduction", 20, 5, 15, 9),
        ("B", "all", 300, 260, 40, 0),
        ("B", "national", 300, 260, 40, 0),
        ("C", "all", 3, 2, 1, 0),
        ("C", "national", 3, 2, 1, 0),
        (None, "all", 563, 472, 91, 9),
        (None, "national", 543, 467, 76, 0),
        (None, "introduction", 20, 5, 15, 9),
    ]
    totals = [r[1:] for r in by_organizer if r[0] is None]
    return {
        "totals": _aggregate(totals, by=None),
        "organizer": _aggregate(by_organizer, by="organizer"),
    }


def test_a_small_organizers_zero_does_not_hide_the_regions_total():
    released = suppress_cube(_cube(), min_group=5)
    totals = {r["group"]: r["status"] for r in released["totals"].table.to_pylist()}
    organizers = {
        (r["organizer"], r["group"]): r["status"] for r in released["organizer"].table.to_pylist()
    }
    assert organizers["C", "all"] == "too_few"
    assert totals["all"] == "exists"
