"""A school administrator's day, in a real browser on the demo data: create a class, import its
learners from Excel (a bad row first, then the corrected file), enter marks in the grade grid, and
download the class roster."""

import datetime
import io
import re
from pathlib import Path

import openpyxl
import pytest

from courses.importer import HEADERS
from courses.models import Enrollment, Mark, TrainingClass
from tests.courses.helpers import cccd_for
from tests.e2e.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def learners_xlsx(*, bad_first_row: bool) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(HEADERS))
    for n in range(1, 4):
        dob = datetime.date(1983 + n, 3, 10 + n)
        cccd = cccd_for(dob, "M", serial=770000 + n)
        if n == 1 and bad_first_row:
            cccd = "12345"  # not a 12-digit citizen ID
        sheet.append([n, f"Phan Văn Trình Duyệt {n}", dob.strftime("%d/%m/%Y"), "Nam", "Kinh", "Không", cccd,
                      "Nghệ An", "Chuyên viên", "UBND huyện Nam Đàn", "", "", "Cử nhân", "Sơ cấp"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(page, content: bytes):
    page.set_input_files("input[type=file]", files=[{
        "name": "danh-sach-hoc-vien.xlsx", "buffer": content,
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    page.click("form[enctype='multipart/form-data'] button[type=submit]")
    page.wait_for_load_state()


def test_school_admin_creates_a_class_imports_learners_enters_marks_and_downloads_the_roster(page, demo):
    login(page, "nghean")
    assert "/s/NGHEAN/" in page.url

    # 1. a new class
    page.goto("/s/NGHEAN/classes/add/")
    page.fill("[name=code]", "E2E-TC01")
    page.fill("[name=name]", "Lớp Trung cấp lý luận chính trị E2E")
    page.select_option("[name=programme]", index=1)
    page.fill("[name=opening_date]", "01/03/2026")
    page.select_option("[name=status]", value=TrainingClass.Status.IN_PROGRESS)
    page.click("form[method=post]:has([name=code]) [type=submit]")
    page.wait_for_url(re.compile(r"/s/NGHEAN/classes/\d+/$"))
    klass = TrainingClass.objects.get(school__code="NGHEAN", code="E2E-TC01")
    assert "E2E-TC01" in page.content()

    # 2. import from Excel: one bad row refuses the file, nothing is saved
    page.goto(f"/s/NGHEAN/classes/{klass.pk}/import/")
    upload(page, learners_xlsx(bad_first_row=True))
    text = page.inner_text("main") if page.locator("main").count() else page.inner_text("body")
    assert "Dòng 2" in text and "Số CCCD" in text, text[:2000]
    assert page.locator("form[action$='/confirm/'] button").count() == 0  # no confirmation offered
    assert not Enrollment.objects.filter(training_class=klass).exists()

    # … the corrected file previews, then the confirmation adds everyone
    page.goto(f"/s/NGHEAN/classes/{klass.pk}/import/")
    upload(page, learners_xlsx(bad_first_row=False))
    assert not Enrollment.objects.filter(training_class=klass).exists()  # a preview saves nothing
    page.click("form[action$='/confirm/'] button[type=submit]")
    page.wait_for_load_state()
    assert Enrollment.objects.filter(training_class=klass).count() == 3
    assert "Phan Văn Trình Duyệt 2" in page.content() or "Phan Văn Trình Duyệt 2" in page.goto(
        f"/s/NGHEAN/classes/{klass.pk}/").text()

    # 3. marks in the grade grid
    page.goto(f"/s/NGHEAN/classes/{klass.pk}/marks/")
    cells = page.locator("#grade-grid input[type=text]")
    assert cells.count() >= 3
    cells.nth(0).fill("8,5")
    cells.nth(1).fill("7")
    page.click("#grade-grid button[type=submit]")
    page.wait_for_load_state()
    marks = sorted(str(m.value) for m in Mark.objects.filter(enrollment__training_class=klass) if m.value is not None)
    assert marks == ["7.00", "8.50"] or marks == ["7.0", "8.5"] or marks == ["7", "8.5"], marks

    # 4. the class roster, downloaded as Excel
    page.goto(f"/s/NGHEAN/classes/{klass.pk}/roster/")
    with page.expect_download() as download_info:
        page.click("a[href='?export=xlsx']")
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()), read_only=True).worksheets[0]
    names = {row[1] for row in sheet.iter_rows(values_only=True)}
    assert {"Phan Văn Trình Duyệt 1", "Phan Văn Trình Duyệt 2", "Phan Văn Trình Duyệt 3"} <= names
