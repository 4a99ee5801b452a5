"""A trigram index for the learner search on PostgreSQL.

The learner search matches ``search_name`` anywhere (``LIKE '%nguyen van an%'``), which a b-tree
index cannot serve: at 1.36 million learners every search read the whole table (~0.4 s for the
count and again for the page; `make bench`, bench/results.md). A GIN trigram index answers such
LIKE filters directly. PostgreSQL only (pg_trgm is a trusted extension, so the database owner
may create it); other databases keep scanning, which is fine at their sizes.
"""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS learner_search_name_trgm ON courses_learner USING gin (search_name gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS learner_search_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("courses", "0003_importbatch")]

    operations = [migrations.RunPython(create, drop)]
