"""Periods from what is stored (issue 14): today's data keeps its meaning.

- each school gets one undated name period (its current official name, short name and province);
  a school already merged away gets the province it belonged to before the merger when its name
  names one of the 63 former provinces ("Trường Chính trị tỉnh Quảng Bình" → "Tỉnh Quảng Bình");
- an inactive school that was neither merged nor dissolved is dissolved on the day it was last changed;
- staff: joined = unknown ("since before the records"); left = the day an inactive record was last
  changed (active staff have no leaving date).
"""

from django.db import migrations

CITIES = {"Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ"}


def former_province_name(school_name, former_names):
    matches = [name for name in former_names if name.lower() in school_name.lower()]
    if not matches:
        return ""
    name = max(matches, key=len)
    return f"{'Thành phố' if name in CITIES else 'Tỉnh'} {name}"


def forwards(apps, schema_editor):
    School = apps.get_model("schools", "School")
    SchoolName = apps.get_model("schools", "SchoolName")
    Staff = apps.get_model("schools", "Staff")
    FormerProvince = apps.get_model("schools", "FormerProvince")
    former_names = list(FormerProvince.objects.values_list("name", flat=True))
    names = []
    for school in School.objects.select_related("province").iterator():
        province = school.province.name if school.province_id else ""
        if school.merged_into_id:
            province = former_province_name(school.name, former_names) or province
        names.append(SchoolName(school=school, valid_from=None, name=school.name,
                                short_name=school.short_name, province_name=province))
        if not school.active and not school.merged_on and not school.dissolved_on:
            School.objects.filter(pk=school.pk).update(dissolved_on=school.updated_at.date())
    SchoolName.objects.bulk_create(names, batch_size=500)
    for pk, updated in Staff.objects.filter(active=False, left_on__isnull=True).values_list("pk", "updated_at"):
        Staff.objects.filter(pk=pk).update(left_on=updated.date())


def backwards(apps, schema_editor):
    apps.get_model("schools", "SchoolName").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("schools", "0003_hist_school_periods")]

    operations = [migrations.RunPython(forwards, backwards)]
