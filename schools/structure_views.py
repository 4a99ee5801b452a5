"""The Academy's view of the organisation rule (09-QĐi/TW) across provincial schools."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from core.tenancy import AcademyRequiredMixin
from core.xlsx import xlsx_response
from schools import structure


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 1900 <= year <= 2100 else timezone.localdate().year


def yes_no(ok: bool) -> str:
    return _("met") if ok else _("not met")


def export_rows(checks):
    """One row per unit (the school's figures repeated), as the report sheet and the download share."""
    for check in checks:
        base = [check.school.code, check.school.name, check.faculties, check.offices, check.payroll,
                check.payroll_lecturers, check.lecturer_share, yes_no(check.meets)]
        if not check.units:
            yield base + ["", "", "", "", "", ""]
        for unit in check.units:
            yield base + [unit.unit.name, unit.unit.get_kind_display(), unit.people, unit.deputies, unit.allowed,
                          yes_no(unit.ok)]


def export_headers() -> list[str]:
    return [_("code"), _("school"), _("faculties"), _("offices"), _("people on the payroll"),
            _("lecturers on the payroll"), _("lecturers' share of the payroll (%)"), _("meets the rule"),
            _("faculty / office"), _("kind"), _("people in the unit"), _("deputies"), _("deputies allowed"),
            _("unit meets the rule")]


class StructureCheckView(AcademyRequiredMixin, TemplateView):
    template_name = "schools/structure_check.html"

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            checks = structure.structure_checks(structure.provincial_schools(), _year(request))
            year = _year(request)
            return xlsx_response(f"kiem-tra-co-cau-{year}.xlsx",
                                 [(_("Structure check"), export_headers(), export_rows(checks))])
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = _year(self.request)
        checks = structure.structure_checks(structure.provincial_schools(), year)
        context.update(
            year=year, checks=checks, meeting=sum(1 for c in checks if c.meets),
            rule={"faculties": structure.FACULTIES, "offices": structure.OFFICES, "people": structure.MIN_PEOPLE,
                  "step": structure.DEPUTY_STEP, "share": structure.MIN_LECTURER_SHARE},
        )
        return context
