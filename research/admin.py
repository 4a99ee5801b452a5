"""The Django admin is for superusers only (config/urls.py); school users work in the app's pages."""

from django.contrib import admin

from research.models import (
    Article,
    Event,
    FieldTrip,
    FieldTripParticipant,
    Publication,
    Topic,
    TopicTransition,
)


class TopicTransitionInline(admin.TabularInline):
    model = TopicTransition
    extra = 0
    can_delete = False
    readonly_fields = ["action", "from_status", "to_status", "decision_number", "decision_date", "new_end_on",
                       "note", "created_by", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False  # steps are recorded by research.services only


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "school", "level", "status", "start_on", "end_on"]
    list_filter = ["level", "status", "school"]
    search_fields = ["code", "title"]
    list_select_related = ["school"]
    raw_id_fields = ["leader", "members"]
    readonly_fields = ["status", "approval_decision", "approved_on", "extended", "extended_until", "accepted_on",
                       "score", "grade", "cancelled_on", "cancel_reason"]
    inlines = [TopicTransitionInline]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "school", "kind", "level", "held_on", "papers"]
    list_filter = ["kind", "level"]
    search_fields = ["title"]
    list_select_related = ["school"]
    raw_id_fields = ["topics"]


class ArticleInline(admin.TabularInline):
    model = Article
    extra = 0
    raw_id_fields = ["authors"]


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ["title", "school", "kind", "published_on", "ideological_column", "prize"]
    list_filter = ["kind", "ideological_column"]
    search_fields = ["title", "series"]
    list_select_related = ["school"]
    raw_id_fields = ["authors"]
    inlines = [ArticleInline]


class ParticipantInline(admin.TabularInline):
    model = FieldTripParticipant
    extra = 0
    raw_id_fields = ["staff"]


@admin.register(FieldTrip)
class FieldTripAdmin(admin.ModelAdmin):
    list_display = ["title", "school", "place", "start_on", "end_on", "days"]
    search_fields = ["title", "place"]
    list_select_related = ["school"]
    inlines = [ParticipantInline]
