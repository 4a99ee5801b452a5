from django.db import migrations


def load(apps, schema_editor):
    from schools.reference import load_reference_data

    load_reference_data(
        apps.get_model("schools", "Province"),
        apps.get_model("schools", "FormerProvince"),
        apps.get_model("schools", "EthnicGroup"),
    )


def unload(apps, schema_editor):
    apps.get_model("schools", "FormerProvince").objects.all().delete()
    apps.get_model("schools", "EthnicGroup").objects.all().delete()
    apps.get_model("schools", "Province").objects.filter(schools__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("schools", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
