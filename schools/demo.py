"""Demo data for the schools app: the Academy, the current provincial schools, every provincial
school merged away in 2025, a Hà Nội district centre (dissolved 01/07/2025), units and staff for
the demo schools, and the demo accounts."""

import datetime
import random

from accounts.models import Role, User
from schools.models import MERGER_DATE, OrgUnit, Province, Region, School, Staff
from schools.reference import load_provincial_schools

DEMO_PASSWORD = "demo12345"  # noqa: S105 — documented demo-only accounts

# (code, official name, short name, current province, region)
PROVINCIAL_SCHOOLS = [
    ("HANOI", "Trường Đào tạo cán bộ Lê Hồng Phong", "Lê Hồng Phong", "Thành phố Hà Nội", Region.RED_RIVER_DELTA),
    ("HCM", "Học viện Cán bộ Thành phố Hồ Chí Minh", "Học viện Cán bộ TP.HCM", "Thành phố Hồ Chí Minh", Region.SOUTH_EAST),
    ("HAIPHONG", "Trường Chính trị Tô Hiệu thành phố Hải Phòng", "Tô Hiệu", "Thành phố Hải Phòng", Region.RED_RIVER_DELTA),
    ("HUE", "Trường Chính trị Nguyễn Chí Thanh thành phố Huế", "Nguyễn Chí Thanh", "Thành phố Huế", Region.NORTH_CENTRAL),
    ("DANANG", "Trường Chính trị thành phố Đà Nẵng", "TCT Đà Nẵng", "Thành phố Đà Nẵng", Region.NORTH_CENTRAL),
    ("CANTHO", "Trường Chính trị thành phố Cần Thơ", "TCT Cần Thơ", "Thành phố Cần Thơ", Region.MEKONG),
    ("THANHHOA", "Trường Chính trị tỉnh Thanh Hóa", "TCT Thanh Hóa", "Tỉnh Thanh Hóa", Region.NORTH_CENTRAL),
    ("NGHEAN", "Trường Chính trị tỉnh Nghệ An", "TCT Nghệ An", "Tỉnh Nghệ An", Region.NORTH_CENTRAL),
    ("HATINH", "Trường Chính trị Trần Phú tỉnh Hà Tĩnh", "Trần Phú", "Tỉnh Hà Tĩnh", Region.NORTH_CENTRAL),
    ("QUANGTRI", "Trường Chính trị Lê Duẩn tỉnh Quảng Trị", "Lê Duẩn", "Tỉnh Quảng Trị", Region.NORTH_CENTRAL),
    ("CAOBANG", "Trường Chính trị Hoàng Đình Giong tỉnh Cao Bằng", "Hoàng Đình Giong", "Tỉnh Cao Bằng", Region.NORTHERN_MOUNTAINS),
    ("LANGSON", "Trường Chính trị Hoàng Văn Thụ tỉnh Lạng Sơn", "Hoàng Văn Thụ", "Tỉnh Lạng Sơn", Region.NORTHERN_MOUNTAINS),
    ("BACNINH", "Trường Chính trị Nguyễn Văn Cừ tỉnh Bắc Ninh", "Nguyễn Văn Cừ", "Tỉnh Bắc Ninh", Region.RED_RIVER_DELTA),
    ("HUNGYEN", "Trường Chính trị Nguyễn Văn Linh tỉnh Hưng Yên", "Nguyễn Văn Linh", "Tỉnh Hưng Yên", Region.RED_RIVER_DELTA),
    ("ANGIANG", "Trường Chính trị Tôn Đức Thắng tỉnh An Giang", "Tôn Đức Thắng", "Tỉnh An Giang", Region.MEKONG),
    ("VINHLONG", "Trường Chính trị Phạm Hùng tỉnh Vĩnh Long", "Phạm Hùng", "Tỉnh Vĩnh Long", Region.MEKONG),
    ("LAICHAU", "Trường Chính trị tỉnh Lai Châu", "", "Tỉnh Lai Châu", Region.NORTHERN_MOUNTAINS),
    ("DIENBIEN", "Trường Chính trị tỉnh Điện Biên", "", "Tỉnh Điện Biên", Region.NORTHERN_MOUNTAINS),
    ("SONLA", "Trường Chính trị tỉnh Sơn La", "", "Tỉnh Sơn La", Region.NORTHERN_MOUNTAINS),
    ("QUANGNINH", "Trường Chính trị Nguyễn Văn Cừ tỉnh Quảng Ninh", "", "Tỉnh Quảng Ninh", Region.RED_RIVER_DELTA),
    ("TUYENQUANG", "Trường Chính trị tỉnh Tuyên Quang", "", "Tỉnh Tuyên Quang", Region.NORTHERN_MOUNTAINS),
    ("LAOCAI", "Trường Chính trị tỉnh Lào Cai", "", "Tỉnh Lào Cai", Region.NORTHERN_MOUNTAINS),
    ("THAINGUYEN", "Trường Chính trị tỉnh Thái Nguyên", "", "Tỉnh Thái Nguyên", Region.NORTHERN_MOUNTAINS),
    ("PHUTHO", "Trường Chính trị tỉnh Phú Thọ", "", "Tỉnh Phú Thọ", Region.NORTHERN_MOUNTAINS),
    ("NINHBINH", "Trường Chính trị tỉnh Ninh Bình", "", "Tỉnh Ninh Bình", Region.RED_RIVER_DELTA),
    ("QUANGNGAI", "Trường Chính trị tỉnh Quảng Ngãi", "", "Tỉnh Quảng Ngãi", Region.NORTH_CENTRAL),
    ("GIALAI", "Trường Chính trị tỉnh Gia Lai", "", "Tỉnh Gia Lai", Region.CENTRAL_HIGHLANDS),
    ("KHANHHOA", "Trường Chính trị tỉnh Khánh Hòa", "", "Tỉnh Khánh Hòa", Region.NORTH_CENTRAL),
    ("DAKLAK", "Trường Chính trị tỉnh Đắk Lắk", "", "Tỉnh Đắk Lắk", Region.CENTRAL_HIGHLANDS),
    ("LAMDONG", "Trường Chính trị tỉnh Lâm Đồng", "", "Tỉnh Lâm Đồng", Region.CENTRAL_HIGHLANDS),
    ("DONGNAI", "Trường Chính trị tỉnh Đồng Nai", "", "Tỉnh Đồng Nai", Region.SOUTH_EAST),
    ("TAYNINH", "Trường Chính trị tỉnh Tây Ninh", "", "Tỉnh Tây Ninh", Region.SOUTH_EAST),
    ("DONGTHAP", "Trường Chính trị tỉnh Đồng Tháp", "", "Tỉnh Đồng Tháp", Region.MEKONG),
    ("CAMAU", "Trường Chính trị tỉnh Cà Mau", "", "Tỉnh Cà Mau", Region.MEKONG),
]

# The schools merged away on 01/07/2025 (29 of the 63 former provinces) come from the reference
# list ``schools/data/provincial_schools.csv`` (``schools.reference.load_provincial_schools``).

OTHER_INSTITUTIONS = [
    ("HVCTQG", "Học viện Chính trị quốc gia Hồ Chí Minh", "Học viện", School.Kind.ACADEMY, Region.NATIONAL),
    ("HVKV1", "Học viện Chính trị khu vực I", "HVCT KV I", School.Kind.MEMBER_ACADEMY, Region.RED_RIVER_DELTA),
    ("HVKV2", "Học viện Chính trị khu vực II", "HVCT KV II", School.Kind.MEMBER_ACADEMY, Region.SOUTH_EAST),
    ("HVKV3", "Học viện Chính trị khu vực III", "HVCT KV III", School.Kind.MEMBER_ACADEMY, Region.NORTH_CENTRAL),
    ("HVKV4", "Học viện Chính trị khu vực IV", "HVCT KV IV", School.Kind.MEMBER_ACADEMY, Region.MEKONG),
    ("IMARD", "Trường Cán bộ quản lý Nông nghiệp và Phát triển nông thôn", "Trường CBQL NN&PTNT",
     School.Kind.MINISTRY, Region.NATIONAL),
]

# A Hà Nội district political centre (DOMAIN.md §1.4, brief article A4): the source does not name the
# district, so the quận is illustrative; its 2019 plan and classes are in courses/demo_centre.py.
DISTRICT_CENTRE = ("TTCT-CAUGIAY", "Trung tâm Chính trị quận Cầu Giấy", "TTCT quận Cầu Giấy")


def seed_district_centre(schools: dict[str, School]) -> School:
    """The district centre guided by the city's school, dissolved with the district level on 01/07/2025
    (no successor recorded: where its work went is an open question, DOMAIN.md §1.4)."""
    from schools.models import DISTRICT_LEVEL_END

    code, name, short = DISTRICT_CENTRE
    centre, _ = School.objects.update_or_create(code=code, defaults={
        "name": name, "short_name": short, "kind": School.Kind.DISTRICT_CENTRE,
        "province": schools["HANOI"].province, "region": Region.RED_RIVER_DELTA, "guided_by": schools["HANOI"],
        "dissolved_on": DISTRICT_LEVEL_END,
    })
    return centre


UNITS = [
    (OrgUnit.Kind.FACULTY, OrgUnit.Function.BASIC_THEORY, "Khoa Lý luận cơ sở"),
    (OrgUnit.Kind.FACULTY, OrgUnit.Function.PARTY_BUILDING, "Khoa Xây dựng Đảng"),
    (OrgUnit.Kind.FACULTY, OrgUnit.Function.STATE_LAW, "Khoa Nhà nước và pháp luật"),
    (OrgUnit.Kind.OFFICE, OrgUnit.Function.TRAINING, "Phòng Quản lý đào tạo, bồi dưỡng và nghiên cứu khoa học"),
    (OrgUnit.Kind.OFFICE, OrgUnit.Function.ADMINISTRATION, "Phòng Tổ chức, hành chính, thông tin, tư liệu"),
]

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE_M = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân", "Thanh", "Công"]
MIDDLE_F = ["Thị", "Thị Thu", "Thị Minh", "Ngọc", "Thị Hồng", "Thu"]
GIVEN_M = ["An", "Bình", "Cường", "Dũng", "Đức", "Hải", "Hùng", "Khoa", "Long", "Nam", "Phong", "Quân", "Sơn", "Thắng", "Tuấn", "Vinh"]
GIVEN_F = ["Anh", "Chi", "Giang", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Nga", "Oanh", "Phương", "Thảo", "Trang", "Yến"]

ACCOUNTS = [
    ("academy", "Quản trị", "Học viện", Role.ACADEMY_ADMIN, "HVCTQG"),
    ("reviewer", "Chuyên viên", "Vụ Các trường chính trị", Role.ACADEMY_REVIEWER, "HVCTQG"),
    ("nghean", "Quản trị", "TCT Nghệ An", Role.SCHOOL_ADMIN, "NGHEAN"),
    ("hatinh", "Quản trị", "Trần Phú", Role.SCHOOL_ADMIN, "HATINH"),
    ("nghean_viewer", "Xem", "TCT Nghệ An", Role.SCHOOL_VIEWER, "NGHEAN"),
]


def random_name(rng: random.Random, sex: str) -> str:
    middle, given = (MIDDLE_F, GIVEN_F) if sex == "F" else (MIDDLE_M, GIVEN_M)
    return f"{rng.choice(FAMILY)} {rng.choice(middle)} {rng.choice(given)}"


def seed_schools() -> dict[str, School]:
    schools: dict[str, School] = {}
    provinces = {p.name: p for p in Province.objects.all()}
    for code, name, short, kind, region in OTHER_INSTITUTIONS:
        schools[code], _ = School.objects.update_or_create(
            code=code, defaults={"name": name, "short_name": short, "kind": kind, "region": region,
                                 "province": provinces["Thành phố Hà Nội"] if kind == School.Kind.ACADEMY else None},
        )
    for code, name, short, province, region in PROVINCIAL_SCHOOLS:
        schools[code], _ = School.objects.update_or_create(
            code=code,
            defaults={"name": name, "short_name": short, "kind": School.Kind.PROVINCIAL,
                      "province": provinces[province], "region": region},
        )
    schools["QUANGTRI"].founding_decision = "07-QĐ/TU"
    schools["QUANGTRI"].founding_date = MERGER_DATE
    schools["QUANGTRI"].save(update_fields=["founding_decision", "founding_date"])
    schools.update(load_provincial_schools())
    schools[DISTRICT_CENTRE[0]] = seed_district_centre(schools)
    seed_document_form(schools)
    return schools


# The document form of the demo schools' reports (REPORT_FORM.md): superior body, place, signer.
DOCUMENT_SIGNERS = {"NGHEAN": ("T/M BAN GIÁM HIỆU", "Nguyễn Văn Hùng"), "HATINH": ("", "Trần Thị Lan")}


def _place(province: Province | None) -> str:
    if province is None:
        return ""
    name = province.name.removeprefix("Tỉnh ").removeprefix("Thành phố ")
    return "TP. Hồ Chí Minh" if name == "Hồ Chí Minh" else name


def seed_document_form(schools: dict[str, School]) -> None:
    """Fill the document-form fields of the demo schools (left alone once an administrator set them)."""
    for code, school in schools.items():
        if school.place_name:
            continue
        if school.kind == School.Kind.ACADEMY:
            school.superior_body = "HỌC VIỆN CHÍNH TRỊ QUỐC GIA HỒ CHÍ MINH"
            school.issuing_body = "VỤ CÁC TRƯỜNG CHÍNH TRỊ"
            school.place_name, school.document_symbol = "Hà Nội", "VCTCT"
            school.signer_title, school.signer_name = "VỤ TRƯỞNG", "Lê Văn Thành"
        elif school.province_id:
            committee = "THÀNH ỦY" if school.province.kind == Province.Kind.CITY else "TỈNH ỦY"
            place = _place(school.province)
            school.superior_body = f"{committee} {place.replace('TP. ', '').upper()}"
            school.place_name, school.document_symbol = place, "TCT"
            capacity, signer = DOCUMENT_SIGNERS.get(code, ("", ""))
            school.signer_capacity, school.signer_name = capacity, signer
        else:
            continue
        school.save(update_fields=["superior_body", "issuing_body", "place_name", "document_symbol",
                                   "signer_capacity", "signer_title", "signer_name"])


def seed_staff(school: School, seed: int, size: int = 28) -> None:
    if Staff.objects.for_school(school).exists():
        return
    rng = random.Random(seed)
    units = []
    for kind, function, name in UNITS:
        unit, _ = OrgUnit.objects.get_or_create(school=school, name=name, defaults={"kind": kind, "function": function})
        units.append(unit)
    people = []
    for index in range(size):
        sex = rng.choice("MF")
        unit = units[index % len(units)]
        lecturer = unit.kind == OrgUnit.Kind.FACULTY or rng.random() < 0.3
        degree = rng.choices(["doctor", "master", "bachelor"], weights=[2, 6, 2])[0]
        people.append(Staff(
            school=school, full_name=random_name(rng, sex), sex=sex, unit=unit,
            date_of_birth=datetime.date(rng.randint(1968, 1995), rng.randint(1, 12), rng.randint(1, 28)),
            position="Giảng viên" if lecturer else "Chuyên viên", is_lecturer=lecturer,
            category=Staff.Category.FULL_TIME, degree=degree,
            academic_title="assoc_prof" if degree == "doctor" and rng.random() < 0.3 else "",
            lecturer_rank=rng.choice(["lecturer", "principal", "principal", "senior"]) if lecturer else "",
            theory_level=rng.choice(["advanced", "advanced", "bachelor"]),
            classics_certificate=lecturer and rng.random() < 0.8,
        ))
    for person in people:
        person.set_name_keys()
    Staff.objects.bulk_create(people)
    members = list(Staff.objects.for_school(school).order_by("pk"))
    for index, unit in enumerate(units):
        in_unit = [p for p in members if p.unit_id == unit.pk]
        unit.head = in_unit[0]
        unit.save(update_fields=["head"])
        unit.deputies.set(in_unit[1:2])
        Staff.objects.filter(pk=in_unit[0].pk).update(position="Trưởng " + unit.name.split(" ")[0].lower())
        if index == 0:
            Staff.objects.filter(pk=members[-1].pk).update(position="Hiệu trưởng")


def seed_accounts(schools: dict[str, School]) -> None:
    for username, first, last, role, code in ACCOUNTS:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "role": role, "school": schools[code], "is_active": True},
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])


def seed() -> None:
    schools = seed_schools()
    seed_staff(schools["NGHEAN"], seed=40)
    seed_staff(schools["HATINH"], seed=42)
    for offset, code in enumerate(["THANHHOA", "QUANGTRI", "HUE", "DANANG"]):
        seed_staff(schools[code], seed=100 + offset, size=15)
    seed_accounts(schools)
