"""Demo data of the Hà Nội district political centre (schools.demo.DISTRICT_CENTRE): its 2019 plan
and the classes of its own making, so that the plan page shows that year's fulfilment as reported
(brief article A4, DOMAIN.md §1.4): 63 classes, 16,837 learner-turns, 117 % of plan.

The split by programme and the planned figures are illustrative (the article gives only the
totals and the percentage); planned learner-turns 14,390 → 16,837 / 14,390 = 117.0 %.
"""

import datetime
import random

from courses import school_learners
from courses.demo import make_learners
from courses.models import AnnualPlan, Enrollment, Learner, PlanLine, Programme, TrainingClass
from courses.services import create_default_bands
from schools.demo import DISTRICT_CENTRE
from schools.models import EthnicGroup, School

YEAR = 2019
# Programmes a district centre ran besides sơ cấp (DOMAIN.md §1.4): code, name
CENTRE_PROGRAMMES = [
    ("BD-NTD", "Bồi dưỡng nhận thức về Đảng"),
    ("BD-DVM", "Bồi dưỡng lý luận chính trị cho đảng viên mới"),
    ("BD-NQ", "Học tập, quán triệt nghị quyết của Đảng cho cán bộ, đảng viên"),
]
# programme → (planned classes, planned learner-turns, classes run, learner-turns run)
PLAN = {
    "SCLLCT": (10, 950, 12, 1080),
    "BD-NTD": (15, 3700, 18, 4320),
    "BD-DVM": (11, 1540, 13, 1820),
    "BD-NQ": (18, 8200, 20, 9617),
}
SERIAL_START = 500000  # CCCD serials of the centre's demo learners (other demo schools use < 400000)


def centre_programmes() -> dict[str, Programme]:
    programmes = {"SCLLCT": Programme.objects.get(code="SCLLCT")}
    for code, name in CENTRE_PROGRAMMES:
        programme, created = Programme.objects.get_or_create(code=code, defaults={
            "name": name, "kind": Programme.Kind.REFRESHER, "duration_months": 1, "issues_diploma": False})
        if created:
            create_default_bands(programme=programme)
        programmes[code] = programme
    return programmes


def split(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if index < extra else 0) for index in range(parts)]


def seed() -> None:
    centre = School.objects.filter(code=DISTRICT_CENTRE[0]).first()
    if centre is None or AnnualPlan.objects.for_school(centre).filter(year=YEAR).exists():
        return
    programmes = centre_programmes()
    plan = AnnualPlan.objects.create(school=centre, year=YEAR, decision_number="01-KH/TTCT (DEMO)",
                                     decision_date=datetime.date(YEAR, 1, 10))
    PlanLine.objects.bulk_create([
        PlanLine(plan=plan, programme=programmes[code], planned_classes=pc, planned_learners=pl)
        for code, (pc, pl, _c, _l) in PLAN.items()
    ])
    rng = random.Random(2019)
    kinh = EthnicGroup.objects.filter(order=1).first()
    others = list(EthnicGroup.objects.filter(order__in=[2, 3, 5])) or [kinh]
    serial = SERIAL_START
    number = 0
    for code, (_pc, _pl, classes, learners) in PLAN.items():
        programme = programmes[code]
        for size in split(learners, classes):
            number += 1
            opening = datetime.date(YEAR, 1 + (number * 7) % 10, 1 + number % 25)
            klass = TrainingClass.objects.create(
                school=centre, code=f"{code}-{YEAR}-{number:02d}", name=f"{programme.name} lớp {number:02d}/{YEAR}",
                programme=programme, mode=TrainingClass.Mode.FULL_TIME, opening_date=opening,
                closing_date=opening + datetime.timedelta(days=4 if code != "SCLLCT" else 40),
                status=TrainingClass.Status.CLOSED, planned_size=size,
            )
            people = make_learners(rng, "001", size, serial, kinh, others)
            serial += size
            for person in people:
                person.hometown = "Hà Nội"
                person.workplace = rng.choice(["Đảng ủy phường", "Quận ủy Cầu Giấy", "UBND phường", "Chi bộ khu dân cư"])
                person.workplace_level = rng.choice([Learner.WorkplaceLevel.DISTRICT, Learner.WorkplaceLevel.COMMUNE])
                if code == "BD-NTD":  # not yet Party members
                    person.party_joined_on = person.party_official_on = None
            people = Learner.objects.bulk_create(people, batch_size=1000)
            Enrollment.objects.bulk_create(
                [Enrollment(training_class=klass, learner=p, status=Enrollment.Status.GRADUATED) for p in people],
                batch_size=1000,
            )
            school_learners.link(centre.pk, [p.pk for p in people])
