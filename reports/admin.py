from django.contrib import admin

from reports.models import ReportJob


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "year", "scope", "scope_label", "state", "progress", "requested_by"]
    list_filter = ["state", "kind", "scope"]
    readonly_fields = [f.name for f in ReportJob._meta.fields]
