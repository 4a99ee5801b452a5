"""Read-side queries for schools and staff."""

from django.db.models import Count, Q

from schools.models import School, Staff


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
    return School.objects.select_related("province", "merged_into").annotate(
        staff_count=Count("staff", filter=Q(staff__active=True), distinct=True)
    )
