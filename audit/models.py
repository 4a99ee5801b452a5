from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import SchoolScopedQuerySet


class AuditLog(models.Model):
    """One create, update or delete of an audited record, with the old and new field values."""

    class Action(models.TextChoices):
        CREATE = "create", pgettext_lazy("audit action", "created")
        UPDATE = "update", pgettext_lazy("audit action", "changed")
        DELETE = "delete", pgettext_lazy("audit action", "deleted")

    timestamp = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    user_repr = models.CharField(_("user"), max_length=150, blank=True)
    school = models.ForeignKey(
        "schools.School", verbose_name=_("school"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    content_type = models.ForeignKey(ContentType, verbose_name=_("kind of record"), on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("record"), max_length=200)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    flag = models.BooleanField(_("flagged"), default=False, db_index=True)
    flag_reason = models.CharField(_("reason flagged"), max_length=200, blank=True)

    school_path = "school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("change log entry")
        verbose_name_plural = _("change log")
        ordering = ["-timestamp", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-timestamp"], name="audit_object_idx"),
            models.Index(fields=["school", "-timestamp"], name="audit_school_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"

    @property
    def model_label(self) -> str:
        return f"{self.content_type.app_label}.{self.content_type.model}"
