"""Statistics helpers: intervals, tests, multiple comparisons and trend tests.

Everything here is vectorised over NumPy arrays (Arrow columns are accepted and converted
without copying where possible), deterministic and free of I/O.
"""

from likvard_core.stats.intervals import clopper_pearson_interval, wilson_interval
from likvard_core.stats.multiple import benjamini_hochberg, holm
from likvard_core.stats.proportions import proportion_vs_rate_pvalue
from likvard_core.stats.trend import pooled_deviation_pvalue, same_sign_pvalue

__all__ = [
    "benjamini_hochberg",
    "clopper_pearson_interval",
    "holm",
    "pooled_deviation_pvalue",
    "proportion_vs_rate_pvalue",
    "same_sign_pvalue",
    "wilson_interval",
]
