"""The national disclosure bench (``bench/disclosure_release.py``) describes komvux's release
to the auditor as the app does: the same tables, definitions, ties and rows."""

from __future__ import annotations

from bench.disclosure_release import THRESHOLDS, described_table, komvux_release
from likvard.access.policy import viewer_for
from likvard.analyses.komvux import services
from likvard.audit.catalogue import DEFINITIONS
from likvard.audit.gather import gather
from likvard.organisations import selectors as organisations
from likvard.warehouse.selectors import data_version_get
from likvard_core.analytics.komvux.measures import REGION_KEY, start_cells
from likvard_core.audit.model import ReleasedTable
from likvard_core.disclosure.suppress import suppress_cube

_DESCRIPTION = (
    "family", "dims", "counts", "min_group", "min_group_where", "totals", "span", "parts",
    "within", "references", "constants", "aliases", "groupings", "known", "not_applicable",
    "balances", "unbounded", "reconciles",
)  # fmt: skip


def _bench_tables(world) -> dict[str, ReleasedTable]:
    """The bench's description of ``world``'s region, named as the app names its tables."""
    region = world.region
    municipalities = organisations.region_municipalities(region=region)
    owners = services._organizers(municipalities)
    version = data_version_get()
    with version.open() as db:
        cells = start_cells(db, municipalities=[m.code for m in municipalities])
    tables = {}
    for cube in komvux_release(
        cells, data_version=version.label, region_code=region.code, owners=owners
    ):
        released = suppress_cube(cube.aggregates, min_group=THRESHOLDS)
        for key, table in released.items():
            page, by = key.split("/", 1)
            name = page if page == REGION_KEY else f"organizer:{page}"
            tables[f"{name}/{cube.name}/{by}"] = described_table(
                cube, key, table.table, DEFINITIONS
            )
    return tables


def _rows(table: ReleasedTable) -> list[tuple[object, ...]]:
    columns = (*table.dims, *table.counts, "status")
    return [tuple(row.get(c) for c in columns) for row in table.rows]


def test_the_bench_describes_komvux_as_the_auditor_reads_it(komvux_running):
    # Running starts (outcomes no cell in their rows only), two organizer pages whose
    # municipality is a constant, starts grouped into their courses: the auditor must read
    # the bench's tables as it reads the app's, or the bench's audit measures something else.
    viewer = viewer_for(komvux_running.users["regional_coordinator"])
    gathered = gather(viewer=viewer, region=komvux_running.region, only={"komvux"})
    app = {t.name: t for t in gathered.tables}
    bench = _bench_tables(komvux_running)
    assert sorted(bench) == sorted(app)
    assert any(t.not_applicable is not None for t in app.values())
    for name, table in app.items():
        mine = bench[name]
        for field in _DESCRIPTION:
            assert getattr(mine, field) == getattr(table, field), (name, field)
        assert _rows(mine) == _rows(table), name
