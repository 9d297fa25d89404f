"""The national movement cells of a data version from another version's, per school year.

A movement cell counts the students of one school year, each once, from that year's
enrolments alone (``tables.movement_cells``); an introduction cell of year ``y`` follows its
students into ``y + 1`` and exists only for years before the newest (``introduction``). So a
version whose enrolments differ from another's only in some school years (an import or a
withdrawal) has the other's cells in every other year: ``cells_updated`` and
``introduction_cells_updated`` count only the changed years (and, for the follow-up, the year
before each) again. Both tables are kept in a total order, so an updated table equals the one
computed anew row for row (``tests/core/analytics/movement/test_kept_updated.py``).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.analytics.movement.introduction import introduction_cells
from likvard_core.analytics.movement.scope import UPPER_SECONDARY_FORMS, Lookups, Scope
from likvard_core.analytics.movement.tables import movement_cells
from likvard_core.warehouse.snapshot import Snapshot

CELL_ORDER: tuple[str, ...] = (
    "home_municipality_code",
    "school_year",
    "organizer_code",
    "school_unit_code",
    "programme_code",
)
"""The kept cells' order: by home municipality (an area's read skips most of the file), then
the rest of a cell's key."""
INTRODUCTION_ORDER: tuple[str, ...] = (
    "school_year",
    "home_municipality_code",
    "programme_code",
    "organizer_code",
    "outcome",
)


def _sorted(table: pa.Table, order: Sequence[str]) -> pa.Table:
    return table.sort_by([(c, "ascending") for c in order])


def national_movement_cells(
    db: Snapshot, lookups: Lookups, *, forms: tuple[str, ...] = UPPER_SECONDARY_FORMS
) -> pa.Table:
    """Every student of ``forms`` in cells (``movement_cells``), in the kept order."""
    return _sorted(movement_cells(db, lookups, Scope.of(school_forms=forms)), CELL_ORDER)


def national_introduction_cells(db: Snapshot, lookups: Lookups, scope: Scope) -> pa.Table:
    """Every introduction student's follow-up cell (``introduction_cells``), in the kept order."""
    return _sorted(introduction_cells(db, lookups, scope), INTRODUCTION_ORDER)


def cells_updated(
    db: Snapshot,
    kept: pa.Table,
    lookups: Lookups,
    *,
    years: Collection[int],
    forms: tuple[str, ...] = UPPER_SECONDARY_FORMS,
) -> pa.Table:
    """``national_movement_cells(db)`` from ``kept`` (the cells of a version whose enrolments
    differ from ``db``'s only in ``years``): only ``years`` are counted again."""
    changed = sorted({int(y) for y in years})
    if not changed:
        return kept
    fresh = movement_cells(db, lookups, Scope.of(school_forms=forms, years=changed))
    return _sorted(replaced(kept, fresh, changed), CELL_ORDER)


def introduction_cells_updated(
    db: Snapshot, kept: pa.Table, lookups: Lookups, *, years: Collection[int]
) -> pa.Table:
    """``national_introduction_cells(db, lookups, Scope())`` from ``kept`` (as
    ``cells_updated``): the changed years and the year before each are followed again."""
    changed = sorted({int(y) for y in years} | {int(y) - 1 for y in years})
    if not changed:
        return kept
    fresh = introduction_cells(db, lookups, Scope.of(years=changed))
    return _sorted(replaced(kept, fresh, changed), INTRODUCTION_ORDER)


def replaced(kept: pa.Table, fresh: pa.Table, years: Sequence[int]) -> pa.Table:
    """``kept`` with the rows of ``years`` replaced by ``fresh`` (the same years anew)."""
    year_type = kept.schema.field("school_year").type
    stale = pc.is_in(kept.column("school_year"), pa.array(list(years), year_type))
    return pa.concat_tables([kept.filter(pc.invert(stale)), fresh.cast(kept.schema)])
