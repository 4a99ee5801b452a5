"""core/uploads.py: the one gate for uploaded spreadsheets and evidence files."""

import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import safe_load_workbook, validate_evidence, validate_spreadsheet

BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, b"".join(b"&lol%s;" % (str(i - 1).encode() if i > 1 else b"") for _ in range(10)))
        for i in range(1, 10)
    )
    + b']>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&lol9;</workbook>'
)


def workbook_bytes(rows=(("Họ và tên", "CCCD"), ("Nguyễn Văn An", "001080000001"))) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rewrite(data: bytes, replace: dict | None = None, add: dict | None = None) -> bytes:
    """A copy of the zip ``data`` with some members replaced or added."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, (replace or {}).get(item.filename, source.read(item.filename)))
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def upload(data: bytes, name="hoc-vien.xlsx"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def refused(func, data, name="hoc-vien.xlsx") -> ValidationError:
    with pytest.raises(ValidationError) as info:
        func(upload(data, name))
    return info.value


def test_a_genuine_workbook_loads():
    workbook = safe_load_workbook(upload(workbook_bytes()))
    assert list(workbook.active.values)[1] == ("Nguyễn Văn An", "001080000001")


def test_size_limit(settings):
    settings.MAX_UPLOAD_MB = 1
    error = refused(validate_spreadsheet, workbook_bytes() + b"\0" * (1024 * 1024))
    assert error.code == "too_large" and "quá lớn" in error.messages[0] and "1 MB" in error.messages[0]
    assert refused(validate_spreadsheet, b"").code == "empty"


def test_extension_must_be_xlsx():
    error = refused(validate_spreadsheet, workbook_bytes(), name="hoc-vien.csv")
    assert error.code == "extension" and ".xlsx" in error.messages[0]


def test_renamed_csv_is_not_a_workbook():
    error = refused(safe_load_workbook, "Họ và tên,CCCD\nAn,001\n".encode())
    assert error.code == "not_ooxml" and "không phải" in error.messages[0]


def test_old_binary_xls_is_explained():
    error = refused(safe_load_workbook, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert error.code == "legacy_format" and ".xlsx" in error.messages[0]


def test_a_zip_without_the_workbook_parts_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "not a spreadsheet")
    assert refused(safe_load_workbook, out.getvalue()).code == "not_ooxml"


def test_zip_bomb_refused_by_total_size(settings):
    settings.MAX_UNZIPPED_MB = 1
    data = rewrite(workbook_bytes(), add={"xl/media/padding.bin": b"\0" * (2 * 1024 * 1024)})
    error = refused(safe_load_workbook, data)
    assert error.code == "zip_bomb" and "zip bomb" in error.messages[0]


def test_zip_bomb_refused_by_compression_ratio():
    data = rewrite(workbook_bytes(), add={"xl/worksheets/sheet2.xml": b"<a/>" + b" " * (20 * 1024 * 1024)})
    assert len(data) < 200 * 1024  # 20 MB of content in a tiny file
    assert refused(safe_load_workbook, data).code == "zip_bomb"


def test_billion_laughs_is_refused_before_parsing():
    data = rewrite(workbook_bytes(), replace={"xl/workbook.xml": BILLION_LAUGHS})
    error = refused(safe_load_workbook, data)
    assert error.code == "xml_attack" and "bị từ chối" in error.messages[0]


def test_openpyxl_itself_refuses_entities_through_defusedxml():
    """The second layer: even without our pre-scan, openpyxl parses with defusedxml."""
    from defusedxml import DefusedXmlException
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML
    data = rewrite(workbook_bytes(), replace={"xl/workbook.xml": BILLION_LAUGHS})
    with pytest.raises(ValueError) as info:
        openpyxl.load_workbook(io.BytesIO(data))
    chain, error = [], info.value
    while error is not None:
        chain.append(error)
        error = error.__cause__ or error.__context__
    assert any(isinstance(error, DefusedXmlException) for error in chain)


def test_dtd_hidden_after_a_long_comment_is_refused_by_the_pre_scan():
    """The pre-scan reads the whole part: a DTD after a 6 KB comment (past a first-4-KB window)."""
    hidden = BILLION_LAUGHS.replace(b"\n<!DOCTYPE", b"\n<!--" + b"x" * 6 * 1024 + b"-->\n<!DOCTYPE", 1)
    data = rewrite(workbook_bytes(), replace={"xl/workbook.xml": hidden})
    error = refused(validate_spreadsheet, data)  # the gate itself, before openpyxl/defusedxml
    assert error.code == "xml_attack" and "bị từ chối" in error.messages[0]
    # and across a read boundary, far into a large part
    hidden = BILLION_LAUGHS.replace(b"\n<!DOCTYPE", b"\n<!--" + b"x" * (64 * 1024 - 30) + b"-->\n<!DOCTYPE", 1)
    assert refused(validate_spreadsheet, rewrite(workbook_bytes(), replace={"xl/workbook.xml": hidden})).code == "xml_attack"


def test_utf16_xml_with_a_dtd_is_refused_by_the_pre_scan():
    for encoding in ("utf-16", "utf-16-le", "utf-16-be"):
        xml = BILLION_LAUGHS.decode().replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>')
        data = rewrite(workbook_bytes(), replace={"xl/workbook.xml": xml.encode(encoding)})
        assert refused(validate_spreadsheet, data).code == "xml_attack", encoding


def test_a_sheet_part_renamed_dat_with_a_dtd_is_refused_by_the_pre_scan():
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes()))
    out = io.BytesIO()
    sheet = b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n' + \
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>'
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                target.writestr("xl/worksheets/sheet1.dat", sheet)
                continue
            if item.filename == "xl/_rels/workbook.xml.rels":
                content = content.replace(b"worksheets/sheet1.xml", b"worksheets/sheet1.dat")
            if item.filename == "[Content_Types].xml":
                content = content.replace(b"<Default ", b'<Default Extension="dat" ContentType="application/'
                                          b'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Default ', 1)
                content = content.replace(b"/xl/worksheets/sheet1.xml", b"/xl/worksheets/sheet1.dat")
            target.writestr(item.filename, content)
    assert refused(validate_spreadsheet, out.getvalue()).code == "xml_attack"


def test_the_pre_scan_passes_genuine_files_and_binary_parts():
    data = rewrite(workbook_bytes(), add={"xl/media/image1.png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40})
    validate_spreadsheet(upload(data))
    validate_spreadsheet(upload(rewrite(workbook_bytes(), replace={
        "xl/workbook.xml": zipfile.ZipFile(io.BytesIO(workbook_bytes())).read("xl/workbook.xml").decode().encode("utf-16")})))


def test_damaged_workbook_is_a_validation_error_not_a_crash():
    data = rewrite(workbook_bytes(), replace={"xl/workbook.xml": b"<workbook><not closed"})
    assert refused(safe_load_workbook, data).code == "unreadable"


# --- evidence files -----------------------------------------------------------------------------
def test_evidence_accepts_real_pdf_png_jpeg_xlsx():
    validate_evidence(upload(b"%PDF-1.7\n%...", "bien-ban.pdf"))
    validate_evidence(upload(b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "anh.png"))
    validate_evidence(upload(b"\xff\xd8\xff\xe0" + b"\0" * 20, "anh.JPG"))
    validate_evidence(upload(workbook_bytes(), "so-lieu.xlsx"))


def test_evidence_refuses_executables_and_disguised_files():
    assert refused(validate_evidence, b"MZ\x90\0", "setup.exe").code == "extension"
    error = refused(validate_evidence, b"MZ\x90\0" + b"\0" * 20, "bien-ban.pdf")
    assert error.code == "content_mismatch" and ".pdf" in error.messages[0]
    assert refused(validate_evidence, b"%PDF-1.7", "anh.png").code == "content_mismatch"
    assert refused(validate_evidence, workbook_bytes(), "van-ban.docx").code == "not_ooxml"
