"""The tenancy layer: who may see and change which school's data.

Every school-owned page lives under ``/s/<school_code>/`` and its view inherits ``SchoolMixin``
(or ``SchoolObjectMixin`` for one record). The mixin resolves the school, answers 404 to anyone
who may not see it and 403 to anyone who may see but not change it, and every queryset is read
through ``Model.objects.for_school(school)``. Forms receive ``school=`` and scope their choices.

Rules:
- Academy users (administrators and reviewers) see every school.
- A school's members see their own school only; outsiders get 404, never a hint the row exists.
- School administrators and data-entry staff change their school's data; read-only members and
  Academy users do not (the Academy's own workflows — catalogue, reviews, approvals — have their
  own permission checks).
"""

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Role

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
WRITER_ROLES = {Role.SCHOOL_ADMIN, Role.SCHOOL_STAFF}


def can_view_school(user, school) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_academy or (user.school_id is not None and user.school_id == school.pk)


def can_edit_school(user, school) -> bool:
    return can_view_school(user, school) and user.role in WRITER_ROLES and user.school_id == school.pk


def can_admin_school(user, school) -> bool:
    """Manage the school's accounts: its own administrator, or an Academy administrator."""
    return can_view_school(user, school) and (
        user.is_academy_admin or (user.role == Role.SCHOOL_ADMIN and user.school_id == school.pk)
    )


def visible_schools(user):
    from schools.models import School

    if not user.is_authenticated:
        return School.objects.none()
    if user.is_academy:
        return School.objects.all()
    return School.objects.filter(pk=user.school_id)


class AcademyRequiredMixin(AccessMixin):
    """Pages for Academy users only (the national console, catalogues). Others get 404."""

    academy_admin_required = False
    reviewer_may_write = False  # Academy workflows where reviewers act (comments, appraisal votes)

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return self.handle_no_permission()
        if not user.is_academy:
            raise Http404
        writing = self.academy_admin_required or request.method not in SAFE_METHODS
        if writing and not (user.is_academy_admin or self.reviewer_may_write):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class SchoolMixin(AccessMixin):
    """Resolve ``self.school`` from the URL and enforce the tenancy rules above.

    ``permission``: ``"view"`` (default: GET reads, any other method needs edit rights),
    ``"edit"`` (every method needs edit rights, e.g. a create form), or ``"admin"``.
    """

    permission = "view"

    def dispatch(self, request, *args, **kwargs):
        from schools.models import School

        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.school = get_object_or_404(School, code=kwargs["school_code"])
        if not can_view_school(request.user, self.school):
            raise Http404
        if not self.has_school_permission(request):
            raise PermissionDenied
        request.school = self.school
        return super().dispatch(request, *args, **kwargs)

    def has_school_permission(self, request) -> bool:
        if self.permission == "admin":
            return can_admin_school(request.user, self.school)
        if self.permission == "edit" or request.method not in SAFE_METHODS:
            return can_edit_school(request.user, self.school)
        return True

    @property
    def can_edit(self) -> bool:
        return can_edit_school(self.request.user, self.school)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["school"] = self.school
        context["can_edit"] = self.can_edit
        return context


class SchoolObjectMixin(SchoolMixin):
    """For views of one record: the record is looked up within the URL's school only (404 otherwise)."""

    def get_queryset(self):
        return self.model.objects.for_school(self.school)
