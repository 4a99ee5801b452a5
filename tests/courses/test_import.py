"""Excel import of learners into a class, through the pages and the ``import_learners`` command."""

import datetime
import io
import unicodedata

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.importer import HEADERS
from courses.models import Enrollment, ImportBatch, Learner
from schools.models import EthnicGroup
from tests.access import assert_post_refused, assert_write_matrix, statuses
from tests.courses.helpers import cccd_for, enroll, make_class, make_learner, make_programme

pytestmark = pytest.mark.django_db

# The batch belongs to the user who uploaded it (the school admin in these tests).
BATCH_EXPECTED = {"admin": 200, "staff": 404, "viewer": 403, "outsider": 404, "reviewer": 403, "anonymous": 302}


# --- building workbooks ---------------------------------------------------------------------------
def person(n, *, name=None, dob=datetime.date(1985, 5, 1), sex="Nam", ethnic="Kinh", cccd=None, **extra):
    """One data row (a dict by header) for the n-th person of a list."""
    code = "M" if sex == "Nam" else "F"
    return {
        "STT": n, "Họ và tên": name or f"Nguyễn Văn Học {n}", "Ngày sinh": dob, "Giới tính": sex,
        "Dân tộc": ethnic, "Tôn giáo": "Không", "Số CCCD": cccd or cccd_for(dob, code, serial=n),
        "Quê quán": "Nghệ An", "Chức vụ": "Phó Chủ tịch UBND xã", "Đơn vị công tác": "UBND xã Hưng Lộc",
        "Ngày vào Đảng": datetime.date(2010, 3, 2), "Ngày chính thức": datetime.date(2011, 3, 2),
        "Trình độ chuyên môn": "Cử nhân Luật", "Trình độ LLCT": "Sơ cấp", **extra,
    }


def workbook_bytes(rows, *, headers=HEADERS, title_rows=()) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for line in title_rows:
        sheet.append([line])
    sheet.append(list(headers))
    for number, row in enumerate(rows, start=len(title_rows) + 2):
        sheet.append([row.get(h) for h in headers])
        for column, header in enumerate(headers, start=1):
            if isinstance(row.get(header), datetime.date):
                sheet.cell(row=number, column=column).number_format = "DD/MM/YYYY"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(rows=None, name="danh-sach.xlsx", content=None, **kwargs):
    return SimpleUploadedFile(name, content if content is not None else workbook_bytes(rows, **kwargs))


def people(count, start=1, **kwargs):
    return [person(n, **kwargs) for n in range(start, start + count)]


# --- fixtures and page helpers ------------------------------------------------------------------------
@pytest.fixture
def programme(db):
    return make_programme()


@pytest.fixture
def klass(school, programme):
    return make_class(school, programme, code="DEMO-TC1")


def import_url(klass):
    return reverse("courses:class_import", kwargs={"school_code": klass.school.code, "pk": klass.pk})


def batch_url(name, batch):
    return reverse(f"courses:{name}", kwargs={"school_code": batch.training_class.school.code, "pk": batch.pk})


def post_file(client, klass, file):
    return client.post(import_url(klass), {"file": file})


def upload_batch(client, klass, rows, **kwargs) -> ImportBatch:
    response = post_file(client, klass, upload(rows, **kwargs))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return ImportBatch.objects.get(pk=response.url.rstrip("/").split("/")[-1])


def confirm(client, batch):
    return client.post(batch_url("import_confirm", batch), follow=True)


def page_text(response) -> str:
    return response.content.decode()


# --- access and tenancy -----------------------------------------------------------------------------------
def test_import_pages_follow_the_write_matrix(users, klass, school):
    assert_write_matrix(users, import_url(klass))
    assert_write_matrix(users, reverse("courses:import_template", kwargs={"school_code": school.code}))
    assert_post_refused(users, import_url(klass), {"file": upload(people(1))})
    assert not ImportBatch.objects.exists()


def test_batch_pages_belong_to_the_uploader_of_the_school(users, client_as, klass):
    client = client_as(users["admin"])
    batch = upload_batch(client, klass, people(2))
    bad = upload_batch(client, klass, [person(1, cccd="12345")])
    assert statuses(users, batch_url("import_preview", batch)) == BATCH_EXPECTED
    assert statuses(users, batch_url("import_errors", bad)) == BATCH_EXPECTED
    for name in ("import_confirm", "import_cancel"):
        got = statuses(users, batch_url(name, batch), method="post",
                       roles=("staff", "viewer", "outsider", "reviewer", "anonymous"))
        assert got == {"staff": 404, "viewer": 403, "outsider": 404, "reviewer": 403, "anonymous": 302}
    assert not Learner.objects.exists()
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportBatch.Status.PREVIEW


def test_another_schools_class_or_batch_is_404(users, client_as, other_school, programme, school):
    foreign_class = make_class(other_school, programme, code="K1")
    outsider_batch = upload_batch(client_as(users["outsider"]), foreign_class, people(1))
    client = client_as(users["admin"])
    # under the user's own school URL, the other school's class and batch do not exist
    assert client.get(reverse("courses:class_import", kwargs={"school_code": school.code,
                                                              "pk": foreign_class.pk})).status_code == 404
    for name in ("import_preview", "import_errors"):
        url = reverse(f"courses:{name}", kwargs={"school_code": school.code, "pk": outsider_batch.pk})
        assert client.get(url).status_code == 404
    url = reverse("courses:import_confirm", kwargs={"school_code": school.code, "pk": outsider_batch.pk})
    assert client.post(url).status_code == 404
    assert not Enrollment.objects.exists()


# --- the happy path -------------------------------------------------------------------------------------
def test_upload_previews_without_saving_then_confirm_saves_every_row(users, client_as, klass,
                                                                     django_capture_on_commit_callbacks):
    client = client_as(users["staff"])
    response = post_file(client, klass, upload(people(3)))
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.file.name == f"imports/{batch.pk}.xlsx" and batch.file.storage.exists(batch.file.name)
    assert not Learner.objects.exists()  # nothing saved before the confirmation
    preview = client.get(response.url)
    assert preview.status_code == 200
    assert "Xác nhận: thêm 3 học viên vào lớp" in page_text(preview)
    name = batch.file.name
    with django_capture_on_commit_callbacks(execute=True):
        done = confirm(client, batch)
    assert "thêm mới 3 học viên" in page_text(done)
    assert Enrollment.objects.filter(training_class=klass).count() == 3
    learner = Learner.objects.get(cccd=cccd_for(datetime.date(1985, 5, 1), "M", serial=2))
    assert learner.full_name == "Nguyễn Văn Học 2" and learner.search_name == "nguyen van hoc 2"
    assert learner.ethnic_group.name == "Kinh" and learner.theory_level == Learner.TheoryLevel.ELEMENTARY
    assert learner.party_joined_on == datetime.date(2010, 3, 2) and learner.position == "Phó Chủ tịch UBND xã"
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE and batch.new_count == 3 and batch.imported_at
    assert not batch.file and not batch.file.storage.exists(name)  # personal data not kept once imported
    # confirming twice (a double click) adds nothing and says so
    again = confirm(client, batch)
    assert "đã được xác nhận hoặc đã hủy" in page_text(again)
    assert Enrollment.objects.count() == 3


def test_the_same_file_imported_twice_adds_nobody_the_second_time(users, client_as, klass):
    client = client_as(users["admin"])
    content = workbook_bytes(people(4))
    confirm(client, upload_batch(client, klass, None, content=content))
    assert Enrollment.objects.count() == 4
    second = upload_batch(client, klass, None, content=content)
    assert (second.status, second.already_count, second.to_add_count) == (ImportBatch.Status.PREVIEW, 4, 0)
    preview = page_text(client.get(second.get_absolute_url()))
    assert "Tệp này đã được nhập vào lớp" in preview
    assert "Không có ai để thêm: cả 4 học viên trong tệp đã có trong lớp." in preview
    assert "Xác nhận: thêm" not in preview
    response = confirm(client, second)
    assert "Không thêm ai: cả 4 học viên trong tệp đã có trong lớp." in page_text(response)
    assert Learner.objects.count() == 4 and Enrollment.objects.count() == 4


def test_a_known_person_is_linked_not_duplicated(users, client_as, klass, other_school, programme):
    elsewhere = make_class(other_school, programme, code="K9")
    known = make_learner("Trần Thị Mai", datetime.date(1990, 7, 8), "F")
    enroll(elsewhere, known)
    client = client_as(users["admin"])
    # same person, written in capitals with stray spaces: still the same name
    rows = [person(1, name="  TRẦN  THỊ MAI ", dob=datetime.date(1990, 7, 8), sex="Nữ", cccd=known.cccd), person(2)]
    batch = upload_batch(client, klass, rows)
    assert (batch.new_count, batch.linked_count) == (1, 1)
    confirm(client, batch)
    assert Learner.objects.filter(cccd=known.cccd).count() == 1
    known.refresh_from_db()
    assert known.full_name == "Trần Thị Mai"  # the record is linked, not overwritten
    assert set(known.enrollments.values_list("training_class__code", flat=True)) == {"K9", "DEMO-TC1"}


# --- nothing saved when anything is wrong --------------------------------------------------------------
def test_one_bad_row_saves_nothing_and_is_reported_with_row_and_column(users, client_as, klass):
    client = client_as(users["admin"])
    rows = people(5)
    rows[2]["Số CCCD"] = "04008501234"  # 11 digits, Excel row 4
    batch = upload_batch(client, klass, rows)
    assert batch.status == ImportBatch.Status.INVALID
    assert batch.errors == [[4, "Số CCCD", "Số CCCD phải gồm đúng 12 chữ số."]]
    preview = page_text(client.get(batch.get_absolute_url()))
    assert "Tệp có 1 lỗi" in preview and "Dòng 4, cột Số CCCD: Số CCCD phải gồm đúng 12 chữ số." in preview
    assert "Xác nhận: thêm" not in preview
    response = confirm(client, batch)
    assert response.status_code == 200
    assert not Learner.objects.exists() and not Enrollment.objects.exists()


def test_rows_that_became_wrong_after_the_preview_save_nothing(users, client_as, klass):
    client = client_as(users["admin"])
    rows = people(3)
    batch = upload_batch(client, klass, rows)
    assert batch.status == ImportBatch.Status.PREVIEW
    # meanwhile someone records the second person under another name
    Learner.objects.create(full_name="Lê Văn Khác", date_of_birth=datetime.date(1985, 5, 1), sex="M",
                           cccd=rows[1]["Số CCCD"])
    response = confirm(client, batch)
    assert "nên không lưu gì" in page_text(response)
    assert Learner.objects.count() == 1 and not Enrollment.objects.exists()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.INVALID and batch.errors[0][:2] == [3, "Số CCCD"]


NOT_THE_RECORDED_PERSON = ("Số giấy tờ tùy thân này đã được ghi nhận với thông tin khác; hãy kiểm tra lại số, "
                           "họ tên và ngày sinh.")


def test_repeated_cccd_and_conflicts_with_the_known_person_are_reported(users, client_as, klass):
    known = make_learner("Phạm Văn Đông", datetime.date(1980, 1, 15), "M")
    other = make_learner("Lê Thị Hồng", datetime.date(1982, 9, 1), "F")
    rows = [
        person(1, name="Phạm Văn Tây", dob=datetime.date(1980, 1, 15), cccd=known.cccd),  # name differs
        person(2, name="Lê Thị Hồng", dob=datetime.date(1982, 6, 30), sex="Nữ", cccd=other.cccd),  # date differs
        person(3), person(4, cccd=cccd_for(datetime.date(1985, 5, 1), "M", serial=3)),  # same CCCD as row 4
    ]
    client = client_as(users["admin"])
    batch = upload_batch(client, klass, rows)
    problems = {(row, column): message for row, column, message in batch.errors}
    # The person behind a number is never named (issue 13 item 1): on main the message read
    # "… đã được ghi nhận cho “Phạm Văn Đông”" and "… với ngày sinh 01/09/1982".
    for row in (2, 3):
        assert problems[(row, "Số CCCD")] == NOT_THE_RECORDED_PERSON
        assert (row, "Họ và tên") not in problems and (row, "Ngày sinh") not in problems
    everything = " ".join(message for _r, _c, message in batch.errors)
    assert "Đông" not in everything and "01/09/1982" not in everything and "1982" not in everything
    assert "xuất hiện nhiều lần trong tệp (dòng 4, 5)" in problems[(4, "Số CCCD")]
    assert (5, "Số CCCD") in problems
    assert batch.status == ImportBatch.Status.INVALID
    assert Learner.objects.count() == 2 and not Enrollment.objects.exists()


# --- cell formats ------------------------------------------------------------------------------------------
def _nfd(text):
    return unicodedata.normalize("NFD", text)


def test_nfd_text_and_text_dates_import_like_nfc_and_excel_dates(users, client_as, school, programme):
    """Two spellings of the same list give identical learner records."""
    plain = [person(n, ethnic=ethnic) for n, ethnic in ((1, "Kinh"), (2, "Thái"), (3, "Ê Đê"))]
    variant = []
    for row in plain:
        row = dict(row)
        for header in ("Họ và tên", "Quê quán", "Chức vụ", "Đơn vị công tác", "Trình độ LLCT"):
            row[header] = "  " + _nfd(row[header]).replace(" ", "   ") + " "
        for header in ("Ngày sinh", "Ngày vào Đảng", "Ngày chính thức"):
            row[header] = row[header].strftime("%d/%m/%Y")
        row["Dân tộc"] = {"Kinh": "kinh", "Thái": _nfd("thái"), "Ê Đê": "Ê-đê"}[row["Dân tộc"]]
        row["Giới tính"] = " nam "
        row["Số CCCD"] = " " + row["Số CCCD"][:3] + " " + row["Số CCCD"][3:]
        variant.append(row)
    client = client_as(users["admin"])
    records = []
    for code, rows in (("K-A", plain), ("K-B", variant)):
        klass = make_class(school, programme, code=code)
        batch = upload_batch(client, klass, rows)
        assert batch.status == ImportBatch.Status.PREVIEW, batch.errors
        confirm(client, batch)
        records.append(list(Learner.objects.filter(enrollments__training_class=klass).order_by("cccd").values(
            "full_name", "search_name", "name_sort_key", "date_of_birth", "sex", "ethnic_group__name", "cccd",
            "hometown", "position", "workplace", "party_joined_on", "party_official_on", "theory_level")))
    # the second list links the very same people: no conflict, no duplicate
    assert Learner.objects.count() == 3
    assert records[0] == records[1]
    assert [r["ethnic_group__name"] for r in records[0]] == ["Kinh", "Thái", "Ê Đê"]
    assert records[0][1]["full_name"] == unicodedata.normalize("NFC", "Nguyễn Văn Học 2")


def test_a_cccd_typed_into_a_number_cell_gets_its_leading_zero_back(users, client_as, klass):
    row = person(1)
    row["Số CCCD"] = int(row["Số CCCD"])  # "040085000001" became the number 40085000001
    client = client_as(users["admin"])
    confirm(client, upload_batch(client, klass, [row]))
    assert Learner.objects.get().cccd == person(1)["Số CCCD"]


def test_cell_problems_get_vietnamese_messages(users, client_as, klass):
    rows = [
        person(1, sex="Male"),
        person(2, ethnic="Kinhh"),
        {**person(3), "Ngày sinh": "31/02/1985"},
        person(4, **{"Ngày chính thức": datetime.date(2009, 1, 1)}),  # before the date joined
        person(5, name="   "),
        person(6, **{"Trình độ LLCT": "Thạc sĩ"}),
        person(7, **{"Ngày vào Đảng": "   "}),  # made official, but never joined?
    ]
    client = client_as(users["admin"])
    batch = upload_batch(client, klass, rows)
    problems = {(row, column): message for row, column, message in batch.errors}
    assert problems[(2, "Giới tính")] == "Ghi “Nam” hoặc “Nữ”."
    assert "không thuộc 54 dân tộc" in problems[(3, "Dân tộc")]
    assert "không phải là ngày" in problems[(4, "Ngày sinh")]
    assert "không được trước ngày vào Đảng" in problems[(5, "Ngày chính thức")]
    assert problems[(6, "Họ và tên")] == "Nhập họ và tên."
    assert (7, "Trình độ LLCT") in problems
    assert problems[(8, "Ngày vào Đảng")] == "Nhập ngày vào Đảng."
    preview = page_text(client.get(batch.get_absolute_url()))
    assert "Dòng 2, cột Giới tính: Ghi “Nam” hoặc “Nữ”." in preview


# --- refused files ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("file", "message"),
    [
        (SimpleUploadedFile("list.csv", b"STT,Ho va ten\n1,A\n"), "định dạng .xlsx"),
        (SimpleUploadedFile("list.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 100), "định dạng .xlsx"),
        (SimpleUploadedFile("renamed.xlsx", b"STT,Ho va ten\n1,A\n"), "không phải là tệp Excel/Word (.xlsx/.docx) hợp lệ"),
        (SimpleUploadedFile("empty.xlsx", b""), "Tập tin được gửi là rỗng"),  # Django's own check
    ],
)
def test_files_that_are_not_xlsx_are_refused(users, client_as, klass, file, message):
    response = post_file(client_as(users["admin"]), klass, file)
    assert response.status_code == 200
    assert message in page_text(response)
    assert not ImportBatch.objects.exists()


def test_a_file_over_the_size_limit_is_refused_and_the_limit_stated(users, client_as, klass, settings):
    settings.MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("big.xlsx", b"PK" + b"\0" * (1024 * 1024 + 10))
    response = post_file(client_as(users["admin"]), klass, big)
    assert "Tệp quá lớn: dung lượng tối đa là 1 MB." in page_text(response)
    assert not ImportBatch.objects.exists()
    # and the upload page states the limit up front
    assert "tối đa 1 MB" in page_text(client_as(users["admin"]).get(import_url(klass)))


def test_a_wrong_header_is_refused_with_the_expected_columns(users, client_as, klass):
    headers = list(HEADERS)
    headers[6], headers[7] = headers[7], headers[6]  # two columns swapped
    response = post_file(client_as(users["admin"]), klass, upload([person(1)], headers=headers))
    text = page_text(response)
    assert "Dòng tiêu đề (dòng 1) không đúng mẫu" in text and "Số CCCD, Quê quán" in text
    assert not ImportBatch.objects.exists()


def test_a_title_line_above_the_header_and_blank_lines_are_fine(users, client_as, klass):
    rows = [person(1), {"STT": 2}, person(3)]
    client = client_as(users["admin"])
    batch = upload_batch(client, klass, rows, title_rows=["DANH SÁCH HỌC VIÊN LỚP DEMO-TC1"])
    assert (batch.status, batch.row_count, batch.new_count) == (ImportBatch.Status.PREVIEW, 2, 2)


def test_a_closed_class_takes_no_import(users, client_as, school, programme):
    closed = make_class(school, programme, code="K-OLD", opening=datetime.date(2024, 1, 1),
                        closing=datetime.date(2024, 6, 1))
    response = post_file(client_as(users["admin"]), closed, upload(people(1)))
    assert "Lớp đã bế giảng" in page_text(response)


# --- downloads ------------------------------------------------------------------------------------------------
def test_template_has_the_exact_header_and_a_text_cccd_column(users, client_as, school):
    response = client_as(users["staff"]).get(reverse("courses:import_template", kwargs={"school_code": school.code}))
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.xlsx"')
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[1]] == list(HEADERS)
    assert sheet["G2"].number_format == "@" and sheet.column_dimensions["G"].number_format == "@"
    notes = " ".join(str(c.value) for c in workbook["Hướng dẫn"]["A"])
    assert "số 0 ở đầu" in notes and "12 chữ số" in notes
    assert workbook["Danh mục"].max_row == EthnicGroup.objects.count() == 54


def test_the_template_itself_imports_cleanly_once_filled(users, client_as, klass, school):
    client = client_as(users["admin"])
    content = client.get(reverse("courses:import_template", kwargs={"school_code": school.code})).content
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    row = person(1)
    workbook.worksheets[0].append([row.get(h) for h in HEADERS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    batch = upload_batch(client, klass, None, content=buffer.getvalue())
    assert batch.status == ImportBatch.Status.PREVIEW and batch.new_count == 1


def test_error_workbook_marks_the_bad_cells(users, client_as, klass):
    rows = people(3)
    rows[1]["Số CCCD"] = "999085000002"
    rows[2]["Giới tính"] = "X"
    client = client_as(users["admin"])
    batch = upload_batch(client, klass, rows)
    response = client.get(batch_url("import_errors", batch))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet.cell(row=1, column=len(HEADERS) + 1).value == "Lỗi"
    bad = sheet["G3"]
    assert bad.fill.fgColor.rgb.endswith("F8CBAD") and "không phải mã tỉnh" in bad.comment.text
    assert sheet["D4"].comment is not None and sheet["D4"].fill.fgColor.rgb.endswith("F8CBAD")
    assert "Số CCCD:" in sheet.cell(row=3, column=len(HEADERS) + 1).value
    assert sheet.cell(row=2, column=len(HEADERS) + 1).value is None and sheet["G2"].comment is None
    assert sheet["B3"].value == rows[1]["Họ và tên"]  # the user's own data comes back untouched
    # the corrected workbook, "Lỗi" column and all, can be uploaded again
    sheet["G3"].value = cccd_for(datetime.date(1985, 5, 1), "M", serial=2)
    sheet["D4"].value = "Nam"
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    again = upload_batch(client, klass, None, content=buffer.getvalue())
    assert again.status == ImportBatch.Status.PREVIEW and again.new_count == 3


def test_cancel_forgets_the_file(users, client_as, klass, django_capture_on_commit_callbacks):
    client = client_as(users["admin"])
    batch = upload_batch(client, klass, people(1))
    name = batch.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(batch_url("import_cancel", batch), follow=True)
    assert "Đã hủy lần nhập" in page_text(response)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.CANCELLED and not batch.file
    assert not batch.file.storage.exists(name)
    assert confirm(client, batch).status_code == 200 and not Learner.objects.exists()


# --- bounded queries ----------------------------------------------------------------------------------------------
def test_commit_query_count_does_not_grow_with_the_rows(users, client_as, school, programme, other_school):
    client = client_as(users["admin"])
    elsewhere = make_class(other_school, programme, code="K9")
    counts = []
    # 40, not 50: SQLite inserts at most 999 parameters a statement, i.e. 45 learners of 22 columns
    for size, code in ((5, "K-5"), (40, "K-40")):
        klass = make_class(school, programme, code=code)
        rows = people(size, start=1000 * size)
        for row in rows[:2]:  # two people already on record, to be linked
            enroll(elsewhere, Learner.objects.create(
                full_name=row["Họ và tên"], date_of_birth=row["Ngày sinh"], sex="M", cccd=row["Số CCCD"]))
        batch = upload_batch(client, klass, rows)
        assert (batch.new_count, batch.linked_count) == (size - 2, 2)
        with CaptureQueriesContext(connection) as upload_queries:
            upload_batch(client, klass, rows)
        with CaptureQueriesContext(connection) as commit_queries:
            confirm(client, batch)
        assert Enrollment.objects.filter(training_class=klass).count() == size
        counts.append((len(upload_queries), len(commit_queries)))
    assert counts[0] == counts[1], counts


# --- the command ----------------------------------------------------------------------------------------------------
def write_file(tmp_path, rows, name="list.xlsx"):
    path = tmp_path / name
    path.write_bytes(workbook_bytes(rows))
    return path


def test_command_imports_and_prints_the_counts(school, klass, tmp_path, capsys):
    known = make_learner("Trần Thị Mai", datetime.date(1990, 7, 8), "F")
    rows = [*people(2), person(3, name="Trần Thị Mai", dob=datetime.date(1990, 7, 8), sex="Nữ", cccd=known.cccd)]
    path = write_file(tmp_path, rows)
    call_command("import_learners", school.code, klass.code, str(path))
    assert "2 học viên mới, liên kết 1 học viên" in capsys.readouterr().out
    assert Enrollment.objects.filter(training_class=klass).count() == 3 and Learner.objects.count() == 3
    call_command("import_learners", school.code, klass.code, str(path))
    assert "0 học viên mới, liên kết 0 học viên đã có trong hệ thống, 3 học viên đã có trong lớp" in \
        capsys.readouterr().out
    assert Enrollment.objects.count() == 3


def test_command_with_row_errors_prints_them_saves_nothing_and_fails(school, klass, tmp_path, capsys):
    rows = people(3)
    rows[1]["Số CCCD"] = "040085"
    rows[2]["Ngày sinh"] = "1985"
    path = write_file(tmp_path, rows)
    with pytest.raises(CommandError, match="không lưu gì") as exc:
        call_command("import_learners", school.code, klass.code, str(path))
    assert exc.value.returncode == 1  # manage.py exits with this status
    err = capsys.readouterr().err
    assert "Dòng 3, cột Số CCCD: Số CCCD phải gồm đúng 12 chữ số." in err
    assert "Dòng 4, cột Ngày sinh:" in err
    assert not Learner.objects.exists() and not Enrollment.objects.exists()


def test_command_refuses_unknown_school_class_and_bad_files(school, klass, other_school, tmp_path):
    path = write_file(tmp_path, people(1))
    with pytest.raises(CommandError, match="Không có trường"):
        call_command("import_learners", "NOPE", klass.code, str(path))
    with pytest.raises(CommandError, match="không có lớp"):
        call_command("import_learners", other_school.code, klass.code, str(path))  # another school's class
    csv = tmp_path / "list.csv"
    csv.write_text("STT\n1\n")
    with pytest.raises(CommandError, match=".xlsx"):
        call_command("import_learners", school.code, klass.code, str(csv))
    assert not Learner.objects.exists()


def test_confirm_without_the_stored_file_asks_to_upload_again(users, client_as, klass):
    client = client_as(users["admin"])
    batch = upload_batch(client, klass, people(2))
    batch.file.storage.delete(batch.file.name)
    response = confirm(client, batch)
    assert "Tệp đã tải lên không còn nữa; vui lòng tải lên lại." in page_text(response)
    assert not Learner.objects.exists()


def test_an_upload_spooled_to_disk_is_read_the_same_way(users, client_as, klass, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # every upload becomes a temporary file on disk
    client = client_as(users["admin"])
    batch = upload_batch(client, klass, people(3))
    assert (batch.status, batch.new_count) == (ImportBatch.Status.PREVIEW, 3)
    confirm(client, batch)
    assert Enrollment.objects.filter(training_class=klass).count() == 3


def test_a_person_recorded_by_someone_else_meanwhile_saves_nothing(users, client_as, klass, monkeypatch):
    """Two imports confirmed at the same moment: the unique CCCD stops the second, which can be confirmed again."""
    from courses import import_checks

    client = client_as(users["admin"])
    rows = people(2)
    batch = upload_batch(client, klass, rows)
    Learner.objects.create(full_name=rows[0]["Họ và tên"], date_of_birth=rows[0]["Ngày sinh"], sex="M",
                           cccd=rows[0]["Số CCCD"])
    monkeypatch.setattr(import_checks, "_known_learners", lambda cccds, training_class: {})  # the stale view
    response = confirm(client, batch)
    assert "vừa được người khác ghi nhận cùng lúc" in page_text(response)
    assert Learner.objects.count() == 1 and not Enrollment.objects.exists()
    monkeypatch.undo()
    confirm(client, batch)  # the batch is still open: now the person is linked
    assert Learner.objects.count() == 2 and Enrollment.objects.count() == 2


def test_a_zip_bomb_disguised_as_a_learner_list_is_refused_before_parsing(users, client_as, klass):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "0" * (60 * 1024 * 1024))
    response = post_file(client_as(users["admin"]), klass, SimpleUploadedFile("bomb.xlsx", buffer.getvalue()))
    assert response.status_code == 200
    assert "zip bomb" in page_text(response)
    assert not ImportBatch.objects.exists()
