"""The trend chart of each indicator in the analysis basis, as a Vega-Lite specification."""

from __future__ import annotations

from likvard_core.analytics.quality.basis import AnalysisBasis
from likvard_core.analytics.quality.charts import trend_chart


def basis_charts(basis: AnalysisBasis) -> dict[str, dict[str, object]]:
    """Indicator code → Vega-Lite spec of its trend (the chart the exports draw too).

    Only indicators with at least one shown yearly value get a chart; hidden years are gaps.
    """
    return {
        block.indicator.code: trend_chart(block, width="container")
        for block in basis.all_blocks()
        if any(point.figure.shown for point in block.trend)
    }
