"""Every row released as ``exists``: the stand-in gate of tests and benchmarks, never of the app.

The application releases through ``likvard.access.release``; this lives outside ``src`` so that
nothing shown to a viewer can use it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from likvard_core.disclosure.aggregate import Aggregate
from likvard_core.terms import ValueStatus


@dataclass(frozen=True, slots=True)
class Unsuppressed:
    table: pa.Table
    data_version: str
    source: str


def without_suppression(aggregate: Aggregate) -> Unsuppressed:
    """Every row as ``exists``: for tests and benchmarks only.

    The application passes its release gate instead; nothing shown to a viewer may use this.
    """
    status = pa.array([ValueStatus.EXISTS.value] * aggregate.table.num_rows, pa.string())
    table = aggregate.table.append_column("status", status)
    return Unsuppressed(table, aggregate.data_version, aggregate.source)
