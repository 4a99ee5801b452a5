"""The criteria set as an Excel sheet: the form in which the Academy's guidance is circulated.

Export writes two sheets — the standard (code, version, title, date of issue) and its indicators,
one row each with its criterion, text, threshold, measurement, whether it is issued ("đã ban
hành") or not, the document reference and the note. Import reads the same workbook back into a
standard (created when its code and version are new, updated otherwise), so an export imported
again changes nothing. An indicator marked issued must carry its document reference; the
importing Academy administrator is recorded as the one who confirmed it.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from compliance import services
from compliance.models import Indicator, Standard
from core.uploads import safe_load_workbook, validate_spreadsheet
from core.xlsx import xlsx_response

COLUMNS = ("criterion", "criterion_title", "code", "text", "unit", "comparison", "level1_value", "level2_value",
           "measurement", "metric", "issued", "reference", "note")


def headers() -> list[str]:
    return [_("criterion"), _("criterion title"), _("code"), _("indicator"), _("unit"), _("comparison"),
            _("level-1 value"), _("level-2 value"), _("measurement"), _("metric"), _("issued"),
            _("document reference"), _("note")]


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def export_response(standard: Standard):
    indicators = Indicator.objects.filter(criterion__standard=standard).select_related("criterion")
    rows = (
        [i.criterion.number, i.criterion.title, i.code, i.text, i.unit, i.get_comparison_display(), i.level1_value,
         i.level2_value, i.get_measurement_display(), i.metric, _yes_no(not i.provisional), i.reference, i.note]
        for i in indicators
    )
    summary = [
        [_("code"), standard.code], [_("version of the criteria set"), standard.version], [_("title"), standard.title],
        [_("issued on"), standard.issued_on],
    ]
    filename = f"bo-tieu-chi-{standard.version}.xlsx"
    return xlsx_response(filename, [(_("Criteria set"), [pgettext("export", "field"), pgettext("export", "value")], summary),
                                    (_("Indicators"), headers(), rows)])


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _number(value, row: int, label: str):
    if value is None or _text(value) in ("", "—", "-"):
        return None
    try:
        return Decimal(_text(value).replace(",", "."))
    except InvalidOperation as exc:
        raise ValidationError(_("Row %(row)s: “%(value)s” is not a number (%(column)s).")
                              % {"row": row, "value": value, "column": label}) from exc


def _choice(value, choices, row: int, label: str, default: str) -> str:
    text = _text(value)
    if not text:
        return default
    for code, name in choices:
        if text.lower() in (str(code).lower(), str(name).lower()):
            return code
    raise ValidationError(_("Row %(row)s: “%(value)s” is not a valid %(column)s.")
                          % {"row": row, "value": text, "column": label})


def _issued(value, row: int) -> bool:
    text = _text(value).lower()
    if text in ("", _("No").lower(), "no", "không", "chưa ban hành", "0", "false"):
        return False
    if text in (_("Yes").lower(), "yes", "có", "đã ban hành", "1", "true"):
        return True
    raise ValidationError(_("Row %(row)s: write Yes or No in the column “issued”.") % {"row": row})


def read_workbook(uploaded) -> dict:
    """The standard described by the uploaded workbook, as ``services.load_standard`` takes it."""
    validate_spreadsheet(uploaded)
    workbook = safe_load_workbook(uploaded, read_only=True)
    if len(workbook.worksheets) < 2:
        raise ValidationError(_("The workbook needs the sheet of the standard and the sheet of the indicators."))
    fields = {}
    for row in workbook.worksheets[0].iter_rows(min_row=2, values_only=True):
        if row and row[0] is not None:
            fields[_text(row[0])] = row[1] if len(row) > 1 else None
    issued_on = fields.get(_("issued on"))
    if isinstance(issued_on, datetime.datetime):
        issued_on = issued_on.date()
    elif issued_on is not None and not isinstance(issued_on, datetime.date):
        try:
            issued_on = datetime.datetime.strptime(_text(issued_on), "%d/%m/%Y").date()
        except ValueError:
            issued_on = None
    code, version, title = (_text(fields.get(name)) for name in (_("code"), _("version of the criteria set"), _("title")))
    if not (code and version and title and issued_on):
        raise ValidationError(_("The sheet of the standard needs its code, version, title and date of issue."))
    criteria: dict[int, dict] = {}
    comparisons = Indicator.Comparison.choices
    measurements = Indicator.Measurement.choices
    for number, row in enumerate(workbook.worksheets[1].iter_rows(min_row=2, values_only=True), start=2):
        if not row or all(cell in (None, "") for cell in row):
            continue
        cells = dict(zip(COLUMNS, list(row) + [None] * (len(COLUMNS) - len(row)), strict=False))
        try:
            criterion_number = int(_text(cells["criterion"]))
        except ValueError as exc:
            raise ValidationError(_("Row %(row)s: the criterion must be a number.") % {"row": number}) from exc
        if not _text(cells["code"]) or not _text(cells["text"]):
            raise ValidationError(_("Row %(row)s: the indicator needs its code and text.") % {"row": number})
        criterion = criteria.setdefault(
            criterion_number, {"number": criterion_number, "title": _text(cells["criterion_title"]), "indicators": []}
        )
        criterion["indicators"].append({
            "code": _text(cells["code"]), "text": _text(cells["text"]), "unit": _text(cells["unit"]),
            "comparison": _choice(cells["comparison"], comparisons, number, _("comparison"), "yes_no"),
            "level1_value": _number(cells["level1_value"], number, _("level-1 value")),
            "level2_value": _number(cells["level2_value"], number, _("level-2 value")),
            "measurement": _choice(cells["measurement"], measurements, number, _("measurement"), "declared"),
            "metric": _text(cells["metric"]), "provisional": not _issued(cells["issued"], number),
            "reference": _text(cells["reference"]), "note": _text(cells["note"]), "row": number,
        })
    if not criteria:
        raise ValidationError(_("The sheet of the indicators has no rows."))
    return {"code": code, "version": version, "title": title, "issued_on": issued_on.isoformat(),
            "criteria": [criteria[n] for n in sorted(criteria)]}


@transaction.atomic
def import_workbook(uploaded, *, user) -> tuple[Standard, dict]:
    """Create or update the standard of the workbook; newly issued indicators are confirmed by ``user``."""
    data = read_workbook(uploaded)
    existing = Standard.objects.filter(code=data["code"], version=data["version"]).first()
    if existing is not None:
        data["active"] = existing.active
    before = set()
    if existing is not None:
        before = set(Indicator.objects.filter(criterion__standard=existing, provisional=False).values_list("pk", flat=True))
    standard, counts = services.load_standard(data=data, update=True)
    indicators = list(Indicator.objects.filter(criterion__standard=standard))
    for indicator in indicators:
        if not indicator.provisional and indicator.pk not in before:
            indicator.confirmed_by, indicator.confirmed_on = user, timezone.localdate()
            indicator.save(update_fields=["confirmed_by", "confirmed_on"])
    services.reevaluate_indicators(indicators)
    return standard, counts
