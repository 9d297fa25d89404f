"""Vega-Lite specifications of the equity charts, built from released rows.

Each function takes the rows a viewer may see (never more) and returns a JSON-ready dict that
``static/analyses/charts.js`` hands to vega-embed. Every chart has a table next to it on the
page with the same figures, for screen readers and for copying.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

VEGA_LITE = "https://vega.github.io/schema/vega-lite/v5.json"
Spec = dict[str, object]
Row = Mapping[str, object]


def _year_label(spring: object) -> str:
    """``2024`` -> ``"2023/24"``."""
    year = int(str(spring))
    return f"{year - 1}/{year % 100:02d}"


def _base(title: str, description: str, values: list[dict[str, object]]) -> Spec:
    return {
        "$schema": VEGA_LITE,
        "title": title,
        "description": description,
        "width": "container",
        "data": {"values": values},
        "config": {"axis": {"labelFontSize": 12, "titleFontSize": 12}},
    }


def municipality_gap_chart(rows: Sequence[Row], names: Mapping[str, str], *, subject: str) -> Spec:
    """Dots: each municipality's gap (grade minus test pass rate) per test year, by name."""
    values = [
        {
            "kommun": names.get(str(r["area_code"]), str(r["area_code"])),
            "läsår": _year_label(r["school_year"]),
            "skillnad": r["gap_pass"],
        }
        for r in rows
        if r["gap_pass"] is not None
    ]
    spec = _base(
        f"Ämnesbetyg minus provbetyg, andel godkända ({subject})",
        "Procentenheter per kommun och läsår; positivt betyder fler godkända i ämnet än på provet.",
        values,
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
        year = _year_label(r["school_year"])
        for label, column in (
            ("Provbetyg A–E", "test_pass_share"),
            ("Ämnesbetyg A–E", "grade_pass_share"),
        ):
            if r[column] is not None:
                values.append(
                    {"ämne": r["subject"], "läsår": year, "mått": label, "andel": r[column]}
                )
    spec = _base(
        "Andel godkända på nationellt prov och i ämnet, årskurs 9",
        "Procent per ämne och läsår, enligt Skolverkets publicerade statistik.",
        values,
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


def school_shares_chart(rows: Sequence[Row], *, names: Mapping[str, str] | None = None) -> Spec:
    """Share of students graded higher than tested, with 95 % intervals and the reference rate."""
    values = [
        {
            "enhet": (names or {}).get(str(r["school_unit_code"]), str(r["school_unit_code"])),
            "rad": f"{r['subject_code']} {_year_label(r['school_year'])}",
            "andel": r["share_higher"],
            "låg": r["share_higher_ci_low"],
            "hög": r["share_higher_ci_high"],
            "jämförelse": r.get("comparison_share_higher"),
            "flagga": "Avviker" if r.get("flag_higher") else "Inom slumpens ram",
        }
        for r in rows
        if r.get("group") == "all" and r.get("share_higher") is not None
    ]
    spec = _base(
        "Andel elever med högre slutbetyg än provbetyg",
        "Punkten är skolans andel, strecket ett 95-procentigt konfidensintervall, "
        "det lodräta märket jämförelsegruppens andel.",
        values,
    )
    spec["height"] = {"step": 22}
    y = {"field": "rad", "type": "nominal", "title": "Ämne och läsår", "sort": None}
    encoding_x = {"type": "quantitative", "axis": {"format": ".0%"}, "title": "Andel"}
    spec["layer"] = [
        {
            "mark": "rule",
            "encoding": {"y": y, "x": {"field": "låg", **encoding_x}, "x2": {"field": "hög"}},
        },
        {
            "mark": {"type": "point", "filled": True, "size": 80},
            "encoding": {
                "y": y,
                "x": {"field": "andel", **encoding_x},
                "shape": {"field": "flagga", "type": "nominal", "title": None},
                "color": {"field": "flagga", "type": "nominal", "title": None},
                "tooltip": [
                    {"field": "enhet"},
                    {"field": "rad"},
                    {"field": "andel", "format": ".0%"},
                    {"field": "jämförelse", "format": ".0%"},
                ],
            },
        },
        {
            "mark": {"type": "tick", "color": "#333", "thickness": 2},
            "encoding": {"y": y, "x": {"field": "jämförelse", **encoding_x}},
        },
    ]
    if names:
        spec["facet"] = {"field": "enhet", "type": "nominal", "title": None}
        spec["spec"] = {"layer": spec.pop("layer"), "height": {"step": 22}, "width": 300}
        del spec["height"]
        del spec["width"]
    return spec


def distribution_chart(rows: Sequence[Row]) -> Spec:
    """Every school's share graded higher (unnamed), with its interval, per subject and year."""
    values = [
        {
            "rad": f"{r['subject_code']} {_year_label(r['school_year'])}",
            "andel": r["share_higher"],
            "låg": r["share_higher_ci_low"],
            "hög": r["share_higher_ci_high"],
            "offset": (index * 7) % 10,
        }
        for index, r in enumerate(rows)
        if r.get("group") == "all" and r.get("share_higher") is not None
    ]
    spec = _base(
        "Fördelning över skolenheter: andel med högre slutbetyg än provbetyg",
        "Varje punkt är en skolenhet (utan namn), strecket dess 95-procentiga intervall. "
        "Breda intervall betyder små elevgrupper: skillnaderna där kan vara slump.",
        values,
    )
    spec["height"] = {"step": 40}
    y = {"field": "rad", "type": "nominal", "title": "Ämne och läsår"}
    x = {"type": "quantitative", "axis": {"format": ".0%"}, "title": "Andel"}
    spec["layer"] = [
        {
            "mark": {"type": "rule", "opacity": 0.35},
            "encoding": {
                "y": y,
                "yOffset": {"field": "offset", "type": "quantitative"},
                "x": {"field": "låg", **x},
                "x2": {"field": "hög"},
            },
        },
        {
            "mark": {"type": "point", "filled": True, "opacity": 0.7},
            "encoding": {
                "y": y,
                "yOffset": {"field": "offset", "type": "quantitative"},
                "x": {"field": "andel", **x},
            },
        },
    ]
    return spec
