"""Demo data: the North Central emulation cluster (Cụm thi đua Bắc Trung Bộ), DOMAIN.md §5.

2022 and 2023 are complete (scheme, self-scores, appraisal, final scores, ranking). 2022 is entered
"as recorded" through the services (emulation.history), each step with its 2022 date, the year-end
conference at Nghệ An on 08/11/2022 with its roundtable on research and practical review; it carries
the awards reported for that year (Academy flag: Nguyễn Chí Thanh school, Huế; Director's
certificate of merit: Nghệ An school). 2024 and 2025 are drafts; from 2025 Quảng Bình's school is
part of Lê Duẩn school (Quảng Trị). The point scheme and the individual scores are illustrative —
the real scoring scales were not found (DOMAIN.md §5.2) — and decision numbers are marked DEMO.
"""

import datetime
from decimal import Decimal

from django.db import transaction

from emulation import services
from emulation.models import (
    AwardProposal,
    Cluster,
    ClusterYear,
    CommendationForm,
    Criterion,
    EmulationTitle,
    Meeting,
    Score,
    Scorecard,
)
from schools.models import Region, School, Staff

MEMBERS = ["THANHHOA", "NGHEAN", "HATINH", "QUANGBINH", "QUANGTRI", "HUE", "DANANG"]

# (code, name, max points, children [(code, name, max)]), kind
SCHEME = [
    ("I", "Công tác đào tạo, bồi dưỡng", "40", [("1.1", "Hoàn thành kế hoạch đào tạo, bồi dưỡng năm", "20"),
                                            ("1.2", "Chất lượng đào tạo, đổi mới phương pháp giảng dạy", "20")]),
    ("II", "Nghiên cứu khoa học, tổng kết thực tiễn", "25", [("2.1", "Đề tài nghiên cứu khoa học các cấp", "15"),
                                                          ("2.2", "Hội thảo, tọa đàm khoa học", "10")]),
    ("III", "Xây dựng đội ngũ, tổ chức bộ máy, cơ sở vật chất", "20", []),
    ("IV", "Tham gia hoạt động của Cụm thi đua", "15", []),
]
BONUS = ("T", "Điểm thưởng: sáng kiến, mô hình mới được Học viện ghi nhận", "5")
PENALTY = ("TR", "Điểm trừ: chậm gửi báo cáo, vi phạm quy chế", "5")

# Self-scores per school and year, in the order of the leaf items (1.1, 1.2, 2.1, 2.2, III, IV, T, TR).
SELF = {
    2022: {
        "HUE": [20, 19, 14, 10, 19, 15, 4, 0], "NGHEAN": [20, 19, 14, 9, 19, 14, 3, 0],
        "HATINH": [19, 18, 13, 9, 18, 14, 2, 0], "THANHHOA": [19, 18, 13, 9, 18, 14, 2, 0],
        "QUANGTRI": [18, 18, 12, 9, 18, 14, 1, 0], "QUANGBINH": [18, 17, 12, 9, 17, 14, 1, 0],
        "DANANG": [19, 17, 12, 8, 18, 13, 1, 1],
    },
    2023: {
        "HATINH": [20, 19, 14, 10, 19, 15, 4, 0], "HUE": [20, 19, 14, 9, 19, 15, 3, 0],
        "NGHEAN": [20, 18, 14, 9, 19, 14, 3, 0], "THANHHOA": [19, 18, 13, 9, 18, 14, 2, 0],
        "QUANGTRI": [19, 18, 13, 9, 18, 14, 2, 0], "QUANGBINH": [18, 18, 12, 9, 18, 14, 1, 0],
        "DANANG": [19, 18, 12, 9, 18, 14, 1, 1],
    },
}
# Appraisal corrections: (year, school, leaf index, appraised points, reason)
CORRECTIONS = [
    (2022, "HATINH", 2, 12, "Một đề tài cấp tỉnh chưa nghiệm thu trong năm."),
    (2022, "DANANG", 6, 0, "Sáng kiến chưa có xác nhận của Học viện."),
    (2023, "THANHHOA", 3, 8, "Hội thảo cấp cụm chưa có kỷ yếu."),
]

YEARS = {
    2022: {"head": "NGHEAN", "deputies": [], "movement": "Phong trào thi đua của hệ thống trường chính trị năm 2022",
           "slogan": "Trọng tâm – Trách nhiệm – Nêu gương – Sáng tạo", "pledge": (2022, 3, 25), "place": "Nghệ An"},
    2023: {"head": "HATINH", "deputies": ["QUANGBINH", "QUANGTRI"],
           "movement": "Phong trào thi đua của hệ thống trường chính trị năm 2023",
           "slogan": "Chủ động – Đồng bộ – Đột phá – Kỷ cương – Chất lượng – Hiệu quả",
           "pledge": (2023, 3, 17), "place": "Hà Tĩnh"},
}
MEETINGS = {
    2022: {"held_on": (2022, 11, 8), "place": "Trường Chính trị tỉnh Nghệ An", "next_head": "HATINH",
           "next_deputies": ["QUANGBINH", "QUANGTRI"]},
    2023: {"held_on": (2023, 11, 22), "place": "Trường Chính trị Trần Phú tỉnh Hà Tĩnh", "next_head": None,
           "next_deputies": []},
}


@transaction.atomic
def seed() -> None:
    schools = {s.code: s for s in School.objects.filter(code__in=MEMBERS)}
    if len(schools) < len(MEMBERS):
        return  # the schools app's demo data is not there
    cluster, _ = Cluster.objects.get_or_create(
        code="BTB", defaults={"name": "Cụm thi đua Bắc Trung Bộ", "region": Region.NORTH_CENTRAL,
                              "description": "Các trường chính trị tỉnh, thành phố khu vực Bắc Trung Bộ."},
    )
    seed_recorded_year(cluster, 2022, schools)
    seed_final_year(cluster, 2023, schools)
    for year in (2024, 2025):
        seed_draft_year(cluster, year, schools)


def seed_final_year(cluster, year, schools) -> None:
    info = YEARS[year]
    cy, created = ClusterYear.objects.get_or_create(cluster=cluster, year=year)
    if not created and cy.status == ClusterYear.Status.FINAL:
        return
    cy.head = schools[info["head"]]
    cy.movement, cy.slogan = info["movement"], info["slogan"]
    cy.pledge_date, cy.pledge_place = datetime.date(*info["pledge"]), info["place"]
    cy.self_score_deadline = datetime.date(year, 10, 31)
    cy.appraisal_start, cy.appraisal_end = datetime.date(year, 11, 1), datetime.date(year, 11, 10)
    cy.appeal_deadline = datetime.date(year, 11, 15)
    services.cluster_year_save(
        cluster_year=cy, members=[schools[c] for c in MEMBERS], deputies=[schools[c] for c in info["deputies"]]
    )
    leaves = build_scheme(cy)
    submitted_at = datetime.datetime(year, 10, 30, 9, 0, tzinfo=datetime.UTC)
    corrections = {(s, i): (p, r) for y, s, i, p, r in CORRECTIONS if y == year}
    for code, points in SELF[year].items():
        card, _ = Scorecard.objects.update_or_create(
            cluster_year=cy, school=schools[code],
            defaults={"status": Scorecard.Status.SUBMITTED, "submitted_at": submitted_at},
        )
        scores = []
        for index, (criterion, value) in enumerate(zip(leaves, points, strict=True)):
            appraised, reason = corrections.get((code, index), (value, ""))
            scores.append(Score(
                scorecard=card, criterion=criterion, self_points=Decimal(value),
                explanation="Báo cáo tổng kết năm của trường (bản lưu tại Văn phòng Cụm).",
                appraised_points=Decimal(appraised), appraisal_reason=reason, final_points=Decimal(appraised),
            ))
        Score.objects.bulk_create(scores, ignore_conflicts=True)
    services.store_ranking(cluster_year=cy)
    cy.status = ClusterYear.Status.FINAL
    cy.save(update_fields=["status"])
    seed_meeting(cy, schools)


# The 2022 season was entered in 2026 "as recorded" (emulation.history): the dates each step took place.
RECORDED_2022 = {"open_scoring": (2022, 3, 25), "submitted": (2022, 10, 30), "open_appraisal": (2022, 11, 1),
                 "open_appeals": (2022, 11, 5), "finalize": (2022, 11, 8)}
CONCLUSIONS_2022 = (
    "Hội nghị tổng kết hoạt động Cụm thi đua Bắc Trung Bộ năm 2022 tổ chức tại Trường Chính trị tỉnh Nghệ An "
    "ngày 08/11/2022, kết hợp tọa đàm khoa học về công tác nghiên cứu khoa học và tổng kết thực tiễn của các "
    "trường. Hội nghị thông qua báo cáo tổng kết và kết quả chấm điểm, suy tôn Trường Chính trị Nguyễn Chí Thanh "
    "đề nghị Cờ thi đua của Học viện, bình xét Trường Chính trị tỉnh Nghệ An đề nghị Bằng khen của Giám đốc Học "
    "viện, và bầu Trường Chính trị Trần Phú tỉnh Hà Tĩnh làm Cụm trưởng năm 2023."
)


def seed_recorded_year(cluster, year, schools) -> None:
    """A past season entered as recorded through the services (every rule applies, no deadline does):
    each step with the date it took place, each change in the log with who entered it and when."""
    from accounts.models import User
    from audit.context import acting_as
    from emulation import history

    cy, _ = ClusterYear.objects.get_or_create(cluster=cluster, year=year)
    if cy.status == ClusterYear.Status.FINAL:
        return
    entered_by = User.objects.filter(username="academy").first()
    if entered_by is None:
        return  # the schools app's demo accounts come first
    info = YEARS[year]
    dates = {step: datetime.date(*value) for step, value in RECORDED_2022.items()}
    with acting_as(entered_by):
        cy.head = schools[info["head"]]
        cy.movement, cy.slogan = info["movement"], info["slogan"]
        cy.pledge_date, cy.pledge_place = datetime.date(*info["pledge"]), info["place"]
        cy.self_score_deadline = datetime.date(year, 10, 31)
        cy.appraisal_start, cy.appraisal_end = datetime.date(year, 11, 1), datetime.date(year, 11, 4)
        cy.appeal_deadline = datetime.date(year, 11, 6)
        services.cluster_year_save(
            cluster_year=cy, members=[schools[c] for c in MEMBERS], deputies=[schools[c] for c in info["deputies"]]
        )
        leaves = build_scheme(cy)
        if not cy.recorded_entry:
            history.start_recorded_entry(cluster_year=cy, user=entered_by)
        if cy.status == ClusterYear.Status.DRAFT:
            history.run_step(cluster_year=cy, action="open_scoring", happened_on=dates["open_scoring"])
        corrections = {(s, i): (p, r) for y, s, i, p, r in CORRECTIONS if y == year}
        explanation = "Báo cáo tổng kết năm của trường (bản lưu tại Văn phòng Cụm)."
        for code, points in SELF[year].items():
            card = Scorecard.objects.get(cluster_year=cy, school=schools[code])
            card.cluster_year = cy
            if cy.status == ClusterYear.Status.SCORING_OPEN and not card.locked:
                rows = {c.pk: {"points": Decimal(v), "explanation": explanation}
                        for c, v in zip(leaves, points, strict=True)}
                services.self_scores_save(scorecard=card, rows=rows)
                services.scorecard_submit(scorecard=card, user=entered_by, submitted_on=dates["submitted"])
        if cy.status == ClusterYear.Status.SCORING_OPEN:
            history.run_step(cluster_year=cy, action="open_appraisal", happened_on=dates["open_appraisal"])
        if cy.status == ClusterYear.Status.APPRAISAL:
            for code, points in SELF[year].items():
                card = Scorecard.objects.get(cluster_year=cy, school=schools[code])
                card.cluster_year = cy
                rows = {}
                for index, (criterion, value) in enumerate(zip(leaves, points, strict=True)):
                    appraised, reason = corrections.get((code, index), (value, ""))
                    rows[criterion.pk] = {"points": Decimal(appraised), "reason": reason}
                services.appraisal_save(scorecard=card, rows=rows)
            history.run_step(cluster_year=cy, action="open_appeals", happened_on=dates["open_appeals"])
        if cy.status == ClusterYear.Status.APPEALS:
            history.run_step(cluster_year=cy, action="finalize", happened_on=dates["finalize"])
        seed_meeting(cy, schools)
        seed_awards_2022(cy, schools, entered_by)


def build_scheme(cy) -> list[Criterion]:
    """The illustrative scheme; returns the leaf items in scoring order."""
    leaves = []
    order = 0
    for code, name, points, children in SCHEME:
        order += 1
        parent, _ = Criterion.objects.get_or_create(
            cluster_year=cy, code=code, defaults={"name": name, "max_points": Decimal(points), "order": order}
        )
        if not children:
            leaves.append(parent)
        for child_code, child_name, child_points in children:
            order += 1
            child, _ = Criterion.objects.get_or_create(
                cluster_year=cy, code=child_code,
                defaults={"name": child_name, "max_points": Decimal(child_points), "order": order, "parent": parent},
            )
            leaves.append(child)
    for kind, (code, name, points) in ((Criterion.Kind.BONUS, BONUS), (Criterion.Kind.PENALTY, PENALTY)):
        order += 1
        item, _ = Criterion.objects.get_or_create(
            cluster_year=cy, code=code, defaults={"name": name, "max_points": Decimal(points), "order": order, "kind": kind}
        )
        leaves.append(item)
    return leaves


def seed_meeting(cy, schools) -> None:
    info = MEETINGS[cy.year]
    conclusions = CONCLUSIONS_2022 if cy.year == 2022 else (
        "Hội nghị thống nhất thông qua báo cáo tổng kết và kết quả chấm điểm của Cụm.")
    meeting, _ = Meeting.objects.update_or_create(
        cluster_year=cy,
        defaults={"held_on": datetime.date(*info["held_on"]), "place": info["place"], "voters": 7,
                  "chair": f"{cy.head.name} (Cụm trưởng)",
                  "attendees": "Đại diện lãnh đạo 7 trường thành viên; Vụ Các trường chính trị",
                  "conclusions": conclusions,
                  "next_head": schools[info["next_head"]] if info["next_head"] else None},
    )
    meeting.next_deputies.set([schools[c] for c in info["next_deputies"]])


def seed_awards_2022(cy, schools, user) -> None:
    """Proposed at the conference of 08/11/2022, approved by the Academy on 10/01/2023 (through the
    services, so the approved awards enter the awards register)."""
    if cy.proposals.exists():
        return
    person = Staff.objects.for_school(schools["NGHEAN"]).filter(is_lecturer=True).order_by("pk").first()
    entries = [
        (schools["HUE"], None, {"title": EmulationTitle.ACADEMY_FLAG}, "Dẫn đầu Cụm thi đua Bắc Trung Bộ năm 2022.",
         AwardProposal.VoteMethod.ACCLAMATION, (7, 0)),
        (schools["NGHEAN"], None, {"commendation_form": CommendationForm.DIRECTOR_CERTIFICATE},
         "Hoàn thành xuất sắc nhiệm vụ Cụm trưởng năm 2022.", AwardProposal.VoteMethod.PEER_VOTE, (7, 0)),
    ]
    if person is not None:
        entries.append((schools["NGHEAN"], person, {"commendation_form": CommendationForm.DIRECTOR_CERTIFICATE},
                        "Giảng viên có thành tích xuất sắc (dữ liệu mẫu).", AwardProposal.VoteMethod.PEER_VOTE, (6, 1)))
    for school, staff, award, achievements, method, (votes_for, against) in entries:
        proposal = services.award_propose(proposal=AwardProposal(
            cluster_year=cy, school=school, staff=staff, achievements=achievements, **award))
        services.award_record_vote(proposal=proposal, method=method, votes_for=votes_for, votes_against=against,
                                   votes_total=7)
        services.award_decide(proposal=proposal, approve=True, number="DEMO-01/QĐ-HVCTQG",
                              date=datetime.date(2023, 1, 10), user=user)


def seed_draft_year(cluster, year, schools) -> None:
    cy, created = ClusterYear.objects.get_or_create(cluster=cluster, year=year)
    if not created:
        return
    # From 01/07/2025 Quảng Bình's school is part of Lê Duẩn school (Quảng Trị).
    members = [schools[c] for c in MEMBERS if not (year >= 2025 and c == "QUANGBINH")]
    cy.movement = f"Phong trào thi đua của hệ thống trường chính trị năm {year}"
    cy.self_score_deadline = datetime.date(year, 10, 31)
    services.cluster_year_save(cluster_year=cy, members=members, deputies=[])
    services.scheme_copy_from_last_year(cluster_year=cy)
