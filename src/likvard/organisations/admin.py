from django.contrib import admin

from likvard.organisations.models import (
    County,
    Municipality,
    Organizer,
    Programme,
    Region,
    SchoolUnit,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin[Region]):
    list_display = ["code", "name", "min_group_school_unit", "min_group_area"]
    filter_horizontal = ["municipalities"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin[Municipality]):
    list_display = ["code", "name", "county"]
    search_fields = ["code", "name"]


@admin.register(Organizer)
class OrganizerAdmin(admin.ModelAdmin[Organizer]):
    list_display = ["organisation_number", "name", "organizer_type", "municipality"]
    search_fields = ["organisation_number", "name"]
    list_filter = ["organizer_type"]


@admin.register(SchoolUnit)
class SchoolUnitAdmin(admin.ModelAdmin[SchoolUnit]):
    list_display = ["code", "name", "organizer", "municipality"]
    search_fields = ["code", "name"]


admin.site.register(County)
admin.site.register(Programme)
