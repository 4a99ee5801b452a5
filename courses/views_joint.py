"""The Academy's figures of a partner academy: the classes the schools run jointly with it."""

from django.http import Http404
from django.utils import timezone
from django.views.generic import TemplateView

from core.tenancy import AcademyRequiredMixin
from core.xlsx import xlsx_response
from courses.selectors import joint_classes, partner_joint_figures
from schools.models import School


class PartnerJointClassesView(AcademyRequiredMixin, TemplateView):
    template_name = "courses/joint_classes.html"

    def get_year(self) -> int:
        try:
            year = int(self.request.GET.get("year", ""))
        except ValueError:
            return timezone.localdate().year
        return year if 2000 <= year <= 2100 else timezone.localdate().year

    def get(self, request, *args, **kwargs):
        partners = School.objects.filter(kind__in=[School.Kind.ACADEMY, School.Kind.MEMBER_ACADEMY]).order_by("name")
        self.partners = list(partners)
        code = request.GET.get("partner")
        self.partner = next((p for p in self.partners if p.code == code), self.partners[0] if self.partners else None)
        if code and self.partner.code != code:
            raise Http404
        if request.GET.get("export") == "xlsx" and self.partner is not None:
            return self.export()
        return super().get(request, *args, **kwargs)

    def export(self):
        from django.utils.translation import gettext as _

        year = self.get_year()
        headers = [_("school"), _("class code"), _("name"), _("programme"), _("opening date"), _("learners"),
                   _("taught by"), _("diploma issued by")]
        rows = [[c.school.name, c.code, c.name, c.programme.name, c.opening_date, c.learner_count,
                 c.get_taught_by_display(), c.get_diploma_by_display()]
                for c in joint_classes(partner=self.partner, year=year)]
        return xlsx_response(f"lop-lien-ket-{self.partner.code}-{year}.xlsx", [(_("Joint classes"), headers, rows)])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = self.get_year()
        context.update(year=year, partners=self.partners, partner=self.partner)
        if self.partner is not None:
            context["figures"] = partner_joint_figures(self.partner, year)
            context["classes"] = joint_classes(partner=self.partner, year=year)
        return context
