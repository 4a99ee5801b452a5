"""Issue 15: reports in the form of an official document, printable, with figures of their year."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from core.vietnamese import slug
from reports.document import year_locked
from reports.selectors import ScopeError, resolve_scope
from schools.models import School, Staff
from tests.reports.conftest import YEAR, header_row, headers, table


def _texts(sheet, first, last) -> list[str]:
    return [str(c.value) for row in sheet.iter_rows(min_row=first, max_row=last) for c in row if c.value is not None]


def check_document(book, *, issuer: str, signer: str):
    """Every sheet: title block, signature block, print settings, totals as SUM formulas."""
    for sheet in book.worksheets:
        head = header_row(sheet)
        top = " | ".join(_texts(sheet, 1, head - 1))
        assert issuer in top and "ĐẢNG CỘNG SẢN VIỆT NAM" in top, sheet.title
        assert "Số …-BC/" in top and "Biểu số" in top and "NĂM" in top, sheet.title
        assert "(Từ ngày 01/01/" in top and "Số liệu chưa chốt" in top and "Đơn vị báo cáo" in top, sheet.title
        bottom = " | ".join(_texts(sheet, head + len(table(sheet)) + 1, sheet.max_row))
        assert "NGƯỜI LẬP BIỂU" in bottom and signer in bottom and "(Ký tên, đóng dấu)" in bottom, sheet.title
        setup = sheet.page_setup
        assert setup.paperSize == 9 and sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert setup.fitToWidth in (None, 1) and setup.fitToHeight == 0, sheet.title  # None: the default, 1
        expected = "landscape" if sheet.max_column > 8 else "portrait"
        assert setup.orientation == expected, sheet.title
        assert sheet.print_title_rows == f"$1:${head}", sheet.title
        assert "Trang &P/&N" in sheet.oddFooter.center.text, sheet.title
        assert sheet.cell(row=head, column=1).font.name == "Times New Roman"


def check_totals(path):
    """Every total/subtotal cell is a SUM formula whose cached value equals the sum of its rows."""
    formulas = load_workbook(path)
    values = load_workbook(path, data_only=True)
    checked = 0
    for sheet in formulas.worksheets:
        cached = values[sheet.title]
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("=SUM("):
                    inside = cell.value[5:-1]
                    total = 0
                    for part in inside.split(","):
                        if ":" in part:
                            first, last = part.split(":")
                            for line in cached[first:last]:
                                total += sum(c.value or 0 for c in line)
                        else:
                            total += cached[part].value or 0
                    assert cached[cell.coordinate].value == pytest.approx(total), (sheet.title, cell.coordinate)
                    checked += 1
    return checked


@pytest.fixture
def document_schools(school, other_school, academy):
    school.superior_body, school.place_name, school.signer_title = "TỈNH ỦY A", "Tỉnh A", "HIỆU TRƯỞNG"
    school.save()
    academy.signer_title = "VỤ TRƯỞNG"
    academy.save()
    return school


def test_school_report_is_an_official_document(document_schools, staff_data, training_data, research_data,
                                               compliance_data, open_report, tmp_path):
    from reports.registry import build_workbook

    path = tmp_path / "school.xlsx"
    build_workbook("school", resolve_scope(scope="school", year=YEAR, school=document_schools), path)
    book = load_workbook(path)
    check_document(book, issuer="TỈNH ỦY A", signer="HIỆU TRƯỞNG")
    assert "Tỉnh A, ngày … tháng … năm …" in _texts(book.worksheets[0], 1, 3)
    assert check_totals(path) >= 3
    training = book["Đào tạo theo chương trình"]
    assert [row[1] for row in table(training)][-3:] == [
        "Tổng cộng các lớp của trường", "Các lớp liên kết với học viện (tính riêng)", "Cộng các lớp liên kết"]
    assert book.worksheets[1].cell(row=header_row(book.worksheets[1]), column=1).value == "STT"
    assert "Đơn vị tính" in headers(book.worksheets[1])


def test_national_and_cluster_summaries_are_official_documents(
    document_schools, other_school, head_school, staff_data, training_data, cluster_data, compliance_data, tmp_path
):
    from reports.registry import build_workbook

    national = tmp_path / "national.xlsx"
    build_workbook("national", resolve_scope(scope="national", year=YEAR), national)
    check_document(load_workbook(national), issuer="VỤ CÁC TRƯỜNG CHÍNH TRỊ", signer="VỤ TRƯỞNG")
    assert check_totals(national) >= 10
    cluster = tmp_path / "cluster.xlsx"
    build_workbook("cluster", resolve_scope(scope="cluster", year=YEAR, cluster_code="BTB"), cluster)
    book = load_workbook(cluster)
    check_document(book, issuer=head_school.name.upper(), signer="CỤM TRƯỞNG")
    assert check_totals(cluster) >= 5
    ranking = table(book["Xếp hạng cụm thi đua"])
    assert [row[3] for row in ranking] == [1, 2]  # rank order
    learners = tmp_path / "learners.xlsx"
    build_workbook("learners", resolve_scope(scope="national", year=YEAR), learners)
    check_document(load_workbook(learners), issuer="VỤ CÁC TRƯỜNG CHÍNH TRỊ", signer="VỤ TRƯỞNG")


def test_year_locked_is_false_until_the_lock_exists(school):
    assert year_locked(school, YEAR) is False


@pytest.fixture
def merged_world(school, other_school, academy, compliance_data):
    """School B merged into A on 01/07/2025; a lecturer of A left on 01/09/2025."""
    other_school.merged_into, other_school.merged_on = school, datetime.date(2025, 7, 1)
    other_school.save()
    Staff.objects.create(school=school, full_name="Nguyễn Văn Ở", is_lecturer=True)
    from compliance.models import Assessment

    Assessment.objects.create(  # recognised at level 2 in 2026
        school=school, standard=compliance_data, year=2026, target_level=2, stage=Assessment.Stage.RECOGNISED,
        level_recognised=2, decision_number="7-QĐ/HVCTQG", decision_date=datetime.date(2026, 3, 1),
        indicators_total=55, met_count=55, level_reached=2,
    )
    Staff.objects.create(school=school, full_name="Trần Văn Đi", is_lecturer=True,
                         left_on=datetime.date(2025, 9, 1), active=False)
    return school


def test_figures_are_true_to_the_year(merged_world, other_school, open_report):
    book_2025, _ = open_report("school", "school", year=2025, school=merged_world)
    book_2026, _ = open_report("school", "school", year=2026, school=merged_world)
    names_2025 = {row[1] for row in table(book_2025["Danh sách cán bộ"])}
    names_2026 = {row[1] for row in table(book_2026["Danh sách cán bộ"])}
    assert "Trần Văn Đi" not in names_2025 and names_2026 == {"Nguyễn Văn Ở"} == names_2025
    national_2025, _ = open_report("national", "national", year=2025)
    national_2026, _ = open_report("national", "national", year=2026)
    schools_2025 = [row[1] for row in table(national_2025["Trường chuẩn theo trường"])]
    schools_2026 = [row[1] for row in table(national_2026["Trường chuẩn theo trường"])]
    assert any(name.startswith(other_school.name) and "hợp nhất" in name for name in schools_2025)
    assert not any(name.startswith(other_school.name) for name in schools_2026)
    # the standard-school status as it stood on 31/12 of each year
    levels_2025 = {row[1]: row[8] for row in table(national_2025["Trường chuẩn theo trường"])}
    levels_2026 = {row[1]: row[8] for row in table(national_2026["Trường chuẩn theo trường"])}
    assert levels_2025[merged_world.name] == "Chuẩn mức 1" and levels_2026[merged_world.name] == "Chuẩn mức 2"
    school_levels = [
        {row[2]: row[3] for row in table(book["Trường chuẩn và thi đua"])}["Mức chuẩn được công nhận"]
        for book in (book_2025, book_2026)
    ]
    assert school_levels == ["Chuẩn mức 1", "Chuẩn mức 2"]
    # the school list of each year also counts by kind
    kinds = [{row[1]: row[-1] for row in table(book["Theo loại trường"])}["Số trường"]
             for book in (national_2025, national_2026)]
    assert kinds == [2, 1]


def test_standard_status_is_the_one_of_the_year(school, compliance_data, open_report):
    # Recognised at level 1 by a decision of 05/01/2024: not yet in 2023, level 1 in 2025.
    def standing(year):
        book, _ = open_report("school", "school", year=year, school=school)
        return {row[2]: row[3] for row in table(book["Trường chuẩn và thi đua"])}

    assert standing(2025)["Mức chuẩn được công nhận"] == "Chuẩn mức 1"
    assert standing(2025)["Năm đánh giá"] == 2025
    assert standing(2023)["Mức chuẩn được công nhận"] == "Chưa được công nhận"
    assert standing(2023)["Năm đánh giá"] == 2023


def test_standard_does_not_apply_to_other_kinds(school, compliance_data, open_report):
    ministry = School.objects.create(code="BO", name="Trường Cán bộ Bộ X", kind=School.Kind.MINISTRY)
    book, _ = open_report("national", "national")
    rows = {row[1]: row for row in table(book["Trường chuẩn theo trường"])}
    assert rows[ministry.name][8] == "Không áp dụng"


def test_register_graduates_equal_the_graduate_figure(school, training_data, open_report):
    book, _ = open_report("school", "school", school=school)
    register = table(book["Sổ học viên"])
    graduated = sum(1 for row in register if row[13] == "Tốt nghiệp"
                    and row[5] is not None and row[5].year == YEAR)
    figures = {row[2]: row[5] for row in table(book["Số liệu chủ yếu"])}
    assert graduated == figures["Học viên tốt nghiệp"] == 3  # K0 (opened 2024) is in the register


def test_year_without_data_says_so_and_bad_years_are_refused(school, training_data, open_report, tmp_path):
    book, _ = open_report("school", "school", year=2019, school=school)
    for sheet in book.worksheets[1:]:
        assert "Không có số liệu năm 2019" in " ".join(_texts(sheet, 1, header_row(sheet))), sheet.title
        assert table(sheet) == []
    for year in (1800, 2100):
        with pytest.raises(ScopeError, match="2000"):
            resolve_scope(scope="school", year=year, school=school)
        with pytest.raises(CommandError, match="2000"):
            call_command("build_report", "--kind", "school", "--year", str(year), "--school", "scha",
                         "--out", str(tmp_path / "a.xlsx"))


def test_build_report_takes_the_code_in_any_case_and_speaks_vietnamese(school, tmp_path, capsys):
    call_command("build_report", "--kind", "school", "--year", "2025", "--school", "scha",
                 "--out", str(tmp_path / "a.xlsx"))
    assert "tiến độ: 100%" in capsys.readouterr().out
    with pytest.raises(CommandError, match="Không có trường nào"):
        call_command("build_report", "--kind", "school", "--year", "2025", "--school", "nope",
                     "--out", str(tmp_path / "a.xlsx"))


def test_download_names_keep_d():
    assert slug("Tổng hợp cụm thi đua Đắk Lắk") == "tong-hop-cum-thi-dua-dak-lak"


def test_learner_profile_by_programme(school, training_data, open_report):
    book, _ = open_report("school", "school", school=school)
    rows = {(row[1], row[2]): row for row in table(book["Cơ cấu học viên"])}
    total = rows[("Tổng số", "Lượt học viên trong năm")]
    assert sum(total[4:-1]) == 5  # K1 (3) and K2 (2): the learner-turns of the classes opened in 2025
    assert total[-1] == 5  # the cached figure of the row total (a SUM formula)
    assert sum(rows[("Giới tính", "Nữ")][4:-1]) == 2


def test_an_academy_administrator_edits_the_document_form(users, client_as, school):
    from django.urls import reverse

    url = reverse("schools:school_update", kwargs={"school_code": school.code})
    form = client_as(users["academy"]).get(url).context["form"]
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update(kind=school.kind, code=school.code, name=school.name, active="on", superior_body="TỈNH ỦY A",
                place_name="Tỉnh A", signer_title="PHÓ HIỆU TRƯỞNG", signer_capacity="K/T HIỆU TRƯỞNG",
                signer_name="Nguyễn Văn Ký", cluster_signer_title="CỤM TRƯỞNG")
    data = {key: value for key, value in data.items() if value is not None}
    response = client_as(users["academy"]).post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    school.refresh_from_db()
    assert (school.place_name, school.signer_title, school.signer_name) == ("Tỉnh A", "PHÓ HIỆU TRƯỞNG", "Nguyễn Văn Ký")
    # a school administrator cannot
    assert client_as(users["admin"]).post(url, data).status_code in (403, 404)


def test_demo_schools_have_their_document_form(db):
    from schools.demo import seed_schools

    schools = seed_schools()
    nghean = schools["NGHEAN"]
    assert (nghean.superior_body, nghean.place_name, nghean.signer_capacity) == (
        "TỈNH ỦY NGHỆ AN", "Nghệ An", "T/M BAN GIÁM HIỆU"
    )
    academy = schools["HVCTQG"]
    assert (academy.issuing_body, academy.signer_title) == ("VỤ CÁC TRƯỜNG CHÍNH TRỊ", "VỤ TRƯỞNG")
    assert schools["HATINH"].signer_title == "HIỆU TRƯỞNG"


def test_one_definition_per_figure(school, staff_data, training_data, research_data, open_report):
    from research.models import Publication, Topic
    from tests.courses.helpers import make_class

    # a topic starting after the year, a contest entry, and a class opened with no learner
    leader = Staff.objects.filter(school=school, is_lecturer=True).first()
    Topic.objects.create(school=school, leader=leader, title="Đề tài sau", code="T9", level=Topic.Level.SCHOOL,
                         status=Topic.Status.IN_PROGRESS, start_on=datetime.date(2026, 2, 1),
                         end_on=datetime.date(2026, 12, 31))
    Publication.objects.create(school=school, kind=Publication.Kind.ESSAY_ENTRY, title="Bài dự thi",
                               published_on=datetime.date(2025, 6, 1))
    make_class(school, training_data["programmes"][1], "K9", opening=datetime.date(2025, 10, 1))
    book, _ = open_report("school", "school", school=school)
    figures = {row[2]: row[5] for row in table(book["Số liệu chủ yếu"])}
    assert figures["Đề tài nghiên cứu khoa học thực hiện trong năm"] == 2  # not T9 (2026) nor T3 (cancelled 2024)
    assert figures["Sách chuyên khảo"] == 1 and figures["Bài dự thi chính luận (tính riêng, ngoài ấn phẩm)"] == 1
    research = {(row[1], row[2]): row[4] for row in table(book["Nghiên cứu khoa học"])}
    assert research[("Ấn phẩm, theo loại", "Cộng")] == 1  # the contest entry is not a publication
    training = table(book["Đào tạo theo chương trình"])
    assert figures["Số lớp khai giảng"] == 3  # the class without learners has opened
    own_total = next(row for row in training if row[1] == "Tổng cộng các lớp của trường")
    assert own_total[7] == 1  # … and the training sheet says it has no learner
    notes = [value for item, value in table(book["Thông tin chung"]) if item == "Định nghĩa"]
    assert len(notes) >= 8


def test_the_request_form_refuses_years_outside_the_range(users, client_as):
    from django.urls import reverse
    from django.utils import timezone

    from reports.models import ReportJob

    url = reverse("reports:job_list")
    last = timezone.localdate().year + 1
    for year in (1800, last + 1):
        response = client_as(users["academy"]).post(url, {"kind": "national", "year": year, "target": "national"})
        assert response.status_code == 400
        assert f"Năm báo cáo phải trong khoảng 2000–{last}." in response.content.decode()
    assert not ReportJob.objects.exists()
    client_as(users["academy"]).post(url, {"kind": "national", "year": last, "target": "national"})
    assert ReportJob.objects.get().year == last  # next year can be asked for (a plan year)


def test_heading_of_a_merged_school_is_that_of_its_year(school, other_school, open_report):
    """A school merged away on 01/07/2025 into a school of another province: its 2024 report is
    headed by the Party committee, name and place it had then, not by today's province."""
    from schools.models import Province, SchoolName

    quang_tri = (Province.objects.filter(name__contains="Quảng Trị").first()
                 or Province.objects.create(name="Tỉnh Quảng Trị", kind=Province.Kind.PROVINCE))
    other_school.province = quang_tri  # today's province of the absorbed school
    other_school.merged_into, other_school.merged_on = school, datetime.date(2025, 7, 1)
    other_school.superior_body, other_school.signer_name = "TỈNH ỦY QUẢNG TRỊ", "Lê Văn Nay"
    other_school.save()
    SchoolName.objects.create(school=other_school, name="Trường Chính trị tỉnh Quảng Bình",
                              province_name="Tỉnh Quảng Bình")
    book, _rows = open_report("school", "school", year=2024, school=other_school)
    sheet = book.worksheets[1]
    top = " | ".join(_texts(sheet, 1, header_row(sheet) - 1))
    assert "TỈNH ỦY QUẢNG BÌNH" in top and "TRƯỜNG CHÍNH TRỊ TỈNH QUẢNG BÌNH" in top
    assert "Quảng Bình, ngày" in top and "Đơn vị báo cáo: Trường Chính trị tỉnh Quảng Bình" in top
    assert "QUẢNG TRỊ" not in top
    bottom = " | ".join(_texts(sheet, header_row(sheet) + len(table(sheet)) + 1, sheet.max_row))
    assert "Lê Văn Nay" not in bottom  # today's signer did not sign the reports of then


def test_no_text_is_cut_at_a_cell_border(school, other_school, training_data, tmp_path):
    """The streamed register sizes its text columns from the longest text written; the summaries size
    the school column from the longest name of the year (merger note included); a wrapped header
    row is tall enough for its words."""
    from courses.models import Learner
    from reports.registry import build_workbook
    from reports.writer import wrapped_lines

    long_workplace = "Ban Tuyên giáo và Dân vận Tỉnh ủy, Ủy ban Mặt trận Tổ quốc tỉnh"
    Learner.objects.filter(full_name="Nguyễn Thị Hoa").update(workplace=long_workplace)
    other_school.merged_into, other_school.merged_on = school, datetime.date(2025, 7, 1)
    other_school.name = "Trường Chính trị Nguyễn Văn Cừ tỉnh Bắc Giang"
    other_school.save()
    path = tmp_path / "register.xlsx"
    build_workbook("learners", resolve_scope(scope="school", year=YEAR, school=school), path)
    sheet = load_workbook(path)["Sổ học viên"]
    head = header_row(sheet)
    column = next(c for c in sheet[head] if c.value == "Đơn vị công tác").column_letter
    assert sheet.column_dimensions[column].width >= len(long_workplace)
    path = tmp_path / "national.xlsx"
    build_workbook("national", resolve_scope(scope="national", year=YEAR), path)
    sheet = load_workbook(path)["Đào tạo, bồi dưỡng"]
    head = header_row(sheet)
    names = [row[1] for row in table(sheet) if row[0]]
    merged = next(name for name in names if "hợp nhất" in name)
    assert sheet.column_dimensions["B"].width * 1.2 >= len(merged)
    assert wrapped_lines("Bồi dưỡng ngạch chuyên viên chính", 11) == 4
    assert wrapped_lines("Họ và tên", 20) == 1 and wrapped_lines("x" * 25, 10) == 3
