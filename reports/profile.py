"""The learner profile of a year: the learner-turns of the classes opened in the year, by programme
(the classes run jointly with an academy apart), broken down by sex, ethnic minority, religion,
Party membership, age band at 31/12 and workplace level; the graduates of the year by
classification. A few grouped queries, whatever the number of rows.
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


def learner_profile(school_ids, year: int) -> dict[tuple[int, bool], dict[str, int]]:
    """``{(programme id, joint): {key: count}}`` — the keys of ``rows``; ``joint``: the classes run
    jointly with an academy (``partner`` set), kept apart from the school's own. Two queries."""
    result: dict[tuple[int, bool], dict[str, int]] = {}
    enrollments = Enrollment.objects.filter(training_class__school_id__in=school_ids).order_by()
    aggregates = {key: Count("pk", filter=condition) for key, condition in _conditions(year).items()}
    group = ("training_class__programme_id", "training_class__partner_id")
    for row in enrollments.filter(training_class__opening_date__year=year).values(*group).annotate(**aggregates):
        line = result.setdefault((row.pop(group[0]), row.pop(group[1]) is not None), {})
        for key, n in row.items():
            line[key] = line.get(key, 0) + n
    for programme_id, partner_id, grade, n in (
        enrollments.filter(graduation_in(year, "training_class__"), status=Enrollment.Status.GRADUATED)
        .values_list(*group, "classification").annotate(n=Count("pk")).values_list(*group, "classification", "n")
    ):
        line = result.setdefault((programme_id, partner_id is not None), {})
        line[f"graduated_{grade or 'none'}"] = line.get(f"graduated_{grade or 'none'}", 0) + n
    return result


def programme_columns(data: dict) -> list[tuple[tuple[int, bool], Programme]]:
    """The columns of the profile: the programmes of ``data`` as the training sheet orders them
    (the school's own classes by kind then name, then the joint classes likewise). One query."""
    programmes = Programme.objects.in_bulk({programme_id for programme_id, _joint in data})
    return sorted(((key, programmes[key[0]]) for key in data),
                  key=lambda item: (item[0][1], item[1].kind, item[1].name))


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


def empty_classes(school_ids, year: int) -> dict[tuple[int, bool], int]:
    """``{(programme id, joint): classes opened in the year without any learner}``; ``joint``: the
    class is run jointly with an academy (``partner`` set)."""
    result: dict[tuple[int, bool], int] = {}
    for programme_id, partner_id, n in (
        TrainingClass.objects.filter(school_id__in=school_ids, opening_date__year=year, enrollments__isnull=True)
        .order_by().values_list("programme_id", "partner_id").annotate(n=Count("pk"))
        .values_list("programme_id", "partner_id", "n")
    ):
        key = (programme_id, partner_id is not None)
        result[key] = result.get(key, 0) + n
    return result
