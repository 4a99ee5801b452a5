"""Identity document validation (CCCD, CMND, passport), shared by the learner form and the Excel import.

A CCCD has 12 digits: 3 for the province where it was registered (a ``FormerProvince.cccd_code``),
1 for century and sex (0/1 = male/female born 1900–1999, 2/3 = male/female born 2000–2099),
2 for the last two digits of the year of birth, then 6 random digits.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CCCD_RE = re.compile(r"^[0-9]{12}$")
# 4th digit → (first year of the century, sex)
_CENTURY_SEX = {"0": (1900, "M"), "1": (1900, "F"), "2": (2000, "M"), "3": (2000, "F")}


def cccd_province_codes() -> frozenset[str]:
    """The 3-digit province codes a CCCD may open with (one query; pass the result when validating many)."""
    from schools.models import FormerProvince

    return frozenset(FormerProvince.objects.values_list("cccd_code", flat=True))


def normalize_cccd(value) -> str:
    """Digits only, as text. An int (a CCCD typed into an Excel number cell) gets its leading zeros back."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int):
        return str(value).zfill(12)
    if isinstance(value, float) and value.is_integer():
        return str(int(value)).zfill(12)
    return "".join(str(value).split()).replace(".", "").replace("-", "")


def validate_cccd(value, *, date_of_birth: datetime.date | None = None, sex: str | None = None,
                  province_codes=None) -> str:
    """Return the normalised 12-digit CCCD or raise ``ValidationError`` with a Vietnamese message.

    ``date_of_birth`` and ``sex`` ("M"/"F"), when given, must agree with the 4th–6th digits.
    ``province_codes`` lets bulk callers (the import) avoid one query per row.
    """
    cccd = normalize_cccd(value)
    if not CCCD_RE.match(cccd):
        raise ValidationError(_("A citizen ID number has exactly 12 digits."), code="cccd_format")
    codes = province_codes if province_codes is not None else cccd_province_codes()
    if cccd[:3] not in codes:
        raise ValidationError(
            _("The citizen ID number starts with %(code)s, which is not a province code.") % {"code": cccd[:3]},
            code="cccd_province",
        )
    if cccd[3] not in _CENTURY_SEX:
        raise ValidationError(
            _("The 4th digit of the citizen ID number must be 0–3 (century and sex)."), code="cccd_century"
        )
    century, coded_sex = _CENTURY_SEX[cccd[3]]
    if sex and sex != coded_sex:
        raise ValidationError(
            _("The citizen ID number does not match the sex (4th digit %(digit)s).") % {"digit": cccd[3]},
            code="cccd_sex",
        )
    if date_of_birth is not None:
        coded_year = century + int(cccd[4:6])
        if coded_year != date_of_birth.year:
            raise ValidationError(
                _("The citizen ID number gives the year of birth %(coded)s, not %(year)s.")
                % {"coded": coded_year, "year": date_of_birth.year},
                code="cccd_year",
            )
    return cccd


CMND_RE = re.compile(r"^[0-9]{9}$")
PASSPORT_RE = re.compile(r"^[A-Z0-9]{5,20}$")
# Records on the old 9-digit identity card (CMND) date from before the citizen ID card replaced it.
CMND_LAST_YEAR = 2021


def validate_document(document_type: str, value, *, nationality: str = "", date_of_birth=None, sex=None,
                      province_codes=None) -> tuple[str, str]:
    """Return ``(number, nationality)`` normalised for the document type, or raise ``ValidationError``.

    CCCD: as ``validate_cccd`` (nationality empty: Vietnamese). CMND: exactly 9 digits (nationality
    empty). Passport or foreign identity document: 5–20 letters or digits, and a nationality.
    """
    from courses.models import DocumentType

    if document_type == DocumentType.CMND:
        number = normalize_cccd(value)
        if not CMND_RE.match(number):
            raise ValidationError(_("An identity card (CMND) number has exactly 9 digits."), code="cmnd_format")
        return number, ""
    if document_type == DocumentType.PASSPORT:
        number = "".join(str(value or "").split()).replace("-", "").upper()
        if not PASSPORT_RE.match(number):
            raise ValidationError(
                _("A passport or foreign identity document number has 5 to 20 letters or digits."),
                code="passport_format")
        nationality = " ".join(str(nationality or "").split())
        if not nationality:
            raise ValidationError(_("Give the nationality of the passport or foreign identity document."),
                                  code="nationality")
        return number, nationality
    return validate_cccd(value, date_of_birth=date_of_birth, sex=sex, province_codes=province_codes), ""
