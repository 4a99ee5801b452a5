"""Issue 15 item 4: the joint classes apart from the school's own, the learner profile per programme,
and the staff (all of them and, of whom, the lecturers) as at 31/12 — through ``build_workbook``."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from reports.registry import build_workbook
from reports.selectors import resolve_scope
from schools.models import Staff

from .conftest import YEAR, header_row, table

pytestmark = pytest.mark.django_db

TRAINING, PROFILE, STAFF = "Đào tạo theo chương trình", "Cơ cấu học viên", "Đội ngũ cán bộ, giảng viên"
OWN_TOTAL, JOINT_HEAD, JOINT_TOTAL = (
    "Tổng cộng các lớp của trường", "Các lớp liên kết với học viện (tính riêng)", "Cộng các lớp liên kết",
)


@pytest.fixture
def joint_data(school, academy, training_data):
    """School A's classes run jointly with the Academy, besides its own (``training_data``):
    J1 (Cao cấp, opened 2024, closed 2025: 2 graduates, good and excellent, 1 not graduated),
    J2 (Cao cấp, opened 2025: 3 learners, 1 woman), J3 (Trung cấp, opened 2025, no learner)."""
    from courses.models import Classification, Enrollment
    from tests.courses.helpers import enroll, make_class, make_learner, make_programme

    advanced = make_programme("CC-LLCT", name="Cao cấp lý luận chính trị", kind="advanced")
    joint = {"partner": academy, "taught_by": "partner", "diploma_by": "partner"}
    S, C = Enrollment.Status, Classification
    j1 = make_class(school, advanced, "J1", opening=datetime.date(2024, 9, 1), closing=datetime.date(2025, 8, 30),
                    **joint)
    enroll(j1, make_learner("Cao Văn Một", dob=datetime.date(1975, 1, 1)), status=S.GRADUATED, classification=C.GOOD)
    enroll(j1, make_learner("Cao Văn Hai", dob=datetime.date(1976, 1, 1)), status=S.GRADUATED,
           classification=C.EXCELLENT)
    enroll(j1, make_learner("Cao Văn Ba", dob=datetime.date(1977, 1, 1)), status=S.NOT_GRADUATED)
    j2 = make_class(school, advanced, "J2", opening=datetime.date(2025, 10, 1), **joint)
    enroll(j2, make_learner("Cao Thị Bốn", sex="F", dob=datetime.date(1978, 1, 1)))
    enroll(j2, make_learner("Cao Văn Năm", dob=datetime.date(1979, 1, 1)))
    enroll(j2, make_learner("Cao Văn Sáu", dob=datetime.date(1980, 1, 1)))
    make_class(school, training_data["programmes"][0], "J3", opening=datetime.date(2025, 5, 1), **joint)
    return advanced


def _book(tmp_path, kind="school", **scope):
    path = tmp_path / f"{kind}.xlsx"
    build_workbook(kind, resolve_scope(year=YEAR, **scope), path)
    return path, load_workbook(path, data_only=True), load_workbook(path)


def test_joint_classes_are_counted_apart(school, joint_data, tmp_path):
    _path, book, formulas = _book(tmp_path, scope="school", school=school)
    rows = table(book[TRAINING])
    names = [row[1] for row in rows]
    assert names == ["Trung cấp lý luận chính trị", "Bồi dưỡng cán bộ", OWN_TOTAL, JOINT_HEAD,
                     "Cao cấp lý luận chính trị", "Trung cấp lý luận chính trị", JOINT_TOTAL]
    by_name = {row[1]: row for row in rows[:3]}
    # the school's own figures are those of training_data, as if there were no joint class
    assert by_name[OWN_TOTAL][3:13] == (2, 2, 5, 3, 0, 1, 1, 1, 0, 0)
    assert by_name[OWN_TOTAL][13:15] == (3, 90)  # the plan and its fulfilment: own classes only
    assert by_name[OWN_TOTAL][15] == pytest.approx(0.667)
    # opened, closed, learner-turns, graduated, opened without learners, excellent … average, no plan
    assert rows[4][3:] == (1, 1, 3, 2, 0, 1, 0, 1, 0, 0, None, None, None, None)
    assert rows[5][3:13] == (1, 0, 0, 0, 1, 0, 0, 0, 0, 0)
    assert rows[6][3:13] == (2, 1, 3, 2, 1, 1, 0, 1, 0, 0)
    # the joint subtotal is a live SUM over the joint lines only
    sheet, top = formulas[TRAINING], header_row(formulas[TRAINING])
    first, last = top + 5, top + 6  # the joint lines (after 2 own lines, the total and the heading)
    assert sheet.cell(row=top + 7, column=4).value == f"=SUM(D{top + 4}:D{last})"
    assert sheet.cell(row=top + 3, column=4).value == f"=SUM(D{top + 1}:D{top + 2})"
    assert [book[TRAINING].cell(row=r, column=2).value for r in (first, last)] == [
        "Cao cấp lý luận chính trị", "Trung cấp lý luận chính trị"]

    headline = {row[2]: row[5] for row in table(book["Số liệu chủ yếu"])}
    assert (headline["Số lớp khai giảng"], headline["Lượt học viên"], headline["Học viên tốt nghiệp"]) == (2, 5, 3)
    assert headline["Xếp loại Xuất sắc"] == 1  # K0's, not J1's
    assert headline["Số lớp liên kết khai giảng (với học viện)"] == rows[6][3] == 2
    assert headline["Số lớp liên kết bế giảng (với học viện)"] == rows[6][4] == 1
    assert headline["Lượt học viên các lớp liên kết"] == rows[6][5] == 3
    assert headline["Học viên tốt nghiệp các lớp liên kết"] == rows[6][6] == 2

    # the register lists both: its graduates are the own graduates plus the joint ones
    register = table(book["Sổ học viên"])
    graduated = sum(1 for row in register if row[13] == "Tốt nghiệp" and row[5] is not None and row[5].year == YEAR)
    assert graduated == headline["Học viên tốt nghiệp"] + headline["Học viên tốt nghiệp các lớp liên kết"] == 5

    notes = [value for item, value in table(book["Thông tin chung"]) if item == "Định nghĩa"]
    assert any(note.startswith("Lớp liên kết: các lớp trường liên kết mở với học viện được tính riêng") for note in notes)


def test_summaries_show_the_joint_figures(school, other_school, joint_data, tmp_path):
    _path, book, _formulas = _book(tmp_path, kind="national", scope="national")
    sheet = book["Đào tạo, bồi dưỡng"]
    head = [cell.value for cell in sheet[header_row(sheet)]]
    rows = {row[1]: row for row in table(sheet)}
    column = head.index("Số lớp liên kết khai giảng (với học viện) (lớp)")
    assert rows[school.name][column] == 2 and rows[other_school.name][column] == 0
    assert rows["Tổng cộng"][column] == 2
    graduates = head.index("Học viên tốt nghiệp các lớp liên kết (người)")
    assert rows[school.name][graduates] == 2
    own = head.index("Học viên tốt nghiệp (người)")
    assert rows[school.name][own] == 3


def test_learner_profile_has_one_column_per_programme(school, joint_data, tmp_path):
    _path, book, formulas = _book(tmp_path, scope="school", school=school)
    sheet = book[PROFILE]
    head = [cell.value for cell in sheet[header_row(sheet)]]
    # own programmes by kind then name (intermediate, refresher), then the joint classes' (J3 has no learner)
    assert head[4:] == ["Trung cấp lý luận chính trị", "Bồi dưỡng cán bộ",
                        "Cao cấp lý luận chính trị (lớp liên kết)", "Tổng cộng"]
    rows = {(row[1], row[2]): row[4:] for row in table(sheet)}
    assert rows[("Tổng số", "Lượt học viên trong năm")] == (3, 2, 3, 8)  # K1, K2, J2; the total: the SUM
    assert rows[("Giới tính", "Nữ")] == (1, 1, 1, 3)
    assert rows[("Độ tuổi tại 31/12", "Từ 40 đến 49 tuổi")][2] == 3  # J2: born 1978–1980
    assert rows[("Tốt nghiệp theo xếp loại", "Xuất sắc")] == (1, 0, 1, 2)  # K0; J1
    assert rows[("Tốt nghiệp theo xếp loại", "Khá")] == (1, 0, 1, 2)  # K1; J1
    top = header_row(formulas[PROFILE])
    assert formulas[PROFILE].cell(row=top + 1, column=8).value == f"=SUM(E{top + 1}:G{top + 1})"


@pytest.fixture
def year_end_staff(school, staff_data):
    """Besides ``staff_data`` (school A on 31/12: 4 lecturers born 1980 and an accountant): a young
    lecturer who left on 30/06/2025 (not counted), an officer who joined in 2026 (not counted), a
    young officer who left in 2026 (counted: still there on 31/12/2025)."""
    Staff.objects.create(school=school, full_name="Đỗ Văn Đi", is_lecturer=True, degree="doctor",
                         date_of_birth=datetime.date(1999, 1, 1), joined_on=datetime.date(2020, 1, 1),
                         left_on=datetime.date(2025, 6, 30), active=False)
    Staff.objects.create(school=school, full_name="Lý Thị Mới", date_of_birth=datetime.date(1999, 1, 1),
                         joined_on=datetime.date(2026, 2, 1))
    Staff.objects.create(school=school, full_name="Hà Văn Trẻ", sex="M", degree="master",
                         date_of_birth=datetime.date(1998, 6, 1), joined_on=datetime.date(2021, 1, 1),
                         left_on=datetime.date(2026, 3, 1), active=False)


def test_staff_sheet_counts_all_staff_and_lecturers_as_at_year_end(school, year_end_staff, tmp_path):
    path, book, formulas = _book(tmp_path, scope="school", school=school)
    sheet = book[STAFF]
    head = [cell.value for cell in sheet[header_row(sheet)]]
    assert head == ["STT", "Nhóm", "Giá trị", "Đơn vị tính", "Cán bộ, viên chức", "Trong đó: giảng viên"]
    rows = {(row[1], row[2]): row[4:6] for row in table(sheet)}
    assert rows[("Trình độ chuyên môn", "Tiến sĩ")] == (1, 1)  # not the doctor who left in June
    assert rows[("Trình độ chuyên môn", "Thạc sĩ")] == (3, 2)  # Hà Văn Trẻ is counted
    assert rows[("Trình độ chuyên môn", "Cộng")] == (6, 4)
    assert rows[("Độ tuổi", "Dưới 30 tuổi")] == (1, 0)  # Hà Văn Trẻ, 27
    assert rows[("Độ tuổi", "Từ 40 đến 49 tuổi")] == (5, 4)
    assert rows[("Độ tuổi", "Cộng")] == (6, 4)
    assert rows[("Giới tính", "Nam")] == (1, 0) and rows[("Giới tính", "Cộng")] == (6, 4)
    # every subtotal is a SUM over its group in both columns, its cached value that sum
    sheet_f, top = formulas[STAFF], header_row(formulas[STAFF])
    subtotals = [r for r in range(top + 1, top + 1 + len(table(sheet))) if sheet_f.cell(row=r, column=3).value == "Cộng"]
    assert len(subtotals) == 7
    start = top + 1
    for r in subtotals:
        for col, letter in ((5, "E"), (6, "F")):
            assert sheet_f.cell(row=r, column=col).value == f"=SUM({letter}{start}:{letter}{r - 1})"
            cells = [sheet.cell(row=x, column=col).value for x in range(start, r)]
            assert sheet.cell(row=r, column=col).value == sum(cells)
        start = r + 1


def test_profile_and_staff_sheets_do_not_grow_queries_with_rows(school, academy, joint_data, staff_data, tmp_path):
    """More programmes (profile columns), classes, learners and staff: the same number of queries."""
    from courses.models import Enrollment
    from tests.courses.helpers import make_class, make_learner, make_programme

    def count():
        with CaptureQueriesContext(connection) as ctx:
            _book(tmp_path, scope="school", school=school)
        return len(ctx.captured_queries)

    few = count()
    for n in range(4):
        programme = make_programme(f"BD{n}", name=f"Bồi dưỡng {n}", kind="refresher", modules=1)
        own = make_class(school, programme, f"N{n}", opening=datetime.date(YEAR, 4, 1))
        joint = make_class(school, programme, f"NJ{n}", opening=datetime.date(YEAR, 5, 1), partner=academy,
                           taught_by="partner", diploma_by="partner")
        Enrollment.objects.bulk_create([Enrollment(training_class=klass, learner=make_learner(f"Học Viên {n} {i}"))
                                        for klass in (own, joint) for i in range(2)])
    Staff.objects.bulk_create([Staff(school=school, full_name=f"Người {i}", is_lecturer=i % 2 == 0,
                                     date_of_birth=datetime.date(1960 + i, 1, 1)) for i in range(30)])
    assert count() == few
