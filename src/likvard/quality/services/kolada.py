"""The names of the Kolada key figures (KPIs) the quality catalogue refers to.

``reference_data/kolada_kpis.csv`` holds the title of every KPI id in the shipped catalogue
(``likvard_core/analytics/quality/data/catalogue.json``), taken from Kolada's KPI catalogue
(``../shared/data/kolada-kpi-catalogue/kpi_df.csv``, metadata as of 2024) with runs of spaces
made single. ``tests/app/quality/test_kolada_titles.py`` checks both ties.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

KOLADA_KPIS = Path(__file__).resolve().parent.parent / "reference_data" / "kolada_kpis.csv"


@cache
def kolada_kpi_titles() -> dict[str, str]:
    """Kolada KPI id (``N15419``) → its Swedish title, for the KPIs the catalogue names."""
    with KOLADA_KPIS.open(encoding="utf-8", newline="") as handle:
        return {row["id"]: row["title"] for row in csv.DictReader(handle)}


def kolada_kpi_label(code: str) -> str:
    """``N15419: <title>`` for a KPI Likvärd knows, the bare id for one it does not."""
    title = kolada_kpi_titles().get(code)
    return f"{code}: {title}" if title else code
