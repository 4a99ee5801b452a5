"""Data of the confirmed/provisional change, in its own migration: on PostgreSQL, rows updated in the
same transaction as the schema changes of 0002 leave pending trigger events that block its indexes."""

import re

from django.db import migrations
from django.db.models import Count, Q

# "(DOMAIN.md §2.3)" and the like: developer documents, never shown to users.
DEVELOPER_REFERENCE = re.compile(r"\s*\((?:[^()]*?)\b[\w-]+\.(?:md|py|json)\b[^()]*\)|\s*\b[\w-]+\.(?:md|py|json)\b(?:\s*§[\d.]+)?")


TEXT_2_1 = ("Tỷ lệ giảng viên trên tổng số cán bộ, viên chức (nội dung và giá trị theo Quy định 11-QĐ/TW do Học "
            "viện bổ sung)")
NOTE_2_1 = ("Giá trị ngưỡng theo Quy định 11-QĐ/TW chưa được công bố. Quy tắc biên chế của Quy định 09-QĐi/TW và "
            "393-QĐ/TW (giảng viên trong biên chế của trường ≥ 75%, không tính giảng viên kiêm chức) được kiểm tra "
            "riêng trong mục Kiểm tra cơ cấu tổ chức.")
NOTE_1_5 = ("Điền sẵn từ Kiểm tra cơ cấu tổ chức (tính từ hồ sơ cán bộ: số khoa, phòng; số người mỗi đơn vị; số cấp "
            "phó; tỷ lệ giảng viên trong biên chế); trường có thể sửa giá trị kèm lý do. Cách đánh giá trong Quy "
            "định 11-QĐ/TW chưa được xác nhận.")


def confirm_only_referenced(apps, schema_editor):
    """Keep today's data: provisional indicators stay provisional; an indicator marked confirmed without
    the reference of its document (which confirming now requires) goes back to provisional; notes lose
    their references to developer documents; each assessment is recounted on its confirmed indicators."""
    Indicator = apps.get_model("compliance", "Indicator")
    Assessment = apps.get_model("compliance", "Assessment")
    Answer = apps.get_model("compliance", "Answer")
    for indicator in Indicator.objects.all():
        note = DEVELOPER_REFERENCE.sub("", indicator.note).replace(" ;", ";").strip()
        provisional = indicator.provisional or not indicator.reference.strip()
        if note != indicator.note or provisional != indicator.provisional:
            indicator.note, indicator.provisional = note, provisional
            indicator.save(update_fields=["note", "provisional"])
    shipped = Indicator.objects.filter(criterion__standard__code="11-QĐ/TW", criterion__standard__version="2021")
    # 2.1: 75 % is the staffing rule of 09-QĐi/TW and 393-QĐ/TW, now a computed structure check
    shipped.filter(code="2.1", note__startswith="Ngưỡng 75% đã được xác nhận").update(
        text=TEXT_2_1, level1_value=None, note=NOTE_2_1)
    # 1.5: pre-filled from the structure check, overridable by the school with a reason
    shipped.filter(code="1.5", measurement="declared", metric="").update(
        measurement="prefilled", metric="structure.meets_rule", note=NOTE_1_5)
    Answer.objects.filter(indicator__provisional=True).exclude(status="pending").update(status="pending")
    for assessment in Assessment.objects.all():
        counts = Answer.objects.filter(assessment=assessment, indicator__provisional=False).aggregate(
            total=Count("pk"), met=Count("pk", filter=Q(status__in=["met", "exceeded"])),
            exceeded=Count("pk", filter=Q(status="exceeded")), not_met=Count("pk", filter=Q(status="not_met")),
            pending=Count("pk", filter=Q(status="pending")),
        )
        assessment.indicators_total = counts["total"]
        assessment.met_count, assessment.exceeded_count = counts["met"], counts["exceeded"]
        assessment.not_met_count, assessment.pending_count = counts["not_met"], counts["pending"]
        assessment.indicators_in_standard = Indicator.objects.filter(criterion__standard_id=assessment.standard_id).count()
        complete = counts["total"] and counts["met"] == counts["total"]
        assessment.level_reached = assessment.target_level if complete else None
        assessment.save(update_fields=["indicators_total", "met_count", "exceeded_count", "not_met_count",
                                       "pending_count", "indicators_in_standard", "level_reached"])



class Migration(migrations.Migration):

    dependencies = [
        ("compliance", "0002_reg_confirmed_indicators"),
    ]

    operations = [
        migrations.RunPython(confirm_only_referenced, migrations.RunPython.noop),
    ]
