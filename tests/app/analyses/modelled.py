"""A warehouse of synthetic year-9 and upper-secondary populations, staged as one batch.

The populations of ``tests/core/analytics`` (background drives the results) are written through
the warehouse writer and committed as a data version, with the world's own school unit taking
the place of one synthetic school in each, so the adjusted pages have fitted models to show.
"""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from likvard.warehouse.models import BatchStatus, DataVersion, ImportBatch
from likvard_core.warehouse.writer import stage_batch
from tests.app.conftest import World
from tests.core.analytics.salsa_population import salsa_tables
from tests.core.analytics.upper_secondary_population import cohort_tables


def _own(table: pa.Table, synthetic: str, unit: str, organizer: str | None) -> pa.Table:
    """``table`` with school ``synthetic`` renamed to ``unit`` (and its organizer set)."""
    mine = pc.equal(table.column("school_unit_code"), synthetic)
    index = table.schema.get_field_index("school_unit_code")
    table = table.set_column(index, "school_unit_code", pc.if_else(mine, unit, table.column(index)))
    if organizer is not None:
        index = table.schema.get_field_index("organizer_code")
        table = table.set_column(
            index, "organizer_code", pc.if_else(mine, organizer, table.column(index))
        )
    return table


def modelled_warehouse(world: World, root: Path) -> str:
    """Stage and commit the populations under ``root``; returns the own unit's code."""
    year9 = salsa_tables(40, seed=3)
    upper = cohort_tables(40, seed=5)
    unit, organizer = world.own_unit.code, world.own.organisation_number
    enrolments = pa.concat_tables(
        [
            _own(year9["enrolments"], "50000001", unit, organizer),
            _own(upper["enrolments"], "70000001", unit, organizer),
        ]
    )
    tables = {
        "enrolments": enrolments,
        "final_grades": _own(year9["final_grades"], "50000001", unit, None),
        "course_grades": _own(upper["course_grades"], "70000001", unit, None),
    }
    batch_id = uuid.uuid4()
    staged = stage_batch(root, str(batch_id), tables)
    batch = ImportBatch.objects.create(
        id=batch_id,
        kind="enrolments",
        file_name="synthetic.parquet",
        content_hash=hashlib.sha256(str(batch_id).encode()).hexdigest(),
        organizer=world.own,
        status=BatchStatus.COMMITTED,
        rows={f.table: f.rows for f in staged.files},
        files={t: list(p) for t, p in staged.paths_by_table().items()},
    )
    version = DataVersion.objects.create(number=1, reason="synthetic")
    version.batches.set([batch])
    return unit
