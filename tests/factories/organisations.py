"""Factories for organisations: a world in two lines."""

from __future__ import annotations

import factory

from likvard.organisations.models import County, Municipality, Organizer, Region, SchoolUnit


class CountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = County
        django_get_or_create = ("code",)

    code = "14"
    name = "Västra Götaland"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{1400 + n % 99:04d}")
    name = factory.Sequence(lambda n: f"Kommun {n}")
    county = factory.SubFactory(CountyFactory)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"region{n}")
    name = factory.Sequence(lambda n: f"Region {n}")


class OrganizerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organizer
        django_get_or_create = ("organisation_number",)

    organisation_number = factory.Sequence(lambda n: f"{5560000000 + n:010d}")
    name = factory.Sequence(lambda n: f"Skolbolaget {n} AB")
    organizer_type = "enskild"


class SchoolUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolUnit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{10000000 + n:08d}")
    name = factory.Sequence(lambda n: f"Skola {n}")
    organizer = factory.SubFactory(OrganizerFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    school_forms = factory.LazyFunction(lambda: ["grundskola"])
