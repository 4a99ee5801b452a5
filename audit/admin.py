from django.contrib import admin

from audit.models import AuditLog


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    """Read-only: the log is written by the application only, never edited by hand."""

    list_display = ("timestamp", "user_repr", "school", "content_type", "object_repr", "action", "flag")
    list_filter = ("action", "flag", "content_type")
    search_fields = ("object_repr", "user_repr")
    list_select_related = ("school", "content_type")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
