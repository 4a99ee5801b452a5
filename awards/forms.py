from django import forms
from django.utils.translation import gettext_lazy as _

from awards.models import Award, AwardKind
from core.forms import FilterForm, SchoolScopedModelForm
from schools.models import Staff


class AwardForm(SchoolScopedModelForm):
    class Meta:
        model = Award
        fields = ["kind", "staff", "year", "occasion", "authority", "decision_number", "decision_date", "achievements"]
        widgets = {"achievements": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = AwardKind.objects.filter(active=True)
        self.fields["kind"].label_from_instance = lambda k: f"{k.name} ({k.get_level_display()})"
        self.fields["staff"].queryset = Staff.objects.for_school(self.school)


class AwardFilterForm(FilterForm):
    year = forms.IntegerField(label=_("year"), min_value=1945, max_value=2100)
    occasion = forms.ChoiceField(label=_("occasion"), choices=[("", "—"), *Award.Occasion.choices])
