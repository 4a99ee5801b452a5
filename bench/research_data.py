"""Synthetic research records (research/models.py) for the synthetic schools.

Per school and year, a realistic handful: ~10 topics at every stage of their lifecycle, with the
``TopicTransition`` history ``research.services`` would have written (registration, approval
decision, start, extension, acceptance council with score and grade, or cancellation with its
reason); ~4 workshops and roundtables (cluster-level ones co-hosted by schools of the region, some
linked to the school's topics); ~6 publications (bulletin issues holding ~10 articles, monographs,
articles in outside journals, political-essay contest entries); ~2 field trips of lecturers.

The records stop at 30/06 of ``end_year``, as the training data treats classes closing after June
of its last year as still running: later steps of a topic (acceptance, cancellation …) have not
happened yet, so the last year holds registered, approved and in-progress topics.

Deterministic for a seed: every school has its own random stream (seed, "research", school code),
so a school's records do not depend on which other schools already had some, and every timestamp
is derived from the record's own dates. A school that already has research records is left alone
(a re-run adds what is missing). Rows are written with ``bulk_create``, one statement per table
and batch for all schools; the model invariants (``clean()`` and the check constraints) hold by
construction, and ``tests/bench`` checks them with ``full_clean``.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from research.models import (
    Article,
    Event,
    FieldTrip,
    FieldTripParticipant,
    Publication,
    ResearchField,
    Topic,
    TopicTransition,
)
from schools.models import OrgUnit, Province, School, Staff

L, F, S, A = Topic.Level, ResearchField, Topic.Status, TopicTransition.Action
D = datetime.date
DAY = datetime.timedelta(days=1)

# Topic levels by kind of school (weights).
LEVELS = {
    School.Kind.PROVINCIAL: {L.STATE: 0.5, L.MINISTRY: 3, L.PROVINCIAL: 15, L.SCHOOL: 50, L.FACULTY: 16,
                             L.INITIATIVE: 15.5},
    School.Kind.MEMBER_ACADEMY: {L.STATE: 4, L.MINISTRY: 25, L.PROVINCIAL: 10, L.SCHOOL: 45, L.FACULTY: 16},
    School.Kind.MINISTRY: {L.MINISTRY: 20, L.SCHOOL: 50, L.FACULTY: 10, L.INITIATIVE: 20},
}
CODE_PREFIX = {L.STATE: "ĐT.NN", L.MINISTRY: "ĐT.B", L.PROVINCIAL: "ĐT.T", L.SCHOOL: "ĐT.CS", L.FACULTY: "ĐT.K",
               L.INITIATIVE: "SK"}
DURATION_MONTHS = {L.STATE: (24, 36), L.MINISTRY: (15, 24), L.PROVINCIAL: (12, 20), L.SCHOOL: (8, 11),
                   L.FACULTY: (5, 8), L.INITIATIVE: (6, 9)}
BUDGET = {L.STATE: 500, L.MINISTRY: 250, L.PROVINCIAL: 120, L.SCHOOL: 15, L.FACULTY: 5, L.INITIATIVE: None}
DECISION_SUFFIX = {School.Kind.PROVINCIAL: "TCT", School.Kind.MEMBER_ACADEMY: "HVKV", School.Kind.MINISTRY: "TCB"}
# How much research a school does, against a provincial school.
VOLUME = {School.Kind.PROVINCIAL: 1.0, School.Kind.MEMBER_ACADEMY: 1.5, School.Kind.MINISTRY: 0.6}
BIG_SCHOOLS = {"HANOI": 1.4, "HCM": 1.4}

# {place}: "tỉnh Nghệ An"; {school}: the school's official name.
TOPIC_TITLES = {
    F.PARTY_BUILDING: [
        "Nâng cao chất lượng sinh hoạt chi bộ ở {place} hiện nay",
        "Giải pháp phát triển đảng viên trong doanh nghiệp ngoài nhà nước ở {place}",
        "Nâng cao hiệu quả công tác kiểm tra, giám sát của tổ chức cơ sở đảng ở {place}",
        "Bảo vệ nền tảng tư tưởng của Đảng trên không gian mạng ở {place}",
        "Công tác cán bộ cấp xã sau sắp xếp đơn vị hành chính ở {place}",
        "Phòng ngừa suy thoái tư tưởng chính trị, đạo đức, lối sống trong cán bộ, đảng viên ở {place}",
        "Nâng cao năng lực lãnh đạo của tổ chức cơ sở đảng vùng đồng bào dân tộc thiểu số ở {place}",
        "Thực hiện quy định về nêu gương của cán bộ, đảng viên ở {place}",
    ],
    F.HO_CHI_MINH: [
        "Vận dụng tư tưởng Hồ Chí Minh về cán bộ trong đào tạo cán bộ cơ sở ở {place}",
        "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh trong đội ngũ giảng viên {school}",
        "Tư tưởng Hồ Chí Minh về công tác dân vận và sự vận dụng ở {place}",
        "Vận dụng tư tưởng Hồ Chí Minh về đạo đức công vụ trong bồi dưỡng cán bộ, công chức ở {place}",
    ],
    F.POLITICAL_THEORY: [
        "Đổi mới phương pháp giảng dạy học phần Triết học Mác – Lênin tại {school}",
        "Vận dụng quan điểm Mác – Lênin về con người trong giảng dạy lý luận chính trị tại {school}",
        "Giảng dạy kinh tế chính trị Mác – Lênin gắn với thực tiễn phát triển kinh tế ở {place}",
        "Liên hệ thực tiễn địa phương trong giảng dạy chủ nghĩa xã hội khoa học tại {school}",
    ],
    F.PARTY_HISTORY: [
        "Lịch sử Đảng bộ {place} thời kỳ đổi mới: tư liệu phục vụ giảng dạy",
        "Giáo dục lịch sử Đảng bộ địa phương cho học viên Trung cấp lý luận chính trị tại {school}",
        "Phát huy truyền thống cách mạng trong giáo dục chính trị cho cán bộ trẻ ở {place}",
    ],
    F.STATE_LAW: [
        "Tổ chức và hoạt động của chính quyền địa phương hai cấp ở {place}",
        "Nâng cao chất lượng cải cách thủ tục hành chính cấp xã ở {place}",
        "Thực thi pháp luật về tiếp công dân, giải quyết khiếu nại, tố cáo ở {place}",
        "Chuyển đổi số trong hoạt động của chính quyền cấp xã ở {place}",
        "Tổ chức bộ máy trung tâm chính trị cấp xã sau sắp xếp đơn vị hành chính ở {place}",
    ],
    F.ECONOMY: [
        "Phát triển kinh tế tập thể, hợp tác xã ở {place}",
        "Xây dựng nông thôn mới kiểu mẫu ở {place}: thực trạng và giải pháp",
        "Thu hút đầu tư vào các khu công nghiệp ở {place}",
        "Phát triển du lịch cộng đồng gắn với giảm nghèo bền vững ở {place}",
    ],
    F.CULTURE_SOCIETY: [
        "Phát huy giá trị di tích lịch sử cách mạng trong giáo dục truyền thống ở {place}",
        "Giảm nghèo bền vững vùng đồng bào dân tộc thiểu số ở {place}",
        "Xây dựng đời sống văn hóa ở khu dân cư tại {place}",
    ],
    F.DEFENCE_SECURITY: [
        "Xây dựng thế trận lòng dân trong khu vực phòng thủ ở {place}",
        "Giữ vững an ninh chính trị ở vùng biên giới, ven biển của {place}",
    ],
    F.TRAINING: [
        "Đổi mới phương pháp dạy học tích cực trong chương trình Trung cấp lý luận chính trị tại {school}",
        "Nâng cao chất lượng đội ngũ giảng viên kiêm chức ở {place}",
        "Xây dựng ngân hàng câu hỏi thi các học phần lý luận chính trị tại {school}",
        "Đánh giá mức độ hài lòng của cơ quan cử cán bộ đi học đối với chất lượng đào tạo của {school}",
        "Tổ chức đi thực tế cho học viên gắn với nội dung bài giảng tại {school}",
        "Nâng cao chất lượng bồi dưỡng cập nhật kiến thức cho cán bộ chủ chốt cấp xã ở {place}",
    ],
}
INITIATIVE_TITLES = [
    "Ứng dụng phần mềm quản lý đào tạo trong theo dõi chuyên cần học viên",
    "Sổ tay điện tử cho giáo viên chủ nhiệm lớp Trung cấp lý luận chính trị",
    "Quy trình số hóa hồ sơ học viên tại phòng quản lý đào tạo",
    "Biểu mẫu điện tử lấy ý kiến phản hồi của học viên về giảng viên",
    "Bài giảng điện tử học phần Xây dựng Đảng có tình huống thực tiễn",
    "Tổ chức thư viện số phục vụ học viên hệ không tập trung",
    "Cải tiến cách chấm và lưu trữ bài thi kết thúc học phần",
    "Phương pháp thảo luận nhóm trong các lớp bồi dưỡng ngắn hạn",
]
SUMMARY = ("Làm rõ cơ sở lý luận và thực tiễn, đánh giá thực trạng, đề xuất giải pháp; kết quả phục vụ "
           "giảng dạy tại trường và tham mưu cho cấp ủy, chính quyền.")
INITIATIVE_SUMMARY = "Sáng kiến được áp dụng thử tại các lớp do trường tổ chức."
CANCEL_REASONS = [
    "Chủ nhiệm đề tài chuyển công tác; đơn vị đề nghị dừng thực hiện.",
    "Nội dung trùng với đề tài đã được phê duyệt.",
    "Không bố trí được kinh phí thực hiện trong năm.",
    "Chủ nhiệm đề tài nghỉ hưu, không có người thay thế.",
]
REJECTED = "Hội đồng xét duyệt không thông qua đề cương."
OUTSIDE_ORGS = ["Ban Tuyên giáo và Dân vận Tỉnh ủy", "Sở Nội vụ", "Sở Khoa học và Công nghệ", "Ban Tổ chức Tỉnh ủy",
                "Trường Đại học Vinh", "Học viện Chính trị khu vực"]
GRADES = [(Decimal(88), Topic.Grade.EXCELLENT), (Decimal(75), Topic.Grade.GOOD), (Decimal(55), Topic.Grade.PASS)]

EVENT_TITLES = [
    ("Công tác bảo vệ nền tảng tư tưởng của Đảng trong tình hình mới", F.PARTY_BUILDING),
    ("Đổi mới hoạt động nghiên cứu khoa học đáp ứng tiêu chí trường chính trị chuẩn", F.TRAINING),
    ("Kinh nghiệm giảng dạy học phần Xây dựng Đảng", F.PARTY_BUILDING),
    ("Trung tâm chính trị cấp xã: mô hình tổ chức và hoạt động", F.STATE_LAW),
    ("Dạy học tích cực trong các học phần lý luận cơ sở", F.POLITICAL_THEORY),
    ("Nâng cao chất lượng thao giảng, dự giờ", F.TRAINING),
    ("Chính quyền địa phương hai cấp ở {place}: kết quả bước đầu và kiến nghị", F.STATE_LAW),
    ("Phát triển kinh tế – xã hội {place} năm {year}: thành tựu và vấn đề đặt ra", F.ECONOMY),
    ("Giá trị lịch sử, văn hóa của các di tích cách mạng ở {place}", F.PARTY_HISTORY),
    ("Vận dụng tư tưởng Hồ Chí Minh trong xây dựng đội ngũ cán bộ cơ sở", F.HO_CHI_MINH),
    ("Chuyển đổi số trong quản lý đào tạo ở các trường chính trị", F.TRAINING),
    ("Công tác dân tộc, tôn giáo ở {place} trong tình hình mới", F.CULTURE_SOCIETY),
    ("Xây dựng khu vực phòng thủ vững chắc ở {place}", F.DEFENCE_SECURITY),
    ("Nâng cao chất lượng đội ngũ giảng viên trường chính trị", F.TRAINING),
    ("Đấu tranh phản bác các quan điểm sai trái, thù địch trên mạng xã hội", F.PARTY_BUILDING),
    ("Đổi mới nội dung chương trình Trung cấp lý luận chính trị", F.TRAINING),
]
EVENT_LEVELS = {
    Event.Kind.WORKSHOP: {Event.Level.MINISTRY: 8, Event.Level.PROVINCIAL: 37, Event.Level.CLUSTER: 15,
                          Event.Level.SCHOOL: 35, Event.Level.FACULTY: 5},
    Event.Kind.ROUNDTABLE: {Event.Level.PROVINCIAL: 10, Event.Level.CLUSTER: 10, Event.Level.SCHOOL: 45,
                            Event.Level.FACULTY: 35},
}
REGIONAL_ACADEMY = {"red_river": "Học viện Chính trị khu vực I", "north_mountains": "Học viện Chính trị khu vực I",
                    "south_east": "Học viện Chính trị khu vực II", "highlands": "Học viện Chính trị khu vực III",
                    "north_central": "Học viện Chính trị khu vực III", "mekong": "Học viện Chính trị khu vực IV"}

BULLETINS = ["Thông tin lý luận và thực tiễn", "Nội san {short}", "Bản tin Thông tin khoa học {short}",
             "Bản tin Giáo dục lý luận chính trị"]
ARTICLE_TITLES = [
    ("Quán triệt nghị quyết Trung ương trong giảng dạy lý luận chính trị", False),
    ("Một số giải pháp nâng cao chất lượng học viên lớp Trung cấp lý luận chính trị", False),
    ("Đấu tranh phản bác luận điệu xuyên tạc về vai trò lãnh đạo của Đảng", True),
    ("Chuyển đổi số trong quản lý đào tạo ở trường chính trị", False),
    ("Kinh nghiệm tổ chức đi thực tế cho học viên ở {place}", False),
    ("Vận dụng phương pháp nêu vấn đề trong bài giảng lịch sử Đảng", False),
    ("Nhận diện các quan điểm sai trái về kinh tế thị trường định hướng xã hội chủ nghĩa", True),
    ("Công tác phát triển đảng viên ở {place}: kết quả và kinh nghiệm", False),
    ("Giữ vững trận địa tư tưởng trên không gian mạng", True),
    ("Xây dựng văn hóa học đường ở trường chính trị", False),
    ("Đổi mới kiểm tra, đánh giá kết quả học tập của học viên", False),
    ("Bồi dưỡng cán bộ cấp xã sau sắp xếp đơn vị hành chính ở {place}", False),
    ("Tư tưởng Hồ Chí Minh về tự phê bình và phê bình, giá trị thời sự", False),
    ("Phản bác luận điệu “phi chính trị hóa” lực lượng vũ trang", True),
    ("Nâng cao chất lượng sinh hoạt chuyên môn ở các khoa", False),
    ("Thực trạng và giải pháp nâng cao chất lượng giảng viên kiêm chức", False),
]
MONOGRAPHS = [
    ("Công tác xây dựng Đảng ở cơ sở: lý luận và thực tiễn", F.PARTY_BUILDING),
    ("Lịch sử Đảng bộ {place}: những chặng đường", F.PARTY_HISTORY),
    ("Chính quyền cơ sở ở {place} sau sắp xếp đơn vị hành chính", F.STATE_LAW),
    ("Tư tưởng Hồ Chí Minh với công tác đào tạo cán bộ ở địa phương", F.HO_CHI_MINH),
    ("Phát triển kinh tế vùng đồng bào dân tộc thiểu số ở {place}", F.ECONOMY),
    ("Giảng dạy lý luận chính trị: đổi mới nội dung và phương pháp", F.TRAINING),
]
PUBLISHERS = ["Nhà xuất bản Lý luận chính trị", "Nhà xuất bản Chính trị quốc gia Sự thật",
              "Nhà xuất bản Đại học Quốc gia Hà Nội", "Nhà xuất bản Khoa học xã hội"]
JOURNALS = ["Tạp chí Cộng sản", "Tạp chí Lý luận chính trị", "Tạp chí Giáo dục lý luận", "Tạp chí Lịch sử Đảng",
            "Tạp chí Quản lý nhà nước", "Tạp chí Xây dựng Đảng", "Tạp chí Tuyên giáo"]
JOURNAL_ARTICLES = [
    ("Đổi mới nội dung, phương pháp giảng dạy lý luận chính trị ở trường chính trị tỉnh", F.TRAINING, False),
    ("Bảo vệ nền tảng tư tưởng của Đảng từ các trường chính trị", F.PARTY_BUILDING, True),
    ("Xây dựng trường chính trị chuẩn: kinh nghiệm từ {place}", F.TRAINING, False),
    ("Nâng cao chất lượng đào tạo cán bộ cấp cơ sở ở {place}", F.TRAINING, False),
    ("Vai trò của trường chính trị trong đấu tranh phản bác quan điểm sai trái", F.PARTY_BUILDING, True),
    ("Công tác cán bộ ở {place} sau hợp nhất đơn vị hành chính", F.STATE_LAW, False),
    ("Phát triển kinh tế tư nhân ở {place}: vấn đề và giải pháp", F.ECONOMY, False),
    ("Giáo dục truyền thống cách mạng cho thế hệ trẻ ở {place}", F.PARTY_HISTORY, False),
]
ESSAYS = [
    "Vững niềm tin vào con đường đi lên chủ nghĩa xã hội",
    "Phản bác luận điệu “phi chính trị hóa” cán bộ, công chức",
    "Giữ vững trận địa tư tưởng trên không gian mạng",
    "Kiên định chủ nghĩa Mác – Lênin, tư tưởng Hồ Chí Minh trong thời kỳ mới",
    "Bác bỏ luận điệu xuyên tạc về dân chủ và nhân quyền ở Việt Nam",
    "Đảng ta thật là vĩ đại: nhìn lại chặng đường đổi mới",
    "Chống “tự diễn biến”, “tự chuyển hóa” từ mỗi chi bộ",
]
PRIZES = {Publication.Prize.NONE: 55, Publication.Prize.CONSOLATION: 15, Publication.Prize.THIRD: 12,
          Publication.Prize.SECOND: 10, Publication.Prize.FIRST: 6, Publication.Prize.SPECIAL: 2}

TRIPS = [
    "Nghiên cứu thực tế mô hình nông thôn mới kiểu mẫu",
    "Tìm hiểu công tác xây dựng Đảng ở vùng đồng bào dân tộc thiểu số",
    "Nghiên cứu thực tế hoạt động trung tâm chính trị cấp xã",
    "Nghiên cứu thực tế phát triển kinh tế biển",
    "Tìm hiểu mô hình dân vận khéo ở cơ sở",
    "Khảo sát hoạt động chính quyền địa phương hai cấp",
    "Tìm hiểu mô hình hợp tác xã kiểu mới",
    "Nghiên cứu công tác bảo tồn di tích lịch sử cách mạng",
]
COMMUNES = ["Xã Tân Lập", "Xã Hòa Bình", "Xã Quyết Thắng", "Phường Tân Phong", "Xã Thống Nhất", "Xã Đồng Tâm",
            "Xã Tiến Thành", "Xã Hòa An", "Xã Phú Lộc", "Xã Vĩnh Thạnh", "Phường Quang Trung", "Xã Minh Khai"]
TRIP_REPORT = ("Đoàn làm việc với cấp ủy, chính quyền địa phương; thu thập tư liệu bổ sung bài giảng và "
               "viết báo cáo thu hoạch.")


def cutoff(end_year: int) -> datetime.date:
    """The last day the synthetic research records reach."""
    return D(end_year, 6, 30)


def _stamp(day: datetime.date) -> datetime.datetime:
    from bench.synthetic import utc_stamp

    return utc_stamp(day)


def _weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), list(weights.values()))[0]


def _bare(province_name: str) -> str:
    """"Tỉnh Nghệ An" → "Nghệ An"; "Thành phố Hà Nội" → "Hà Nội"."""
    for prefix in ("Thành phố ", "Tỉnh "):
        if province_name.startswith(prefix):
            return province_name[len(prefix):]
    return province_name


def _place(province: Province) -> str:
    return province.name[:1].lower() + province.name[1:]


def _committee(province: Province) -> str:
    return ("Thành ủy " if province.kind == Province.Kind.CITY else "Tỉnh ủy ") + _bare(province.name)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    return D(day.year + month // 12, month % 12 + 1, min(day.day, 28))


@dataclass
class Rows:
    """Everything made for all schools, written table by table at the end."""

    topics: list = field(default_factory=list)
    transitions: list = field(default_factory=list)  # (topic, TopicTransition without topic)
    members: list = field(default_factory=list)  # (topic, staff id)
    events: list = field(default_factory=list)
    co_schools: list = field(default_factory=list)  # (event, school id)
    event_topics: list = field(default_factory=list)  # (event, topic)
    publications: list = field(default_factory=list)
    publication_authors: list = field(default_factory=list)  # (publication, staff id)
    articles: list = field(default_factory=list)  # (issue, Article without issue)
    article_authors: list = field(default_factory=list)  # (article, staff id)
    trips: list = field(default_factory=list)
    participants: list = field(default_factory=list)  # (trip, staff id)


@dataclass
class TopicSpan:
    topic: Topic
    start: datetime.date
    closed: datetime.date | None  # acceptance or cancellation, when it happened


class SchoolResearch:
    """The research records of one school, from its own random stream."""

    def __init__(self, *, school, seed, lecturers, others, faculties, neighbours, places, rows, last_day):
        from bench.synthetic import NameMaker

        self.school = school
        self.rng = random.Random(f"{seed}-research-{school.code}")
        self.names = NameMaker(self.rng)
        self.lecturers = lecturers or others
        self.others = others
        self.faculties = faculties or ["Khoa Xây dựng Đảng"]
        self.neighbours = neighbours  # other schools of the region (co-hosts)
        self.places = places  # provinces the school works on
        self.rows = rows
        self.last_day = last_day
        self.kind = school.kind if school.kind in LEVELS else School.Kind.PROVINCIAL
        self.suffix = DECISION_SUFFIX[self.kind]
        self.volume = BIG_SCHOOLS.get(school.code, VOLUME[self.kind])
        self.spans: list[TopicSpan] = []
        self.title_pool: list[tuple] = []
        self.used_titles: set[str] = set()
        self.decisions: dict[int, int] = {}
        self.bulletin = self.rng.choice(BULLETINS).format(short=school.short_name or school.name)

    # --- helpers ---------------------------------------------------------------------------------
    def count(self, low: int, high: int) -> int:
        return max(0, round(self.rng.randint(low, high) * self.volume))

    def day(self, year: int, first_month: int = 1, last_month: int = 12) -> datetime.date:
        return D(year, self.rng.randint(first_month, last_month), self.rng.randint(1, 28))

    def place(self) -> Province:
        return self.rng.choice(self.places)

    def fill(self, template: str, year: int) -> str:
        return template.format(place=_place(self.place()), school=self.school.name, year=year)

    def decision(self, year: int) -> str:
        """The next decision number of the school in ``year`` (numbered from 1 each year)."""
        self.decisions[year] = self.decisions.get(year, 0) + 1
        return f"{self.decisions[year]}-QĐ/{self.suffix}"

    def people(self, low: int, high: int, exclude=()) -> list[int]:
        pool = [pk for pk in self.lecturers if pk not in exclude]
        return self.rng.sample(pool, min(len(pool), self.rng.randint(low, high)))

    def outside_person(self) -> str:
        name = self.names.make(self.rng.choice("MF"))[0]
        org = self.rng.choice(OUTSIDE_ORGS)
        return f"{self.rng.choice(['ThS.', 'TS.', 'PGS.TS'])} {name} ({org})"

    def topic_title(self, level, year: int) -> tuple[str, str]:
        if level == L.INITIATIVE:
            candidates = [(title, F.TRAINING) for title in INITIATIVE_TITLES]
        else:
            if not self.title_pool:
                self.title_pool = [(t, f) for f, templates in TOPIC_TITLES.items() for t in templates]
                self.rng.shuffle(self.title_pool)
            candidates = [self.title_pool.pop()]
        template, field_ = self.rng.choice(candidates)
        title = base = self.fill(template, year)
        variants = iter([f" giai đoạn {year}–{year + 5}", f" giai đoạn {year}–{year + 10}", f" đến năm {year + 10}"])
        while title in self.used_titles:
            title = base + next(variants, f" ({len(self.used_titles)})")
        self.used_titles.add(title)
        return title, field_

    # --- topics ----------------------------------------------------------------------------------
    def topics(self, year: int) -> None:
        per_level: dict[str, int] = {}
        for _ in range(self.count(8, 12)):
            level = _weighted(self.rng, LEVELS[self.kind])
            start = self.day(year, 1, 9)
            registered = start - datetime.timedelta(days=self.rng.randint(25, 70))
            if registered > self.last_day:
                continue  # not registered yet
            per_level[level] = per_level.get(level, 0) + 1
            code = f"{CODE_PREFIX[level]}.{year}.{per_level[level]:02d}"
            self.topic(code, level, year, start, registered)

    def topic(self, code: str, level, year: int, start, registered) -> None:
        rng = self.rng
        title, field_ = self.topic_title(level, year)
        low, high = DURATION_MONTHS[level]
        end = _add_months(start, rng.randint(low, high)) - DAY
        fate = rng.choices(["done", "extended", "cancelled", "rejected"], [80, 12, 5, 3])[0]
        steps: list[tuple] = [(A.REGISTER, registered, {})]
        if fate == "rejected":
            steps.append((A.CANCEL, registered + datetime.timedelta(days=rng.randint(20, 40)), {"reason": REJECTED}))
        else:
            approved = start - datetime.timedelta(days=rng.randint(3, 18))
            steps.append((A.APPROVE, max(approved, registered + DAY), {}))
            steps.append((A.START, start, {}))
            current_end = end
            if fate == "cancelled":
                cancelled = start + datetime.timedelta(days=rng.randint(30, max(31, (end - start).days - 10)))
                steps.append((A.CANCEL, cancelled, {"reason": rng.choice(CANCEL_REASONS)}))
            else:
                if fate == "extended":
                    asked = max(start + DAY, end - datetime.timedelta(days=rng.randint(10, 40)))
                    current_end = end + datetime.timedelta(days=rng.randint(60, 180))
                    steps.append((A.EXTEND, asked, {"new_end_on": current_end}))
                council = current_end + datetime.timedelta(days=rng.randint(7, 45))
                steps.append((A.ACCEPT, council, {}))
        steps = [step for step in steps if step[1] <= self.last_day]

        leader = rng.choice(self.lecturers)
        members = self.people(1, 4, exclude={leader})
        budget = BUDGET[level]
        topic = Topic(
            school=self.school, code=code, title=title, field=field_, level=level, leader_id=leader,
            outside_members=self.outside_person() if level in (L.STATE, L.MINISTRY, L.PROVINCIAL)
            and rng.random() < 0.5 else "",
            start_on=start, end_on=end,
            budget=None if budget is None else Decimal(str(round(budget * rng.uniform(0.7, 1.3), 1))),
            summary=INITIATIVE_SUMMARY if level == L.INITIATIVE else SUMMARY,
            created_at=_stamp(registered), updated_at=_stamp(steps[-1][1]),
        )
        status, closed = "", None
        for action, day, extra in steps:
            previous = status
            transition = TopicTransition(action=action, from_status=previous, created_at=_stamp(day))
            if action == A.REGISTER:
                status = S.REGISTERED
            elif action == A.APPROVE:
                status = S.APPROVED
                topic.approval_decision, topic.approved_on = self.decision(year), day
                transition.decision_number, transition.decision_date = topic.approval_decision, day
            elif action == A.START:
                status = S.IN_PROGRESS
                transition.decision_number, transition.decision_date = f"HĐ {code}", day
            elif action == A.EXTEND:
                topic.extended, topic.extended_until = True, extra["new_end_on"]
                transition.new_end_on = extra["new_end_on"]
                transition.decision_number, transition.decision_date = self.decision(day.year), day
                transition.note = "Gia hạn để bổ sung số liệu khảo sát."
            elif action == A.ACCEPT:
                status = S.ACCEPTED
                score = Decimal(str(round(min(98.0, max(45.0, rng.gauss(81, 8))), 1)))
                topic.accepted_on, topic.score = day, score
                topic.grade = next((grade for minimum, grade in GRADES if score >= minimum), Topic.Grade.FAIL)
                transition.decision_number, transition.decision_date = self.decision(day.year), day
                closed = day
            elif action == A.CANCEL:
                status = S.CANCELLED
                topic.cancelled_on, topic.cancel_reason = day, extra["reason"]
                transition.decision_number, transition.decision_date = self.decision(day.year), day
                transition.note = extra["reason"]
                closed = day
            transition.to_status = status
            self.rows.transitions.append((topic, transition))
        topic.status = status
        self.rows.topics.append(topic)
        self.rows.members.extend((topic, pk) for pk in members)
        self.spans.append(TopicSpan(topic, start, closed))

    # --- events ----------------------------------------------------------------------------------
    def events(self, year: int) -> None:
        rng = self.rng
        for _ in range(self.count(3, 5)):
            held_on = self.day(year, 2, 12)
            if held_on > self.last_day:
                continue
            kind = Event.Kind.WORKSHOP if rng.random() < 0.55 else Event.Kind.ROUNDTABLE
            level = _weighted(rng, EVENT_LEVELS[kind])
            template, field_ = rng.choice(EVENT_TITLES)
            province = self.place()
            others = ""
            if level == Event.Level.PROVINCIAL:
                others = f"Ban Tuyên giáo và Dân vận {_committee(province)}"
                if rng.random() < 0.4:
                    others += f"\nSở Khoa học và Công nghệ {_place(province)}"
            elif level == Event.Level.MINISTRY and self.kind == School.Kind.PROVINCIAL:
                others = REGIONAL_ACADEMY.get(self.school.region, "")
            if level == Event.Level.FACULTY:
                venue = rng.choice(self.faculties)
            elif kind == Event.Kind.WORKSHOP:
                venue = f"Hội trường {self.school.name}"
            else:
                venue = f"Phòng họp số {rng.randint(1, 3)}"
            small = level in (Event.Level.SCHOOL, Event.Level.FACULTY)
            papers = rng.randint(6, 20) if kind == Event.Kind.ROUNDTABLE or small else rng.randint(20, 60)
            event = Event(
                school=self.school, kind=kind, level=level, field=field_, held_on=held_on, venue=venue,
                title=template.format(place=_place(province), year=year), other_organisers=others, papers=papers,
                proceedings_published=rng.random() < (0.7 if kind == Event.Kind.WORKSHOP and not small else 0.1),
                created_at=_stamp(held_on + 3 * DAY), updated_at=_stamp(held_on + 3 * DAY),
            )
            self.rows.events.append(event)
            co_hosts = 0
            if level == Event.Level.CLUSTER:
                co_hosts = rng.randint(2, 3)
            elif rng.random() < 0.12:
                co_hosts = 1
            for school_id in rng.sample(self.neighbours, min(co_hosts, len(self.neighbours))):
                self.rows.co_schools.append((event, school_id))
            running = [span.topic for span in self.spans
                       if span.start <= held_on and (span.closed is None or span.closed >= held_on)]
            if running and rng.random() < 0.4:
                for topic in rng.sample(running, min(len(running), rng.randint(1, 2))):
                    self.rows.event_topics.append((event, topic))

    # --- publications ----------------------------------------------------------------------------
    def publication(self, authors: list[int], **fields) -> Publication:
        day = fields["published_on"]
        publication = Publication(school=self.school, created_at=_stamp(day), updated_at=_stamp(day), **fields)
        self.rows.publications.append(publication)
        self.rows.publication_authors.extend((publication, pk) for pk in authors)
        return publication

    def publications(self, year: int) -> None:
        rng = self.rng
        issues = rng.choice([2, 3, 3, 4])
        for number in range(1, issues + 1):
            day = D(year, round(12 * number / issues), 25)
            if day > self.last_day:
                break
            issue = self.publication([], kind=Publication.Kind.BULLETIN_ISSUE, title=self.bulletin, field=F.OTHER,
                                     published_on=day, series=self.bulletin, issue_number=f"Số {number}/{year}")
            page = 3
            for _ in range(rng.randint(3, 5)):
                template, ideological = rng.choice(ARTICLE_TITLES)
                length = rng.randint(4, 9)
                article = Article(
                    title=template.format(place=_place(self.place())), pages=f"{page}-{page + length}",
                    outside_authors=self.outside_person() if rng.random() < 0.15 else "",
                    ideological_column=ideological, created_at=_stamp(day), updated_at=_stamp(day),
                )
                page += length + 1
                self.rows.articles.append((issue, article))
                self.rows.article_authors.extend((article, pk) for pk in self.people(1, 2))
        if rng.random() < 0.35:
            day = self.day(year, 5, 11)
            if day <= self.last_day:
                template, field_ = rng.choice(MONOGRAPHS)
                self.publication(self.people(2, 4), kind=Publication.Kind.MONOGRAPH, field=field_, published_on=day,
                                 title=template.format(place=_place(self.place())), publisher=rng.choice(PUBLISHERS))
        for _ in range(rng.randint(1, 2)):
            day = self.day(year, 1, 12)
            if day > self.last_day:
                continue
            template, field_, ideological = rng.choice(JOURNAL_ARTICLES)
            self.publication(self.people(1, 2), kind=Publication.Kind.JOURNAL_ARTICLE, field=field_,
                             published_on=day, series=rng.choice(JOURNALS),
                             issue_number=f"Số {rng.randint(1, 12)}/{year}", ideological_column=ideological,
                             title=template.format(place=_place(self.place())))
        for title in rng.sample(ESSAYS, rng.randint(1, 2)):
            day = self.day(year, 7, 9)
            if day > self.last_day:
                continue
            self.publication(self.people(1, 1), kind=Publication.Kind.ESSAY_ENTRY, field=F.PARTY_BUILDING,
                             published_on=day, title=title, ideological_column=True, contest_year=year,
                             prize=_weighted(rng, PRIZES))

    # --- field trips -----------------------------------------------------------------------------
    def field_trips(self, year: int) -> None:
        rng = self.rng
        for _ in range(self.count(1, 3)):
            start = self.day(year, 3, 11)
            end = start + datetime.timedelta(days=rng.randint(2, 5))
            if end > self.last_day:
                continue
            province = self.place()
            trip = FieldTrip(
                school=self.school, title=rng.choice(TRIPS), place=f"{rng.choice(COMMUNES)}, {_place(province)}",
                start_on=start, end_on=end, days=(end - start).days + 1,
                decision_number=self.decision(year), report=TRIP_REPORT,
                created_at=_stamp(start - 7 * DAY), updated_at=_stamp(end + 2 * DAY),
            )
            self.rows.trips.append(trip)
            people = self.people(3, 8)
            if self.others and rng.random() < 0.2:  # someone from an office goes along
                people.append(rng.choice(self.others))
            self.rows.participants.extend((trip, pk) for pk in dict.fromkeys(people))

    def make(self, first_year: int, end_year: int) -> None:
        for year in range(first_year, end_year + 1):
            self.topics(year)
            self.events(year)
            self.publications(year)
            self.field_trips(year)


def schools_with_research(schools) -> set[int]:
    ids = [school.pk for school in schools]
    have: set[int] = set()
    for model in (Topic, Event, Publication, FieldTrip):
        have.update(model.objects.filter(school_id__in=ids).values_list("school_id", flat=True).distinct())
    return have


def schools_to_do(schools) -> list:
    """The schools ``generate_research`` would still make records for: no research records yet, and
    some staff to lead the topics."""
    have = schools_with_research(schools)
    with_staff = set(Staff.objects.filter(school__in=[s.pk for s in schools], active=True)
                     .values_list("school_id", flat=True).distinct())
    return [school for school in schools if school.pk not in have and school.pk in with_staff]


@transaction.atomic
def generate_research(*, schools, seed: int, first_year: int, end_year: int) -> int:
    """Research records for each of ``schools`` that has none yet; returns the number of records made
    (topics, events, publications, articles and field trips)."""
    from bench.synthetic import stamped_as_given

    schools = sorted(schools, key=lambda s: s.code)
    todo = schools_to_do(schools)
    if not todo:
        return 0
    staff: dict[int, tuple[list[int], list[int]]] = {s.pk: ([], []) for s in todo}
    for school_id, pk, lecturer in (Staff.objects.filter(school__in=[s.pk for s in todo], active=True)
                                    .order_by("pk").values_list("school_id", "pk", "is_lecturer")):
        staff[school_id][0 if lecturer else 1].append(pk)
    faculties: dict[int, list[str]] = {}
    for school_id, name in (OrgUnit.objects.filter(school__in=[s.pk for s in todo], kind=OrgUnit.Kind.FACULTY)
                            .order_by("pk").values_list("school_id", "name")):
        faculties.setdefault(school_id, []).append(name)
    provinces = list(Province.objects.order_by("name"))
    by_region: dict[str, list] = {}
    for school in schools:
        by_region.setdefault(school.region, []).append(school)
    rows = Rows()
    last_day = cutoff(end_year)
    for school in todo:
        region = by_region.get(school.region, [])
        places = [school.province] if school.province else (
            [s.province for s in region if s.province] or provinces)
        SchoolResearch(
            school=school, seed=seed, lecturers=staff[school.pk][0], others=staff[school.pk][1],
            faculties=faculties.get(school.pk, []), neighbours=[s.pk for s in region if s.pk != school.pk],
            places=places, rows=rows, last_day=last_day,
        ).make(first_year, end_year)
    with stamped_as_given(Topic, TopicTransition, Event, Publication, Article, FieldTrip):
        _write(rows)
    return len(rows.topics) + len(rows.events) + len(rows.publications) + len(rows.articles) + len(rows.trips)


def _write(rows: Rows) -> None:
    batch = 2000
    Topic.objects.bulk_create(rows.topics, batch_size=batch)
    transitions = []
    for topic, transition in rows.transitions:
        transition.topic = topic
        transitions.append(transition)
    TopicTransition.objects.bulk_create(transitions, batch_size=batch)
    Topic.members.through.objects.bulk_create(
        [Topic.members.through(topic_id=topic.pk, staff_id=pk) for topic, pk in rows.members], batch_size=batch)
    Event.objects.bulk_create(rows.events, batch_size=batch)
    Event.co_schools.through.objects.bulk_create(
        [Event.co_schools.through(event_id=event.pk, school_id=pk) for event, pk in rows.co_schools], batch_size=batch)
    Event.topics.through.objects.bulk_create(
        [Event.topics.through(event_id=event.pk, topic_id=topic.pk) for event, topic in rows.event_topics],
        batch_size=batch)
    Publication.objects.bulk_create(rows.publications, batch_size=batch)
    Publication.authors.through.objects.bulk_create(
        [Publication.authors.through(publication_id=p.pk, staff_id=pk) for p, pk in rows.publication_authors],
        batch_size=batch)
    articles = []
    for issue, article in rows.articles:
        article.issue = issue
        articles.append(article)
    Article.objects.bulk_create(articles, batch_size=batch)
    Article.authors.through.objects.bulk_create(
        [Article.authors.through(article_id=a.pk, staff_id=pk) for a, pk in rows.article_authors], batch_size=batch)
    FieldTrip.objects.bulk_create(rows.trips, batch_size=batch)
    FieldTripParticipant.objects.bulk_create(
        [FieldTripParticipant(trip_id=trip.pk, staff_id=pk) for trip, pk in rows.participants], batch_size=batch)


def delete_research(schools) -> int:
    """Remove every research record of ``schools`` (``--replace``)."""
    from bench.synthetic import raw_delete

    ids = [school.pk for school in schools]
    topics = Topic.objects.filter(school_id__in=ids)
    events = Event.objects.filter(school_id__in=ids)
    publications = Publication.objects.filter(school_id__in=ids)
    articles = Article.objects.filter(issue__school_id__in=ids)
    trips = FieldTrip.objects.filter(school_id__in=ids)
    return raw_delete(
        Event.topics.through.objects.filter(event__in=events),
        Event.topics.through.objects.filter(topic__in=topics),
        Event.co_schools.through.objects.filter(event__in=events),
        Topic.members.through.objects.filter(topic__in=topics),
        TopicTransition.objects.filter(topic__in=topics),
        Article.authors.through.objects.filter(article__in=articles),
        articles,
        Publication.authors.through.objects.filter(publication__in=publications),
        FieldTripParticipant.objects.filter(trip__in=trips),
        events, publications, trips, topics,
    )
