"""Demo data of the awards register: the cluster's approved awards (entered automatically), and a
few awards from outside the cluster — a province's, the Academy's national conference, an award of
Quảng Bình's school (merged into Lê Duẩn school, Quảng Trị, in 2025). Decision numbers are marked DEMO."""

import datetime

from awards import services
from awards.models import Award, AwardKind
from schools.models import School, Staff

# (school code, kind code, year, occasion, authority, decision number, decision date, achievements, to a person)
ENTRIES = [
    ("HATINH", "excellent_collective", 2023, Award.Occasion.PROVINCIAL, "Chủ tịch UBND tỉnh Hà Tĩnh",
     "DEMO-112/QĐ-UBND", (2024, 1, 25), "Hoàn thành xuất sắc nhiệm vụ năm 2023.", False),
    ("HATINH", "advanced_worker", 2023, Award.Occasion.SCHOOL, "Hiệu trưởng Trường Chính trị Trần Phú",
     "DEMO-05/QĐ-TCT", (2023, 12, 28), "", True),
    ("NGHEAN", "province_certificate", 2024, Award.Occasion.PROVINCIAL, "Chủ tịch UBND tỉnh Nghệ An",
     "DEMO-201/QĐ-UBND", (2025, 2, 10), "Phối hợp tốt với Ban Tuyên giáo Tỉnh ủy.", False),
    ("NGHEAN", "advanced_collective", 2023, Award.Occasion.SCHOOL, "Hiệu trưởng Trường Chính trị tỉnh Nghệ An",
     "DEMO-09/QĐ-TCT", (2023, 12, 29), "Khoa Xây dựng Đảng.", False),
    ("QUANGBINH", "director_certificate", 2023, Award.Occasion.NATIONAL, "Giám đốc Học viện Chính trị quốc gia Hồ Chí Minh",
     "DEMO-30/QĐ-HVCTQG", (2024, 1, 8), "Thành tích xuất sắc trong phong trào thi đua năm 2023.", False),
]


def seed() -> None:
    services.record_approved_proposals()
    schools = {s.code: s for s in School.objects.filter(code__in={e[0] for e in ENTRIES})}
    kinds = {k.code: k for k in AwardKind.objects.all()}
    for code, kind, year, occasion, authority, number, date, achievements, personal in ENTRIES:
        school = schools.get(code)
        if school is None or kind not in kinds:
            continue
        staff = Staff.objects.for_school(school).order_by("pk").first() if personal else None
        if personal and staff is None:
            continue
        Award.objects.get_or_create(
            school=school, kind=kinds[kind], year=year, decision_number=number,
            defaults={"staff": staff, "occasion": occasion, "authority": authority,
                      "decision_date": datetime.date(*date), "achievements": achievements},
        )
