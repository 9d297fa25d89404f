"""Hidden parts pinned to 0 beside rows whose outcome counts are withheld as ``~100``.

Issue #15 (zeros6): the auditor found hidden ``n_lower``/``n_higher`` of parents'-education
groups pinned to [0, 0] (demo Skaraborg equity 42, national GR 40, e.g. unit 59153432, SV,
2017). The equity analytics apply Skolverket's ``~100`` (``comparison.with_outcome_marks``)
*before* the gate: a row where all but at most four students share one outcome gets its
outcome counts nulled. Almost every too-few row qualifies (n < 10), and ``measures.melted``
takes a null part for a part that cannot occur (no cell). So the gate never sees the hidden
row's ``n_higher`` as a cell and does not protect it, while the release does hold the tie
the auditor uses: ``all`` (3 higher) = parents_middle (3, shown) + parents_low + parents_high
+ the unknown rest, so both hidden groups had 0 graded higher. The fixture is that unit's
year: in the old order (``~100`` first, then ``suppress_cube``) it exposes both; with the
counts given to the gate and the marked rows' parts released empty by it
(``Aggregate.withheld``) nothing is exposed.
"""

from __future__ import annotations

import pyarrow as pa

from likvard_core.analytics.equity.comparison import ATTRIBUTE_MARGIN
from likvard_core.analytics.equity.groups import GROUP_PARTITIONS
from likvard_core.audit.audit import audit
from likvard_core.audit.model import ReleasedTable, Total
from likvard_core.disclosure.aggregate import Aggregate, Level, Population
from likvard_core.disclosure.suppress import SKOLVERKET_THRESHOLDS, suppress_cube

DIMS = ("school_unit_code", "subject_code", "school_year", "group")
PARTS = ("n_lower", "n_same", "n_higher")
GROUPS = {  # (lower, same, higher): everyone graded higher is in parents_middle
    "all": (4, 17, 3),
    "girls": (2, 9, 3),
    "boys": (2, 8, 0),
    "born_abroad": (0, 0, 0),
    "born_in_sweden": (4, 17, 3),
    "newly_arrived": (0, 0, 0),
    "parents_low": (1, 3, 0),
    "parents_middle": (2, 6, 3),
    "parents_high": (1, 4, 0),
}


def _rows(*, nulled: bool) -> list[dict[str, object]]:
    """The unit's year, ``~100`` marked (``shares_rounded``); ``nulled``: counts emptied."""
    rows: list[dict[str, object]] = []
    for group, outcomes in GROUPS.items():
        n = sum(outcomes)
        row: dict[str, object] = dict(zip(PARTS, outcomes, strict=True))
        marked = n > 0 and n - max(outcomes) <= ATTRIBUTE_MARGIN
        if marked and nulled:
            row = dict.fromkeys(PARTS)
        rows.append(
            {"school_unit_code": "U1", "subject_code": "SV", "school_year": 2017,
             "group": group, "n": n, **row, "shares_rounded": marked}
        )  # fmt: skip
    return rows


def _released(rows: list[dict[str, object]], *, withheld: str | None) -> list[dict[str, object]]:
    aggregate = Aggregate(
        pa.Table.from_pylist(rows),
        dims=DIMS,
        count="n",
        values=(*PARTS, "shares_rounded"),
        population=Population("region:test", frozenset({"1"}), Level.REGION),
        data_version="v1",
        partitions=GROUP_PARTITIONS,
        parts=PARTS,
        withheld=withheld,
    )
    (released,) = suppress_cube([aggregate], min_group=SKOLVERKET_THRESHOLDS)
    return list(released.table.to_pylist())


def _exposed(rows: list[dict[str, object]]) -> list[str]:
    table = ReleasedTable(
        analysis="equity",
        name="yearly",
        family="equity.9",
        dims=DIMS,
        counts=("n", *PARTS),
        rows=rows,
        min_group=5,
        min_group_where={"school_unit_code": 10},
        totals={"group": Total("all", partitions=GROUP_PARTITIONS.parts)},
        parts={"n": PARTS},
    )
    return [f.describe() for f in audit([table]).findings]


def test_counts_nulled_before_the_gate_expose_hidden_zeros() -> None:
    released = _released(_rows(nulled=True), withheld=None)
    assert _exposed(released) == [
        f"n_higher [group={g}, school_unit_code=U1, school_year=2017, subject_code=SV] ∈ [0, 0]"
        for g in ("parents_high", "parents_low")
    ]


def test_the_gate_protects_hidden_zeros_beside_withheld_parts() -> None:
    released = _released(_rows(nulled=False), withheld="shares_rounded")
    assert _exposed(released) == []
    by_group = {r["group"]: r for r in released}
    assert by_group["parents_middle"]["status"] != "exists"  # 3 higher of all's 3: hidden
    for row in released:  # a marked row shows no outcome counts, hidden or not
        if row["shares_rounded"] or row["status"] != "exists":
            assert all(row[p] is None for p in PARTS), row
        else:
            assert row["n"] == sum(row[p] for p in PARTS)
    assert by_group["boys"]["n"] == 10  # ~100: shown, its counts empty
