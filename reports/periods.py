"""The years a report's schools have records for: a year before the first record has no data."""

from django.db.models import Min
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _


def first_record_year(school_ids) -> int | None:
    """The first year any of the schools has a record of (a class, a research record, an
    assessment, a cluster membership, a staff member's joining date); None when there is none."""
    from compliance.models import Assessment
    from courses.models import TrainingClass
    from emulation.models import ClusterMembership
    from research.models import Event, Publication, Topic
    from schools.models import Staff

    candidates = [
        TrainingClass.objects.filter(school_id__in=school_ids).aggregate(y=Min(ExtractYear("opening_date")))["y"],
        Topic.objects.filter(school_id__in=school_ids).aggregate(y=Min(ExtractYear("start_on")))["y"],
        Event.objects.filter(school_id__in=school_ids).aggregate(y=Min(ExtractYear("held_on")))["y"],
        Publication.objects.filter(school_id__in=school_ids).aggregate(y=Min(ExtractYear("published_on")))["y"],
        Assessment.objects.filter(school_id__in=school_ids).aggregate(y=Min("year"))["y"],
        ClusterMembership.objects.filter(school_id__in=school_ids).aggregate(y=Min("cluster_year__year"))["y"],
        Staff.objects.filter(school_id__in=school_ids).aggregate(y=Min(ExtractYear("joined_on")))["y"],
    ]
    years = [year for year in candidates if year is not None]
    return min(years) if years else None


def no_data_notice(scope) -> str:
    """"Không có số liệu năm …" when the report's (last) year is before the first record of its
    schools; empty otherwise."""
    from schools.models import Staff

    first = first_record_year(scope.school_ids)
    if first is None and Staff.objects.filter(school_id__in=scope.school_ids).exists():
        return ""  # staff since before the records, nothing dated: the year cannot be ruled out
    if first is None or scope.year < first:
        return _("No data for the year %(year)s") % {"year": scope.year}
    return ""
