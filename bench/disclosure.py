"""Joint suppression of one region's whole equity release, and the auditor over it.

At national scale (every municipality of the generated data set), for one region (its
municipalities from the reference data) and grade year 9: every school unit's yearly rows
(all years, every group) and patterns, as the school pages release them, decided as **one**
cube (``suppress_cube``: groups, years tied to their patterns, ``n_lower``/``n_same``/
``n_higher`` as parts), once, for a viewer who knows nothing. Then the independent auditor
(``likvard_core.audit``) gathers the released tables with its own ties and bounds every
hidden cell with HiGHS. Both are timed once (no warm-up: a decision is made once per data
version and viewer class and then cached).
"""

from __future__ import annotations

import csv
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

import pyarrow as pa

from bench.harness import OUT_DIR, REFERENCE_DIR, national_root, national_snapshot
from likvard_core.analytics.equity.national import UnitsSlice, kept_units_slice
from likvard_core.audit.audit import audit
from likvard_core.audit.model import ReleasedTable, Span, Total
from likvard_core.disclosure.suppress import SKOLVERKET_THRESHOLDS, suppress_cube
from likvard_core.warehouse.derived import Filter, derived_table, version_key
from likvard_core.warehouse.snapshot import Snapshot

NOTES = (
    "`disclosure.region_cube.<region>` is the joint suppression of the region's whole equity "
    "release (grade 9: every unit's yearly rows of every year and group, with their patterns "
    "and outcome counts as parts) as one cube, at national scale; `disclosure.audit.<region>` "
    "the independent auditor over the released tables (its own ties, HiGHS bounds of every "
    "hidden cell). Timed once each; `rows` is the cube's rows."
)
REGIONS = ("SKARABORG", "GR")
REFERENCE_LABEL = "övriga skolenheter i jämförelsen"
_GROUPS = Total(
    "all",
    partitions=(
        ("girls", "boys"),
        ("born_abroad", "born_in_sweden"),
        ("parents_low", "parents_middle", "parents_high"),
        ("newly_arrived",),
    ),
)


def region_units(snapshot: Snapshot, region: str) -> list[str]:
    """The school units of ``region``: those whose students live mostly in its municipalities
    (reference data); the generated national units carry no municipality of their own."""
    with (REFERENCE_DIR / "regions.csv").open(encoding="utf-8") as handle:
        municipalities = sorted(
            r["municipality_code"] for r in csv.DictReader(handle) if r["region_code"] == region
        )
    table = snapshot.query(
        "SELECT school_unit_code, mode(home_municipality_code) AS home FROM enrolments "
        "GROUP BY school_unit_code"
    )
    wanted = set(municipalities)
    return sorted(
        str(u)
        for u, home in zip(
            table.column("school_unit_code").to_pylist(),
            table.column("home").to_pylist(),
            strict=True,
        )
        if home in wanted
    )


def _slice(
    snapshot: Snapshot, root: Path, units: Sequence[str], scale: float, out_dir: Path
) -> UnitsSlice:
    key = version_key(snapshot.version, [str(root)])

    def keep(
        name: str,
        params: Mapping[str, object],
        compute: Callable[[], pa.Table],
        *,
        filters: Sequence[Filter] | None = None,
    ) -> pa.Table:
        return derived_table(root, key, name, params, compute, filters=filters)

    return kept_units_slice(
        keep=keep,
        open_snapshot=lambda: national_snapshot(scale, out_dir=out_dir),
        school_units=units,
        grade_year=9,
        data_version=snapshot.version,
        reference_label=REFERENCE_LABEL,
    )


def _audited(yearly: pa.Table, patterns: pa.Table) -> list[ReleasedTable]:
    """The released tables as the auditor describes them (its own ties, not the gate's)."""
    dims = ("school_unit_code", "subject_code", "school_year", "group")
    first = ReleasedTable(
        analysis="equity",
        name="yearly",
        family="equity.9",
        dims=dims,
        counts=("n", "n_lower", "n_same", "n_higher"),
        rows=yearly.to_pylist(),
        min_group=SKOLVERKET_THRESHOLDS.default,
        min_group_where=dict(SKOLVERKET_THRESHOLDS.by_dim),
        totals={"group": _GROUPS},
        parts={"n": ("n_lower", "n_same", "n_higher")},
    )
    second = ReleasedTable(
        analysis="equity",
        name="patterns",
        family="equity.9",
        dims=("school_unit_code", "subject_code", "group"),
        counts=("n",),
        rows=patterns.to_pylist(),
        min_group=SKOLVERKET_THRESHOLDS.default,
        min_group_where=dict(SKOLVERKET_THRESHOLDS.by_dim),
        totals={"group": _GROUPS},
        span=Span(),
    )
    return [first, second]


def run(snapshot: Snapshot, scale: float, *, out_dir: Path = OUT_DIR) -> list[dict[str, object]]:
    """Seconds for each region's joint equity release and for the auditor over it."""
    national_root(scale, out_dir=out_dir)
    derived_root = out_dir / f"equity-page-{scale:g}"
    results: list[dict[str, object]] = []
    for region in REGIONS:
        units = region_units(snapshot, region)
        kept = _slice(snapshot, derived_root, units, scale, out_dir)
        yearly = replace(kept.yearly, margins=(*kept.yearly.margins, "school_year"))
        rows = yearly.table.num_rows + kept.patterns.table.num_rows
        started = time.perf_counter()
        released = suppress_cube(
            {"yearly": yearly, "patterns": kept.patterns}, min_group=SKOLVERKET_THRESHOLDS
        )
        cube_seconds = time.perf_counter() - started
        tables = _audited(released["yearly"].table, released["patterns"].table)
        started = time.perf_counter()
        result = audit(tables)
        audit_seconds = time.perf_counter() - started
        hidden = sum(r.hidden_rows for r in released.values())
        results += [
            {"name": f"disclosure.region_cube.{region}", "seconds": cube_seconds, "rows": rows,
             "units": len(units), "hidden_rows": hidden},
            {"name": f"disclosure.audit.{region}", "seconds": audit_seconds, "rows": rows,
             "exposed": result.exposed},
        ]  # fmt: skip
    return results
