"""One gate for every uploaded file: spreadsheets to import and evidence files.

``validate_spreadsheet(f)`` / ``validate_evidence(f)`` raise ``ValidationError`` with a clear
Vietnamese message; ``safe_load_workbook(f)`` validates and then opens the workbook with openpyxl.

What is checked, in this order, before any XML is parsed:
1. size ≤ settings.MAX_UPLOAD_MB;
2. the content is what the name says: an .xlsx is a zip holding the OOXML parts
   ([Content_Types].xml and xl/workbook.xml), not a renamed CSV or an old binary .xls;
3. zip-bomb guard from the zip directory alone: number of entries, total uncompressed size
   (settings.MAX_UNZIPPED_MB) and the compression ratio of every entry (settings.MAX_ZIP_RATIO);
4. no XML part declares a DTD (entity expansion such as "billion laughs", external entities): every
   member that starts like XML is read to its end, whatever its name and encoding (UTF-8/16/32).
   openpyxl parses with defusedxml as well (installed, see pyproject.toml), which refuses the same;
   the gate does not rely on it.
"""

import codecs
import io
import zipfile
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

XLSX_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
DOCX_PARTS = ("[Content_Types].xml", "word/document.xml")
EVIDENCE_EXTENSIONS = {".pdf", ".png", ".jpg", ".jpeg", ".xlsx", ".docx"}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls / .doc


def _name(uploaded) -> str:
    return getattr(uploaded, "name", "") or ""


def _read_head(uploaded, size: int = 8) -> bytes:
    uploaded.seek(0)
    head = uploaded.read(size)
    uploaded.seek(0)
    return head


def _size(uploaded) -> int:
    size = getattr(uploaded, "size", None)
    if size is None:
        uploaded.seek(0, io.SEEK_END)
        size = uploaded.tell()
        uploaded.seek(0)
    return size


def check_size(uploaded) -> None:
    limit = settings.MAX_UPLOAD_MB
    if _size(uploaded) > limit * 1024 * 1024:
        raise ValidationError(
            _("The file is too large: the limit is %(limit)s MB.") % {"limit": limit}, code="too_large"
        )
    if _size(uploaded) == 0:
        raise ValidationError(_("The file is empty."), code="empty")


def check_zip(uploaded, required_parts) -> None:
    """The file is a zip with ``required_parts``, not a bomb, and its XML declares no DTD."""
    head = _read_head(uploaded)
    if head.startswith(OLE_MAGIC):
        raise ValidationError(
            _("This is an old-format Office file (.xls or .doc). Open it and save it as .xlsx or .docx, then upload again."),
            code="legacy_format",
        )
    not_ooxml = ValidationError(
        _("The file content is not a valid Excel/Word (.xlsx/.docx) file, even though its name may say so."),
        code="not_ooxml",
    )
    if not head.startswith(b"PK"):
        raise not_ooxml
    uploaded.seek(0)
    try:
        archive = zipfile.ZipFile(uploaded)
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise not_ooxml from exc
    names = {member.filename for member in members}
    if not all(part in names for part in required_parts):
        raise not_ooxml
    too_big = ValidationError(
        _("The file expands to too much data when opened (a possible “zip bomb”); it was refused."), code="zip_bomb"
    )
    if len(members) > settings.MAX_ZIP_ENTRIES:
        raise too_big
    total = sum(member.file_size for member in members)
    if total > settings.MAX_UNZIPPED_MB * 1024 * 1024:
        raise too_big
    for member in members:
        if member.file_size > 1024 * 1024 and member.file_size > settings.MAX_ZIP_RATIO * max(member.compress_size, 1):
            raise too_big
    for member in members:
        if member.is_dir():
            continue
        try:
            with archive.open(member) as part:
                declares_dtd = _declares_dtd(part)
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
            raise not_ooxml from exc
        if declares_dtd:
            raise ValidationError(
                _("The file contains forbidden XML declarations (a possible attack); it was refused."), code="xml_attack"
            )
    uploaded.seek(0)


# XML encodings told apart by the first bytes (XML 1.0 appendix F): a BOM, or "<" / "<?" in UTF-16/32.
_XML_ENCODINGS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00<", "utf-32-be"), (b"<\x00\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le"),
    (b"\x00<", "utf-16-be"), (b"<\x00", "utf-16-le"),
)
_DTD_MARKERS = ("<!DOCTYPE", "<!ENTITY")
_CHUNK = 64 * 1024


def _declares_dtd(part) -> bool:
    """Whether a zip member is XML declaring a DTD or an entity — read to its end, whatever its name
    (a sheet part may be renamed ``.dat``), its encoding (UTF-8, UTF-16, UTF-32) or what comes before
    the declaration (a long comment). A member that does not start like XML is not XML to any parser."""
    head = part.read(_CHUNK)
    encoding = next((name for bom, name in _XML_ENCODINGS if head.startswith(bom)), "utf-8")
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    text = decoder.decode(head).lstrip("\ufeff \t\r\n")
    if not text.startswith("<"):
        return False
    tail = ""
    while True:
        window = (tail + text).upper()
        if any(marker in window for marker in _DTD_MARKERS):
            return True
        tail = window[-16:]
        chunk = part.read(_CHUNK)
        if not chunk:
            return False
        text = decoder.decode(chunk)


def validate_spreadsheet(uploaded) -> None:
    """Raise ValidationError unless ``uploaded`` is a genuine, reasonably sized .xlsx workbook."""
    check_size(uploaded)
    if PurePosixPath(_name(uploaded)).suffix.lower() != ".xlsx":
        raise ValidationError(_("Please upload an Excel file in .xlsx format."), code="extension")
    check_zip(uploaded, XLSX_PARTS)


def validate_evidence(uploaded) -> None:
    """Evidence files: PDF, PNG, JPEG, .xlsx or .docx, checked by content as well as by name."""
    check_size(uploaded)
    suffix = PurePosixPath(_name(uploaded)).suffix.lower()
    if suffix not in EVIDENCE_EXTENSIONS:
        raise ValidationError(
            _("This kind of file is not accepted. Accepted: PDF, PNG, JPEG, Excel (.xlsx) and Word (.docx)."),
            code="extension",
        )
    head = _read_head(uploaded, 8)
    mismatch = ValidationError(
        _("The file content does not match its extension %(ext)s.") % {"ext": suffix}, code="content_mismatch"
    )
    if suffix == ".pdf" and not head.startswith(b"%PDF-"):
        raise mismatch
    if suffix == ".png" and not head.startswith(b"\x89PNG\r\n\x1a\n"):
        raise mismatch
    if suffix in {".jpg", ".jpeg"} and not head.startswith(b"\xff\xd8\xff"):
        raise mismatch
    if suffix == ".xlsx":
        check_zip(uploaded, XLSX_PARTS)
    if suffix == ".docx":
        check_zip(uploaded, DOCX_PARTS)


def safe_load_workbook(uploaded, *, read_only: bool = False, data_only: bool = True):
    """Validate ``uploaded`` and open it with openpyxl; every failure is a Vietnamese ValidationError."""
    import openpyxl
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:  # defusedxml is a pinned dependency; never parse uploads without it
        raise RuntimeError("defusedxml is required to read uploaded workbooks")
    validate_spreadsheet(uploaded)
    uploaded.seek(0)
    try:
        return openpyxl.load_workbook(uploaded, read_only=read_only, data_only=data_only)
    except ValidationError:
        raise
    except Exception as exc:  # openpyxl raises many kinds (KeyError, ValueError, defusedxml errors…)
        raise ValidationError(
            _("The Excel file could not be read: it is damaged or not a valid .xlsx workbook."), code="unreadable"
        ) from exc
