"""Likvärd's indicators as Kolada key figures (KPI): ids, titles and Kolada's metadata fields.

Only indicators Likvärd computes itself from the warehouse are served: their values come from
the released levels cube of the analysis basis. An indicator the quality catalogue records as
a Kolada key figure (``kolada_kpi``) keeps that id; the values are still Likvärd's own
computation, and every KPI says so in its ``auspice``, ``description`` and ``source`` fields.
Likvärd's other indicators get ids of the form ``L`` + five digits (``L00001`` ...): Kolada's
ids are ``N`` or ``U`` + five digits, so the ranges never meet. The list below is append-only:
an id once given is never reused or renumbered.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache

from likvard.opendata.services.released import school_years
from likvard.quality.services.catalogue import catalogue_current
from likvard.warehouse.selectors import VersionRef, data_version_get
from likvard_core.analytics.quality.catalogue_model import DataSource, Indicator
from likvard_core.analytics.quality.indicator_sql import WAREHOUSE_INDICATORS

OWN_IDS: dict[str, str] = {
    "gr9_test_vs_grade": "L00001",
    "gr_absence": "L00002",
}
"""Likvärd indicator code → its id in the ``L`` range (append only; see module doc)."""

OWN_PREFIX = "L"
SOURCE_SV = "Likvärd: egen beräkning från elevdata i lagret, samma figurer som i analysunderlaget"
OPERATING_AREAS: dict[str, str] = {
    "grundskola": "Grundskola",
    "gymnasieskola": "Gymnasieskola",
    "forskola": "Förskola",
}
UNITS_SV: dict[str, str] = {"percent": "%", "points": "poäng", "ratio": "kvot"}


@dataclass(frozen=True, slots=True)
class Kpi:
    """One Likvärd indicator as a Kolada KPI (the fields of Kolada's ``kpi`` objects)."""

    id: str
    code: str
    title: str
    description: str
    operating_area: str
    unit: str
    publ_period: int | None
    is_kolada_id: bool

    def as_kolada(self, *, publication_date: str | None) -> dict[str, object]:
        """The KPI object as Kolada's ``kpi`` route answers it, plus ``source`` and ``code``."""
        return {
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "operating_area": self.operating_area,
            "perspective": "Resultat",
            "auspice": "X",
            "municipality_type": "K",
            "is_divided_by_gender": 0,
            "has_ou_data": True,
            "publication_date": publication_date,
            "ou_publication_date": publication_date,
            "prel_publication_date": None,
            "publ_period": str(self.publ_period) if self.publ_period else None,
            "unit": self.unit,
            "source": SOURCE_SV,
            "likvard_code": self.code,
        }


def kolada_id_of(indicator: Indicator) -> str | None:
    """The id an indicator is served under: its Kolada key figure, else its ``L`` id."""
    return indicator.kolada_kpi or OWN_IDS.get(indicator.code)


def _kpi(indicator: Indicator, kpi_id: str, publ_period: int | None) -> Kpi:
    own = kpi_id.startswith(OWN_PREFIX)
    label = (
        "Likvärds eget nyckeltal."
        if own
        else f"Samma definition som Koladas {kpi_id}, beräknat av Likvärd."
    )
    return Kpi(
        id=kpi_id,
        code=indicator.code,
        title=indicator.name,
        description=f"{indicator.definition} {label} Källa: {SOURCE_SV}.",
        operating_area=", ".join(
            OPERATING_AREAS.get(form, form) for form in indicator.school_forms
        ),
        unit=UNITS_SV.get(indicator.unit.value, indicator.unit.value),
        publ_period=publ_period,
        is_kolada_id=not own,
    )


CACHE_SECONDS = 60
"""How long the KPI list is kept: a catalogue edit shows in the API within a minute."""


def kpi_list(*, version: VersionRef | None = None) -> list[Kpi]:
    """Every warehouse indicator of the catalogue in force in the newest school year, as a KPI,
    in the catalogue's order. Indicators with neither a Kolada id nor an ``L`` id are left out
    (a test keeps ``OWN_IDS`` complete). Kept a minute in Django's cache (reading the
    catalogue is half of a small data request)."""
    version = version or data_version_get()
    key = f"opendata-kpis:{version.key}"
    kept: list[Kpi] | None = cache.get(key)
    if kept is None:
        kept = _kpis(version)
        cache.set(key, kept, CACHE_SECONDS)
    return kept


def _kpis(version: VersionRef) -> list[Kpi]:
    years = school_years(version=version)
    latest = years[-1] if years else None
    catalogue = catalogue_current()
    out: list[Kpi] = []
    for code in WAREHOUSE_INDICATORS:
        revisions = [
            i
            for i in catalogue.indicators
            if i.code == code and i.data_source is DataSource.WAREHOUSE
        ]
        if not revisions:
            continue
        current = next(
            (i for i in revisions if latest is not None and i.applies_in(latest)), revisions[-1]
        )
        kpi_id = kolada_id_of(current)
        if kpi_id is not None:
            out.append(_kpi(current, kpi_id, latest))
    return out


def kpi_by_id(*, version: VersionRef | None = None) -> dict[str, Kpi]:
    """KPI id → KPI (see ``kpi_list``)."""
    return {kpi.id: kpi for kpi in kpi_list(version=version)}
