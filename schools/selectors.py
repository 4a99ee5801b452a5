"""Read-side queries for schools and staff, including the schools' world through time.

Periods (issue 14):

- a school exists from ``established_on`` (empty: since before the records) until ``merged_on`` or
  ``dissolved_on`` (the first day it no longer exists; empty: still exists);
- its official name and province of a year come from its name history (``SchoolName``): the name
  in force on 31/12 of that year (or on its last day, when it ended that year);
- a staff member belongs to a school from ``joined_on`` (empty: since before the records) until
  ``left_on`` (the first day no longer there; empty: still there — unless marked inactive without
  a date, which counts as "left at an unknown time").
"""

import datetime

from django.db.models import CharField, Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from schools.models import School, SchoolName, Staff


def _year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _ended_after(day) -> Q:
    return Q(merged_on__isnull=True, dissolved_on__isnull=True) | Q(merged_on__gt=day) | Q(dissolved_on__gt=day)


def schools_in_year(year: int, *, kinds=None, queryset=None):
    """Schools that existed at any time in ``year`` (a school merged on 01/07/2025 is in 2025, not 2026).

    ``kinds``: optional iterable of ``School.Kind`` values to keep. ``queryset``: a School queryset
    to narrow (default: all schools). Returns a queryset (chain ``with_names_in_year`` for the
    names of that year).
    """
    start, end = _year_bounds(year)
    qs = School.objects.all() if queryset is None else queryset
    qs = qs.filter(Q(established_on__isnull=True) | Q(established_on__lte=end)).filter(_ended_after(start))
    if kinds:
        qs = qs.filter(kind__in=list(kinds))
    return qs


def schools_at(day, *, kinds=None, queryset=None):
    """Schools that existed on ``day`` (established on or before it, merged/dissolved after it)."""
    qs = School.objects.all() if queryset is None else queryset
    qs = qs.filter(Q(established_on__isnull=True) | Q(established_on__lte=day)).filter(_ended_after(day))
    if kinds:
        qs = qs.filter(kind__in=list(kinds))
    return qs


def _name_records(day):
    """Name periods in force on ``day``, the latest first (an undated period is the oldest)."""
    return SchoolName.objects.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).order_by(
        F("valid_from").desc(nulls_last=True)
    )


def with_names_in_year(queryset, year: int):
    """Annotate ``name_in_year``, ``short_name_in_year`` and ``province_in_year`` (one query, no N+1).

    The name of a year is the one in force on 31/12 of the year (a school merged away keeps its last
    name). Schools without a name history fall back to today's name and province.
    """
    _, end = _year_bounds(year)
    records = _name_records(end).filter(school=OuterRef("pk"))
    return queryset.annotate(
        name_in_year=Coalesce(NullIf(Subquery(records.values("name")[:1]), Value("")), "name", output_field=CharField()),
        short_name_in_year=Coalesce(
            NullIf(Subquery(records.values("short_name")[:1]), Value("")), "short_name", output_field=CharField()
        ),
        province_in_year=Coalesce(
            NullIf(Subquery(records.values("province_name")[:1]), Value("")), "province__name", Value(""), output_field=CharField()
        ),
    )


def school_name_in_year(school, year: int) -> dict:
    """``{"name", "short_name", "province"}`` of one school as of ``year`` (see ``with_names_in_year``)."""
    _, end = _year_bounds(year)
    record = _name_records(end).filter(school=school).first()
    today_province = school.province.name if school.province_id else ""
    if record is None:
        return {"name": school.name, "short_name": school.short_name, "province": today_province}
    return {"name": record.name, "short_name": record.short_name, "province": record.province_name or today_province}


def member_on(day) -> Q:
    """The condition "belonged to the school on ``day``" on Staff (see ``staff_at``)."""
    return (Q(joined_on__isnull=True) | Q(joined_on__lte=day)) & (
        Q(left_on__gt=day) | Q(left_on__isnull=True, active=True)
    )


def staff_at(school_or_qs, day):
    """Staff members of the school (a School, or a School queryset / list of schools) on ``day``.

    Member on ``day``: ``joined_on`` empty or ≤ day, and ``left_on`` empty (and still active) or
    > day. "Staff at 31/12/Y" is ``staff_at(school, date(Y, 12, 31))``.
    """
    if isinstance(school_or_qs, School):
        qs = Staff.objects.filter(school=school_or_qs)
    else:
        qs = Staff.objects.filter(school__in=school_or_qs)
    return qs.filter(member_on(day))


def staff_in_year(school_or_qs, year: int):
    """Staff members who belonged to the school at any time in ``year``."""
    start, end = _year_bounds(year)
    if isinstance(school_or_qs, School):
        qs = Staff.objects.filter(school=school_or_qs)
    else:
        qs = Staff.objects.filter(school__in=school_or_qs)
    return qs.filter(Q(joined_on__isnull=True) | Q(joined_on__lte=end)).filter(
        Q(left_on__gt=start) | Q(left_on__isnull=True, active=True)
    )


def staff_summary(school) -> dict:
    """Headcounts the overview, the reports and the compliance metrics share."""
    active = Staff.objects.for_school(school).filter(active=True)
    lecturer = Q(is_lecturer=True)
    return active.aggregate(
        total=Count("pk"),
        lecturers=Count("pk", filter=lecturer),
        full_time_lecturers=Count("pk", filter=lecturer & Q(category=Staff.Category.FULL_TIME)),
        masters_or_higher=Count("pk", filter=lecturer & Q(degree__in=[Staff.Degree.MASTER, Staff.Degree.DOCTOR])),
        doctors=Count("pk", filter=lecturer & Q(degree=Staff.Degree.DOCTOR)),
        principal_or_higher=Count(
            "pk", filter=lecturer & Q(lecturer_rank__in=[Staff.LecturerRank.PRINCIPAL, Staff.LecturerRank.SENIOR])
        ),
        classics=Count("pk", filter=lecturer & Q(classics_certificate=True)),
    )


def school_list_queryset():
    return School.objects.select_related("province", "merged_into", "guided_by", "successor").annotate(
        staff_count=Count("staff", filter=Q(staff__active=True), distinct=True)
    )


def school_history(school) -> dict:
    """What the school page shows of the school through time.

    - ``names``: the name periods, oldest first, each with ``valid_until`` (the next period's start);
    - ``last_names``: name and province of the school's last year (today's for a school that exists,
      the ones it had before its merger or dissolution otherwise — not today's province);
    - ``guided_centres``: the political centres the school guides (with their end dates);
    - ``took_over_from``: dissolved schools whose work passed to this one.
    """
    names = list(school.names.order_by(F("valid_from").asc(nulls_first=True)))
    for current, following in zip(names, [*names[1:], None], strict=False):
        current.valid_until = following.valid_from if following else None
    ended = school.ended_on
    year = (ended - datetime.timedelta(days=1)).year if ended else timezone.localdate().year
    return {
        "names": names,
        "last_names": school_name_in_year(school, year),
        "guided_centres": school.guided_centres.select_related("merged_into", "successor").order_by("dissolved_on", "name"),
        "took_over_from": school.took_over_from.select_related("successor").order_by("name"),
    }
