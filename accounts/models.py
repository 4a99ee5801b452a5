from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SCHOOL_ADMIN = "school_admin", _("school administrator")
    SCHOOL_STAFF = "school_staff", _("data-entry staff")
    SCHOOL_VIEWER = "school_viewer", _("read-only")
    ACADEMY_ADMIN = "academy_admin", _("Academy administrator")
    ACADEMY_REVIEWER = "academy_reviewer", _("Academy reviewer")


# Tuples, not sets: the order ends up in a migration and must not change between runs.
SCHOOL_ROLES = (Role.SCHOOL_ADMIN, Role.SCHOOL_STAFF, Role.SCHOOL_VIEWER)
ACADEMY_ROLES = (Role.ACADEMY_ADMIN, Role.ACADEMY_REVIEWER)


class AccountManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        # A superuser (Django admin) belongs to no school; give it the Academy administrator role.
        extra_fields.setdefault("role", Role.ACADEMY_ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person who logs in: a member of one school with a role, or of the Academy."""

    objects = AccountManager()

    school = models.ForeignKey(
        "schools.School", models.PROTECT, null=True, blank=True, related_name="users", verbose_name=_("school")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.SCHOOL_VIEWER)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role__in=[r.value for r in SCHOOL_ROLES]) | models.Q(school__isnull=False),
                name="school_role_needs_school",
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        """Vietnamese order: family and middle name ("Họ") first, then the given name ("Tên")."""
        return f"{self.last_name} {self.first_name}".strip()

    @property
    def is_academy(self) -> bool:
        return self.role in ACADEMY_ROLES

    @property
    def is_academy_admin(self) -> bool:
        return self.role == Role.ACADEMY_ADMIN

    @property
    def is_school_admin(self) -> bool:
        return self.role == Role.SCHOOL_ADMIN
