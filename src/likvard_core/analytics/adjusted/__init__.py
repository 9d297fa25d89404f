"""Adjusted results: school results compared with a model of the students' background (SALSA)."""

from likvard_core.analytics.adjusted.salsa import (
    SALSA_2015_16_MERIT,
    SalsaFit,
    salsa_by_school,
    salsa_expected,
)
from likvard_core.analytics.adjusted.school_results import school_results

__all__ = ["SALSA_2015_16_MERIT", "SalsaFit", "salsa_by_school", "salsa_expected", "school_results"]
