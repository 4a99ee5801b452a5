from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.tenancy import visible_schools
from reports.clusters import all_clusters, clusters_headed_by, get_cluster
from reports.models import Scope
from reports.registry import KINDS, kind_choices
from reports.selectors import year_range
from schools.models import School

YEARS_BACK = 10


def scope_choices(user, year=None) -> list[tuple[str, str]]:
    """The scopes ``user`` may pick: encoded ``school:CODE``, ``cluster:CODE`` or ``national``."""
    choices = []
    if user.is_academy:
        choices.append(("national", str(_("National"))))
        for cluster in all_clusters(year):
            choices.append((f"cluster:{cluster.code}", f"{_('Emulation cluster')}: {cluster.name}"))
    elif user.is_school_admin and user.school_id:
        for cluster in clusters_headed_by(user.school, year):
            choices.append((f"cluster:{cluster.code}", f"{_('Emulation cluster')}: {cluster.name}"))
    for code, name in visible_schools(user).exclude(kind=School.Kind.ACADEMY).values_list("code", "name"):
        choices.append((f"school:{code}", name))
    return choices


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Report"))
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    first_year = forms.TypedChoiceField(label=_("From year (learner register)"), coerce=int, required=False,
                                        empty_value=None)
    target = forms.ChoiceField(label=_("Scope"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        this_year = timezone.localdate().year
        self.fields["kind"].choices = kind_choices()
        first, last = year_range()
        self.fields["year"].choices = [(y, y) for y in range(last, max(first, this_year - YEARS_BACK) - 1, -1)]
        self.fields["year"].error_messages["invalid_choice"] = _(
            "Year must be between %(first)s and %(last)s."
        ) % {"first": first, "last": last}
        self.fields["year"].initial = this_year
        self.fields["first_year"].choices = [("", "—"), *self.fields["year"].choices]
        self.fields["target"].choices = scope_choices(user)

    def clean(self):
        data = super().clean()
        target, kind = data.get("target"), data.get("kind")
        first_year, year = data.get("first_year"), data.get("year")
        if first_year is not None and year is not None:
            if kind and kind != "learners":
                self.add_error("first_year", _("Only the learner register covers several years."))
            elif first_year > year:
                self.add_error("first_year", _("The first year must not be after the year of the report."))
            elif first_year == year:
                data["first_year"] = None
        if not target or not kind:
            return data
        scope, _sep, code = target.partition(":")
        data["scope"], data["school"], data["cluster_code"] = scope, None, ""
        if scope == Scope.SCHOOL:
            data["school"] = School.objects.filter(code=code).first()
        elif scope == Scope.CLUSTER:
            if get_cluster(code, data.get("year")) is None:
                raise forms.ValidationError(_("This emulation cluster does not exist in the chosen year."))
            data["cluster_code"] = code
        if scope not in KINDS[kind].scopes:
            raise forms.ValidationError(
                _("“%(kind)s” cannot be made for this scope: choose %(scopes)s.")
                % {
                    "kind": KINDS[kind].label,
                    "scopes": ", ".join(str(Scope(s).label) for s in KINDS[kind].scopes),
                }
            )
        return data
