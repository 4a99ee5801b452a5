"""Reads of the research app.

``research_summary`` / ``research_summaries`` compute the yearly research figures of a school; the
summary page, the year-end report and the compliance module all call them, so the numbers agree
everywhere. Counting rules:

- a topic is *active in a year* when it started on or before 31/12 of that year and was not closed
  (accepted or cancelled) before 01/01 of it; a topic still open today counts in every year from
  its start up to the current year, and in later years up to its (extended) end date;
- a topic is *accepted in a year* when its acceptance council met in that year (whatever the grade;
  ``accepted_by_grade`` shows the grades);
- workshops count in the year they were held, for their host and each co-organising school (its role
  shown in its list); publications in the year they were published,
  bulletin articles with their issue;
- a field trip belongs to the year it started; lecturer-days = the trip's days × its lecturer
  participants; per lecturer = lecturer-days ÷ the school's active lecturers.
"""

import datetime

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from research.models import (
    Article,
    Event,
    EventCoOrganiser,
    FieldTrip,
    FieldTripParticipant,
    Publication,
    Topic,
)
from schools.models import Staff


def _bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def topics_active_in(year: int, today: datetime.date | None = None) -> Q:
    """The condition "active in ``year``" (shared by the summary and the topic list's year filter)."""
    first, last = _bounds(year)
    today = today or timezone.localdate()
    still_open = Q(status__in=Topic.OPEN_STATUSES)
    if year > today.year:  # the future: only topics planned to run into that year
        still_open &= Q(end_on__gte=first) | Q(extended_until__gte=first)
    closed_late_enough = Q(status=Topic.Status.ACCEPTED, accepted_on__gte=first) | Q(
        status=Topic.Status.CANCELLED, cancelled_on__gte=first
    )
    return Q(start_on__lte=last) & (still_open | closed_late_enough)


def _zeros(choices) -> dict[str, int]:
    return dict.fromkeys(choices.values, 0)


def _grouped(queryset, key: str, school_ids, choices) -> dict[int, dict[str, int]]:
    """{school_id: {choice: count}} with every choice present (0 when none)."""
    result = {pk: _zeros(choices) for pk in school_ids}
    for school_id, value, count in queryset.values_list("school_id", key).annotate(n=Count("pk")).order_by():
        result[school_id][value] = count
    return result


def _topic_figures(ids, year: int) -> dict[int, dict]:
    first, last = _bounds(year)
    topics = Topic.objects.filter(school_id__in=ids)
    active = topics.filter(topics_active_in(year))
    accepted = topics.filter(status=Topic.Status.ACCEPTED, accepted_on__range=(first, last))
    by_level = _grouped(active, "level", ids, Topic.Level)
    by_status = _grouped(active, "status", ids, Topic.Status)
    accepted_by_level = _grouped(accepted, "level", ids, Topic.Level)
    accepted_by_grade = _grouped(accepted, "grade", ids, Topic.Grade)
    return {pk: {
        "topics_by_level": by_level[pk], "topics_by_status": by_status[pk],
        "topics_total": sum(by_level[pk].values()),
        "accepted_by_level": accepted_by_level[pk], "accepted_by_grade": accepted_by_grade[pk],
        "accepted_total": sum(accepted_by_level[pk].values()),
    } for pk in ids}


def _event_figures(ids, year: int) -> dict[int, dict]:
    """Events the school hosted or co-organised (chủ trì hoặc phối hợp, as indicator 4.3 counts them);
    papers and proceedings are the host's."""
    events = Event.objects.filter(school_id__in=ids, held_on__range=_bounds(year))
    by_level = _grouped(events, "level", ids, Event.Level)
    by_kind = _grouped(events, "kind", ids, Event.Kind)
    co = EventCoOrganiser.objects.filter(school_id__in=ids, event__held_on__range=_bounds(year))
    co_counts = dict.fromkeys(ids, 0)
    for school_id, level, kind, count in (co.values_list("school_id", "event__level", "event__kind")
                                          .annotate(n=Count("pk")).order_by()):
        by_level[school_id][level] += count
        by_kind[school_id][kind] += count
        co_counts[school_id] += count
    totals = _per_school(events.values("school_id").annotate(
        papers=Sum("papers"), proceedings=Count("pk", filter=Q(proceedings_published=True))
    ))
    return {pk: {
        "events_by_level": by_level[pk], "events_by_kind": by_kind[pk], "events_total": sum(by_level[pk].values()),
        "events_co_organised": co_counts[pk],
        "papers": totals.get(pk, {}).get("papers") or 0, "proceedings": totals.get(pk, {}).get("proceedings", 0),
    } for pk in ids}


def _publication_figures(ids, year: int) -> dict[int, dict]:
    publications = Publication.objects.filter(school_id__in=ids, published_on__range=_bounds(year))
    by_kind = _grouped(publications, "kind", ids, Publication.Kind)
    totals = _per_school(publications.values("school_id").annotate(
        ideological=Count("pk", filter=Q(ideological_column=True)),
        essay_prizes=Count("pk", filter=Q(kind=Publication.Kind.ESSAY_ENTRY) & ~Q(prize="")),
    ))
    articles = _per_school(
        Article.objects.filter(issue__in=publications.filter(kind=Publication.Kind.BULLETIN_ISSUE))
        .values(school_id=F("issue__school_id"))
        .annotate(n=Count("pk"), ideological=Count("pk", filter=Q(ideological_column=True)))
    )
    result = {}
    for pk in ids:
        pub, art = totals.get(pk, {}), articles.get(pk, {})
        result[pk] = {
            "publications": by_kind[pk], "publications_total": sum(by_kind[pk].values()),
            "articles": art.get("n", 0),
            "ideological_items": pub.get("ideological", 0) + art.get("ideological", 0),
            "essay_entries": by_kind[pk][Publication.Kind.ESSAY_ENTRY], "essay_prizes": pub.get("essay_prizes", 0),
        }
    return result


def _field_trip_figures(ids, year: int) -> dict[int, dict]:
    first, last = _bounds(year)
    trips = _per_school(FieldTrip.objects.filter(school_id__in=ids, start_on__range=(first, last))
                        .values("school_id").annotate(n=Count("pk")))
    days = _per_school(
        FieldTripParticipant.objects.filter(
            trip__school_id__in=ids, trip__start_on__range=(first, last), staff__is_lecturer=True
        ).values(school_id=F("trip__school_id")).annotate(days=Sum("trip__days"), people=Count("staff_id", distinct=True))
    )
    lecturers = _per_school(Staff.objects.filter(school_id__in=ids, active=True, is_lecturer=True)
                            .values("school_id").annotate(n=Count("pk")))
    result = {}
    for pk in ids:
        lecturer_days = days.get(pk, {}).get("days") or 0
        lecturer_count = lecturers.get(pk, {}).get("n", 0)
        result[pk] = {
            "field_trips": trips.get(pk, {}).get("n", 0), "field_trip_lecturers": days.get(pk, {}).get("people", 0),
            "field_trip_days": lecturer_days, "lecturers": lecturer_count,
            "field_trip_days_per_lecturer": round(lecturer_days / lecturer_count, 1) if lecturer_count else None,
        }
    return result


def research_summaries(schools, year: int) -> dict[int, dict]:
    """The yearly research figures of many schools in a fixed number of queries (14), whatever
    the number of schools or records."""
    ids = [school.pk for school in schools]
    parts = [_topic_figures(ids, year), _event_figures(ids, year), _publication_figures(ids, year),
             _field_trip_figures(ids, year)]
    return {pk: {"year": year, **{k: v for part in parts for k, v in part[pk].items()}} for pk in ids}


def _per_school(rows) -> dict[int, dict]:
    return {row.pop("school_id"): row for row in (dict(r) for r in rows.order_by())}


def research_summary(school, year: int) -> dict:
    """The yearly research figures of one school (see the module docstring for the rules)."""
    return research_summaries([school], year)[school.pk]


def summary_years(school) -> list[int]:
    """Years that have research records, plus the current year, newest first (for the year picker)."""
    years = {timezone.localdate().year}
    for queryset, field in ((Topic.objects.for_school(school), "start_on"),
                            (Event.objects.involving(school), "held_on"),
                            (Publication.objects.for_school(school), "published_on"),
                            (FieldTrip.objects.for_school(school), "start_on")):
        years.update(d.year for d in queryset.dates(field, "year"))
    return sorted(years, reverse=True)


def staff_field_trip_days(staff) -> list[dict]:
    """Field-trip days of one person per year (by the year each trip started), newest first."""
    rows = (
        FieldTripParticipant.objects.filter(staff=staff)
        .values("trip__start_on__year")
        .annotate(trips=Count("trip_id"), days=Sum("trip__days"))
        .order_by("-trip__start_on__year")
    )
    return [{"year": r["trip__start_on__year"], "trips": r["trips"], "days": r["days"]} for r in rows]


def staff_field_trips(staff, limit: int = 20):
    return FieldTrip.objects.filter(participations__staff=staff).select_related("school").order_by("-start_on")[:limit]


def lecturer_days(school, year: int) -> list[dict]:
    """Every active lecturer of the school with their field-trip days in ``year`` (0 included)."""
    first, last = _bounds(year)
    in_year = Q(field_trip_participations__trip__start_on__range=(first, last))
    return list(
        Staff.objects.for_school(school).filter(active=True, is_lecturer=True)
        .annotate(trip_days=Sum("field_trip_participations__trip__days", filter=in_year, default=0),
                  trip_count=Count("field_trip_participations", filter=in_year))
        .order_by("-trip_days", "name_sort_key")
    )


def bar_rows(counts: dict, labels: dict, width: int = 100) -> list[dict]:
    """Rows for a server-rendered bar chart: label, value and bar length scaled to ``width``."""
    top = max(counts.values(), default=0) or 1
    return [
        {"key": key, "label": labels.get(key, key), "value": value, "length": round(value * width / top)}
        for key, value in counts.items()
    ]

