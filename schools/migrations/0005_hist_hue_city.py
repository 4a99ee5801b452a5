"""Thừa Thiên Huế became the centrally-run Thành phố Huế on 01/01/2025, not on 01/07/2025 (issue 14)."""

import datetime

from django.db import migrations


def forwards(apps, schema_editor):
    apps.get_model("schools", "FormerProvince").objects.filter(cccd_code="046").update(
        merged_on=datetime.date(2025, 1, 1)
    )


def backwards(apps, schema_editor):
    apps.get_model("schools", "FormerProvince").objects.filter(cccd_code="046").update(
        merged_on=datetime.date(2025, 7, 1)
    )


class Migration(migrations.Migration):
    dependencies = [("schools", "0004_hist_periods_from_stored")]

    operations = [migrations.RunPython(forwards, backwards)]
