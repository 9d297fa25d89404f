"""Student movement: every municipality's flows for all years, against a pandas reference.

``movement.all_flows`` computes the four national tables (flows, origin-destination,
other-organizer share, municipal balance) for all municipalities and all school years of the
snapshot with ``movement_tables`` (one pass); ``movement.pandas_reference`` computes the same
four tables with vectorised pandas
from the enrolments already loaded into a DataFrame (its load is not timed, which favours
pandas). ``movement.gr_page`` times the core work of the region page for the GR
municipalities in the latest year (two queries and the Sankey layout).

The lookups come from the synthetic country itself (``build_country`` with the data set's
seed and size): organizer 212000NNNN is the municipal organizer of municipality NNNN.
"""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

import pandas as pd

from bench.harness import REFERENCE_DIR, best_of
from bench.reference.movement import movement_reference
from likvard.movement.sankey import Link, collapse, sankey_layout, sankey_svg
from likvard_core.analytics.movement.flows import FlowLevel, flows, other_organizer_share
from likvard_core.analytics.movement.scope import Lookups, OrganizerInfo, Scope, UnitInfo
from likvard_core.analytics.movement.tables import movement_tables
from likvard_core.synth.national_world import build_country
from likvard_core.warehouse.snapshot import Snapshot

STAGES = (FlowLevel.HOME, FlowLevel.ORGANIZER, FlowLevel.SCHOOL_UNIT, FlowLevel.PROGRAMME)


def national_lookups(scale: float, *, seed: int = 1, school_units: int = 6000) -> Lookups:
    """The organizer and school-unit lookups of the synthetic country at ``scale``."""
    units = max(8, round(school_units * min(scale * 10, 1.0)))
    country = build_country(
        seed=seed,
        municipalities=min(290, max(2, units // 4)),
        school_units=units,
        reference_dir=REFERENCE_DIR,
    )
    organizers: dict[str, OrganizerInfo] = {}
    unit_info: dict[str, UnitInfo] = {}
    for code, organizer, where in zip(
        country.school_codes, country.organizer_codes, country.school_municipality, strict=True
    ):
        municipality = str(country.municipality_codes[where])
        municipal = str(organizer).startswith("212000")
        organizers[str(organizer)] = OrganizerInfo(
            "kommunal" if municipal else "enskild", municipality if municipal else ""
        )
        unit_info[str(code)] = UnitInfo(municipality, str(organizer))
    return Lookups(organizers=organizers, school_units=unit_info)


def _gr_codes() -> frozenset[str]:
    with (REFERENCE_DIR / "regions.csv").open(encoding="utf-8") as handle:
        return frozenset(
            r["municipality_code"] for r in csv.DictReader(handle) if r["region_code"] == "GR"
        )


def _all_flows(snapshot: Snapshot, lookups: Lookups) -> int:
    tables = movement_tables(snapshot, lookups, Scope())
    return sum(
        a.table.num_rows
        for a in (tables.flows, tables.origin_destination, tables.other_organizer_share,
                  tables.balance)
    )  # fmt: skip


def _gr_page(snapshot: Snapshot, lookups: Lookups, year: int) -> int:
    members = _gr_codes()
    other_organizer_share(snapshot, lookups, Scope.of(municipalities=members))
    tables = movement_tables(snapshot, lookups, Scope.of(municipalities=members, years=[year]))
    links: list[Link] = []
    for stage, (a, b) in enumerate(itertools.pairwise(STAGES)):
        table = tables.links(a, b).table
        links.extend(
            Link(stage, str(s), str(t), int(n))
            for s, t, n in zip(table[a.value].to_pylist(), table[b.value].to_pylist(),
                               table["n"].to_pylist(), strict=True)
        )  # fmt: skip
    for stage in range(len(STAGES)):
        links = collapse(links, stage=stage, keep=12, other="all")
    layout = sankey_layout(links, stage_titles=["a", "b", "c", "d"], labels={})
    return len(sankey_svg(layout, title="t", description="d", element_id="s"))


def _frames(
    snapshot: Snapshot, lookups: Lookups
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    enrolments = snapshot.query(
        "SELECT school_year, student_key, school_unit_code, organizer_code, school_form, "
        "programme_code, home_municipality_code FROM enrolments "
        "WHERE school_form IN ('gymnasieskola', 'anpassad_gymnasieskola')"
    ).to_pandas()
    organizers = pd.DataFrame(
        [(c, i.organizer_type, i.municipality_code) for c, i in lookups.organizers.items()],
        columns=["organizer_code", "organizer_type", "organizer_municipality"],
    )
    units = pd.DataFrame(
        [(c, i.municipality_code) for c, i in lookups.school_units.items()],
        columns=["school_unit_code", "school_municipality_code"],
    )
    return enrolments, organizers, units


def run(
    snapshot: Snapshot, scale: float, *, out_dir: Path | None = None
) -> list[dict[str, object]]:
    """Seconds for all municipalities' flows (ten years), the pandas reference, the GR page."""
    del out_dir
    lookups = national_lookups(scale)
    seconds, result_rows = best_of(lambda: _all_flows(snapshot, lookups), repeat=3)
    enrolments, organizers, units = _frames(snapshot, lookups)
    pandas_seconds, reference = best_of(
        lambda: movement_reference(enrolments, organizers, units), repeat=1
    )
    assert isinstance(reference, dict)  # best_of returns the result as object
    if int(reference["flows"]["n"].sum()) != int(
        flows(snapshot, lookups, Scope()).table.column("n").to_numpy().sum()
    ):
        raise RuntimeError("the analytics function and the pandas reference disagree on totals")
    year = int(snapshot.query("SELECT max(school_year) AS y FROM enrolments")["y"][0].as_py())
    page_seconds, _size = best_of(lambda: _gr_page(snapshot, lookups, year), repeat=3)
    rows = len(enrolments)
    return [
        {"name": "movement.all_flows", "seconds": seconds, "rows": rows,
         "pandas": "movement.pandas_reference", "result_rows": result_rows},
        {"name": "movement.pandas_reference", "seconds": pandas_seconds, "rows": rows},
        {"name": "movement.gr_page", "seconds": page_seconds, "rows": rows},
    ]  # fmt: skip
