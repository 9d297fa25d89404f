"""Vega-Lite specifications of the equity charts, built from released rows.

Each function takes the rows a viewer may see (never more) and returns a JSON-ready dict that
``static/analyses/charts.js`` hands to vega-embed. Every chart has a table next to it on the
page with the same figures, for screen readers and for copying.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from likvard.analyses.equity.selection import subject_label
from likvard.exports.charts import Spec, chart_spec
from likvard.organisations.labels import school_year_label

Row = Mapping[str, object]


def municipality_gap_chart(rows: Sequence[Row], names: Mapping[str, str], *, subject: str) -> Spec:
    """Dots: each municipality's gap (grade minus test pass rate) per test year, by name."""
    values = [
        {
            "kommun": names.get(str(r["area_code"]), str(r["area_code"])),
            "läsår": school_year_label(str(r["school_year"])),
            "skillnad": r["gap_pass"],
        }
        for r in rows
        if r["gap_pass"] is not None
    ]
    spec = chart_spec(
        f"Ämnesbetyg minus provbetyg, andel godkända ({subject})",
        values,
        description=(
            "Procentenheter per kommun och läsår; positivt betyder fler godkända i ämnet än "
            "på provet."
        ),
    )
    spec["height"] = {"step": 18}
    spec["layer"] = [
        {"mark": {"type": "rule", "color": "#666"}, "encoding": {"x": {"datum": 0}}},
        {
            "mark": {"type": "point", "filled": True, "size": 70},
            "encoding": {
                "y": {"field": "kommun", "type": "nominal", "sort": "ascending", "title": None},
                "x": {"field": "skillnad", "type": "quantitative", "title": "Procentenheter"},
                "color": {"field": "läsår", "type": "ordinal", "title": "Läsår"},
                "shape": {"field": "läsår", "type": "ordinal"},
                "tooltip": [
                    {"field": "kommun"},
                    {"field": "läsår"},
                    {"field": "skillnad", "format": ".1f"},
                ],
            },
        },
    ]
    return spec


def municipality_subjects_chart(rows: Sequence[Row]) -> Spec:
    """Lines per subject: share passing the test and share passing the subject over the years."""
    values: list[dict[str, object]] = []
    for r in rows:
        year = school_year_label(str(r["school_year"]))
        for label, column in (
            ("Provbetyg A–E", "test_pass_share"),
            ("Ämnesbetyg A–E", "grade_pass_share"),
        ):
            if r[column] is not None:
                values.append(
                    {"ämne": r["subject"], "läsår": year, "mått": label, "andel": r[column]}
                )
    spec = chart_spec(
        "Andel godkända på nationellt prov och i ämnet, årskurs 9",
        values,
        description="Procent per ämne och läsår, enligt Skolverkets publicerade statistik.",
    )
    spec["facet"] = {"field": "ämne", "type": "nominal", "title": None}
    spec["columns"] = 2
    spec["spec"] = {
        "width": 220,
        "height": 180,
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {"field": "läsår", "type": "ordinal", "title": "Läsår"},
            "y": {
                "field": "andel",
                "type": "quantitative",
                "title": "Procent",
                "scale": {"zero": False},
            },
            "color": {"field": "mått", "type": "nominal", "title": None},
            "strokeDash": {"field": "mått", "type": "nominal"},
            "tooltip": [
                {"field": "ämne"},
                {"field": "läsår"},
                {"field": "mått"},
                {"field": "andel", "format": ".1f"},
            ],
        },
    }
    del spec["width"]
    return spec


def _interval_layers(y: dict[str, object]) -> list[Spec]:
    """Rule (95 % interval), dot (share, shape and colour by flag), tick (comparison share)."""
    x = {"type": "quantitative", "axis": {"format": ".0%"}, "title": "Andel med högre betyg"}
    return [
        {
            "mark": "rule",
            "encoding": {"y": y, "x": {"field": "låg", **x}, "x2": {"field": "hög"}},
        },
        {
            "mark": {"type": "tick", "color": "#333", "thickness": 2, "size": 14},
            "encoding": {"y": y, "x": {"field": "jämförelse", **x}},
        },
        {
            "mark": {"type": "point", "filled": True, "size": 70},
            "encoding": {
                "y": y,
                "x": {"field": "andel", **x},
                "color": {
                    "field": "flagga",
                    "type": "nominal",
                    "title": None,
                    "scale": {"domain": [_DEVIATES, _WITHIN], "range": ["#b3261e", "#1f5fa8"]},
                },
                "tooltip": [
                    {"field": "namn", "title": "Rad"},
                    {"field": "andel", "format": ".0%", "title": "Andel"},
                    {"field": "låg", "format": ".0%", "title": "Intervall från"},
                    {"field": "hög", "format": ".0%", "title": "Intervall till"},
                    {"field": "jämförelse", "format": ".0%", "title": "Hela jämförelsen"},
                ],
            },
        },
    ]


_DEVIATES = "Avviker"
_WITHIN = "Inom slumpens ram"


def _dot(r: Row, name: str) -> dict[str, object]:
    return {
        "namn": name,
        "andel": r["share_higher"],
        "låg": r.get("share_higher_ci_low"),
        "hög": r.get("share_higher_ci_high"),
        "jämförelse": r.get("comparison_share_higher"),
        "flagga": _DEVIATES if r.get("flag_higher") else _WITHIN,
    }


def _legend_bottom(spec: Spec) -> Spec:
    config = spec["config"]
    if isinstance(config, dict):
        config["legend"] = {"orient": "bottom", "labelFontSize": 12, "symbolSize": 80}
        config["axisY"] = {"labelLimit": 150}
    return spec


def units_dot_chart(rows: Sequence[Row], names: Mapping[str, str], *, subject: str) -> Spec:
    """One dot per school unit (by name), sorted by share, with its interval: one subject, year."""
    values = [
        _dot(r, names.get(str(r["school_unit_code"]), str(r["school_unit_code"]))) for r in rows
    ]
    year = school_year_label(str(rows[0]["school_year"])) if rows else ""
    spec = chart_spec(
        ["Andel med högre slutbetyg än provbetyg", f"{subject} {year}".strip()],
        values,
        description="Punkten är skolenhetens andel, strecket ett 95-procentigt konfidensintervall, "
        "det lodräta märket andelen i hela jämförelsen.",
    )
    spec["height"] = {"step": 20}
    sort = {"field": "andel", "op": "mean", "order": "descending"}
    spec["layer"] = _interval_layers(
        {"field": "namn", "type": "nominal", "title": None, "sort": sort}
    )
    return _legend_bottom(spec)


def subjects_dot_chart(rows: Sequence[Row]) -> Spec:
    """One dot per subject of one school unit in one year, with interval and comparison."""
    values = [_dot(r, subject_label(str(r["subject_code"]))) for r in rows]
    year = school_year_label(str(rows[0]["school_year"])) if rows else ""
    spec = chart_spec(
        ["Andel med högre slutbetyg än provbetyg", year],
        values,
        description="Punkten är skolans andel, strecket ett 95-procentigt konfidensintervall, "
        "det lodräta märket andelen i hela jämförelsen.",
    )
    spec["height"] = {"step": 24}
    spec["layer"] = _interval_layers({"field": "namn", "type": "nominal", "title": None})
    return _legend_bottom(spec)


def distribution_chart(rows: Sequence[Row], *, subject: str = "") -> Spec:
    """Every school unit's share graded higher (unnamed), sorted, with its interval.

    One subject and year: the units stand side by side from the lowest share to the highest,
    so the spread and each unit's uncertainty are seen at once and no interval hides another.
    """
    ordered = sorted(rows, key=lambda r: float(str(r["share_higher"])))
    values = [
        {
            "ordning": index + 1,
            "andel": r["share_higher"],
            "låg": r.get("share_higher_ci_low"),
            "hög": r.get("share_higher_ci_high"),
            "flagga": _DEVIATES if r.get("flag_higher") else _WITHIN,
        }
        for index, r in enumerate(ordered)
    ]
    year = school_year_label(str(ordered[0]["school_year"])) if ordered else ""
    spec = chart_spec(
        # Two lines at any width (the first line ran to three at 1280 px); that the units
        # are school units sorted by share is the x axis's title.
        ["Andel med högre slutbetyg än provbetyg", f"{subject} {year}".strip()],
        values,
        description=(
            "Varje punkt är en skolenhet (utan namn), strecket dess 95-procentiga intervall. "
            "Breda intervall betyder små elevgrupper: skillnaderna där kan vara slump."
        ),
    )
    spec["height"] = 260
    x = {
        "field": "ordning",
        "type": "quantitative",
        "title": "Skolenheter, från lägst till högst andel",
        "axis": {"labels": False, "ticks": False, "grid": False},
        # Half a step of room at either end: the highest unit was drawn cut on the frame.
        "scale": {"domain": [0.5, len(values) + 0.5], "nice": False, "zero": False},
    }
    y = {"type": "quantitative", "axis": {"format": ".0%"}, "title": "Andel"}
    spec["layer"] = [
        {
            "mark": {"type": "rule", "opacity": 0.5},
            "encoding": {"x": x, "y": {"field": "låg", **y}, "y2": {"field": "hög"}},
        },
        {
            "mark": {"type": "point", "filled": True, "size": 30},
            "encoding": {
                "x": x,
                "y": {"field": "andel", **y},
                "color": {
                    "field": "flagga",
                    "type": "nominal",
                    "title": None,
                    "scale": {"domain": [_DEVIATES, _WITHIN], "range": ["#b3261e", "#1f5fa8"]},
                },
                "tooltip": [
                    {"field": "andel", "format": ".0%", "title": "Andel"},
                    {"field": "låg", "format": ".0%", "title": "Intervall från"},
                    {"field": "hög", "format": ".0%", "title": "Intervall till"},
                ],
            },
        },
    ]
    return _legend_bottom(spec)
