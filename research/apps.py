from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResearchConfig(AppConfig):
    name = "research"
    verbose_name = _("research")

    def ready(self):
        # Change history (audit app) of the records this app owns.
        import audit
        from research.models import Article, Event, FieldTrip, Publication, Topic

        for model in (Topic, Event, Publication, Article, FieldTrip):
            audit.register(model)
