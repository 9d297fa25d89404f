"""Vega-Lite specifications of the komvux charts, built with Altair from released rows only.

Width from the container, height by the number of bars; every chart has a table with the
same figures on the page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
from django.utils.translation import gettext as _

from likvard.analyses.komvux.rows import FigureRow
from likvard.exports.charts import wrapped_title

Spec = dict[str, object]
HEIGHT = 240
BAR = 22
"""Pixels per bar of a horizontal bar chart."""


def _data(values: Sequence[Mapping[str, object]]) -> alt.Data:
    return alt.Data(values=values)  # type: ignore[no-untyped-call]  # Altair's init is untyped


def _finish(chart: alt.TopLevelMixin, title: str, height: int) -> Spec:
    spec: Spec = chart.properties(
        width="container",
        height=height,
        title=alt.TitleParams(title, anchor="start", frame="bounds", fontSize=14),
    ).to_dict()
    wrapped_title(spec, title)
    spec["autosize"] = {"type": "fit-x", "contains": "padding"}
    # One font for measuring and drawing: with the default, the PDF drew names wider than
    # Vega measured them and cut their first letters ("venska som andraspråk 1").
    font = "DejaVu Sans"
    spec["config"] = {
        "font": font,
        "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelFont": font, "titleFont": font},
        "legend": {"labelFont": font},
        "title": {"font": font},
    }
    return spec


def rates_trend(rows: list[FigureRow]) -> Spec:
    """Fill rate, completion and outcome (percent) per year, from the released totals."""
    measures = (
        ("fill_rate", _("Fill rate")),
        ("completion_rate", _("Completed")),
        ("outcome_rate", _("In work or studies")),
    )
    values = [
        {"år": row.name, "procent": row.get(field), "mått": name}
        for row in rows
        for field, name in measures
        if row.get(field) is not None
    ]
    chart = (
        alt.Chart(_data(values))
        .mark_line(point=True)
        .encode(
            # Ten years side by side ran together at 390 px; overlapping labels are thinned.
            x=alt.X(
                "år:O",
                title=_("Year the start began"),
                axis=alt.Axis(labelAngle=0, labelOverlap=True),
            ),
            y=alt.Y("procent:Q", title=_("Percent"), scale=alt.Scale(domain=[0, 100])),
            color=alt.Color(
                "mått:N", title=None, legend=alt.Legend(orient="bottom", columns=1, labelLimit=300)
            ),
            tooltip=[
                alt.Tooltip("mått:N", title=_("Measure")),
                alt.Tooltip("år:O", title=_("Year")),
                alt.Tooltip("procent:Q", title=_("Percent")),
            ],
        )
    )
    return _finish(chart, _("Fill rate, completion and outcomes per year"), HEIGHT)


def soktryck_bars(rows: list[FigureRow], title: str) -> Spec:
    """Applicants per offered place per named row (the total left out), with 1 marked."""
    values = [
        {"namn": row.name, "söktryck": row.get("soktryck")}
        for row in rows
        if row.key is not None and row.get("soktryck") is not None
    ]
    bars = (
        alt.Chart(_data(values))
        .mark_bar()
        .encode(
            y=alt.Y("namn:N", title=None, sort="-x", axis=alt.Axis(labelLimit=180)),
            x=alt.X(
                "söktryck:Q",
                title=_("Applicants per place"),
                axis=alt.Axis(tickCount=4, labelOverlap=True, labelFlush=True),
            ),
            tooltip=[
                alt.Tooltip("namn:N", title=_("Name")),
                alt.Tooltip("söktryck:Q", title=_("Applicants per place"), format=".2f"),
            ],
        )
    )
    one = alt.Chart(_data([{"x": 1}])).mark_rule(strokeDash=[4, 3]).encode(x="x:Q")
    return _finish(alt.layer(bars, one), title, max(120, BAR * len(values)))


def rates_by(rows: list[FigureRow], title: str) -> Spec:
    """Fill rate, completion and outcome (percent) per named row, as grouped bars."""
    measures = (
        ("fill_rate", _("Fill rate")),
        ("completion_rate", _("Completed")),
        ("outcome_rate", _("In work or studies")),
    )
    values = [
        {"namn": row.name, "procent": row.get(field), "mått": name}
        for row in rows
        if row.key is not None
        for field, name in measures
        if row.get(field) is not None
    ]
    chart = (
        alt.Chart(_data(values))
        .mark_bar()
        .encode(
            y=alt.Y("namn:N", title=None, axis=alt.Axis(labelLimit=180)),
            yOffset=alt.YOffset("mått:N"),
            x=alt.X(
                "procent:Q",
                title=_("Percent"),
                scale=alt.Scale(domain=[0, 100]),
                axis=alt.Axis(tickCount=5, labelOverlap=True, labelFlush=True),
            ),
            color=alt.Color(
                "mått:N", title=None, legend=alt.Legend(orient="bottom", columns=1, labelLimit=300)
            ),
            tooltip=[
                alt.Tooltip("namn:N", title=_("Name")),
                alt.Tooltip("mått:N", title=_("Measure")),
                alt.Tooltip("procent:Q", title=_("Percent")),
            ],
        )
    )
    groups = len({v["namn"] for v in values})
    return _finish(chart, title, max(120, 3 * 12 * groups))
