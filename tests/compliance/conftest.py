from decimal import Decimal

import pytest
from django.core.management import call_command

from compliance.models import Indicator, Standard
from compliance.services import open_assessment
from schools.models import Staff

TEST_REFERENCE = "Văn bản hướng dẫn dùng trong kiểm thử, điều 1"


@pytest.fixture
def shipped_standard(db):
    """The standard as shipped: no indicator issued yet."""
    call_command("load_standard", verbosity=0)
    return Standard.objects.get(code="11-QĐ/TW", version="2021")


@pytest.fixture
def standard(shipped_standard):
    """The shipped standard after the Academy has issued its yes/no indicators and 2.1 (≥ 75 %), each
    with a document reference, as an administrator does on the indicator page."""
    yes_no = Indicator.objects.filter(criterion__standard=shipped_standard, comparison="yes_no")
    yes_no.update(provisional=False, reference=TEST_REFERENCE)
    Indicator.objects.filter(criterion__standard=shipped_standard, code="2.1").update(
        provisional=False, reference=TEST_REFERENCE, level1_value=Decimal(75))
    return shipped_standard


@pytest.fixture
def staff_set(school, unit):
    """A known staff list for school A: 10 on the workforce (+1 visiting, +1 inactive).

    Lecturers (full-time or concurrent): 8 → 80 % of 10. Among them master's or higher 6 (75 %),
    doctors 2 (25 %), principal or senior 3 (37.5 %), classics 4 (50 %), advanced theory 5 (62.5 %).
    """
    rows = [
        # is_lecturer, category, degree, rank, classics, theory
        (True, "full_time", "doctor", "senior", True, "advanced"),
        (True, "full_time", "doctor", "principal", True, "advanced"),
        (True, "full_time", "master", "principal", True, "bachelor"),
        (True, "concurrent", "master", "lecturer", True, "advanced"),
        (True, "full_time", "master", "lecturer", False, "advanced"),
        (True, "full_time", "master", "lecturer", False, "intermediate"),
        (True, "full_time", "bachelor", "lecturer", False, ""),
        (True, "full_time", "bachelor", "", False, ""),
        (False, "full_time", "master", "", False, "advanced"),
        (False, "full_time", "bachelor", "", False, ""),
    ]
    people = [
        Staff(school=school, full_name=f"Cán bộ {i}", unit=unit, is_lecturer=lect, category=cat, degree=deg,
              lecturer_rank=rank, classics_certificate=classics, theory_level=theory)
        for i, (lect, cat, deg, rank, classics, theory) in enumerate(rows)
    ]
    people.append(Staff(school=school, full_name="Thỉnh giảng", is_lecturer=True, category="visiting", degree="doctor",
                        lecturer_rank="senior", classics_certificate=True))
    people.append(Staff(school=school, full_name="Đã nghỉ", is_lecturer=True, degree="doctor", active=False))
    for person in people:
        person.set_name_keys()
    return Staff.objects.bulk_create(people)


@pytest.fixture
def assessment(standard, school, users):
    return open_assessment(school=school, year=2025, target_level=1, user=users["admin"])
