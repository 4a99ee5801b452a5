"""The calamine reader of the learner import: same analysis as the old openpyxl reader, bounded reading
(row limit, stray cells), the error workbook made once at validation, and the change log of an import."""

import datetime
import io
import zipfile
import zlib

import openpyxl
import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.models import AuditLog
from courses import import_reader
from courses.import_checks import analyse, analyse_rows
from courses.import_reader import HEADERS, MAX_LINES, MAX_ROWS, REQUIRED_COLUMNS, ImportRefused, open_workbook
from courses.models import Enrollment, ImportBatch, Learner
from tests.courses import openpyxl_oracle
from tests.courses.helpers import make_class, make_programme
from tests.courses.test_import import batch_url, confirm, people, person, upload, upload_batch, workbook_bytes
from tests.trust.test_import_properties import hostile_rows
from tests.trust.test_import_properties import workbook_bytes as hostile_workbook_bytes

# The 14 columns every file has (the document type and nationality columns are optional: issue 14 item 7).
COLUMNS = HEADERS[:REQUIRED_COLUMNS]

pytestmark = pytest.mark.django_db


@pytest.fixture
def klass(school):
    return make_class(school, make_programme(), code="DEMO-RD1")


# --- the same analysis as the openpyxl reader ---------------------------------------------------------------
def _outcome(reader, data: bytes, klass):
    """What a reader makes of a file: the refusal (code, message) or the whole analysis."""
    upload_file = SimpleUploadedFile("x.xlsx", data)
    try:
        if reader == "calamine":
            workbook = open_workbook(upload_file)
            try:
                analysis = analyse(workbook, training_class=klass)
            finally:
                workbook.close()
        else:
            workbook = openpyxl_oracle.open_workbook(upload_file)
            try:
                analysis = analyse_rows(openpyxl_oracle.read_rows(workbook), training_class=klass)
            finally:
                workbook.close()
    except ImportRefused as exc:
        return ("refused", exc.code, exc.messages)
    fields = ("full_name", "cccd", "date_of_birth", "sex", "ethnic_group_id", "religion", "hometown", "position",
              "workplace", "party_joined_on", "party_official_on", "education", "theory_level", "search_name")
    return (analysis.header_row, analysis.rows, [e.as_list() for e in analysis.errors],
            [(n, {f: getattr(learner, f) for f in fields}) for n, learner in analysis.new],
            analysis.linked, analysis.already)


def _same(data: bytes, klass):
    ours, oracle = _outcome("calamine", data, klass), _outcome("openpyxl", data, klass)
    assert ours == oracle
    return ours


def _project_files():
    """The kinds of workbook the import tests upload (tests/courses/test_import.py's builders)."""
    nfd = person(3, name="Nguyễn Thị Hoà")
    nfd["Họ và tên"] = __import__("unicodedata").normalize("NFD", nfd["Họ và tên"])
    text_dates = person(4, dob=datetime.date(1984, 11, 5))
    text_dates["Ngày sinh"] = "05/11/1984"
    text_dates["Ngày vào Đảng"], text_dates["Ngày chính thức"] = "2-3-2010", "2011-03-02"
    number_cccd = person(5)
    number_cccd["Số CCCD"] = int(number_cccd["Số CCCD"])  # a number cell: the leading 0 is lost
    serial_date = person(6)
    serial_date["Ngày sinh"] = 31168  # a date typed into a number cell: Excel's serial day
    bad = [person(7, sex="X"), person(8, ethnic="Kinh Kinh"), {**person(9), "Ngày sinh": "31/02/1990"},
           person(10, cccd="999085000002"), person(11, name=""), person(12, **{"Trình độ LLCT": "Tiến sĩ"})]
    year_only = person(13)
    year_only["Ngày sinh"] = 1985
    repeated = [person(14), person(15, cccd=person(14)["Số CCCD"])]
    blank_with_stt = {"STT": 99}
    return {
        "plain": workbook_bytes(people(5)),
        "titles": workbook_bytes(people(3), title_rows=("DANH SÁCH HỌC VIÊN", "Lớp TC1")),
        "cell kinds": workbook_bytes([nfd, text_dates, number_cccd, serial_date, year_only]),
        "errors": workbook_bytes([*bad, *repeated]),
        "blank and STT-only lines": workbook_bytes([person(20), {}, blank_with_stt, person(21)]),
        "wrong header": workbook_bytes(people(2), headers=("STT", "Tên", *HEADERS[2:])),
        "header only": workbook_bytes([]),
    }


@pytest.mark.parametrize("name", list(_project_files()))
def test_calamine_and_openpyxl_readers_give_the_same_analysis(klass, name):
    outcome = _same(_project_files()[name], klass)
    if name == "errors":
        assert len(outcome[2]) >= 6  # the comparison covers real errors, not two empty lists


def test_the_same_analysis_for_known_and_enrolled_learners(klass):
    rows = people(3)
    data = workbook_bytes(rows)
    _outcome("calamine", data, klass)
    from courses.import_writer import commit

    workbook = open_workbook(SimpleUploadedFile("x.xlsx", data))
    commit(analyse(workbook, training_class=klass), training_class=klass)
    assert _same(workbook_bytes([*rows, person(40), person(2, name="Người Khác")]), klass)[5]  # already in class


@settings(max_examples=25, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=hostile_rows(), extra=st.lists(st.integers(0, 3), max_size=3))
def test_calamine_and_openpyxl_agree_on_generated_workbooks(klass, rows, extra):
    for position in extra:  # blank lines between the rows
        rows.insert(min(position, len(rows)), [None] * len(HEADERS))
    _same(hostile_workbook_bytes(rows), klass)


# --- bounded reading ----------------------------------------------------------------------------------------------
def _fast_workbook(count: int) -> bytes:
    """``count`` valid-looking data rows, written by XlsxWriter (constant memory: quick to build)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, HEADERS)
    for n in range(1, count + 1):
        sheet.write_row(n, 0, [n, f"Nguyễn Văn {n}", "01/05/1985", "Nam", "Kinh", "", f"{n:012d}"])
    book.close()
    return buffer.getvalue()


def test_an_upload_of_20001_rows_is_refused_and_reading_stops_at_the_limit(klass, monkeypatch):
    lines = []
    original = import_reader.SheetReader.lines

    def counting(self):
        lines.append(self)
        yield from original(self)

    monkeypatch.setattr(import_reader.SheetReader, "lines", counting)
    with pytest.raises(ImportRefused) as refused:
        workbook = open_workbook(SimpleUploadedFile("x.xlsx", _fast_workbook(MAX_ROWS + 1)))
        try:
            analyse(workbook, training_class=klass)
        finally:
            workbook.close()
    assert refused.value.code == "too_many_rows"
    assert lines[0].lines_read == MAX_ROWS + 2  # the header and MAX_ROWS + 1 rows: no row validated past it


def test_20001_rows_through_the_upload_page_are_refused(users, client_as, klass):
    response = client_as(users["admin"]).post(
        reverse("courses:class_import", kwargs={"school_code": klass.school.code, "pk": klass.pk}),
        {"file": SimpleUploadedFile("x.xlsx", _fast_workbook(MAX_ROWS + 1))})
    assert response.status_code == 200 and "20000" in response.content.decode().replace(".", "")
    assert not ImportBatch.objects.exists() and not Learner.objects.exists()


def _package(sheet_xml: bytes) -> bytes:
    """A minimal .xlsx package around a hand-written sheet (so a million lines take a second to build)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
            '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
            'main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'))
        archive.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'))
        archive.writestr("xl/workbook.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'))
        archive.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'))
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml, compresslevel=zlib.Z_BEST_SPEED)
    return buffer.getvalue()


def _sheet(rows: list[bytes]) -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main"><sheetData>' + b"".join(rows) + b"</sheetData></worksheet>")


def _header_row() -> bytes:
    cells = b"".join(f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>'.encode()
                     for i, h in enumerate(HEADERS))
    return b'<row r="1">' + cells + b"</row>"


def test_a_million_lines_with_only_stt_are_refused_without_parsing_the_sheet(klass, monkeypatch):
    lines = [_header_row()] + [f'<row r="{n}"><c r="A{n}"><v>{n - 1}</v></c></row>'.encode()
                               for n in range(2, 1_048_577)]
    data = _package(_sheet(lines))

    def never(*args, **kwargs):
        raise AssertionError("calamine was asked to parse the sheet")

    import python_calamine

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", never)
    with pytest.raises(ImportRefused) as refused:
        open_workbook(SimpleUploadedFile("x.xlsx", data))
    assert refused.value.code == "too_many_rows"


def test_lines_with_only_stt_are_blank_below_the_line_limit(klass):
    lines = [_header_row()] + [f'<row r="{n}"><c r="A{n}"><v>{n - 1}</v></c></row>'.encode()
                               for n in range(2, MAX_LINES - 5)]
    with pytest.raises(ImportRefused) as refused:
        analyse(open_workbook(SimpleUploadedFile("x.xlsx", _package(_sheet(lines)))), training_class=klass)
    assert refused.value.code == "no_rows"  # read to the end: every line blank


def test_a_stray_cell_far_away_is_dropped_before_reading(klass):
    """calamine holds the used area as a rectangle: one cell at XFD1048576 must not make it 17 billion cells."""
    data = workbook_bytes(people(2))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    sheet = sheet.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as copy:
        for member in source.infolist():
            copy.writestr(member, sheet if member.filename == "xl/worksheets/sheet1.xml" else source.read(member))
    package = import_reader.bounded_package(SimpleUploadedFile("x.xlsx", buffer.getvalue()))
    assert b"XFD" not in zipfile.ZipFile(package).read("xl/worksheets/sheet1.xml")
    workbook = open_workbook(SimpleUploadedFile("x.xlsx", buffer.getvalue()))
    assert analyse(workbook, training_class=klass).to_add == 2


# --- the error workbook is made once, at validation ----------------------------------------------------------------
def _junk_workbook(rows: int, junk_columns: int) -> bytes:
    """One bad row and ``rows`` good ones, each with ``junk_columns`` cells in columns the import ignores."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, COLUMNS)
    bad = person(1, sex="X")
    sheet.write_row(1, 0, [bad[h] if not isinstance(bad[h], datetime.date) else bad[h].strftime("%d/%m/%Y")
                           for h in COLUMNS])
    for n in range(2, rows + 2):
        row = person(n)
        values = [row[h] if not isinstance(row[h], datetime.date) else row[h].strftime("%d/%m/%Y") for h in COLUMNS]
        sheet.write_row(n, 0, values + [f"rác {n}-{c}" for c in range(junk_columns)])
    book.close()
    return buffer.getvalue()


def test_error_workbook_is_made_at_validation_and_served_without_parsing(users, client_as, klass, monkeypatch):
    client = client_as(users["admin"])
    batch = upload_batch(client, klass, None, content=_junk_workbook(2000, 120))
    assert batch.status == ImportBatch.Status.INVALID and batch.error_file  # made with the validation
    stored = openpyxl.load_workbook(batch.error_file.path, read_only=True)
    sheet = stored.worksheets[0]
    assert sheet.max_column == len(HEADERS) + 1  # only the template's columns and "Lỗi"
    assert sheet.max_row == 2002
    stored.close()

    def never(*args, **kwargs):
        raise AssertionError("the download parsed a workbook")

    monkeypatch.setattr(import_reader, "open_workbook", never)
    monkeypatch.setattr(openpyxl, "load_workbook", never)
    response = client.get(batch_url("import_errors", batch))
    assert response.status_code == 200
    with open(batch.error_file.path, "rb") as handle:
        assert response.content == handle.read()
    monkeypatch.undo()
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    error_column = len(HEADERS) + 1  # after every template column, the optional ones included
    assert sheet.cell(row=1, column=error_column).value == "Lỗi"
    assert "Giới tính" in sheet.cell(row=2, column=error_column).value
    assert sheet["D2"].comment is not None and sheet.cell(row=3, column=error_column).value is None


def test_a_clean_upload_has_no_error_workbook_and_cancel_forgets_both_files(users, client_as, klass,
                                                                           django_capture_on_commit_callbacks):
    client = client_as(users["admin"])
    rows = people(2)
    rows[0]["Giới tính"] = "X"
    batch = upload_batch(client, klass, rows)
    names = [batch.file.name, batch.error_file.name]
    storage = batch.file.storage
    assert all(storage.exists(name) for name in names)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(batch_url("import_cancel", batch))
    assert not any(storage.exists(name) for name in names)
    assert not upload_batch(client, klass, people(2, start=5)).error_file


# --- the change log of an import ------------------------------------------------------------------------------
def test_history_page_of_an_imported_learner_shows_the_import(users, client_as, klass):
    client = client_as(users["admin"])
    batch = upload_batch(client, klass, people(3))
    confirm(client, batch)
    learner = Learner.objects.get(cccd=people(3)[1]["Số CCCD"])
    enrollment = Enrollment.objects.get(learner=learner, training_class=klass)
    for label, pk in (("courses.learner", learner.pk), ("courses.enrollment", enrollment.pk)):
        page = client.get(reverse("audit:history", args=[klass.school.code, label, pk])).content.decode()
        assert "Được tạo khi nhập từ Excel" in page
        assert "danh-sach.xlsx · " + str(batch.pk)[:8] in page
        assert "admin_a" in page
    entries = AuditLog.objects.filter(object_id=str(learner.pk), content_type__model="learner")
    assert entries.count() == 1 and entries.get().school_id == klass.school_id
    log = client_as(users["academy"]).get(reverse("audit:log_list"), {"q": learner.full_name})
    assert learner.full_name in log.content.decode()
    assert any(e.object_id == str(learner.pk) for e in log.context["object_list"])


def test_upload_helper_builds_real_files():
    assert upload(people(1)).size > 0
