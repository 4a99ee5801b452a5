"""The table of award kinds and who confers them, and the register entries of the awards the
emulation clusters have already had approved (today's data is kept and shows in the register)."""

from django.db import migrations

# (order, code, name, category, recipient, level)
KINDS = [
    (10, "academy_flag", "Cờ thi đua của Học viện Chính trị quốc gia Hồ Chí Minh", "title", "collective", "academy_director"),
    (20, "director_certificate", "Bằng khen của Giám đốc Học viện", "commendation", "both", "academy_director"),
    (30, "excellent_collective", "Tập thể lao động xuất sắc", "title", "collective", "province"),
    (40, "advanced_collective", "Tập thể lao động tiên tiến", "title", "collective", "school_head"),
    (50, "emulation_fighter", "Chiến sĩ thi đua cơ sở", "title", "individual", "school_head"),
    (60, "advanced_worker", "Lao động tiên tiến", "title", "individual", "school_head"),
    (70, "principal_commendation", "Giấy khen của Hiệu trưởng", "commendation", "both", "school_head"),
    (80, "provincial_flag", "Cờ thi đua của Ủy ban nhân dân tỉnh", "title", "collective", "province"),
    (90, "provincial_emulation_fighter", "Chiến sĩ thi đua cấp tỉnh", "title", "individual", "province"),
    (100, "province_certificate", "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", "commendation", "both", "province"),
    (110, "government_flag", "Cờ thi đua của Chính phủ", "title", "collective", "prime_minister"),
    (120, "national_emulation_fighter", "Chiến sĩ thi đua toàn quốc", "title", "individual", "prime_minister"),
    (130, "pm_certificate", "Bằng khen của Thủ tướng Chính phủ", "commendation", "both", "prime_minister"),
    (140, "labour_order_3", "Huân chương Lao động hạng Ba", "commendation", "both", "state_president"),
    (150, "labour_order_2", "Huân chương Lao động hạng Nhì", "commendation", "both", "state_president"),
    (160, "labour_order_1", "Huân chương Lao động hạng Nhất", "commendation", "both", "state_president"),
    (170, "independence_order_3", "Huân chương Độc lập hạng Ba", "commendation", "collective", "state_president"),
]


def forwards(apps, schema_editor):
    AwardKind = apps.get_model("awards", "AwardKind")
    Award = apps.get_model("awards", "Award")
    AwardProposal = apps.get_model("emulation", "AwardProposal")
    kinds = {}
    for order, code, name, category, recipient, level in KINDS:
        kinds[code], _ = AwardKind.objects.update_or_create(
            code=code, defaults={"order": order, "name": name, "category": category, "recipient": recipient,
                                 "level": level})
    approved = AwardProposal.objects.filter(status="approved").select_related("cluster_year")
    for proposal in approved:
        kind = kinds.get(proposal.title or proposal.commendation_form)
        if kind is None or Award.objects.filter(proposal=proposal).exists():
            continue
        Award.objects.create(
            proposal=proposal, school_id=proposal.school_id, staff_id=proposal.staff_id, kind=kind,
            year=proposal.cluster_year.year, occasion="cluster", decision_number=proposal.decision_number,
            decision_date=proposal.decision_date, achievements=proposal.achievements,
        )


def backwards(apps, schema_editor):
    apps.get_model("awards", "Award").objects.filter(proposal__isnull=False).delete()


class Migration(migrations.Migration):
    dependencies = [("awards", "0001_past_initial"), ("emulation", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
