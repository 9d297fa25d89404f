"""Open data's release warmer: every year's public table of a new data version.

The public tables and the Kolada-compatible API read the same released levels cubes (one per
region, indicator and year, as an anonymous viewer: ``services.released``), so releasing every
year's table once, in the warm-up with the new version pinned, puts every cube the API serves
to anonymous callers in Django's cache before the first request.
"""

from __future__ import annotations

from likvard.opendata.services.datasets import ANALYSES, dataset_rows, dataset_years
from likvard.warehouse.selectors import VersionRef


def warm_open_data(version: VersionRef) -> int:
    """Release every open data table of ``version``; returns the tables done."""
    if not any(version.files.values()):
        return 0
    done = 0
    for analysis in ANALYSES.values():
        for year in dataset_years():
            dataset_rows(analysis=analysis, year=year)
            done += 1
    return done
