"""Derive the small public reference tables shipped in ``likvard/organisations/reference_data``.

Reads the shared folder (``data/`` and ``reference/``) and writes counties, municipalities,
regions, programmes, organizers, school units (CSV) and simplified municipality boundaries
(GeoJSON). The output is deterministic: the same input gives the same bytes.

    python scripts/derive_reference_data.py --shared ../shared \
        --out src/likvard/organisations/reference_data
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

Rows = list[tuple[str, ...]]
Register = dict[str, list[dict[str, str]]]

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "src" / "likvard" / "organisations" / "reference_data"
REGISTER = Path("data/skolenhetsregistret-2020/Skolenhetsregistret.xlsx")
MUNICIPALITY_GEOJSON = Path("data/sweden-geojson/swedish_municipalities.geojson")
COUNTY_GEOJSON = Path("data/sweden-geojson/swedish_regions.geojson")
SKOLVERKET_CSV = Path(
    "data/skolverket-kommun-mmo85/Grundskola - Antal elever per årskurs 2024 Kommun.csv"
)
REGIONS_MD = Path("reference/regions.md")
PROGRAMMES_MD = Path("reference/admissions-and-planning.md")

REGIONS: dict[str, tuple[str, str]] = {
    "## 2. Göteborgsregionens kommunalförbund (GR)": ("GR", "Göteborgsregionen"),
    "## 3. Skaraborgs kommunalförbund": ("SKARABORG", "Skaraborgs kommunalförbund"),
}
"""Heading prefix of each member table in regions.md -> (region code, region name)."""

SHEET_FORMS: dict[str, str | None] = {
    "Grundskola": "grundskola",
    "Grundsärskola": "anpassad_grundskola",
    "Specialskola": None,
    "Sameskola": None,
    "Gymnasieskola": "gymnasieskola",
    "Gymnasiesärskola": "anpassad_gymnasieskola",
    "Komm. vuxenutb.": "komvux",
    "Komm. vuxenutb. i sv. f. inv.": "sfi",
    "Särsk. utb. f. vuxna": "komvux",
}
"""Register sheet -> likvard_core.terms.SchoolForm value (None: no such value, unit skipped)."""

FORM_ORDER: tuple[str, ...] = ("forskoleklass", "grundskola", "anpassad_grundskola")
FORM_ORDER += ("gymnasieskola", "anpassad_gymnasieskola", "komvux", "sfi")
GRADE_COLUMNS = {"FKLASS": "F", **{f"ÅR{year}": str(year) for year in range(1, 10)}}

PROGRAMME_COLUMNS: dict[str, tuple[str, str]] = {
    "BF": ("BARN- O FRITIDSPROGRAMMET", "ELEVER BARN O FRITID"),
    "BA": ("BYGG- O ANL. PROGRAMMET", "ELEVER BYGG O ANL"),
    "EE": ("EL- O ENERGIPROGRAMMET", "ELEVER EL O ENERGI"),
    "FT": ("FORDONS- O TRANSP. PROGRAMMET", "ELEVER FORDON O TRANSP"),
    "HA": ("HANDELS O ADM. PROGRAMMET", "ELEVER HANDEL O ADM"),
    "HV": ("HANTVERKSPROGRAMMET", "ELEVER HANTVERK"),
    "HT": ("HOTELL O TURISMPROGRAMMET", "ELEVER HOTELL O TURISM"),
    "IN": ("INDUSTRITEKNISKA PROGRAMMET", "ELEVER INDUSTRITEKNISK"),
    "NB": ("NATURBRUKSPROGRAMMET", "ELEVER NATURBRUK"),
    "RL": ("REST.- O LIVSMEDELSPROGRAMMET", "ELEVER REST O LIVSMEDEL"),
    "VF": ("VVS O FASTIGHETSPROGRAMMET", "ELEVER VVS O FASTIGHET"),
    "VO": ("VÅRD O OMSORGSPROGRAMMET", "ELEVER VÅRD O OMSORG"),
    "EK": ("EKONOMIPROGRAMMET", "ELEVER EKONOMI"),
    "ES": ("ESTETISKA PROGRAMMET", "ELEVER ESTETISK"),
    "HU": ("HUMANISTISKA PROGRAMMET", "ELEVER HUMANISTISK"),
    "NA": ("NATURVETENSKAPSPROGRAMMET", "ELEVER NATURVETENSKAP"),
    "SA": ("SAMHÄLLSVETENSKAPPROGRAMMET", "ELEVER SAMHÄLLSVETENSKAP"),
    "TE": ("TEKNIKPROGRAMMET", "ELEVER TEKNIK"),
    "IMV": ("PROGRAMINRIKTAT VAL", "ELEVER INTRO PROGRAMINR VAL"),
    "IMA": ("INDIVIDUELLT ALTERNATIV", "ELEVER INTRO INDIVID"),
    "IMS": ("SPRÅKINTRODUKTION", "ELEVER SPRÅKINTRO"),
    "IMY": ("YRKESINTRODUKTION", "ELEVER YRKESINTRO"),
}
"""Programme code -> (the register's J/N column, its pupil-count column) on sheet Gymnasieskola."""

KINDS = {
    "vocational": "national_vocational",
    "higher-education-preparatory": "national_preparatory",
}
NATIONAL_ROW = re.compile(r"^\| ([A-Z]{2})(?: → \S+)? \| ([^|,]+)[^|]* \| ([a-z-]+) \|")
INTRO_ROW = re.compile(r"^\| (IM[A-Z]) \| ([^|]+?) \|")
CODE_PATTERNS = {
    "KOMMUN": re.compile(r"^\d{4}$"),
    "LÄN": re.compile(r"^\d{2}$"),
    "SKOLENHETSKOD": re.compile(r"^\d{8}$"),
    "ORGANISATIONSNR": re.compile(r"^\d{10}$"),
}
MUNICIPALITY_ORGANISATION = re.compile(r"^2120\d{6}$")
COORDINATE_DECIMALS = 4
MIN_RING_POINTS = 4
NATIONAL_PROGRAMMES = 18
HEADERS: dict[str, str] = {
    "counties.csv": "county_code,name",
    "municipalities.csv": "code,name,county_code",
    "regions.csv": "region_code,region_name,municipality_code",
    "programmes.csv": "code,name,kind,register_column,register_pupils_column",
    "organizers.csv": "organisation_number,name,organizer_type,municipality_code",
    "school_units.csv": "school_unit_code,name,municipality_code,organisation_number,"
    "school_forms,grade_years,programmes,pupils",
}
"""Each CSV file's header row, the columns ``likvard.organisations.reference`` reads."""


@dataclass(frozen=True, slots=True)
class Tables:
    """Every derived table as header plus sorted rows, and the simplified GeoJSON text."""

    csv_files: dict[str, Rows]
    geojson: str
    notes: list[str]


def clean(value: object) -> str:
    """A register cell as text: integral numbers without ``.0``, whitespace collapsed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def read_sheet(workbook: CalamineWorkbook, sheet: str) -> list[dict[str, str]]:
    """The rows of ``sheet`` as dicts of text, with code columns checked against their pattern."""
    rows = workbook.get_sheet_by_name(sheet).to_python()
    header = [clean(name) for name in rows[0]]
    records = []
    for number, row in enumerate(rows[1:], start=2):
        record = {name: clean(value) for name, value in zip(header, row, strict=False) if name}
        for column, pattern in CODE_PATTERNS.items():
            if column in record and not pattern.match(record[column]):
                raise ValueError(f"{sheet}:{number}:{column}: expected {pattern.pattern}")
        records.append(record)
    return records


def count(text: str) -> int | None:
    """A pupil count cell as an int, None when the register gives no number."""
    return int(text) if text.isdigit() else None


def skolverket_municipalities(path: Path) -> dict[str, tuple[str, str, str]]:
    """Municipality code -> (name, county code, county name) from a Skolverket CSV export."""
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Kommun;"))
    result = {}
    for line in lines[start + 1 :]:
        if not line.strip():
            break
        name, code, county_name, county_code = line.split(";")[:4]
        result[code] = (name, county_code, county_name)
    return result


def municipality_tables(shared: Path, register: Register) -> tuple[Rows, Rows]:
    """Counties and municipalities, cross-checked between GeoJSON, register and Skolverket."""
    features = json.loads((shared / MUNICIPALITY_GEOJSON).read_text(encoding="utf-8"))["features"]
    geo = {
        f["properties"]["id"]: (f["properties"]["kom_namn"], f["properties"]["lan_code"])
        for f in features
    }
    in_register: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
    for sheet in SHEET_FORMS:
        for r in register[sheet]:
            in_register[r["KOMMUN"]].add((r["KOMMUNNAMN"], r["LÄN"], r["LÄNSNAMN"]))
    skolverket = skolverket_municipalities(shared / SKOLVERKET_CSV)
    counties: dict[str, str] = {}
    for code, (name, county) in geo.items():
        sources = {(name, county), *((n, c) for n, c, _ in in_register[code])}
        if code in skolverket:
            sources.add(skolverket[code][:2])
        if len(sources) != 1:
            raise ValueError(f"municipality {code}: sources disagree: {sorted(sources)}")
        counties.update({c: cn for _, c, cn in in_register[code]})
    short_names = {
        f"{f['properties']['l_id']:02d}": f["properties"]["name"]
        for f in json.loads((shared / COUNTY_GEOJSON).read_text(encoding="utf-8"))["features"]
    }
    if set(short_names) != set(counties) or any(
        not counties[c].startswith(short_names[c]) for c in counties
    ):
        raise ValueError("county codes or names differ between the register and the GeoJSON")
    municipalities: Rows = sorted((code, name, county) for code, (name, county) in geo.items())
    return sorted(counties.items()), municipalities


def region_rows(shared: Path, names: dict[str, str]) -> Rows:
    """(region code, region name, municipality code) for the member tables in regions.md."""
    rows: Rows = []
    current: tuple[str, str] | None = None
    expected: dict[str, int] = {}
    for line in (shared / REGIONS_MD).read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = next((v for k, v in REGIONS.items() if line.startswith(k)), None)
            if current:
                expected[current[0]] = int(re.findall(r"(\d+) members", line)[0])
            continue
        match = re.match(r"^\| ([^|]+?) \| (\d{4}) \|", line)
        if current and match:
            if names.get(match.group(2)) != match.group(1):
                raise ValueError(f"regions.md: {match.group(1)} is not {match.group(2)}")
            rows.append((*current, match.group(2)))
    for code, members in expected.items():
        if sum(row[0] == code for row in rows) != members:
            raise ValueError(f"regions.md: {code} should have {members} members")
    return sorted(rows)


def programme_rows(shared: Path) -> Rows:
    """The national and introduction programmes in admissions-and-planning.md section 3."""
    rows = []
    for line in (shared / PROGRAMMES_MD).read_text(encoding="utf-8").splitlines():
        national = NATIONAL_ROW.match(line)
        if national and national.group(3) in KINDS:
            code, name, kind = national.groups()
            rows.append((code, name.strip(), KINDS[kind], *PROGRAMME_COLUMNS[code]))
        elif intro := INTRO_ROW.match(line):
            code, name = intro.groups()
            rows.append((code, name, "introduction", *PROGRAMME_COLUMNS[code]))
    national_count = sum(row[2] != "introduction" for row in rows)
    if national_count != NATIONAL_PROGRAMMES or len(rows) != len(PROGRAMME_COLUMNS):
        raise ValueError(
            f"expected {NATIONAL_PROGRAMMES} national programmes, found {national_count}"
        )
    return sorted(rows)


def unit_facts(
    sheet: str, record: dict[str, str]
) -> tuple[set[str], set[str], set[str], int | None]:
    """School forms, grade years, programmes and pupils one register row says about its unit."""
    form = SHEET_FORMS[sheet]
    forms = {form} if form else set()
    grades: set[str] = set()
    programmes: set[str] = set()
    pupils: int | None = None
    if sheet == "Grundskola":
        grades = {label for column, label in GRADE_COLUMNS.items() if record[column] == "J"}
        forms |= {"forskoleklass"} if "F" in grades else set()
        counts = [count(record[f"ELEVER {column}"]) for column in GRADE_COLUMNS]
        given = [c for c in counts if c is not None]
        pupils = sum(given) if given else None
    elif sheet == "Gymnasieskola":
        programmes = {
            code for code, (column, _) in PROGRAMME_COLUMNS.items() if record[column] == "J"
        }
        pupils = count(record["ELEVER TOTALT"])
    return forms, grades, programmes, pupils


def unit_rows(
    register: Register, members: set[str], notes: list[str]
) -> tuple[Rows, dict[str, dict[str, str]]]:
    """School units in ``members`` (one row per code over all sheets) and their organizers' rows."""
    first: dict[str, dict[str, str]] = {}
    facts: dict[str, list[tuple[set[str], set[str], set[str], int | None]]] = defaultdict(list)
    for sheet, form in SHEET_FORMS.items():
        records = [r for r in register[sheet] if r["KOMMUN"] in members]
        if form is None:
            notes.append(f"{sheet}: {len(records)} units in the regions (no SchoolForm, skipped)")
            continue
        for record in records:
            first.setdefault(record["SKOLENHETSKOD"], record)
            facts[record["SKOLENHETSKOD"]].append(unit_facts(sheet, record))
    rows = []
    for code, record in first.items():
        forms, grades, programmes = set(), set(), set()
        given = []
        for unit_forms, unit_grades, unit_programmes, pupils in facts[code]:
            forms |= unit_forms
            grades |= unit_grades
            programmes |= unit_programmes
            given += [] if pupils is None else [pupils]
        rows.append(
            (
                code,
                record["NAMN"],
                record["KOMMUN"],
                record["ORGANISATIONSNR"],
                ";".join(f for f in FORM_ORDER if f in forms),
                ";".join(g for g in GRADE_COLUMNS.values() if g in grades),
                ";".join(sorted(programmes)),
                str(sum(given)) if given else "",
            )
        )
    return sorted(rows), first


def organizer_rows(register: Register, organisations: set[str]) -> Rows:
    """Organizers in ``organisations`` from sheet Huvudmän (the unit sheets as fallback)."""
    by_number = {r["ORGANISATIONSNR"]: r for r in register["Huvudmän"]}
    places: dict[str, set[str]] = defaultdict(set)
    fallback: dict[str, dict[str, str]] = {}
    for sheet in SHEET_FORMS:
        for record in register[sheet]:
            places[record["ORGANISATIONSNR"]].add(record["KOMMUN"])
            fallback.setdefault(record["ORGANISATIONSNR"], record)
    rows: Rows = []
    for number in sorted(organisations):
        record = by_number.get(number, fallback[number])
        name = record["NAMN"] if number in by_number else record["HUVUDMANS NAMN"]
        kind = record["HUVUDMANNATYP"].lower()
        municipal = kind == "kommunal" and MUNICIPALITY_ORGANISATION.match(number)
        home = next(iter(places[number])) if municipal and len(places[number]) == 1 else ""
        rows.append((number, name, kind, home))
    return rows


def ring(points: Sequence[Sequence[float]]) -> list[list[float]]:
    """A ring rounded to COORDINATE_DECIMALS without consecutive duplicates; [] if degenerate."""
    out: list[list[float]] = []
    for x, y in points:
        point = [round(x, COORDINATE_DECIMALS), round(y, COORDINATE_DECIMALS)]
        if not out or out[-1] != point:
            out.append(point)
    return out if len(out) >= MIN_RING_POINTS and out[0] == out[-1] else []


def polygon(rings: Iterable[Sequence[Sequence[float]]]) -> list[list[list[float]]]:
    """A polygon with rounded rings; [] when its outer ring degenerates."""
    reduced = [ring(r) for r in rings]
    if not reduced or not reduced[0]:
        return []
    return [r for r in reduced if r]


def simplified_geojson(shared: Path, county_of: dict[str, str]) -> str:
    """The municipality boundaries, one feature per line, sorted by code."""
    features = json.loads((shared / MUNICIPALITY_GEOJSON).read_text(encoding="utf-8"))["features"]
    lines = []
    for feature in sorted(features, key=lambda f: f["properties"]["id"]):
        props, geometry = feature["properties"], feature["geometry"]
        if geometry["type"] == "Polygon":
            coordinates: list[Any] = polygon(geometry["coordinates"])
        else:
            coordinates = [p for p in map(polygon, geometry["coordinates"]) if p]
        if not coordinates:
            raise ValueError(f"municipality {props['id']}: geometry vanished when rounded")
        out = {
            "type": "Feature",
            "properties": {
                "code": props["id"],
                "name": props["kom_namn"],
                "county_code": county_of[props["id"]],
            },
            "geometry": {"type": geometry["type"], "coordinates": coordinates},
        }
        lines.append(json.dumps(out, ensure_ascii=False, separators=(",", ":")))
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def derive(shared: Path) -> Tables:
    """Every reference table derived from the shared folder ``shared``."""
    workbook = CalamineWorkbook.from_path(str(shared / REGISTER))
    register = {sheet: read_sheet(workbook, sheet) for sheet in workbook.sheet_names}
    counties, municipalities = municipality_tables(shared, register)
    regions = region_rows(shared, {code: name for code, name, _ in municipalities})
    notes: list[str] = []
    units, first = unit_rows(register, {row[2] for row in regions}, notes)
    organizers = organizer_rows(register, {r["ORGANISATIONSNR"] for r in first.values()})
    offering_ib = sum(
        r["INT. BACCALAUREATE"] == "J"
        for r in register["Gymnasieskola"]
        if r["SKOLENHETSKOD"] in first
    )
    notes.append(f"IB offered by {offering_ib} units in the regions (not a programme here)")
    county_of = {code: county for code, _, county in municipalities}
    tables = [counties, municipalities, regions, programme_rows(shared), organizers, units]
    return Tables(
        csv_files=dict(zip(HEADERS, tables, strict=True)),
        geojson=simplified_geojson(shared, county_of),
        notes=notes,
    )


def write(tables: Tables, out: Path) -> list[str]:
    """Write every table to ``out``; returns one summary line per file."""
    out.mkdir(parents=True, exist_ok=True)
    summary = []
    for name, rows in tables.csv_files.items():
        with (out / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(HEADERS[name].split(","))
            writer.writerows(rows)
        summary.append(f"{name}: {len(rows)} rows")
    geojson = out / "municipalities.geojson"
    geojson.write_text(tables.geojson, encoding="utf-8", newline="\n")
    summary.append(
        f"municipalities.geojson: {len(json.loads(tables.geojson)['features'])} features, "
        f"{geojson.stat().st_size} bytes"
    )
    return summary + [f"note: {note}" for note in tables.notes]


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--shared",
        type=Path,
        default=Path(os.environ.get("LIKVARD_SHARED_DIR", REPO.parent / "shared")),
        help="folder with data/ and reference/ (default: $LIKVARD_SHARED_DIR or ../shared)",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    args = parser.parse_args(argv)
    for line in write(derive(args.shared), args.out):
        sys.stdout.write(line + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
