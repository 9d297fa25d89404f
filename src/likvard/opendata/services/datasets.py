"""Open data sets: the released tables of each analysis per school year, as CSV and Parquet,
with a machine-readable description, listed in a DCAT-AP-SE catalogue (JSON-LD).

Open data is public, so every table is released for an anonymous viewer through the same
gate as the pages (``released_rows``): a hidden cell is a row whose numbers are empty and whose
``status`` and ``mark`` say why. Today one analysis is published: the analysis basis's
indicators computed from the warehouse (``analysunderlag``), every level of every region.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.parquet as pq

from likvard.access.policy import ANONYMOUS
from likvard.opendata.services.entities import region_members
from likvard.opendata.services.kpis import kpi_list
from likvard.opendata.services.released import data_version_label, released_rows
from likvard.opendata.services.values import value_years, values_updated_at
from likvard_core.analytics.quality.basis import MARKS
from likvard_core.analytics.quality.levels_cube import level_of

PURPOSE = "opendata.dataset"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENCE_NAME = "CC-BY-4.0"
PUBLISHER = "Likvärd"
SOURCE_SV = "Likvärd: beräknat från huvudmännens elevdata i Likvärds datalager"
FORMATS = {"csv": "text/csv", "parquet": "application/vnd.apache.parquet"}


@dataclass(frozen=True, slots=True)
class Column:
    """A column of an open table: name, type, meaning in Swedish and unit."""

    name: str
    type: str
    description: str
    unit: str = ""


@dataclass(frozen=True, slots=True)
class Analysis:
    """An analysis whose released tables are published, one table per school year."""

    slug: str
    title: str
    description: str
    keywords: tuple[str, ...]
    columns: tuple[Column, ...]


BASIS_COLUMNS: tuple[Column, ...] = (
    Column("school_year", "integer", "Läsåret som vårterminens år (2025 = läsåret 2024/25)."),
    Column("level", "string", "Redovisningsnivå: school_unit (skolenhet), organizer (huvudman), "
           "municipality (kommun, skolans kommun), region (Likvärds region) eller nation (riket)."),
    Column("region_code", "string", "Likvärds regionkod (gr, skaraborg); tom för riket och "
           "huvudmän."),
    Column("municipality_code", "string", "Kommunkod (fyra siffror) för kommun och skolenhet."),
    Column("organizer_code", "string", "Huvudmannens organisationsnummer (skolenheter och "
           "huvudmän)."),
    Column("school_unit_code", "string", "Skolenhetskod (åtta siffror)."),
    Column("indicator", "string", "Likvärds indikatorkod i kvalitetskatalogen."),
    Column("kpi_id", "string", "Id i Likvärds Kolada-kompatibla API: Koladas nyckeltals-id när "
           "indikatorn har samma definition, annars L + fem siffror."),
    Column("indicator_name", "string", "Indikatorns namn."),
    Column("unit", "string", "Enhet för value, ci_low och ci_high: % (procent 0–100), poäng "
           "eller kvot."),
    Column("value", "number", "Värdet; tomt när det inte redovisas (se status).", "se unit"),
    Column("ci_low", "number", "Nedre gräns för 95 % konfidensintervall.", "se unit"),
    Column("ci_high", "number", "Övre gräns för 95 % konfidensintervall.", "se unit"),
    Column("n", "integer", "Antal elever bakom värdet; tomt när värdet är dolt.", "elever"),
    Column("status", "string", "exists (redovisas), missing (uppgift saknas), too_few (för få "
           "elever), suppressed_complementary (dold för att skydda en annan liten grupp), "
           "withdrawn (redovisningsnivån tillbakadragen), not_applicable."),
    Column("mark", "string", "Skolverkets tecken för ett dolt värde: '.' saknas, '..' för få "
           "eller skyddad, '-' ej tillämpligt; tomt när värdet redovisas."),
)  # fmt: skip

ANALYSES: dict[str, Analysis] = {
    "analysunderlag": Analysis(
        slug="analysunderlag",
        title="Analysunderlagets indikatorer per skolenhet, huvudman, kommun och region",
        description=(
            "Likvärds indikatorer för grundskolans årskurs 9 (godkända betyg i alla ämnen, "
            "behörighet till gymnasiets program, meritvärde, ämnesbetyg jämfört med provbetyg, "
            "frånvaro) beräknade från huvudmännens elevdata, för varje nivå i Likvärds regioner "
            "och riket. Samma värden som analysunderlaget visar; små grupper är dolda enligt "
            "Skolverkets regler."
        ),
        keywords=("skola", "grundskola", "betyg", "meritvärde", "behörighet", "likvärdighet"),
        columns=BASIS_COLUMNS,
    ),
}


def analysis_get(slug: str) -> Analysis | None:
    """The published analysis ``slug``, or None."""
    return ANALYSES.get(slug)


def dataset_years() -> list[int]:
    """The school years with a published table (every year with students), newest first."""
    return sorted(value_years(), reverse=True)


def dataset_rows(*, analysis: Analysis, year: int) -> list[dict[str, object]]:
    """The public released table of ``analysis`` in school ``year``, one dict per row, rows
    ordered by indicator, level and codes (a hidden row has empty numbers)."""
    kpis = {k.code: k for k in kpi_list()}
    rows = released_rows(
        viewer=ANONYMOUS, indicators=list(kpis), regions=sorted(region_members()),
        years=[year], purpose=PURPOSE, channel="opendata",
    )  # fmt: skip
    out = []
    for row in rows:
        level, _code = level_of(row)
        kpi = kpis[str(row["indicator"])]
        status = str(row["status"])
        out.append({
            "school_year": int(str(row["school_year"])), "level": level,
            "region_code": row["region_code"], "municipality_code": row["municipality_code"],
            "organizer_code": row["organizer_code"], "school_unit_code": row["school_unit_code"],
            "indicator": kpi.code, "kpi_id": kpi.id, "indicator_name": kpi.title,
            "unit": kpi.unit, "value": row["value"], "ci_low": row["ci_low"],
            "ci_high": row["ci_high"], "n": row["n"], "status": status,
            "mark": MARKS.get(status, ("", ""))[0],
        })  # fmt: skip
    order = ("nation", "region", "municipality", "organizer", "school_unit")
    codes = ("region_code", "municipality_code", "organizer_code", "school_unit_code")
    out.sort(
        key=lambda r: (
            str(r["indicator"]),
            order.index(str(r["level"])),
            *(str(r[c] or "") for c in codes),
        )
    )
    return out


def _arrow(analysis: Analysis, rows: Sequence[dict[str, object]]) -> pa.Table:
    types = {"integer": pa.int64(), "number": pa.float64(), "string": pa.string()}
    schema = pa.schema([pa.field(c.name, types[c.type]) for c in analysis.columns])
    return pa.Table.from_pylist(list(rows), schema=schema)


def dataset_csv(*, analysis: Analysis, year: int) -> bytes:
    """The table as CSV: UTF-8, comma-separated, decimal point, empty cell for no value."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[c.name for c in analysis.columns],
                            lineterminator="\n")  # fmt: skip
    writer.writeheader()
    for row in dataset_rows(analysis=analysis, year=year):
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return buffer.getvalue().encode("utf-8")


def dataset_parquet(*, analysis: Analysis, year: int) -> bytes:
    """The table as Parquet (the CSV's columns, typed), with the data version in its metadata."""
    table = _arrow(analysis, dataset_rows(analysis=analysis, year=year))
    table = table.replace_schema_metadata({
        "data_version": data_version_label(), "source": SOURCE_SV, "license": LICENCE_URL,
    })  # fmt: skip
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def dataset_description(*, analysis: Analysis, year: int, base_url: str) -> dict[str, object]:
    """The machine-readable description of one table (a Frictionless Tabular Data Resource):
    column meanings and units, suppression marks, data version, source and licence."""
    stem = f"{base_url}/oppna-data/{analysis.slug}/{year}"
    return {
        "profile": "tabular-data-resource",
        "name": f"{analysis.slug}-{year}",
        "title": f"{analysis.title}, läsåret {year - 1}/{str(year)[2:]}",
        "description": analysis.description,
        "path": f"{stem}.csv",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": {"delimiter": ",", "header": True, "lineTerminator": "\n"},
        "alternates": [
            {"path": f"{stem}.parquet", "format": "parquet", "mediatype": FORMATS["parquet"]}
        ],
        "schema": {
            "fields": [
                {
                    "name": c.name,
                    "type": c.type,
                    "description": c.description,
                    **({"unit": c.unit} if c.unit else {}),
                }
                for c in analysis.columns
            ],
            "missingValues": [""],
        },
        "suppression": {
            "rule": "Skolverkets regel: minst 10 elever för en skolenhet, minst 5 för större "
            "områden (strängare om regionen har valt det), med kompletterande döljning så "
            "att ett dolt värde inte kan räknas fram ur andra.",
            "statuses": {s: {"mark": m, "meaning": reason} for s, (m, reason) in MARKS.items()},
        },
        "data_version": data_version_label(),
        "updated": values_updated_at(),
        "sources": [{"title": SOURCE_SV}],
        "licenses": [
            {"name": LICENCE_NAME, "path": LICENCE_URL, "title": "Creative Commons Erkännande 4.0"}
        ],
        "temporal": {"school_year": year},
    }
