from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("awards register")

    def ready(self):
        # Change history (audit app) of the register's entries.
        import audit
        from awards.models import Award

        audit.register(Award)
