"""Administrators edit the catalogue's goals, sub-goals, success factors and indicators here.

Whole catalogue files (Skolverket's official lists) are loaded on the catalogue's upload page;
an indicator's definition is best revised on its own page, which keeps the history.
"""

from django.contrib import admin

from likvard.quality.models import (
    CatalogueVersion,
    Condition,
    Goal,
    Indicator,
    IndicatorRevision,
    SubGoal,
    SuccessFactor,
)


class SubGoalInline(admin.StackedInline[SubGoal, Goal]):
    model = SubGoal
    extra = 0


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin[Goal]):
    list_display = ["code", "school_form", "title", "status"]
    list_filter = ["status"]
    inlines = [SubGoalInline]


@admin.register(SuccessFactor)
class SuccessFactorAdmin(admin.ModelAdmin[SuccessFactor]):
    list_display = ["code", "title", "status", "position"]
    list_filter = ["status"]


@admin.register(Condition)
class ConditionAdmin(admin.ModelAdmin[Condition]):
    list_display = ["code", "title", "status"]


class RevisionInline(admin.StackedInline[IndicatorRevision, Indicator]):
    model = IndicatorRevision
    extra = 0
    exclude = ["catalogue_version"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin[Indicator]):
    list_display = ["code", "organizer", "region", "condition", "position"]
    list_filter = ["condition"]
    search_fields = ["code", "revisions__name"]
    filter_horizontal = ["sub_goals"]
    inlines = [RevisionInline]


@admin.register(CatalogueVersion)
class CatalogueVersionAdmin(admin.ModelAdmin[CatalogueVersion]):
    list_display = ["label", "source_name", "official", "loaded_at", "loaded_by"]
    readonly_fields = [f.name for f in CatalogueVersion._meta.get_fields()]

    def has_add_permission(self, request: object) -> bool:
        return False
