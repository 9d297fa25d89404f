"""The movement app's warmer: the national cells of a new data version (ADR 0007)."""

from __future__ import annotations

from likvard.analyses.movement.selectors import movement_reference
from likvard.analyses.movement.services.cells import movement_derived_warm
from likvard.warehouse.selectors import VersionRef


def warm_movement(version: VersionRef) -> int:
    """Compute ``version``'s national movement cells and filter choices; returns the cells."""
    return movement_derived_warm(version=version, reference=movement_reference())
