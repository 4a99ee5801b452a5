from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmulationConfig(AppConfig):
    name = "emulation"
    verbose_name = _("emulation")

    def ready(self):
        # Change history (audit app) of the records this app owns.
        import audit
        from emulation.models import AwardProposal, ClusterYear, Score, Scorecard

        for model in (ClusterYear, Scorecard, Score, AwardProposal):
            audit.register(model)
