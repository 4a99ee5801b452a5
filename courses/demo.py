"""Demo data for the training app: the programme catalogue, 2024–2025 plans and classes with
learners and marks for the two demo schools (Nghệ An, Hà Tĩnh), and an open Trung cấp class
``DEMO-TC1`` at Nghệ An with no learners, for trying the Excel import. Idempotent."""

import datetime
import random
from decimal import Decimal

from courses import school_learners
from courses.graduation import record_graduation
from courses.models import (
    AnnualPlan,
    Enrollment,
    Learner,
    Mark,
    Module,
    PlanLine,
    Programme,
    TrainingClass,
)
from courses.services import create_default_bands, recompute_enrollment
from schools.demo import random_name
from schools.models import EthnicGroup, School, Staff

# code, name, kind, months, thesis, exam, diploma, modules
PROGRAMMES = [
    ("TCLLCT", "Trung cấp lý luận chính trị", Programme.Kind.INTERMEDIATE, 8, True, True, True, [
        "Những vấn đề cơ bản của chủ nghĩa Mác - Lênin và tư tưởng Hồ Chí Minh",
        "Những vấn đề cơ bản về Đảng Cộng sản và lịch sử Đảng Cộng sản Việt Nam",
        "Hệ thống chính trị, Nhà nước và pháp luật xã hội chủ nghĩa",
        "Quan điểm, đường lối của Đảng, chính sách, pháp luật của Nhà nước về các lĩnh vực",
        "Kỹ năng lãnh đạo, quản lý và nghiệp vụ công tác Đảng, chính quyền, Mặt trận ở cơ sở",
        "Tình hình, nhiệm vụ của địa phương",
    ]),
    ("CCLLCT", "Cao cấp lý luận chính trị", Programme.Kind.ADVANCED, 8, True, False, True, [
        "Triết học Mác - Lênin", "Kinh tế chính trị Mác - Lênin", "Chủ nghĩa xã hội khoa học",
        "Tư tưởng Hồ Chí Minh", "Lịch sử Đảng Cộng sản Việt Nam", "Xây dựng Đảng",
        "Quản lý hành chính nhà nước", "Chính sách công",
    ]),
    ("SCLLCT", "Sơ cấp lý luận chính trị", Programme.Kind.ELEMENTARY, 2, False, True, True, [
        "Chủ nghĩa Mác - Lênin, tư tưởng Hồ Chí Minh", "Đảng Cộng sản Việt Nam và hệ thống chính trị",
        "Đường lối, chính sách của Đảng, Nhà nước", "Nghiệp vụ công tác ở cơ sở",
    ]),
    ("BD-CV", "Bồi dưỡng ngạch chuyên viên", Programme.Kind.REFRESHER, 2, False, False, False, [
        "Kiến thức chung về quản lý nhà nước", "Kỹ năng thực thi công vụ", "Tìm hiểu thực tế",
    ]),
    ("BD-CVC", "Bồi dưỡng ngạch chuyên viên chính", Programme.Kind.REFRESHER, 2, False, False, False, [
        "Quản lý nhà nước trong các ngành, lĩnh vực", "Kỹ năng lãnh đạo, quản lý", "Viết đề án",
    ]),
    ("CNKT", "Cập nhật kiến thức cho cán bộ lãnh đạo, quản lý", Programme.Kind.REFRESHER, 1, False, False, False, [
        "Chuyên đề cập nhật kiến thức",
    ]),
    ("CBCC-CS", "Bồi dưỡng cán bộ chủ chốt cấp cơ sở", Programme.Kind.REFRESHER, 1, False, False, False, [
        "Nghiệp vụ công tác Đảng ở cơ sở", "Quản lý nhà nước ở cấp xã",
    ]),
]

# school code → (CCCD province code, plans {year: {programme: (classes, learners)}}, classes)
# class: (code, programme, mode, opening, closing or None, learners, marks entered)
SCHOOLS = {
    "NGHEAN": ("040", {
        2024: {"TCLLCT": (2, 60), "BD-CV": (1, 25), "CNKT": (1, 30)},
        2025: {"TCLLCT": (2, 60), "SCLLCT": (1, 30), "BD-CVC": (1, 20)},
    }, [
        ("K50A", "TCLLCT", TrainingClass.Mode.FULL_TIME, datetime.date(2024, 3, 4), datetime.date(2024, 10, 25), 28, True),
        ("K50B", "TCLLCT", TrainingClass.Mode.IN_SERVICE, datetime.date(2024, 5, 6), datetime.date(2025, 4, 18), 30, True),
        ("BDCV-24", "BD-CV", TrainingClass.Mode.FULL_TIME, datetime.date(2024, 8, 5), datetime.date(2024, 9, 20), 24, True),
        ("CNKT-24", "CNKT", TrainingClass.Mode.FULL_TIME, datetime.date(2024, 11, 4), datetime.date(2024, 11, 15), 32, True),
        ("K51A", "TCLLCT", TrainingClass.Mode.FULL_TIME, datetime.date(2025, 3, 3), None, 30, False),
        ("SC-25", "SCLLCT", TrainingClass.Mode.IN_SERVICE, datetime.date(2025, 4, 7), datetime.date(2025, 6, 27), 26, True),
        ("BDCVC-25", "BD-CVC", TrainingClass.Mode.FULL_TIME, datetime.date(2025, 9, 8), None, 18, False),
    ]),
    "HATINH": ("042", {
        2024: {"TCLLCT": (2, 55), "CBCC-CS": (1, 40)},
        2025: {"TCLLCT": (1, 30), "CCLLCT": (1, 40), "BD-CV": (1, 25)},
    }, [
        ("K38", "TCLLCT", TrainingClass.Mode.FULL_TIME, datetime.date(2024, 2, 26), datetime.date(2024, 9, 27), 27, True),
        ("K39", "TCLLCT", TrainingClass.Mode.IN_SERVICE, datetime.date(2024, 9, 9), datetime.date(2025, 8, 29), 26, True),
        ("CBCC-24", "CBCC-CS", TrainingClass.Mode.FULL_TIME, datetime.date(2024, 6, 10), datetime.date(2024, 6, 21), 38, True),
        ("K40", "TCLLCT", TrainingClass.Mode.FULL_TIME, datetime.date(2025, 3, 10), None, 29, False),
        ("CC-K75", "CCLLCT", TrainingClass.Mode.IN_SERVICE, datetime.date(2025, 5, 12), None, 35, False),
        ("BDCV-25", "BD-CV", TrainingClass.Mode.FULL_TIME, datetime.date(2025, 7, 7), datetime.date(2025, 8, 22), 22, True),
    ]),
}

POSITIONS = ["Bí thư Đảng ủy xã", "Phó Chủ tịch UBND xã", "Chủ tịch Hội Nông dân xã", "Trưởng phòng",
             "Phó Trưởng phòng", "Chuyên viên", "Chủ tịch UB MTTQ xã", "Bí thư Đoàn xã"]
WORKPLACES = ["UBND xã", "Đảng ủy xã", "Sở Nội vụ", "Sở Tài chính", "Ban Tuyên giáo Tỉnh ủy", "Hội Liên hiệp Phụ nữ tỉnh"]
STEPS = [Decimal(x) / 4 for x in range(20, 40)]  # 5.00 … 9.75 in steps of 0.25


def seed_programmes() -> dict[str, Programme]:
    programmes = {}
    for code, name, kind, months, thesis, exam, diploma, modules in PROGRAMMES:
        programme, created = Programme.objects.get_or_create(code=code, defaults={
            "name": name, "kind": kind, "duration_months": months, "has_thesis": thesis, "has_exam": exam,
            "issues_diploma": diploma,
        })
        if created:
            Module.objects.bulk_create(
                [Module(programme=programme, order=i, name=m) for i, m in enumerate(modules, start=1)]
            )
            create_default_bands(programme=programme)
        programmes[code] = programme
    return programmes


def seed_plans(school, plans, programmes) -> None:
    for year, lines in plans.items():
        plan, created = AnnualPlan.objects.get_or_create(
            school=school, year=year, defaults={"decision_number": f"DEMO-{year % 100:02d}/KH-TCT"}
        )
        if created:
            PlanLine.objects.bulk_create([
                PlanLine(plan=plan, programme=programmes[code], planned_classes=c, planned_learners=n)
                for code, (c, n) in lines.items()
            ])


def make_learners(rng, province, count, serial_start, kinh, others) -> list[Learner]:
    learners = []
    for index in range(count):
        sex = rng.choice("MF")
        dob = datetime.date(rng.randint(1972, 1996), rng.randint(1, 12), rng.randint(1, 28))
        digit = (0 if dob.year < 2000 else 2) + (1 if sex == "F" else 0)
        joined = datetime.date(dob.year + rng.randint(20, 26), rng.randint(1, 12), rng.randint(1, 28))
        learner = Learner(
            full_name=random_name(rng, sex), sex=sex, date_of_birth=dob,
            cccd=f"{province}{digit}{dob.year % 100:02d}{serial_start + index:06d}",
            ethnic_group=kinh if rng.random() < 0.85 else rng.choice(others),
            religion="Không", hometown=rng.choice(["Nghệ An", "Hà Tĩnh", "Thanh Hóa"]),
            party_joined_on=joined, party_official_on=joined + datetime.timedelta(days=365),
            position=rng.choice(POSITIONS), workplace=rng.choice(WORKPLACES),
            workplace_level=rng.choice([Learner.WorkplaceLevel.COMMUNE, Learner.WorkplaceLevel.PROVINCIAL]),
            education=rng.choice(["Cử nhân", "Thạc sĩ", "Kỹ sư"]), theory_level="",
        )
        learner.set_name_keys()
        learners.append(learner)
    return learners


def fill_marks(rng, klass, enrollments) -> None:
    programme = klass.programme
    modules = list(programme.modules.all())
    bands = list(programme.bands.all())
    marks = []
    for enrollment in enrollments:
        values = {m.pk: rng.choice(STEPS) - (Decimal("1.5") if rng.random() < 0.05 else 0) for m in modules}
        marks += [Mark(enrollment=enrollment, module_id=pk, value=v) for pk, v in values.items()]
        enrollment.thesis_mark = rng.choice(STEPS) if programme.has_thesis else None
        enrollment.exam_mark = rng.choice(STEPS) if programme.has_exam else None
        recompute_enrollment(enrollment, modules=modules, bands=bands, marks=values, save=False)
    Mark.objects.bulk_create(marks)
    Enrollment.objects.bulk_update(enrollments, ["thesis_mark", "exam_mark", "average", "classification"])


def seed_classes(school, province, classes, programmes, rng, serial) -> None:
    kinh = EthnicGroup.objects.filter(order=1).first()
    others = list(EthnicGroup.objects.filter(order__in=[2, 3, 5, 11])) or [kinh]
    advisers = list(Staff.objects.for_school(school).filter(is_lecturer=True)[:6])
    for index, (code, programme_code, mode, opening, closing, size, marked) in enumerate(classes):
        if TrainingClass.objects.for_school(school).filter(code=code).exists():
            continue
        programme = programmes[programme_code]
        klass = TrainingClass.objects.create(
            school=school, code=code, programme=programme, mode=mode, opening_date=opening, closing_date=closing,
            name=f"{programme.name} {code}", planned_size=size + 2,
            status=TrainingClass.Status.CLOSED if closing else TrainingClass.Status.IN_PROGRESS,
            adviser=advisers[index % len(advisers)] if advisers else None,
            venue="" if mode == TrainingClass.Mode.FULL_TIME else "Trung tâm chính trị xã",
            opening_decision_number=f"DEMO-{index + 10}/QĐ-TCT", opening_decision_date=opening - datetime.timedelta(days=7),
        )
        learners = Learner.objects.bulk_create(make_learners(rng, province, size, serial + index * 1000, kinh, others))
        enrollments = Enrollment.objects.bulk_create([Enrollment(training_class=klass, learner=lr) for lr in learners])
        school_learners.link(klass.school_id, [lr.pk for lr in learners])  # bulk: no signals
        if marked:
            fill_marks(rng, klass, enrollments)
        if closing:
            record_graduation(training_class=klass, decision_number=f"DEMO-{index + 50}/QĐ-TCT", decision_date=closing)
            graduates = list(klass.enrollments.filter(status=Enrollment.Status.GRADUATED).order_by("pk"))
            for number, enrollment in enumerate(graduates, start=1):
                enrollment.diploma_number = f"{code}-{number:03d}"
                enrollment.diploma_date = closing
            Enrollment.objects.bulk_update(graduates, ["diploma_number", "diploma_date"])


def seed() -> None:
    programmes = seed_programmes()
    for offset, (school_code, (province, plans, classes)) in enumerate(SCHOOLS.items()):
        school = School.objects.filter(code=school_code).first()
        if school is None:
            continue
        seed_plans(school, plans, programmes)
        seed_classes(school, province, classes, programmes, random.Random(4000 + offset), serial=100000 * (offset + 1))
    nghean = School.objects.filter(code="NGHEAN").first()
    if nghean:
        TrainingClass.objects.get_or_create(school=nghean, code="DEMO-TC1", defaults={
            "name": "Trung cấp lý luận chính trị hệ tập trung DEMO-TC1 (thử nhập từ Excel)",
            "programme": programmes["TCLLCT"], "mode": TrainingClass.Mode.FULL_TIME,
            "opening_date": datetime.date(2025, 10, 6), "status": TrainingClass.Status.IN_PROGRESS, "planned_size": 60,
        })
        # A Cao cấp class run jointly with the regional academy, which teaches it and issues the diplomas
        # (counted apart from the school's own classes).
        regional = School.objects.filter(code="HVKV3").first()
        if regional:
            TrainingClass.objects.get_or_create(school=nghean, code="CC-K74B.21", defaults={
                "name": "Cao cấp lý luận chính trị hệ không tập trung K74B.21 (liên kết)",
                "programme": programmes["CCLLCT"], "mode": TrainingClass.Mode.IN_SERVICE,
                "opening_date": datetime.date(2023, 9, 15), "status": TrainingClass.Status.IN_PROGRESS,
                "planned_size": 80, "partner": regional, "taught_by": TrainingClass.JointSide.PARTNER,
                "diploma_by": TrainingClass.JointSide.PARTNER,
            })
        # One person trained at both schools: a Hà Tĩnh K38 graduate attends a Nghệ An refresher.
        shared = Learner.objects.filter(enrollments__training_class__school__code="HATINH",
                                        enrollments__training_class__code="K38").order_by("pk").first()
        refresher = TrainingClass.objects.filter(school=nghean, code="BDCVC-25").first()
        if shared and refresher:
            Enrollment.objects.get_or_create(training_class=refresher, learner=shared)
        seed_cmnd_pair(nghean, refresher)
    from courses import demo_centre  # the Hà Nội district centre's 2019 plan and classes (issue 14)

    demo_centre.seed()


def seed_cmnd_pair(nghean, refresher) -> None:
    """Hà Tĩnh's earliest class holds a learner recorded by the old identity card (CMND); Nghệ An's
    refresher holds the same person under the new citizen ID card: the Academy's “records that may be
    one person” proposes the pair (issue 14 item 7)."""
    first = TrainingClass.objects.filter(school__code="HATINH").order_by("opening_date", "pk").first()
    if first is None or refresher is None:
        return
    born = datetime.date(1976, 4, 9)
    person = {"full_name": "Phan Đình Thục", "date_of_birth": born, "sex": Learner.Sex.MALE}
    old, _created = Learner.objects.get_or_create(
        document_type=Learner.DocumentType.CMND, cccd="183456789", nationality="",
        defaults={**person, "recorded_by": first.school, "hometown": "Can Lộc, Hà Tĩnh"})
    new, _created = Learner.objects.get_or_create(
        document_type=Learner.DocumentType.CCCD, cccd="042076001234", nationality="",
        defaults={**person, "recorded_by": nghean, "workplace": "UBND tỉnh Nghệ An"})
    Enrollment.objects.get_or_create(training_class=first, learner=old)
    Enrollment.objects.get_or_create(training_class=refresher, learner=new)
