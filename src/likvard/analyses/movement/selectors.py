"""Reference data the movement analyses need from the organisations app, in one read."""

from __future__ import annotations

from dataclasses import dataclass

from likvard.organisations.models import Municipality, Organizer, Programme, SchoolUnit
from likvard_core.analytics.movement.scope import Lookups, OrganizerInfo, UnitInfo


@dataclass(frozen=True, slots=True)
class Reference:
    """Lookups for the core and display names for pages and exports."""

    lookups: Lookups
    municipalities: dict[str, str]
    organizers: dict[str, str]
    school_units: dict[str, str]
    programmes: dict[str, str]

    def municipality(self, code: str) -> str:
        """The municipality's name, or its code when unknown (``–`` for none)."""
        return self.municipalities.get(code, code or "–")

    def organizer(self, code: str) -> str:
        """The organizer's name, or its organisation number when unknown."""
        return self.organizers.get(code, code)

    def school_unit(self, code: str) -> str:
        """The school unit's name, or its code when unknown."""
        return self.school_units.get(code, code)

    def programme(self, code: str) -> str:
        """The programme's name, or its code when unknown (``–`` for none)."""
        return self.programmes.get(code, code or "–")


def movement_reference() -> Reference:
    """Organizers, school units, municipalities and programmes as lookups and names.

    (A municipality's primary key is its code, so ``municipality_id`` is the code.)
    """
    organizers = list(
        Organizer.objects.values_list(
            "organisation_number", "name", "organizer_type", "municipality_id"
        )
    )
    units = list(
        SchoolUnit.objects.values_list(
            "code", "name", "municipality_id", "organizer__organisation_number"
        )
    )
    lookups = Lookups(
        organizers={
            number: OrganizerInfo(kind, muni or "") for number, _name, kind, muni in organizers
        },
        school_units={
            code: UnitInfo(muni or "", organizer) for code, _name, muni, organizer in units
        },
    )
    return Reference(
        lookups=lookups,
        municipalities=dict(Municipality.objects.values_list("code", "name")),
        organizers={number: name for number, name, _k, _m in organizers},
        school_units={code: name for code, name, _m, _o in units},
        programmes=dict(Programme.objects.values_list("code", "name")),
    )
