from django.contrib import admin

from likvard.access.models import ApiToken, AuditEvent, RoleAssignment


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin[RoleAssignment]):
    list_display = ["user", "role", "region", "organizer", "school_unit"]
    list_filter = ["role"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    list_display = ["at", "username", "action", "scope", "purpose", "channel"]
    readonly_fields = [f.name for f in AuditEvent._meta.get_fields()]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ["user", "name", "created_at", "last_used_at"]
    exclude = ["key_hash"]
