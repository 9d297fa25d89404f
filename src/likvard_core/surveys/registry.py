"""The survey definitions shipped with Likvärd (``likvard_core/surveys/data/*.json``)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from likvard_core.surveys.definition import Revision, SurveyVersion, parse_definition
from likvard_core.surveys.revision import revision_between

DATA_DIR = Path(__file__).resolve().parent / "data"


@cache
def builtin_definitions() -> dict[str, SurveyVersion]:
    """Every shipped survey version by key (``gr-elev/2025``), in key order."""
    versions = [
        parse_definition(json.loads(path.read_text(encoding="utf-8")))
        for path in sorted(DATA_DIR.glob("*.json"))
    ]
    return {v.key: v for v in sorted(versions, key=lambda v: v.key)}


def definition_get(key: str) -> SurveyVersion | None:
    """The shipped version ``survey/version``, or None."""
    return builtin_definitions().get(key)


def revision_of(version: SurveyVersion) -> Revision:
    """``version``'s revision against the version it names as previous (or none)."""
    previous = definition_get(f"{version.survey}/{version.previous}") if version.previous else None
    return revision_between(previous, version)
