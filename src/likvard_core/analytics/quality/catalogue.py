"""The catalogue of Skolverket's national quality system: goals, indicators, success factors.

The catalogue is a versioned data file (``data/catalogue.json``, format documented in
``docs/quality-catalogue-format.md``) parsed into frozen value types. This module is the public
entry point; the types live in ``catalogue_model`` and the validation in ``catalogue_parse``.
"""

from __future__ import annotations

from pathlib import Path

from likvard_core.analytics.quality.catalogue_model import (
    DEFAULT_PATH,
    FORMAT,
    SCHOOL_FORMS,
    Catalogue,
    CatalogueError,
    Conditions,
    DataSource,
    Direction,
    Goal,
    Indicator,
    IndicatorKind,
    PublicMeasure,
    Status,
    SubGoal,
    SuccessFactor,
    Unit,
    indicator_history,
    indicator_revision,
)
from likvard_core.analytics.quality.catalogue_parse import parse_catalogue

__all__ = [
    "DEFAULT_PATH",
    "FORMAT",
    "SCHOOL_FORMS",
    "Catalogue",
    "CatalogueError",
    "Conditions",
    "DataSource",
    "Direction",
    "Goal",
    "Indicator",
    "IndicatorKind",
    "PublicMeasure",
    "Status",
    "SubGoal",
    "SuccessFactor",
    "Unit",
    "indicator_history",
    "indicator_revision",
    "load_catalogue",
    "parse_catalogue",
]


def load_catalogue(path: Path | None = None) -> Catalogue:
    """The catalogue in ``path`` (default: the shipped file); ``CatalogueError`` if invalid."""
    target = path or DEFAULT_PATH
    return parse_catalogue(target.read_bytes(), source_name=target.name)
