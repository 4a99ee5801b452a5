from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.tenancy import visible_schools
from reports.access import LEARNER_LEVEL_KINDS
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


SESSION_KEY = "reports_last_request"


def default_pair(target_choices) -> tuple[str | None, str | None]:
    """A kind and a target that fit each other: the broadest target the user may pick (national, then
    a cluster, then a school) with the first kind made for its scope."""
    for target, _label in target_choices:
        scope = target.partition(":")[0]
        for kind in KINDS.values():
            if scope in kind.scopes:
                return kind.key, target
    return None, None


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
        self.fields["kind"].initial, self.fields["target"].initial = default_pair(self.fields["target"].choices)

    def remember(self, session) -> None:
        """Keep the choice of a sent request, to offer it again (``initial_from``)."""
        data = self.cleaned_data
        session[SESSION_KEY] = {"kind": data["kind"], "target": data["target"], "year": data["year"],
                                "first_year": data.get("first_year")}

    def initial_from(self, session) -> None:
        """Start from the user's last sent request when its kind, target and year are still offered."""
        last = session.get(SESSION_KEY) or {}
        targets = {value for value, _label in self.fields["target"].choices}
        if last.get("kind") in KINDS and last.get("target") in targets:
            self.fields["kind"].initial, self.fields["target"].initial = last["kind"], last["target"]
            years = {value for value, _label in self.fields["year"].choices}
            if last.get("year") in years:
                self.fields["year"].initial = last["year"]
            if last.get("first_year") in years:
                self.fields["first_year"].initial = last["first_year"]

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
            if kind in LEARNER_LEVEL_KINDS and not self.user.is_academy:
                raise forms.ValidationError(_(
                    "A cluster's head school receives its members' figures, not their learners' personal data: "
                    "choose the cluster summary. The learner register is made by each school (and the Academy)."))
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
