from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("training")

    def ready(self):
        # Change history (audit app) of the records this app owns.
        from courses import school_learners
        from courses.audit import register

        register()
        school_learners.connect()
