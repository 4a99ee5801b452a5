from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "compliance"
    verbose_name = _("standard-school compliance")

    def ready(self):
        # Change history (audit app) of the school's answers and evidence.
        import audit
        from compliance.models import Answer, EvidenceFile

        audit.register(Answer)
        audit.register(EvidenceFile)
