"""Movement reports: the only code of the movement pages that touches both Django and the core.

Each report opens the current data version, calls ``likvard_core.analytics.movement`` and
releases every table through ``likvard.access.release.release``.
"""

from likvard.analyses.movement.services.admissions import (
    AdmissionsReport,
    admissions_report,
    admissions_report_keyed,
)
from likvard.analyses.movement.services.municipality import MunicipalityReport, municipality_report
from likvard.analyses.movement.services.region import (
    FilterChoices,
    Filters,
    RegionReport,
    filter_choices,
    movement_export_tables,
    region_report,
)

__all__ = [
    "AdmissionsReport",
    "FilterChoices",
    "Filters",
    "MunicipalityReport",
    "RegionReport",
    "admissions_report",
    "admissions_report_keyed",
    "filter_choices",
    "movement_export_tables",
    "municipality_report",
    "region_report",
]
