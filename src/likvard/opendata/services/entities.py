"""The places of the Kolada-compatible API: municipalities, Likvärd's regions, school units.

Kolada names every area a "municipality": kommuner (type ``K``), regions (type ``L``, ids
``0001``-``0025``) and Riket (``0000``), and keeps municipality groups (ids ``G`` + digits)
whose data is the unweighted mean of the members. Likvärd's regions (Göteborgsregionen,
Skaraborg) are collaborations of municipalities, not counties, so they appear twice:

- as their own entity, type ``L``, id ``LV`` + the region code in capitals (``LVGR``): its
  value is Likvärd's figure over all the region's students, as on the region's pages;
- as a municipality group, id ``GLV`` + the region code in capitals (``GLVGR``): its value is
  the unweighted mean of the members' released values, ``count`` the members that have one,
  as Kolada computes groups.

Neither prefix can meet a Kolada id (digits only, or ``G`` + digits). School units (``ou``)
are served under their skolenhetskod (eight digits; Kolada's unit ids start with ``V``).
"""

from __future__ import annotations

from dataclasses import dataclass

from likvard.organisations.models import Municipality, Region, SchoolUnit

NATION = "0000"
NATION_TITLE = "Riket"
REGION_PREFIX = "LV"
GROUP_PREFIX = "GLV"


@dataclass(frozen=True, slots=True)
class Area:
    """A municipality, one of Likvärd's regions or Riket, as Kolada's ``municipality``."""

    id: str
    title: str
    type: str
    region_code: str | None = None
    """For a region entity: the Likvärd region code."""

    def as_kolada(self) -> dict[str, object]:
        """The object as Kolada's ``municipality`` route answers it."""
        return {"id": self.id, "title": self.title, "type": self.type}


@dataclass(frozen=True, slots=True)
class AreaGroup:
    """A Likvärd region as a Kolada municipality group with its members."""

    id: str
    title: str
    region_code: str
    members: tuple[Area, ...]

    def as_kolada(self) -> dict[str, object]:
        """The object as Kolada's ``municipality_groups`` route answers it."""
        return {
            "id": self.id,
            "title": self.title,
            "members": [{"id": m.id, "title": m.title} for m in self.members],
        }


@dataclass(frozen=True, slots=True)
class Unit:
    """A school unit as Kolada's ``ou``."""

    id: str
    title: str
    municipality: str

    def as_kolada(self) -> dict[str, object]:
        """The object as Kolada's ``ou`` route answers it."""
        return {"id": self.id, "title": self.title, "municipality": self.municipality}


def region_entity_id(code: str) -> str:
    """The entity id of a Likvärd region (``gr`` → ``LVGR``)."""
    return REGION_PREFIX + code.upper()


def region_group_id(code: str) -> str:
    """The group id of a Likvärd region (``gr`` → ``GLVGR``)."""
    return GROUP_PREFIX + code.upper()


def area_list() -> list[Area]:
    """Riket, every municipality of the register (by name) and every Likvärd region."""
    areas = [Area(NATION, NATION_TITLE, "L")]
    areas += [
        Area(code, name, "K")
        for code, name in Municipality.objects.order_by("name").values_list("code", "name")
    ]
    areas += [
        Area(region_entity_id(r.code), r.name, "L", r.code) for r in Region.objects.order_by("name")
    ]
    return areas


def group_list() -> list[AreaGroup]:
    """Every Likvärd region as a municipality group, members by name."""
    groups = []
    for region in Region.objects.prefetch_related("municipalities").order_by("name"):
        members = tuple(
            Area(m.code, m.name, "K") for m in sorted(region.municipalities.all(), key=str)
        )
        groups.append(AreaGroup(region_group_id(region.code), region.name, region.code, members))
    return groups


def unit_list(*, municipalities: list[str] | None = None) -> list[Unit]:
    """School units (by name), only those in ``municipalities`` when given."""
    query = SchoolUnit.objects.order_by("name", "code")
    if municipalities is not None:
        query = query.filter(municipality__code__in=municipalities)
    return [
        Unit(code, name, municipality)
        for code, name, municipality in query.values_list("code", "name", "municipality__code")
    ]


def region_members() -> dict[str, list[str]]:
    """Likvärd region code → its municipality codes (sorted)."""
    return {
        region.code: sorted(m.code for m in region.municipalities.all())
        for region in Region.objects.prefetch_related("municipalities").order_by("code")
    }


def unit_municipalities() -> dict[str, str]:
    """School unit code → the code of the municipality it lies in."""
    return dict(SchoolUnit.objects.values_list("code", "municipality__code"))
