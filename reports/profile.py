"""The learner profile of a year: the learner-turns of the classes opened in the year, by programme
kind, broken down by sex, ethnic minority, religion, Party membership, age band at 31/12 and
workplace level; the graduates of the year by classification. A few grouped queries, whatever
the number of rows.
"""

import datetime

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from courses.models import Classification, Enrollment, Learner, Programme, TrainingClass
from courses.selectors import graduation_in


def _age_q(year: int) -> dict:
    """Age bands on 31/12 of ``year`` as conditions on the date of birth."""
    end = datetime.date(year, 12, 31)

    def born_after(years):  # younger than ``years`` on 31/12
        return datetime.date(end.year - years, end.month, end.day)

    dob = "learner__date_of_birth"
    return {
        "age_under_30": Q(**{f"{dob}__gt": born_after(30)}),
        "age_30_39": Q(**{f"{dob}__gt": born_after(40), f"{dob}__lte": born_after(30)}),
        "age_40_49": Q(**{f"{dob}__gt": born_after(50), f"{dob}__lte": born_after(40)}),
        "age_50_plus": Q(**{f"{dob}__lte": born_after(50)}),
        "age_unknown": Q(**{f"{dob}__isnull": True}),
    }


def _conditions(year: int) -> dict:
    conditions = {
        "all": Q(),
        "male": Q(learner__sex=Learner.Sex.MALE),
        "female": Q(learner__sex=Learner.Sex.FEMALE),
        "ethnic_minority": Q(learner__ethnic_group__isnull=False) & ~Q(learner__ethnic_group__name="Kinh"),
        "religion": ~Q(learner__religion="") & ~Q(learner__religion__iexact="Không"),
        "party_member": Q(learner__party_joined_on__isnull=False),
        **_age_q(year),
    }
    for value, _text in Learner.WorkplaceLevel.choices:
        conditions[f"workplace_{value}"] = Q(learner__workplace_level=value)
    conditions["workplace_unknown"] = Q(learner__workplace_level="")
    return conditions


def learner_profile(school_ids, year: int) -> dict[str, dict[str, int]]:
    """``{programme kind: {key: count}}`` — the keys of ``rows``."""
    result: dict[str, dict[str, int]] = {}
    enrollments = Enrollment.objects.filter(training_class__school_id__in=school_ids).order_by()
    aggregates = {key: Count("pk", filter=condition) for key, condition in _conditions(year).items()}
    for row in (
        enrollments.filter(training_class__opening_date__year=year)
        .values("training_class__programme__kind").annotate(**aggregates)
    ):
        result[row.pop("training_class__programme__kind")] = row
    for kind, grade, n in (
        enrollments.filter(graduation_in(year, "training_class__"), status=Enrollment.Status.GRADUATED)
        .values_list("training_class__programme__kind", "classification").annotate(n=Count("pk"))
        .values_list("training_class__programme__kind", "classification", "n")
    ):
        line = result.setdefault(kind, {})
        line[f"graduated_{grade or 'none'}"] = line.get(f"graduated_{grade or 'none'}", 0) + n
    return result


def kinds_present(data: dict) -> list[tuple[str, str]]:
    return [(kind, text) for kind, text in Programme.Kind.choices if kind in data]


def rows(data: dict):
    """``(group, [(key, label), …])`` in the order of the sheet."""
    yield str(_("All learners")), [("all", _("learner-turns of the year"))]
    yield str(_("Sex")), [("male", _("male")), ("female", _("female"))]
    yield str(_("Background")), [
        ("ethnic_minority", _("ethnic minority")), ("religion", _("with a religion")),
        ("party_member", _("Party member")),
    ]
    yield str(_("Age on 31/12")), [
        ("age_under_30", _("under 30")), ("age_30_39", _("30 to 39")), ("age_40_49", _("40 to 49")),
        ("age_50_plus", _("50 and over")), ("age_unknown", _("not stated")),
    ]
    yield str(_("Workplace level")), [
        *((f"workplace_{value}", text) for value, text in Learner.WorkplaceLevel.choices),
        ("workplace_unknown", _("not stated")),
    ]
    yield str(_("Graduates by classification")), [
        *((f"graduated_{value}", text) for value, text in Classification.choices),
        ("graduated_none", _("not classified")),
    ]


def empty_classes(school_ids, year: int) -> dict[int, int]:
    """``{programme id: classes opened in the year without any learner}``."""
    return dict(
        TrainingClass.objects.filter(school_id__in=school_ids, opening_date__year=year, enrollments__isnull=True)
        .order_by().values_list("programme_id").annotate(n=Count("pk")).values_list("programme_id", "n")
    )
