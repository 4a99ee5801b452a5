from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "get_full_name", "school", "role", "is_active"]
    list_filter = ["role", "is_active"]
    list_select_related = ["school"]
    fieldsets = (*BaseUserAdmin.fieldsets, ("School", {"fields": ("school", "role")}))
