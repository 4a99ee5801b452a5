"""Report fixtures: a known staff data set in school A, a few staff in school B, an empty school C."""

import datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from reports.registry import build_workbook
from reports.selectors import resolve_scope
from schools.models import School, Staff

YEAR = 2025


@pytest.fixture
def empty_school(db):
    return School.objects.create(code="SCHC", name="Trường Chính trị tỉnh C (trống)", kind=School.Kind.MINISTRY)


@pytest.fixture
def staff_data(school, other_school, unit):
    """School A: 4 active lecturers + 1 office staff + 1 inactive lecturer; school B: 2 lecturers."""
    D, C = Staff.Degree, Staff.Category
    people = [
        (school, "Nguyễn Văn An", {"is_lecturer": True, "degree": D.DOCTOR, "lecturer_rank": "senior", "classics_certificate": True}),
        (school, "Trần Thị Bình", {"is_lecturer": True, "degree": D.MASTER, "lecturer_rank": "principal"}),
        (school, "Lê Văn Cường", {"is_lecturer": True, "degree": D.MASTER, "category": C.CONCURRENT, "theory_level": "advanced"}),
        (school, "=HYPERLINK(\"http://x\")", {"is_lecturer": True, "degree": D.BACHELOR, "position": "@SUM(A1)\x07"}),
        (school, "Phạm Thị Dung", {"is_lecturer": False, "position": "Kế toán"}),
        (school, "Võ Văn Nghỉ", {"is_lecturer": True, "degree": D.DOCTOR, "active": False}),
        (other_school, "Đặng Văn Em", {"is_lecturer": True, "degree": D.DOCTOR}),
        (other_school, "Bùi Thị Giang", {"is_lecturer": True, "degree": D.MASTER, "category": C.VISITING}),
    ]
    for owner, name, extra in people:
        Staff.objects.create(
            school=owner, full_name=name, unit=unit if owner == school else None,
            date_of_birth=datetime.date(1980, 5, 17), **extra,
        )
    return people


@pytest.fixture
def open_report(tmp_path):
    """open_report(kind, scope, **scope_kwargs) → (openpyxl workbook, rows written)."""

    def make(kind, scope, year=YEAR, **kwargs):
        path = tmp_path / f"{kind}-{scope}.xlsx"
        resolved = resolve_scope(scope=scope, year=year, **kwargs)
        rows = build_workbook(kind, resolved, path)
        return load_workbook(path, data_only=True), rows  # totals: the cached figures of the SUM formulas

    return make


def header_row(sheet) -> int:
    """The row of the table's header: the last of the rows repeated on every printed page
    (the title block and the header)."""
    titles = sheet.print_title_rows
    return int(titles.split(":")[-1].strip("$")) if titles else 1


def table(sheet) -> list[tuple]:
    """The data rows of a sheet: after the header, up to the blank row before the signature block."""
    rows = []
    for row in sheet.iter_rows(min_row=header_row(sheet) + 1, values_only=True):
        if all(value is None for value in row):
            break
        rows.append(row)
    return rows


def headers(sheet) -> list:
    return [cell.value for cell in sheet[header_row(sheet)]]


@pytest.fixture
def training_data(school, other_school, empty_school):
    """School A, 2025: plan 3 classes / 90 learners; 2 classes opened (5 learner-turns), 2 closed
    (3 graduated: excellent, very good, good; 1 not graduated). School B: 1 class, no plan. C: nothing."""
    from courses.models import AnnualPlan, Classification, Enrollment, PlanLine, Programme
    from tests.courses.helpers import enroll, make_class, make_learner, make_programme

    p1 = make_programme("TC-LLCT", name="Trung cấp lý luận chính trị")
    p2 = make_programme("BD-CB", name="Bồi dưỡng cán bộ", kind=Programme.Kind.REFRESHER)
    plan = AnnualPlan.objects.create(school=school, year=YEAR)
    PlanLine.objects.create(plan=plan, programme=p1, planned_classes=2, planned_learners=60)
    PlanLine.objects.create(plan=plan, programme=p2, planned_classes=1, planned_learners=30)
    S, C = Enrollment.Status, Classification
    k0 = make_class(school, p1, "K0", opening=datetime.date(2024, 9, 1), closing=datetime.date(2025, 6, 30))
    k1 = make_class(school, p1, "K1", opening=datetime.date(2025, 3, 1), closing=datetime.date(2025, 12, 1))
    k2 = make_class(school, p2, "K2", opening=datetime.date(2025, 6, 1))
    k3 = make_class(school, p1, "K3", opening=datetime.date(2026, 2, 1))
    enroll(k0, make_learner("Hồ Văn Cũ"), status=S.GRADUATED, average=Decimal("9.20"), classification=C.EXCELLENT)
    enroll(k1, make_learner("Nguyễn Thị Hoa", sex="F", workplace="=cmd|' /C calc'!A0"), status=S.GRADUATED,
           average=Decimal("8.10"), classification=C.VERY_GOOD, diploma_number="TC-001",
           diploma_date=datetime.date(2025, 12, 5))
    enroll(k1, make_learner("Trần Văn Khá"), status=S.GRADUATED, average=Decimal("7.25"), classification=C.GOOD)
    enroll(k1, make_learner("Lê Văn Trượt"), status=S.NOT_GRADUATED, average=Decimal("4.50"))
    enroll(k2, make_learner("Phạm Văn Bồi"))
    enroll(k2, make_learner("Đinh Thị Dưỡng", sex="F"))
    enroll(k3, make_learner("Vũ Văn Sau"))
    b1 = make_class(other_school, p1, "B1", opening=datetime.date(2025, 9, 1))
    enroll(b1, make_learner("Mai Văn Bê"))
    return {"programmes": (p1, p2), "classes": (k0, k1, k2, k3, b1)}


def make_register(school, n, year=YEAR):
    """``n`` enrollments of one class opened in ``year`` (bulk, for volume and worker tests)."""
    from courses.models import Enrollment, Learner
    from tests.courses.helpers import cccd_for, make_class, make_programme

    programme = make_programme(f"VOL{n}", modules=1)
    klass = make_class(school, programme, f"VOL{n}", opening=datetime.date(year, 4, 1))
    learners = []
    for i in range(n):
        dob = datetime.date(1980 + i % 20, 1 + i % 12, 1 + i % 28)
        learner = Learner(full_name=f"Học Viên Số {i}", date_of_birth=dob, sex="M", cccd=cccd_for(dob, "M", serial=900000 + i))
        learner.set_name_keys()
        learners.append(learner)
    Learner.objects.bulk_create(learners)
    Enrollment.objects.bulk_create([Enrollment(training_class=klass, learner=learner) for learner in learners])
    return klass


@pytest.fixture
def head_school(db):
    return School.objects.create(code="HEAD", name="Trường Chính trị tỉnh Cụm trưởng")


@pytest.fixture
def cluster_data(school, other_school, head_school):
    """Cluster BTB in 2025: head H, members A and H (B is outside), final scores, one approved award
    for A. In 2024 the head was school A (so A's admin heads it only for 2024)."""
    from emulation.models import AwardProposal, Cluster, ClusterMembership, ClusterYear, Scorecard

    cluster = Cluster.objects.create(code="BTB", name="Cụm thi đua Bắc Trung Bộ")
    year = ClusterYear.objects.create(cluster=cluster, year=YEAR, head=head_school, status=ClusterYear.Status.FINAL)
    old = ClusterYear.objects.create(cluster=cluster, year=YEAR - 1, head=school)
    for each in (school, head_school):
        ClusterMembership.objects.create(cluster_year=year, school=each)
        ClusterMembership.objects.create(cluster_year=old, school=each)
    Scorecard.objects.create(cluster_year=year, school=school, final_total=Decimal("92.50"), rank=1, rank_order=1)
    Scorecard.objects.create(cluster_year=year, school=head_school, final_total=Decimal("88.00"), rank=2, rank_order=2)
    proposal = AwardProposal.objects.create(
        cluster_year=year, school=school, title="academy_flag", status=AwardProposal.Status.APPROVED,
        decision_number="123/QĐ-HVCTQG", decision_date=datetime.date(2026, 1, 10),
    )
    from awards.services import record_from_proposal

    record_from_proposal(proposal)  # as the approval does (emulation.services)
    return {"cluster": cluster, "year": year}


@pytest.fixture
def research_data(school, staff_data):
    """School A, 2025: 2 topics under way (1 provincial in progress, 1 school-level accepted with
    grade good), 1 cancelled in 2024; 1 provincial workshop (12 papers); 1 monograph; 1 field trip
    of 5 days with 2 lecturers (10 lecturer-days; 4 active lecturers → 2.5 per lecturer)."""
    from research.models import Event, FieldTrip, FieldTripParticipant, Publication, Topic

    lecturers = list(Staff.objects.filter(school=school, is_lecturer=True, active=True).order_by("pk"))
    leader = lecturers[0]
    common = {"school": school, "leader": leader, "title": "Đề tài"}
    Topic.objects.create(code="T1", level=Topic.Level.PROVINCIAL, status=Topic.Status.IN_PROGRESS,
                         start_on=datetime.date(2025, 2, 1), end_on=datetime.date(2025, 12, 31), **common)
    Topic.objects.create(code="T2", level=Topic.Level.SCHOOL, status=Topic.Status.ACCEPTED, grade=Topic.Grade.GOOD, score=Decimal("85"),
                         accepted_on=datetime.date(2025, 10, 10), start_on=datetime.date(2024, 3, 1),
                         end_on=datetime.date(2025, 9, 30), **common)
    Topic.objects.create(code="T3", level=Topic.Level.SCHOOL, status=Topic.Status.CANCELLED,
                         cancelled_on=datetime.date(2024, 6, 1), cancel_reason="Không phù hợp", start_on=datetime.date(2024, 1, 1),
                         end_on=datetime.date(2024, 12, 31), **common)
    Event.objects.create(school=school, kind=Event.Kind.WORKSHOP, level=Event.Level.PROVINCIAL, title="Hội thảo",
                         held_on=datetime.date(2025, 5, 5), papers=12)
    Publication.objects.create(school=school, kind=Publication.Kind.MONOGRAPH, title="Sách",
                               published_on=datetime.date(2025, 3, 3))
    trip = FieldTrip.objects.create(school=school, title="Đi thực tế", place="Xã A",
                                    start_on=datetime.date(2025, 7, 1), end_on=datetime.date(2025, 7, 5))
    for person in lecturers[:2]:
        FieldTripParticipant.objects.create(trip=trip, staff=person)
    return trip


@pytest.fixture
def compliance_data(school, other_school):
    """Standard-school assessments, their results stored as the compliance app keeps them.

    School A: recognised at level 1 (2023 self-assessment, decision 05/01/2024); its 2025
    self-assessment for level 2 is with the Academy: 55 indicators, 40 met (12 of them exceeded),
    10 not met, 5 awaiting opinion. School B: recognised at level 2 (decision 20/12/2024), then
    re-assessing itself in 2025 after the merger: 30 met (3 exceeded), 2 not met, 23 awaiting
    opinion. Any other school (the empty school C, the head school) has no assessment.
    """
    from compliance.models import Assessment, Standard

    standard = Standard.objects.create(
        code="11-QĐ/TW", version="2021", title="Quy định trường chính trị chuẩn", issued_on=datetime.date(2021, 5, 19)
    )
    S = Assessment.Stage
    common = {"standard": standard, "indicators_total": 55}
    Assessment.objects.create(
        school=school, year=2023, stage=S.RECOGNISED, level_recognised=1, decision_number="99-QĐ/HVCTQG",
        decision_date=datetime.date(2024, 1, 5), met_count=55, exceeded_count=8, level_reached=1, **common,
    )
    Assessment.objects.create(
        school=school, year=YEAR, target_level=2, stage=S.SUBMITTED, met_count=40, exceeded_count=12,
        not_met_count=10, pending_count=5, **common,
    )
    Assessment.objects.create(
        school=other_school, year=YEAR - 1, target_level=2, stage=S.RECOGNISED, level_recognised=2,
        decision_number="150-QĐ/HVCTQG", decision_date=datetime.date(2024, 12, 20), met_count=55, exceeded_count=20,
        level_reached=2, **common,
    )
    Assessment.objects.create(
        school=other_school, year=YEAR, target_level=2, stage=S.DRAFT, met_count=30, exceeded_count=3,
        not_met_count=2, pending_count=23, **common,
    )
    return standard
