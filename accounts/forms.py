from django import forms
from django.contrib.auth.forms import SetPasswordMixin
from django.utils.translation import gettext_lazy as _

from accounts.models import ACADEMY_ROLES, SCHOOL_ROLES, Role, User
from core.forms import CrispyMixin, FilterForm
from schools.models import School


class AccountForm(CrispyMixin, forms.ModelForm):
    """Create or edit an account. A school administrator may only give school roles in their school."""

    class Meta:
        model = User
        # Vietnamese order: family and middle name ("Họ") before the given name ("Tên").
        fields = ["username", "last_name", "first_name", "email", "school", "role", "is_active"]

    def __init__(self, *args, manager, **kwargs):
        super().__init__(*args, **kwargs)
        self.manager = manager
        # Our own help text: Django's stock one reads "Yêu cầu. 150 ký tự hoặc ít hơn…".
        self.fields["username"].help_text = _("Letters, digits and @ . + - _ only; used to log in.")
        if not manager.is_academy_admin:
            del self.fields["school"]
            self.fields["role"].choices = [(r.value, r.label) for r in Role if r in SCHOOL_ROLES]
        else:
            self.fields["school"].queryset = School.objects.filter(active=True)
        self.helper = self.build_helper()

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if self.manager.is_academy_admin:
            school = cleaned.get("school")
            if role in SCHOOL_ROLES and school is None:
                self.add_error("school", _("A school account needs a school."))
            if role in ACADEMY_ROLES and school is not None and not school.is_academy:
                self.add_error("school", _("Academy accounts belong to the Academy, not to a school."))
        elif role not in SCHOOL_ROLES:
            self.add_error("role", _("You can only give school roles."))
        if self.instance.pk == self.manager.pk and cleaned.get("is_active") is False:
            self.add_error("is_active", _("You cannot deactivate your own account."))
        return cleaned

    def save(self, commit=True):
        if not self.manager.is_academy_admin:
            self.instance.school = self.manager.school
        return super().save(commit=commit)


class AccountCreateForm(SetPasswordMixin, AccountForm):
    password1, password2 = SetPasswordMixin.create_password_fields()

    def clean(self):
        cleaned = super().clean()
        self.validate_passwords()
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        self.validate_password_for_user(self.instance)

    def save(self, commit=True):
        user = super().save(commit=False)
        user = self.set_password_and_save(user, commit=commit)
        return user


class AccountFilterForm(FilterForm):
    role = forms.ChoiceField(label=_("role"), choices=[("", _("All"))] + Role.choices, required=False)
    is_active = forms.NullBooleanField(
        label=_("active"),
        required=False,
        widget=forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]),
    )

    def __init__(self, *args, school=None, **kwargs):
        super().__init__(*args, **kwargs)
