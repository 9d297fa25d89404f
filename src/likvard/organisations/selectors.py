"""Reading organisations. These are public reference facts; access to data about them is
decided by ``likvard.access.policy``, not here. Selectors return finished lists or instances."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, F

from likvard.organisations.models import Municipality, Organizer, Programme, Region, SchoolUnit


class NotFoundError(Exception):
    """The code names no known organisation."""


def region_list() -> list[Region]:
    """All regions with their member counts (``member_count``)."""
    return list(Region.objects.annotate(member_count=Count("municipalities")).order_by("name"))


def region_get(*, code: str) -> Region:
    """The region with ``code``; ``NotFoundError`` otherwise."""
    try:
        return Region.objects.get(code=code)
    except Region.DoesNotExist as error:
        raise NotFoundError(code) from error


def region_municipalities(*, region: Region) -> list[Municipality]:
    """The region's municipalities with their number of school units (``unit_count``)."""
    return list(
        region.municipalities.select_related("county")
        .annotate(unit_count=Count("school_units"))
        .order_by("name")
    )


def municipality_regions(*, municipality: Municipality) -> list[Region]:
    """The regions ``municipality`` is a member of, by name."""
    return list(municipality.regions.order_by("name"))


def region_school_units(*, region: Region) -> list[SchoolUnit]:
    """The school units located in the region's municipalities (whoever runs them), by name."""
    return list(
        SchoolUnit.objects.filter(municipality__in=region.municipalities.all()).order_by("name")
    )


@dataclass(frozen=True, slots=True)
class SchoolUnitName:
    """A school unit's code and name with its municipality's code and name."""

    code: str
    name: str
    municipality_code: str
    municipality: str


def school_unit_names(
    *, region: Region | None = None, organizer: Organizer | None = None
) -> list[SchoolUnitName]:
    """The names of the school units located in the region's municipalities, or run by the
    organizer, by name, in one query (for labelling tables of hundreds of units)."""
    units = SchoolUnit.objects.all()
    if region is not None:
        units = units.filter(municipality__regions=region)
    if organizer is not None:
        units = units.filter(organizer=organizer)
    rows = units.order_by("name", "code").values_list(
        "code", "name", "municipality__code", "municipality__name"
    )
    return [SchoolUnitName(*row) for row in rows]


def municipality_get(*, code: str) -> Municipality:
    """The municipality with ``code``; ``NotFoundError`` otherwise."""
    try:
        return Municipality.objects.select_related("county").get(code=code)
    except Municipality.DoesNotExist as error:
        raise NotFoundError(code) from error


def municipality_list() -> list[Municipality]:
    """All municipalities, by name."""
    return list(Municipality.objects.select_related("county").order_by("name"))


def organizers_in_municipality(*, municipality: Municipality) -> list[Organizer]:
    """Organizers running at least one school unit in the municipality."""
    return list(
        Organizer.objects.filter(school_units__municipality=municipality)
        .annotate(unit_count=Count("school_units"))
        .order_by("organizer_type", "name")
        .distinct()
    )


def municipal_organizers(*, municipalities: Sequence[Municipality]) -> list[Organizer]:
    """The organizers that are one of ``municipalities`` and run a school unit in it, by type
    and name, in one query (not one per municipality)."""
    return list(
        Organizer.objects.filter(
            municipality__in=[m.pk for m in municipalities],
            school_units__municipality=F("municipality"),
        )
        .order_by("organizer_type", "name")
        .distinct()
    )


def region_organizers(*, region: Region) -> list[Organizer]:
    """The organizers seated in ``region``'s municipalities, municipalities first, by name."""
    return list(
        Organizer.objects.filter(municipality__regions=region)
        .order_by("organizer_type", "name")
        .distinct()
    )


@dataclass(frozen=True, slots=True)
class SchoolUnitPlace:
    """A school unit's code and name with its organizer's organisation number and name and
    its municipality's code."""

    code: str
    name: str
    organisation_number: str
    organizer_name: str
    municipality_code: str


def school_unit_places(*, region: Region) -> list[SchoolUnitPlace]:
    """The school units located in the region's municipalities with their organizer and
    municipality, by code, in one query."""
    columns = ("code", "name", "organizer__organisation_number", "organizer__name")
    rows = (
        SchoolUnit.objects.filter(municipality__regions=region)
        .order_by("code")
        .values_list(*columns, "municipality__code")
        .distinct()
    )
    return [SchoolUnitPlace(*row) for row in rows]


def organizer_get(*, organisation_number: str) -> Organizer:
    """The organizer with this organisation number; ``NotFoundError`` otherwise."""
    try:
        return Organizer.objects.select_related("municipality").get(
            organisation_number=organisation_number
        )
    except Organizer.DoesNotExist as error:
        raise NotFoundError(organisation_number) from error


def organizer_school_units(*, organizer: Organizer) -> list[SchoolUnit]:
    """The organizer's school units, by name."""
    return list(organizer.school_units.select_related("municipality").order_by("name"))


def school_unit_get(*, code: str) -> SchoolUnit:
    """The school unit with ``code``; ``NotFoundError`` otherwise."""
    try:
        return SchoolUnit.objects.select_related("organizer", "municipality").get(code=code)
    except SchoolUnit.DoesNotExist as error:
        raise NotFoundError(code) from error


def programme_list() -> list[Programme]:
    """All programmes, by code."""
    return list(Programme.objects.order_by("code"))
