"""The survey results against the disclosure auditor (issue #20): the region's groups are its
municipalities' groups, so the joint decision must tie them."""

from __future__ import annotations

import pyarrow as pa

from likvard.access.policy import viewer_for
from likvard.analyses.surveys import services
from likvard.audit import gather as gathering
from likvard_core.audit.audit import audit
from likvard_core.disclosure.aggregate import Aggregate, Level, Population
from likvard_core.disclosure.suppress import suppress_cube
from tests.app.analyses.surveys.test_results import surveyed  # noqa: F401 (fixture)
from tests.app.conftest import World


def test_no_municipality_group_is_the_region_s_minus_the_others(surveyed: World):  # noqa: F811
    # 12 respondents at one unit, 3 at a unit of another municipality: the region's 15 less
    # the first municipality's 12 gave the second's 3 when the region was its own cube.
    member = viewer_for(surveyed.users["network_member"])
    gathered = gathering.gather(viewer=member, region=surveyed.region, only={"surveys"})
    assert any(t.name.endswith("gr-elev/2025/municipality") for t in gathered.tables)
    result = audit(gathered.tables, gathered.hierarchy)
    assert [(f.table, f.key, f.interval) for f in result.findings] == []


def _aggregate(table: dict, dims: tuple[str, ...], level: Level) -> Aggregate:
    return Aggregate(
        table=pa.table({**table, "index_value": [7.5] * len(table["n"])}),
        dims=dims,
        count="n",
        values=("index_value",),
        population=Population(scope="survey", organizers=frozenset({"O"}), level=level),
        data_version="v1",
        margins=tuple(d for d in dims if d in {"year_group", "gender"}),
    )


def test_no_school_unit_is_its_organizer_s_minus_the_others():
    # The demo's independent organizer: 76 respondents at four units, 40 + 17 + 14 + 5;
    # another organizer's unit has 11.
    # Apart from its units in the cube, the organizer's 76 less the three shown gave the 5.
    units = ["u1", "u2", "u3", "u4", "u5"]
    region = {"index_key": ["t"], "year_group": [None], "gender": [None], "n": [87]}
    cube = {
        "region": _aggregate(region, ("index_key", "year_group", "gender"), Level.REGION),
        "municipality": _aggregate(
            {"municipality_code": ["m1", "m2"], **{k: v * 2 for k, v in region.items()}}
            | {"n": [40, 47]},
            ("municipality_code", "index_key", "year_group", "gender"),
            Level.MUNICIPALITY,
        ),
        "organizer": _aggregate(
            {"organizer_code": ["O", "P"], "index_key": ["t", "t"], "n": [76, 11]},
            ("organizer_code", "index_key"),
            Level.ORGANIZER,
        ),
        "school_unit": _aggregate(
            {"school_unit_code": units, "index_key": ["t"] * 5, "n": [40, 17, 14, 5, 11]},
            ("school_unit_code", "index_key"),
            Level.SCHOOL_UNIT,
        ),
    }
    linked = services.region_in_cube(cube, {**dict.fromkeys(units, "O"), "u5": "P"})
    result = suppress_cube(linked, min_group=10)
    shown = {
        name: [r["n"] for r in t.table.to_pylist() if r["status"] == "exists"]
        for name, t in result.items()
    }
    assert 5 not in shown["school_unit"]
    assert not (76 in shown["organizer"] and {40, 17, 14} <= set(shown["school_unit"]))


def test_no_school_unit_is_its_municipality_s_minus_the_others():
    # Two municipalities, two organizers across them: m1 = u1 (40) + u2 (5), m2 = u3 (30) +
    # u4 (20); O = u1 + u3, P = u2 + u4. Tied to the region and to its organizer only, the
    # hidden u2 was protected by hiding u4 (P's 25 = u2 + u4), while m1's 45 less u1's 40
    # still gave u2's 5: a municipality is the total of its own units too.
    units = ["u1", "u2", "u3", "u4"]
    region = {"index_key": ["t"], "year_group": [None], "gender": [None], "n": [95]}
    cube = {
        "region": _aggregate(region, ("index_key", "year_group", "gender"), Level.REGION),
        "municipality": _aggregate(
            {"municipality_code": ["m1", "m2"], **{k: v * 2 for k, v in region.items()}}
            | {"n": [45, 50]},
            ("municipality_code", "index_key", "year_group", "gender"),
            Level.MUNICIPALITY,
        ),
        "organizer": _aggregate(
            {"organizer_code": ["O", "P"], "index_key": ["t", "t"], "n": [70, 25]},
            ("organizer_code", "index_key"),
            Level.ORGANIZER,
        ),
        "school_unit": _aggregate(
            {"school_unit_code": units, "index_key": ["t"] * 4, "n": [40, 5, 30, 20]},
            ("school_unit_code", "index_key"),
            Level.SCHOOL_UNIT,
        ),
    }
    organizers = {"u1": "O", "u2": "P", "u3": "O", "u4": "P"}
    municipalities = {"u1": "m1", "u2": "m1", "u3": "m2", "u4": "m2"}
    linked = services.region_in_cube(cube, organizers, municipalities)
    result = suppress_cube(linked, min_group=10)
    column = {"municipality": "municipality_code", "school_unit": "school_unit_code"}
    shown = {
        name: {r[column[name]] for r in result[name].table.to_pylist() if r["status"] == "exists"}
        for name in column
    }
    assert "u2" not in shown["school_unit"]
    for municipality, own in (("m1", ("u1", "u2")), ("m2", ("u3", "u4"))):
        seen = [u for u in own if u in shown["school_unit"]]
        assert not (municipality in shown["municipality"] and len(seen) == len(own) - 1), shown


def test_the_trend_shows_each_year_as_its_results_do(surveyed: World):  # noqa: F811
    # The trend's region rows were released on their own: the region's 15 shown there while
    # the year's joint decision hid it to protect the other organizer's small unit (3), since
    # the own organizer's analyst sees the own unit's 12 in full: 15 - 12 gave the 3.
    member = viewer_for(surveyed.users["organizer_analyst"])
    trend = services.survey_region_report(viewer=member, region=surveyed.region).trend
    assert {r["version"] for r in trend} == {"2024", "2025"}
    for version in ("2024", "2025"):
        report = services.survey_region_report(
            viewer=member, region=surveyed.region, version=version
        )
        decided = {
            r["index_key"]: (r["n"], r["status"])
            for r in report.tables["region"].rows()
            if r["year_group"] is None and r["gender"] is None
        }
        shown = {r["index_key"]: (r["n"], r["status"]) for r in trend if r["version"] == version}
        assert shown == {k: v for k, v in decided.items() if k in shown}
        assert any(status != "exists" for _n, status in decided.values())


def test_the_audit_gathers_the_trend_as_the_year_s_region_cells(surveyed: World):  # noqa: F811
    analyst = viewer_for(surveyed.users["organizer_analyst"])
    gathered = gathering.gather(viewer=analyst, region=surveyed.region, only={"surveys"})
    trend = [t for t in gathered.tables if "/trend/" in t.name]
    assert {t.family for t in trend} == {"surveys.gr-elev/2024", "surveys.gr-elev/2025"}
    result = audit(gathered.tables, gathered.hierarchy)
    assert [(f.table, f.key, f.interval) for f in result.findings] == []
