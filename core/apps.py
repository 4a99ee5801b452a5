from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import pre_save
from django.utils.translation import gettext_lazy as _

# The name of the Vietnamese collation, on SQLite (registered below) and on Postgres (created by
# the migration schools.0003 from ICU's "vi" locale). Text columns that people read in alphabetical
# order (school and province names) declare it as their ``db_collation``.
VIETNAMESE_COLLATION = "vi"


def register_sqlite_collation(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        from core.vietnamese import collate

        connection.connection.create_collation(VIETNAMESE_COLLATION, collate)


def strip_bidi_controls(sender, instance, raw=False, **kwargs):
    """Every text field of every model is saved without bidirectional control characters
    (U+202A–202E, U+2066–2069), whichever form, import or command wrote it: the one place."""
    from django.db import models

    from core.vietnamese import BIDI_CONTROLS

    if raw:
        return
    for field in sender._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField):
            value = getattr(instance, field.attname)
            if isinstance(value, str) and not value.isascii():
                cleaned = value.translate(BIDI_CONTROLS)
                if cleaned != value:
                    setattr(instance, field.attname, cleaned)


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("core")

    def ready(self):
        connection_created.connect(register_sqlite_collation, dispatch_uid="core.vietnamese_collation")
        pre_save.connect(strip_bidi_controls, dispatch_uid="core:strip_bidi_controls")
