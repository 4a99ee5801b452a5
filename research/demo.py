"""Demo research records for the two demo schools (Nghệ An and Trần Phú, Hà Tĩnh), 2024 and 2025.

Topics go through the real lifecycle services, so their history pages show dated transitions.
Idempotent: a school that already has research topics is left alone.
"""

import datetime
from decimal import Decimal

from accounts.models import User
from research import services
from research.models import (
    Article,
    Event,
    EventCoOrganiser,
    FieldTrip,
    FieldTripParticipant,
    Publication,
    ResearchField,
    Topic,
)
from schools.models import School, Staff

D = datetime.date
L, S, F = Topic.Level, Topic.Status, ResearchField

# (code, title, level, field, start, end, final step) — final step: None (registered), "approve",
# "start", "extend", ("accept", date, score, grade) or ("cancel", reason)
TOPICS = {
    "NGHEAN": [
        ("ĐT.CS.2024.01", "Nâng cao chất lượng giảng dạy học phần Xây dựng Đảng tại Trường Chính trị tỉnh Nghệ An",
         L.SCHOOL, F.PARTY_BUILDING, D(2024, 2, 15), D(2024, 10, 31), ("accept", D(2024, 11, 20), "88.5", "excellent")),
        ("ĐT.CS.2024.02", "Vận dụng phương pháp dạy học tích cực trong chương trình Trung cấp lý luận chính trị",
         L.SCHOOL, F.TRAINING, D(2024, 2, 15), D(2024, 10, 31), ("accept", D(2024, 12, 5), "79", "good")),
        ("ĐT.T.2024.01", "Giải pháp bảo vệ nền tảng tư tưởng của Đảng trên không gian mạng ở tỉnh Nghệ An",
         L.PROVINCIAL, F.PARTY_BUILDING, D(2024, 3, 1), D(2025, 12, 31), "extend"),
        ("ĐT.K.2024.01", "Đổi mới phương pháp giảng dạy học phần Triết học Mác - Lênin cho học viên hệ không tập trung",
         L.FACULTY, F.POLITICAL_THEORY, D(2024, 3, 1), D(2024, 9, 30), ("accept", D(2024, 10, 15), "72", "pass")),
        ("SK.2024.01", "Ứng dụng phần mềm quản lý đào tạo trong theo dõi chuyên cần học viên",
         L.INITIATIVE, F.TRAINING, D(2024, 4, 1), D(2024, 11, 30), ("accept", D(2024, 12, 10), "85", "good")),
        ("ĐT.CS.2025.01", "Lộ trình xây dựng Trường Chính trị tỉnh Nghệ An đạt chuẩn mức 2 giai đoạn 2025 - 2030",
         L.SCHOOL, F.PARTY_BUILDING, D(2025, 2, 10), D(2025, 10, 31), ("accept", D(2025, 11, 18), "91", "excellent")),
        ("ĐT.CS.2025.02", "Nâng cao chất lượng đội ngũ giảng viên kiêm chức ở các trung tâm chính trị xã, phường",
         L.SCHOOL, F.TRAINING, D(2025, 2, 10), D(2025, 12, 31), "start"),
        ("ĐT.CS.2025.03", "Giáo dục lịch sử Đảng bộ địa phương cho học viên lớp Trung cấp lý luận chính trị",
         L.SCHOOL, F.PARTY_HISTORY, D(2025, 3, 1), D(2025, 12, 31), "approve"),
        ("ĐT.CS.2025.04", "Thực trạng công tác phát triển đảng viên trong doanh nghiệp ngoài nhà nước",
         L.SCHOOL, F.PARTY_BUILDING, D(2025, 3, 1), D(2025, 11, 30),
         ("cancel", "Chủ nhiệm đề tài chuyển công tác; đơn vị đề nghị dừng thực hiện.")),
        ("ĐT.B.2025.01", "Tổ chức bộ máy trung tâm chính trị cấp xã sau sắp xếp đơn vị hành chính",
         L.MINISTRY, F.STATE_LAW, D(2025, 8, 1), D(2026, 12, 31), None),
    ],
    "HATINH": [
        ("TP.CS.2024.01", "Vận dụng tư tưởng Hồ Chí Minh về cán bộ trong công tác đào tạo cán bộ cơ sở ở Hà Tĩnh",
         L.SCHOOL, F.HO_CHI_MINH, D(2024, 2, 20), D(2024, 11, 15), ("accept", D(2024, 12, 3), "86", "good")),
        ("TP.CS.2024.02", "Nâng cao hiệu quả dự giờ, thao giảng của giảng viên Trường Chính trị Trần Phú",
         L.SCHOOL, F.TRAINING, D(2024, 2, 20), D(2024, 11, 15), ("accept", D(2024, 12, 3), "68", "pass")),
        ("TP.T.2024.01", "Phát huy giá trị di tích lịch sử cách mạng trong giáo dục truyền thống cho cán bộ, đảng viên tỉnh Hà Tĩnh",
         L.PROVINCIAL, F.CULTURE_SOCIETY, D(2024, 4, 1), D(2025, 9, 30), ("accept", D(2025, 10, 22), "92", "excellent")),
        ("TP.K.2024.01", "Xây dựng ngân hàng câu hỏi thi học phần Nhà nước và pháp luật",
         L.FACULTY, F.STATE_LAW, D(2024, 3, 1), D(2024, 8, 31), ("cancel", "Nội dung trùng với đề tài cấp trường đã phê duyệt.")),
        ("TP.SK.2025.01", "Sổ tay điện tử cho giáo viên chủ nhiệm lớp Trung cấp lý luận chính trị",
         L.INITIATIVE, F.TRAINING, D(2025, 3, 1), D(2025, 10, 31), ("accept", D(2025, 11, 12), "80", "good")),
        ("TP.CS.2025.01", "Nâng cao chất lượng bồi dưỡng cập nhật kiến thức cho cán bộ chủ chốt cấp xã sau sáp nhập",
         L.SCHOOL, F.STATE_LAW, D(2025, 2, 15), D(2025, 12, 15), "start"),
        ("TP.CS.2025.02", "Phòng, chống quan điểm sai trái, thù địch trên mạng xã hội trong học viên các lớp bồi dưỡng",
         L.SCHOOL, F.PARTY_BUILDING, D(2025, 2, 15), D(2025, 12, 15), "extend"),
        ("TP.CS.2025.03", "Đánh giá mức độ hài lòng của cơ quan cử cán bộ đi học đối với chất lượng đào tạo",
         L.SCHOOL, F.TRAINING, D(2025, 9, 1), D(2026, 6, 30), None),
    ],
}

# (kind, level, title, field, held_on, venue, co-school codes, other organisers, papers, proceedings, topic codes)
EVENTS = {
    "NGHEAN": [
        (Event.Kind.WORKSHOP, Event.Level.PROVINCIAL, "Công tác bảo vệ nền tảng tư tưởng của Đảng trong tình hình mới",
         F.PARTY_BUILDING, D(2024, 11, 19), "Hội trường Trường Chính trị tỉnh Nghệ An", [],
         "Ban Tuyên giáo Tỉnh ủy Nghệ An\nBan Chỉ đạo 35 Tỉnh ủy Nghệ An", 46, True, ["ĐT.T.2024.01"]),
        (Event.Kind.ROUNDTABLE, Event.Level.CLUSTER,
         "Đổi mới hoạt động nghiên cứu khoa học đáp ứng tiêu chí trường chính trị chuẩn", F.TRAINING, D(2024, 9, 12),
         "Thành phố Vinh", ["HATINH", "THANHHOA", "QUANGTRI"], "", 18, False, []),
        (Event.Kind.ROUNDTABLE, Event.Level.SCHOOL, "Kinh nghiệm giảng dạy học phần Xây dựng Đảng", F.PARTY_BUILDING,
         D(2024, 5, 16), "Phòng họp số 2", [], "", 9, False, ["ĐT.CS.2024.01"]),
        (Event.Kind.WORKSHOP, Event.Level.MINISTRY, "Trung tâm chính trị cấp xã: mô hình tổ chức và hoạt động",
         F.STATE_LAW, D(2025, 10, 8), "Trường Chính trị tỉnh Nghệ An", ["HVKV3"], "Học viện Chính trị khu vực III", 52,
         True, ["ĐT.B.2025.01"]),
        (Event.Kind.ROUNDTABLE, Event.Level.FACULTY, "Dạy học tích cực trong các học phần lý luận cơ sở",
         F.POLITICAL_THEORY, D(2025, 4, 22), "Khoa Lý luận cơ sở", [], "", 7, False, []),
        # Held with the cluster's year-end conference of 08/11/2022 (emulation demo), the members co-organising.
        (Event.Kind.ROUNDTABLE, Event.Level.CLUSTER,
         "Công tác nghiên cứu khoa học và tổng kết thực tiễn của các trường chính trị khu vực Bắc Trung Bộ",
         F.OTHER, D(2022, 11, 8), "Trường Chính trị tỉnh Nghệ An",
         ["THANHHOA", "HATINH", "QUANGBINH", "QUANGTRI", "HUE", "DANANG"], "", 12, False, []),
    ],
    "HATINH": [
        (Event.Kind.WORKSHOP, Event.Level.PROVINCIAL, "Đồng chí Trần Phú với cách mạng Việt Nam và quê hương Hà Tĩnh",
         F.PARTY_HISTORY, D(2024, 5, 1), "Trường Chính trị Trần Phú", [],
         "Ban Tuyên giáo Tỉnh ủy Hà Tĩnh\nHội Khoa học lịch sử tỉnh", 38, True, ["TP.T.2024.01"]),
        (Event.Kind.ROUNDTABLE, Event.Level.SCHOOL, "Nâng cao chất lượng thao giảng, dự giờ", F.TRAINING,
         D(2024, 10, 10), "Phòng họp trường", [], "", 8, False, ["TP.CS.2024.02"]),
        (Event.Kind.WORKSHOP, Event.Level.CLUSTER,
         "Các trường chính trị khu vực Bắc Trung Bộ với nhiệm vụ đào tạo cán bộ cấp xã sau sắp xếp", F.STATE_LAW,
         D(2025, 11, 6), "Thành phố Hà Tĩnh", ["NGHEAN", "THANHHOA", "HUE"], "", 31, True, ["TP.CS.2025.01"]),
    ],
}

BUDGETS = {L.STATE: Decimal(500), L.MINISTRY: Decimal(250), L.PROVINCIAL: Decimal(120), L.SCHOOL: Decimal(15),
           L.FACULTY: Decimal(5), L.INITIATIVE: None}

BULLETINS = {"NGHEAN": "Thông tin lý luận và thực tiễn", "HATINH": "Nội san Trường Chính trị Trần Phú"}
ARTICLE_TITLES = [
    "Quán triệt Nghị quyết Trung ương trong giảng dạy lý luận chính trị",
    "Một số giải pháp nâng cao chất lượng học viên lớp Trung cấp lý luận chính trị",
    "Đấu tranh phản bác luận điệu xuyên tạc về vai trò lãnh đạo của Đảng",
    "Chuyển đổi số trong quản lý đào tạo ở trường chính trị",
    "Kinh nghiệm tổ chức đi thực tế cho học viên",
    "Vận dụng phương pháp nêu vấn đề trong bài giảng lịch sử Đảng",
]

FIELD_TRIPS = {
    "NGHEAN": [
        ("Nghiên cứu thực tế mô hình nông thôn mới kiểu mẫu", "Huyện Nam Đàn, tỉnh Nghệ An", D(2024, 4, 8), D(2024, 4, 12), 5),
        ("Tìm hiểu công tác xây dựng Đảng ở vùng đồng bào dân tộc thiểu số", "Huyện Quỳ Châu, tỉnh Nghệ An",
         D(2024, 8, 19), D(2024, 8, 23), 4),
        ("Nghiên cứu thực tế hoạt động trung tâm chính trị xã sau sắp xếp", "Xã Nghi Lộc, tỉnh Nghệ An",
         D(2025, 9, 15), D(2025, 9, 19), 6),
    ],
    "HATINH": [
        ("Nghiên cứu thực tế phát triển kinh tế biển", "Khu kinh tế Vũng Áng, tỉnh Hà Tĩnh", D(2024, 6, 10), D(2024, 6, 13), 4),
        ("Tìm hiểu mô hình dân vận khéo ở cơ sở", "Huyện Hương Khê, tỉnh Hà Tĩnh", D(2025, 4, 14), D(2025, 4, 18), 5),
    ],
}


# The provincial Ban Tuyên giáo và Dân vận was formed in early 2025 by merging the Ban Tuyên giáo and
# the Ban Dân vận of the provincial Party committee: before that, the Ban Tuyên giáo.
PROPAGANDA_MERGED_ON = D(2025, 3, 1)


def propaganda_board(on: datetime.date) -> str:
    return "Ban Tuyên giáo và Dân vận Tỉnh ủy" if on >= PROPAGANDA_MERGED_ON else "Ban Tuyên giáo Tỉnh ủy"


def _admin(school: School):
    return User.objects.filter(school=school, role="school_admin").order_by("pk").first()


def _seed_topics(school, lecturers, user) -> dict[str, Topic]:
    topics = {}
    for index, (code, title, level, field, start, end, step) in enumerate(TOPICS[school.code]):
        leader = lecturers[index % len(lecturers)]
        members = [lecturers[(index + k) % len(lecturers)] for k in (1, 2)]
        topic = services.topic_register(
            topic=Topic(school=school, code=code, title=title, level=level, field=field, leader=leader,
                        start_on=start, end_on=end, budget=BUDGETS[level],
                        outside_members=f"ThS. Nguyễn Văn Hòa ({propaganda_board(start)})" if level == L.PROVINCIAL else ""),
            members=members, user=user,
        )
        if step is not None:
            decision = f"DEMO-{10 + index}-QĐ/TCT"
            topic = services.topic_approve(topic=topic, user=user, decision_number=decision,
                                           decision_date=start - datetime.timedelta(days=5))
        if isinstance(step, tuple) and step[0] == "cancel":
            topic = services.topic_cancel(topic=topic, user=user, reason=step[1], decision_date=start + datetime.timedelta(days=60))
        elif step not in (None, "approve"):
            topic = services.topic_start(topic=topic, user=user, decision_number=f"DEMO-HĐ {index + 1}/{start.year}",
                                         decision_date=start)
            if step == "extend":
                topic = services.topic_extend(topic=topic, user=user, new_end_on=end + datetime.timedelta(days=90),
                                              decision_number=f"DEMO-{40 + index}-QĐ/TCT", decision_date=end)
            elif isinstance(step, tuple):
                _, council, score, grade = step
                topic = services.topic_accept(topic=topic, user=user, council_date=council, score=Decimal(score),
                                              grade=grade, decision_number=f"DEMO-{60 + index}-QĐ/TCT",
                                              decision_date=council - datetime.timedelta(days=7))
        topics[code] = topic
    return topics


def _seed_events(school, topics):
    partners = {s.code: s for s in School.objects.filter(code__in={c for e in EVENTS[school.code] for c in e[6]})}
    for kind, level, title, field, held_on, venue, co, others, papers, proceedings, topic_codes in EVENTS[school.code]:
        event = Event.objects.create(school=school, kind=kind, level=level, title=title, field=field, held_on=held_on,
                                     venue=venue, other_organisers=others, papers=papers,
                                     proceedings_published=proceedings)
        event.co_schools.set([partners[c] for c in co if c in partners])
        event.topics.set([topics[c] for c in topic_codes])


def _seed_publications(school, lecturers):
    bulletin = BULLETINS[school.code]
    for year in (2024, 2025):
        for number, month in enumerate((3, 6, 9, 12), start=1):
            issue = Publication.objects.create(
                school=school, kind=Publication.Kind.BULLETIN_ISSUE, title=bulletin, field=F.OTHER,
                published_on=D(year, month, 25), series=bulletin, issue_number=f"Số {number}/{year}",
            )
            for k in range(3 + (number % 2)):
                article = Article.objects.create(
                    issue=issue, title=ARTICLE_TITLES[(number + k) % len(ARTICLE_TITLES)],
                    pages=f"{5 + 8 * k}-{12 + 8 * k}", ideological_column=(number + k) % len(ARTICLE_TITLES) == 2,
                )
                article.authors.set([lecturers[(number * 3 + k) % len(lecturers)]])
        monograph = Publication.objects.create(
            school=school, kind=Publication.Kind.MONOGRAPH, field=F.PARTY_BUILDING, published_on=D(year, 10, 1),
            title=f"Công tác xây dựng Đảng ở cơ sở: lý luận và thực tiễn ({year})",
            publisher="Nhà xuất bản Lý luận chính trị",
        )
        monograph.authors.set(lecturers[:3])
        for k, journal in enumerate(("Tạp chí Lý luận chính trị", "Tạp chí Cộng sản", "Tạp chí Giáo dục lý luận")):
            article = Publication.objects.create(
                school=school, kind=Publication.Kind.JOURNAL_ARTICLE, field=F.PARTY_BUILDING,
                published_on=D(year, 4 + 3 * k, 10), series=journal, issue_number=f"Số {k + 3}/{year}",
                title=["Đổi mới nội dung, phương pháp giảng dạy lý luận chính trị ở trường chính trị tỉnh",
                       "Bảo vệ nền tảng tư tưởng của Đảng từ các trường chính trị",
                       "Xây dựng trường chính trị chuẩn: kinh nghiệm từ Bắc Trung Bộ"][k],
                ideological_column=k == 1,
            )
            article.authors.set([lecturers[(k + year) % len(lecturers)]])
        for k, prize in enumerate(("second", "", "consolation")):
            entry = Publication.objects.create(
                school=school, kind=Publication.Kind.ESSAY_ENTRY, field=F.PARTY_BUILDING, ideological_column=True,
                published_on=D(year, 7, 20 + k), contest_year=year, prize=prize,
                title=["Vững niềm tin vào con đường đi lên chủ nghĩa xã hội",
                       "Phản bác luận điệu “phi chính trị hóa” cán bộ, công chức",
                       "Giữ vững trận địa tư tưởng trên không gian mạng"][k],
            )
            entry.authors.set([lecturers[(k * 2 + year) % len(lecturers)]])


def _seed_field_trips(school, lecturers):
    for title, place, start, end, size in FIELD_TRIPS[school.code]:
        trip = FieldTrip.objects.create(school=school, title=title, place=place, start_on=start, end_on=end,
                                        decision_number=f"DEMO-{start.month}{start.day}-QĐ/TCT")
        offset = start.month % len(lecturers)
        chosen = {lecturers[(offset + k) % len(lecturers)].pk for k in range(size)}
        FieldTripParticipant.objects.bulk_create([FieldTripParticipant(trip=trip, staff_id=pk) for pk in chosen])


def _seed_academy_event() -> None:
    """A ministry-level workshop hosted by the Academy with Nghệ An's school co-organising (phối hợp):
    it appears in Nghệ An's list and counts for its indicator 4.3."""
    academy, nghean = School.objects.filter(code="HVCTQG").first(), School.objects.filter(code="NGHEAN").first()
    if academy is None or nghean is None:
        return
    event, created = Event.objects.get_or_create(
        school=academy, title="Nâng cao chất lượng đào tạo, bồi dưỡng lý luận chính trị ở các trường chính trị tỉnh",
        defaults={"kind": Event.Kind.WORKSHOP, "level": Event.Level.MINISTRY, "field": F.TRAINING,
                  "held_on": D(2023, 6, 15), "venue": "Học viện Chính trị quốc gia Hồ Chí Minh", "papers": 40,
                  "proceedings_published": True},
    )
    if created:
        event.co_schools.add(nghean, through_defaults={"role": EventCoOrganiser.Role.PARTNER})


def seed() -> None:
    _seed_academy_event()
    for school in School.objects.filter(code__in=TOPICS):
        if Topic.objects.for_school(school).exists():
            continue
        lecturers = list(Staff.objects.for_school(school).filter(is_lecturer=True, active=True).order_by("name_sort_key"))
        if len(lecturers) < 3:
            continue  # the schools app's demo staff come first
        user = _admin(school)
        topics = _seed_topics(school, lecturers, user)
        _seed_events(school, topics)
        _seed_publications(school, lecturers)
        _seed_field_trips(school, lecturers)
