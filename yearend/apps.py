from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class YearendConfig(AppConfig):
    name = "yearend"
    verbose_name = _("year-end lock")

    def ready(self):
        import audit.registry as audit
        from yearend import rules
        from yearend.models import YearLock

        audit.register(YearLock, exclude={"snapshot"})
        rules.connect()
        from reports import figures, frozen
        from yearend.services import frozen_figures, locked_schools, snapshots

        if frozen_figures not in figures.FROZEN_SOURCES:
            figures.FROZEN_SOURCES.append(frozen_figures)
        source = frozen.Source(locked_schools, snapshots)
        if source not in frozen.SOURCES:
            frozen.SOURCES.append(source)
