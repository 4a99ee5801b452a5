"""The learner register over several years, and registers longer than an Excel sheet."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook

from reports import writer as report_writer
from reports.models import ReportJob
from reports.writer import Column, ReportWriter

from .conftest import table

pytestmark = pytest.mark.django_db
LIST_URL = reverse("reports:job_list")


def test_register_from_one_year_to_another_has_the_classes_of_every_year(school, training_data, open_report):
    book, _rows = open_report("learners", "school", school=school, first_year=2024)
    codes = [row[0] for row in table(book["Sổ học viên"])]
    assert codes == ["K0", "K1", "K1", "K1", "K2", "K2"]  # 2024 and 2025; K3 opened in 2026
    info = dict(table(book["Thông tin chung"]))
    assert info["Năm"] == "2024–2025"


def test_the_academy_requests_a_register_over_several_years(users, client_as, school, training_data):
    client = client_as(users["academy"])
    response = client.post(LIST_URL, {"kind": "learners", "year": 2025, "first_year": 2024, "target": "national"},
                           follow=True)
    assert response.status_code == 200
    job = ReportJob.objects.get()
    assert (job.first_year, job.year, job.state) == (2024, 2025, ReportJob.State.DONE)
    assert "2024–2025" in response.content.decode()
    download = client.get(job.get_download_url())
    assert "2024-2025" in download["Content-Disposition"]
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert len(table(book["Sổ học viên"])) == 7  # K0 (2024), K1, K2 and B1 (2025); not K3 (2026)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "learners", "year": 2024, "first_year": 2025}, "Năm bắt đầu không được sau năm của báo cáo."),
        ({"kind": "national", "year": 2025, "first_year": 2024}, "Chỉ sổ học viên mới lập được cho nhiều năm."),
    ],
)
def test_a_wrong_period_is_refused_with_a_message(users, client_as, data, message):
    response = client_as(users["academy"]).post(LIST_URL, {**data, "target": "national"})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ReportJob.objects.exists()


def test_build_report_command_takes_a_first_year(school, training_data, tmp_path):
    out = tmp_path / "so-hoc-vien.xlsx"
    call_command("build_report", "--kind", "learners", "--year", "2026", "--from-year", "2024", "--out", str(out))
    assert len(table(load_workbook(out)["Sổ học viên"])) == 8  # every class of the fixtures
    with pytest.raises(CommandError, match="sổ học viên"):
        call_command("build_report", "--kind", "national", "--year", "2025", "--from-year", "2024",
                     "--out", str(out))


def test_a_sheet_that_reaches_the_row_limit_goes_on_in_a_continuation_sheet(tmp_path):
    path = tmp_path / "long.xlsx"
    book = ReportWriter(path, max_rows=4)  # a header and 3 data rows per sheet
    book.add_sheet("Sổ học viên", [Column("Số", "int"), Column("Tên")])
    for number in range(1, 8):
        book.write_row((number, f"Người {number}"))
    book.close()
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Sổ học viên", "Sổ học viên (2)", "Sổ học viên (3)"]
    assert [table(workbook[name]) for name in workbook.sheetnames] == [
        [(1, "Người 1"), (2, "Người 2"), (3, "Người 3")],
        [(4, "Người 4"), (5, "Người 5"), (6, "Người 6")],
        [(7, "Người 7")],
    ]
    assert [cell.value for cell in workbook["Sổ học viên (3)"][1]] == ["Số", "Tên"]
    assert report_writer.MAX_ROWS == 1_048_576  # Excel's limit, header included
