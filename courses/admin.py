from django.contrib import admin

from courses.models import (
    AnnualPlan,
    ClassificationBand,
    Enrollment,
    Learner,
    Mark,
    Module,
    PlanLine,
    Programme,
    TrainingClass,
)


class ModuleInline(admin.TabularInline):
    model = Module
    extra = 0


class BandInline(admin.TabularInline):
    model = ClassificationBand
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "has_thesis", "has_exam", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["code", "name"]
    inlines = [ModuleInline, BandInline]


class PlanLineInline(admin.TabularInline):
    model = PlanLine
    extra = 0


@admin.register(AnnualPlan)
class AnnualPlanAdmin(admin.ModelAdmin):
    list_display = ["school", "year"]
    list_filter = ["year"]
    list_select_related = ["school"]
    inlines = [PlanLineInline]


@admin.register(TrainingClass)
class TrainingClassAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "school", "programme", "mode", "opening_date", "closing_date", "status"]
    list_filter = ["status", "mode", "programme"]
    list_select_related = ["school", "programme"]
    search_fields = ["code", "name"]
    raw_id_fields = ["adviser"]


@admin.register(Learner)
class LearnerAdmin(admin.ModelAdmin):
    list_display = ["full_name", "cccd", "date_of_birth", "sex"]
    list_filter = ["school_links__school"]  # a school's learners (the bench compares a school's list with it)
    search_fields = ["full_name", "search_name", "cccd"]


class MarkInline(admin.TabularInline):
    model = Mark
    extra = 0


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["learner", "training_class", "status", "average", "classification"]
    list_filter = ["status", "classification"]
    list_select_related = ["learner", "training_class"]
    raw_id_fields = ["learner", "training_class"]
    inlines = [MarkInline]
