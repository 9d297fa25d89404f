"""Grade equity: final grades compared with national test grades, per school unit."""

from likvard_core.analytics.equity.deviation import with_deviation_flags
from likvard_core.analytics.equity.grade_vs_test import grade_vs_test_by_school
from likvard_core.analytics.equity.patterns import systematic_deviations

__all__ = ["grade_vs_test_by_school", "systematic_deviations", "with_deviation_flags"]
