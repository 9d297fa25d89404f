"""Adjusted results: school results compared with a model of the students' background (SALSA).

One fit (``model.fit_by_stratum``) serves year 9 (``salsa_by_school``) and upper secondary by
programme type (``upper_secondary_by_school``).
"""

from likvard_core.analytics.adjusted.model import FitDiagnostics, Outcome, fit_by_stratum
from likvard_core.analytics.adjusted.salsa import (
    SALSA_2015_16_MERIT,
    SalsaFit,
    salsa_by_school,
    salsa_expected,
)
from likvard_core.analytics.adjusted.school_results import school_results
from likvard_core.analytics.adjusted.upper_secondary import (
    ProgrammeType,
    UpperSecondaryFit,
    upper_secondary_by_school,
    upper_secondary_results,
)

__all__ = [
    "SALSA_2015_16_MERIT",
    "FitDiagnostics",
    "Outcome",
    "ProgrammeType",
    "SalsaFit",
    "UpperSecondaryFit",
    "fit_by_stratum",
    "salsa_by_school",
    "salsa_expected",
    "school_results",
    "upper_secondary_by_school",
    "upper_secondary_results",
]
