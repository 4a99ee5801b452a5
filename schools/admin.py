from django.contrib import admin

from schools.models import EthnicGroup, FormerProvince, OrgUnit, Province, School, SchoolName, Staff


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]


@admin.register(FormerProvince)
class FormerProvinceAdmin(admin.ModelAdmin):
    list_display = ["name", "cccd_code", "merged_into"]
    list_select_related = ["merged_into"]


@admin.register(EthnicGroup)
class EthnicGroupAdmin(admin.ModelAdmin):
    list_display = ["order", "name"]


class SchoolNameInline(admin.TabularInline):
    model = SchoolName
    extra = 0


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "province", "merged_on", "dissolved_on", "active"]
    list_filter = ["kind", "active"]
    inlines = [SchoolNameInline]
    search_fields = ["code", "name"]
    list_select_related = ["province"]


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "school", "kind"]
    list_select_related = ["school"]


@admin.register(Staff)
class StaffAdmin(admin.ModelAdmin):
    list_display = ["full_name", "school", "unit", "is_lecturer", "active"]
    list_select_related = ["school", "unit"]
    search_fields = ["full_name", "search_name"]
