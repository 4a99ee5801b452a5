from django.apps import AppConfig
from django.db.models.signals import pre_delete
from django.utils.translation import gettext_lazy as _


def _mark_school_deleted(sender, instance, **kwargs):
    instance._being_deleted = True  # its deletion entry is kept without a school (see School.school_id)


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("change log")

    def ready(self):
        from audit.registry import register
        from schools.models import School, SchoolName, Staff

        register(Staff)
        register(School, school_path="school")  # a school's own changes are in its change log (issue 14)
        register(SchoolName)
        pre_delete.connect(_mark_school_deleted, sender=School, dispatch_uid="audit:school-being-deleted")
