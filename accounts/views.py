"""Account management: a school administrator manages their school's accounts; the Academy
administrator manages everyone's."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, ListView, UpdateView

from accounts.forms import AccountCreateForm, AccountFilterForm, AccountForm
from accounts.models import User
from core.lists import ListPageMixin


def manageable_users(manager):
    """The accounts ``manager`` may see and edit: all for the Academy admin, their school's for a school admin."""
    if manager.is_academy_admin:
        return User.objects.all()
    if manager.is_school_admin and manager.school_id:
        return User.objects.filter(school_id=manager.school_id)
    return User.objects.none()


class AccountManagerMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not (request.user.is_academy_admin or request.user.is_school_admin):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["manager"] = self.request.user
        return kwargs


class AccountListView(AccountManagerMixin, ListPageMixin, ListView):
    model = User
    template_name = "accounts/user_list.html"
    search_fields = ("username", "first_name", "last_name", "email", "school__name")
    filter_form_class = AccountFilterForm
    sort_options = {"username": ("username",), "school": ("school__name", "username"), "role": ("role",)}
    default_sort = "username"
    export_title = gettext_lazy("Accounts")
    export_columns = [
        (gettext_lazy("username"), "username"),
        (gettext_lazy("full name"), "get_full_name"),
        (gettext_lazy("email"), "email"),
        (gettext_lazy("school"), "school.name"),
        (gettext_lazy("role"), "get_role_display"),
        (gettext_lazy("active"), "is_active"),
        (gettext_lazy("last login"), "last_login"),
    ]

    def get_base_queryset(self):
        return manageable_users(self.request.user).select_related("school")

    def get_filter_form_kwargs(self):
        return {}


class AccountCreateView(AccountManagerMixin, CreateView):
    form_class = AccountCreateForm
    template_name = "includes/form_page.html"
    success_url = reverse_lazy("accounts:user_list")
    extra_context = {"page_title": gettext_lazy("Add account")}

    def form_valid(self, form):
        messages.success(self.request, _("Account created."))
        return super().form_valid(form)


class AccountUpdateView(AccountManagerMixin, UpdateView):
    form_class = AccountForm
    template_name = "includes/form_page.html"
    success_url = reverse_lazy("accounts:user_list")
    extra_context = {"page_title": gettext_lazy("Edit account")}

    def get_queryset(self):
        return manageable_users(self.request.user)

    def form_valid(self, form):
        messages.success(self.request, _("Saved."))
        return super().form_valid(form)
