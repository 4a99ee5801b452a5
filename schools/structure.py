"""The organisation rule of provincial schools (Regulation 09-QĐi/TW, kept by 393-QĐ/TW), checked
from the staff records rather than declared.

- three faculties and two offices (at most five units);
- at least 7 people in each unit;
- a unit of fewer than 10 people has one deputy head, from 10 people at most two;
- lecturers are at least 75 % of the school's payroll. Concurrent (kiêm chức) and visiting
  lecturers are not on the school's payroll: they count neither as lecturers nor in the payroll.

Each item is computed, never entered; ``structure_staff`` is the one place that decides which staff
records count (the active ones today; the staff of a given date once the records carry dates).
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Prefetch, Q

from schools.models import OrgUnit, School, Staff

FACULTIES = 3
OFFICES = 2
MIN_PEOPLE = 7
DEPUTY_STEP = 10  # below: one deputy; from it: at most two
MIN_LECTURER_SHARE = Decimal(75)


def deputies_allowed(people: int) -> int:
    """The most deputy heads a unit of ``people`` may have (09-QĐi/TW)."""
    return 1 if people < DEPUTY_STEP else 2


def structure_staff(school_ids, year: int | None = None):
    """The staff records the check counts: the active staff of the schools.

    ``year`` is accepted so that the check can switch to the staff of that year once staff records
    carry their joining and leaving dates.
    """
    return Staff.objects.filter(school_id__in=list(school_ids), active=True)


def unit_people(unit) -> int:
    """The people of one unit the rule counts (its members on the school's payroll)."""
    if unit.pk is None:
        return 0
    return structure_staff([unit.school_id]).filter(unit=unit, category=Staff.Category.FULL_TIME).count()


@dataclass
class UnitCheck:
    unit: OrgUnit
    people: int
    deputies: int
    allowed: int

    @property
    def people_ok(self) -> bool:
        return self.people >= MIN_PEOPLE

    @property
    def deputies_ok(self) -> bool:
        return self.deputies <= self.allowed

    @property
    def ok(self) -> bool:
        return self.people_ok and self.deputies_ok


@dataclass
class SchoolCheck:
    school: School
    faculties: int = 0
    offices: int = 0
    units: list[UnitCheck] = field(default_factory=list)
    payroll: int = 0
    payroll_lecturers: int = 0

    @property
    def faculties_ok(self) -> bool:
        return self.faculties == FACULTIES

    @property
    def offices_ok(self) -> bool:
        return self.offices == OFFICES

    @property
    def lecturer_share(self) -> Decimal | None:
        if not self.payroll:
            return None
        return (Decimal(self.payroll_lecturers) * 100 / Decimal(self.payroll)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )

    @property
    def lecturer_share_ok(self) -> bool:
        return self.lecturer_share is not None and self.lecturer_share >= MIN_LECTURER_SHARE

    @property
    def people_ok(self) -> bool:
        return bool(self.units) and all(u.people_ok for u in self.units)

    @property
    def deputies_ok(self) -> bool:
        return all(u.deputies_ok for u in self.units)

    @property
    def unmet(self) -> list[str]:
        """The keys of the rules not met."""
        checks = {"faculties": self.faculties_ok, "offices": self.offices_ok, "people": self.people_ok,
                  "deputies": self.deputies_ok, "lecturer_share": self.lecturer_share_ok}
        return [key for key, ok in checks.items() if not ok]

    @property
    def meets(self) -> bool:
        return not self.unmet


def structure_checks(schools, year: int | None = None) -> list[SchoolCheck]:
    """The check of each school, in the order given, in three queries whatever the number of schools."""
    schools = list(schools)
    ids = [school.pk for school in schools]
    staff = structure_staff(ids, year)
    payroll = Q(category=Staff.Category.FULL_TIME)
    people = {
        row["unit_id"]: row["n"]
        for row in staff.filter(payroll, unit__isnull=False).values("unit_id").annotate(n=Count("pk")).order_by()
    }
    shares = {
        row["school_id"]: row
        for row in staff.filter(payroll).values("school_id")
        .annotate(total=Count("pk"), lecturers=Count("pk", filter=Q(is_lecturer=True))).order_by()
    }
    units = (
        OrgUnit.objects.filter(school_id__in=ids)
        .prefetch_related(Prefetch("deputies", queryset=Staff.objects.only("pk")))
        .order_by("school_id", "kind", "name")
    )
    checks = {school.pk: SchoolCheck(school=school) for school in schools}
    for unit in units:
        check = checks[unit.school_id]
        n = people.get(unit.pk, 0)
        check.units.append(UnitCheck(unit=unit, people=n, deputies=len(unit.deputies.all()), allowed=deputies_allowed(n)))
        if unit.kind == OrgUnit.Kind.FACULTY:
            check.faculties += 1
        else:
            check.offices += 1
    for school_id, row in shares.items():
        checks[school_id].payroll, checks[school_id].payroll_lecturers = row["total"], row["lecturers"]
    return [checks[school.pk] for school in schools]


def structure_check(school, year: int | None = None) -> SchoolCheck:
    return structure_checks([school], year)[0]


def provincial_schools():
    return School.objects.filter(kind=School.Kind.PROVINCIAL, active=True).select_related("province").order_by("name")
