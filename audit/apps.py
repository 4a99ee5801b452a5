from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("change log")

    def ready(self):
        from audit.registry import register
        from schools.models import Staff

        register(Staff)
