from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """The home pages' reads: the year's figures (from the report selectors) and the work inbox.

    It has no models; it may import every app, and no app below it imports it except the two home
    views (schools.views)."""

    name = "dashboard"
    verbose_name = _("home pages")
