from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _

# The name of the Vietnamese collation, on SQLite (registered below) and on Postgres (created by
# the migration schools.0003 from ICU's "vi" locale). Text columns that people read in alphabetical
# order (school and province names) declare it as their ``db_collation``.
VIETNAMESE_COLLATION = "vi"


def register_sqlite_collation(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        from core.vietnamese import collate

        connection.connection.create_collation(VIETNAMESE_COLLATION, collate)


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("core")

    def ready(self):
        connection_created.connect(register_sqlite_collation, dispatch_uid="core.vietnamese_collation")
