"""Integrity of the shipped reference files, and that the derivation reproduces them exactly."""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import itertools
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from likvard_core.terms import OrganizerType, SchoolForm

REPO = Path(__file__).resolve().parents[3]
SHIPPED = REPO / "src" / "likvard" / "organisations" / "reference_data"
SCRIPT = REPO / "scripts" / "derive_reference_data.py"
CSV_FILES = {
    "counties.csv": ["county_code", "name"],
    "municipalities.csv": ["code", "name", "county_code"],
    "regions.csv": ["region_code", "region_name", "municipality_code"],
    "programmes.csv": ["code", "name", "kind", "register_column", "register_pupils_column"],
    "organizers.csv": ["organisation_number", "name", "organizer_type", "municipality_code"],
    "school_units.csv": [
        "school_unit_code",
        "name",
        "municipality_code",
        "organisation_number",
        "school_forms",
        "grade_years",
        "programmes",
        "pupils",
    ],
}
KEYS = {
    "counties.csv": ("county_code",),
    "municipalities.csv": ("code",),
    "regions.csv": ("region_code", "municipality_code"),
    "programmes.csv": ("code",),
    "organizers.csv": ("organisation_number",),
    "school_units.csv": ("school_unit_code",),
}
# Copied from /work/shared/reference/regions.md sections 2 and 3: code -> county.
GR = {
    "1440": "14", "1489": "14", "1480": "14", "1401": "14", "1384": "13", "1482": "14",
    "1441": "14", "1462": "14", "1481": "14", "1402": "14", "1415": "14", "1419": "14",
    "1407": "14",
}  # fmt: skip
SKARABORG = dict.fromkeys(
    ["1445", "1499", "1444", "1447", "1471", "1497", "1446", "1494", "1493", "1495", "1496"],
    "14",
) | dict.fromkeys(["1472", "1498", "1473", "1470"], "14")
NATIONAL = ["BA", "BF", "EE", "EK", "ES", "FT", "HA", "HT", "HU"]
NATIONAL += ["HV", "IN", "NA", "NB", "RL", "SA", "TE", "VF", "VO"]
INTRODUCTION = ["IMA", "IMS", "IMV", "IMY"]
GRADE_YEARS = ["F", *map(str, range(1, 10))]
MAX_GEOJSON_BYTES = 600_000


def rows(name: str) -> list[dict[str, str]]:
    """The rows of a shipped CSV file."""
    with (SHIPPED / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def by_key(name: str) -> dict[str, dict[str, str]]:
    """The rows of a single-key shipped CSV file by their key."""
    return {row[KEYS[name][0]]: row for row in rows(name)}


def load_script() -> ModuleType:
    """The derivation script imported as a module (it lives outside the packages)."""
    spec = importlib.util.spec_from_file_location("derive_reference_data", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", [*CSV_FILES, "municipalities.geojson", "SOURCE.md"])
def test_file_is_utf8_with_lf_line_endings(name: str) -> None:
    data = (SHIPPED / name).read_bytes()
    text = data.decode("utf-8")
    assert not text.startswith("\ufeff")
    assert "\r" not in text
    assert text.endswith("\n")


@pytest.mark.parametrize("name", CSV_FILES)
def test_csv_header_keys_unique_and_sorted(name: str) -> None:
    with (SHIPPED / name).open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        body = list(reader)
    assert header == CSV_FILES[name]
    assert body
    assert all(len(row) == len(header) for row in body)
    assert all(value == value.strip() for row in body for value in row)
    keys = [tuple(row[header.index(k)] for k in KEYS[name]) for row in body]
    assert len(set(keys)) == len(keys)
    assert body == sorted(body)


def test_counties_are_the_21() -> None:
    counties = by_key("counties.csv")
    assert len(counties) == 21
    assert all(re.fullmatch(r"\d{2}", code) for code in counties)
    assert counties["14"]["name"] == "Västra Götalands län"
    assert counties["13"]["name"] == "Hallands län"
    assert all(row["name"].endswith(" län") for row in counties.values())


def test_municipalities_are_the_290_with_swedish_names() -> None:
    municipalities = by_key("municipalities.csv")
    assert len(municipalities) == 290
    assert all(re.fullmatch(r"\d{4}", code) for code in municipalities)
    counties = by_key("counties.csv")
    assert all(row["county_code"] in counties for row in municipalities.values())
    assert all(code.startswith(row["county_code"]) for code, row in municipalities.items())
    assert municipalities["1480"]["name"] == "Göteborg"
    assert municipalities["0114"]["name"] == "Upplands Väsby"
    assert municipalities["1407"]["name"] == "Öckerö"
    assert len({row["name"] for row in municipalities.values()}) == 290


def test_region_members_are_exactly_those_of_regions_md() -> None:
    members: dict[str, set[str]] = {}
    names: dict[str, set[str]] = {}
    for row in rows("regions.csv"):
        members.setdefault(row["region_code"], set()).add(row["municipality_code"])
        names.setdefault(row["region_code"], set()).add(row["region_name"])
    assert members == {"GR": set(GR), "SKARABORG": set(SKARABORG)}
    assert names == {"GR": {"Göteborgsregionen"}, "SKARABORG": {"Skaraborgs kommunalförbund"}}
    municipalities = by_key("municipalities.csv")
    for code, county in {**GR, **SKARABORG}.items():
        assert municipalities[code]["county_code"] == county, code


def test_programmes_are_18_national_and_4_introduction() -> None:
    programmes = by_key("programmes.csv")
    kinds = Counter(row["kind"] for row in programmes.values())
    assert kinds == {"national_vocational": 12, "national_preparatory": 6, "introduction": 4}
    national = sorted(c for c, r in programmes.items() if r["kind"] != "introduction")
    assert national == NATIONAL
    assert sorted(c for c, r in programmes.items() if r["kind"] == "introduction") == INTRODUCTION
    assert programmes["NA"]["name"] == "Naturvetenskapsprogrammet"
    assert programmes["IMS"]["name"] == "Språkintroduktion"
    assert all(
        row["register_column"] and row["register_pupils_column"] for row in rows("programmes.csv")
    )


def test_school_units_lie_in_the_regions_and_reference_known_rows() -> None:
    units = rows("school_units.csv")
    municipalities = by_key("municipalities.csv")
    organizers = by_key("organizers.csv")
    programmes = by_key("programmes.csv")
    forms = {form.value for form in SchoolForm}
    assert len(units) > 900
    for unit in units:
        assert re.fullmatch(r"\d{8}", unit["school_unit_code"])
        assert unit["name"]
        assert unit["municipality_code"] in municipalities
        assert unit["municipality_code"] in GR | SKARABORG
        assert unit["organisation_number"] in organizers
        unit_forms = unit["school_forms"].split(";")
        assert unit_forms
        assert set(unit_forms) <= forms
        assert re.fullmatch(r"\d*", unit["pupils"])
        grades = unit["grade_years"].split(";") if unit["grade_years"] else []
        assert grades == [g for g in GRADE_YEARS if g in grades]
        assert not grades or "grundskola" in unit_forms
        assert ("F" in grades) == ("forskoleklass" in unit_forms)
        offered = unit["programmes"].split(";") if unit["programmes"] else []
        assert set(offered) <= set(programmes)
        assert offered == sorted(offered)
        assert not offered or "gymnasieskola" in unit_forms
    assert {u["municipality_code"] for u in units} == set(GR) | set(SKARABORG)


def test_school_units_cover_every_school_form_with_counts() -> None:
    units = rows("school_units.csv")
    forms = Counter(form for u in units for form in u["school_forms"].split(";"))
    assert set(forms) == {f.value for f in SchoolForm} - {"forskola"}
    with_pupils = [u for u in units if u["pupils"]]
    assert all(
        "grundskola" in u["school_forms"] or "gymnasieskola" in u["school_forms"]
        for u in with_pupils
    )
    assert sum(int(u["pupils"]) for u in with_pupils) > 100_000


def test_organizers_are_used_and_typed() -> None:
    organizers = by_key("organizers.csv")
    municipalities = by_key("municipalities.csv")
    used = {u["organisation_number"] for u in rows("school_units.csv")}
    assert set(organizers) == used
    types = {t.value for t in OrganizerType}
    for number, row in organizers.items():
        assert re.fullmatch(r"\d{10}", number)
        assert row["name"]
        assert row["organizer_type"] in types
        assert row["municipality_code"] == "" or row["municipality_code"] in municipalities
        if row["municipality_code"]:
            assert row["organizer_type"] == "kommunal"
    municipal = {r["municipality_code"] for r in organizers.values() if r["municipality_code"]}
    assert municipal == set(GR) | set(SKARABORG)
    assert organizers["2120001355"]["municipality_code"] == "1480"  # Göteborgs kommun


def ring_ok(ring: list[list[float]]) -> bool:
    """True for a closed ring of 4+ points, 4 decimals, without consecutive duplicates."""
    rounded = all(round(v, 4) == v for point in ring for v in point)
    distinct = all(a != b for a, b in itertools.pairwise(ring))
    return len(ring) >= 4 and ring[0] == ring[-1] and rounded and distinct


def test_geojson_has_290_reduced_features() -> None:
    path = SHIPPED / "municipalities.geojson"
    assert path.stat().st_size < MAX_GEOJSON_BYTES
    collection: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    features = collection["features"]
    municipalities = by_key("municipalities.csv")
    props = {f["properties"]["code"]: f["properties"] for f in features}
    assert len(features) == len(props) == 290
    for code, row in municipalities.items():
        assert props[code] == {"code": code, "name": row["name"], "county_code": row["county_code"]}
    for feature in features:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        assert geometry["type"] in {"Polygon", "MultiPolygon"}
        assert polygons
        assert all(ring_ok(ring) for poly in polygons for ring in poly)


def test_ring_rounds_and_drops_duplicates_and_degenerate_rings() -> None:
    module = load_script()
    square = [[0.0, 0.0], [1.00001, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]]
    assert module.ring(square) == [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]]
    assert module.ring([[0.0, 0.0], [0.00001, 0.0], [0.0, 0.00001], [0.0, 0.0]]) == []
    assert module.polygon([[[0.0, 0.0], [0.00001, 0.0], [0.0, 0.0]], square]) == []


def test_clean_keeps_codes_as_text() -> None:
    module = load_script()
    assert module.clean("0114") == "0114"
    assert module.clean(84.0) == "84"
    assert module.clean("SEGRANDE LIV  GRUNDSKOLA ") == "SEGRANDE LIV GRUNDSKOLA"
    assert module.clean(None) == ""


@pytest.mark.realdata
def test_sources_are_the_files_named_in_source_md(shared_dir: Path) -> None:
    text = (SHIPPED / "SOURCE.md").read_text(encoding="utf-8")
    pairs = re.findall(r"`(data/[^`]+)`\s*\(md5 `([0-9a-f]{32})`\)", text)
    assert len(pairs) == 4
    for path, md5 in pairs:
        digest = hashlib.md5((shared_dir / path).read_bytes(), usedforsecurity=False)
        assert digest.hexdigest() == md5, path


@pytest.mark.realdata
@pytest.mark.slow
def test_derivation_reproduces_shipped_files_byte_for_byte(
    shared_dir: Path, tmp_path: Path
) -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--shared", str(shared_dir), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert f"school_units.csv: {len(rows('school_units.csv'))} rows" in result.stdout
    produced = sorted(p.name for p in tmp_path.iterdir())
    assert produced == sorted([*CSV_FILES, "municipalities.geojson"])
    for name in produced:
        assert (tmp_path / name).read_bytes() == (SHIPPED / name).read_bytes(), name
