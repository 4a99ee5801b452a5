"""Cluster-scoped reports: the cluster summary's figures, and who may request it (the head school's
administrator for the cluster's year, and the Academy)."""

import pytest
from django.urls import reverse
from django.utils.text import capfirst

from accounts.models import Role
from reports.models import ReportJob, Scope
from tests.access import statuses
from tests.conftest import make_user

from .conftest import YEAR, headers, table
from .test_workbooks import _as_figures, database_figures, summary_rows

pytestmark = pytest.mark.django_db
LIST_URL = reverse("reports:job_list")


@pytest.fixture
def head_admin(head_school):
    return make_user("head_admin", Role.SCHOOL_ADMIN, head_school)


def test_cluster_summary_has_the_members_of_the_year_and_totals(
    school, other_school, head_school, staff_data, training_data, cluster_data, open_report
):
    book, _rows = open_report("cluster", "cluster", cluster_code="BTB")
    assert book.sheetnames == [
        "Thông tin chung", "Xếp hạng cụm thi đua", "Đào tạo, bồi dưỡng", "Cán bộ, giảng viên", "Nghiên cứu khoa học",
        "Trường chính trị chuẩn", "Thi đua",
    ]
    assert dict(table(book["Thông tin chung"]))["Phạm vi"] == "Cụm thi đua Bắc Trung Bộ"
    assert headers(book["Đào tạo, bồi dưỡng"])[:3] == ["STT", "Trường", "Số lớp khai giảng (lớp)"]
    rows = summary_rows(book, national=False)
    assert set(rows) == {school.name, head_school.name, "Tổng cộng"}  # school B is not a member
    for each in (school, head_school):
        assert _as_figures(rows[each.name]) == database_figures(each)
    a = _as_figures(rows[school.name])
    assert (a["final_score"], a["rank"], a["award_count"]) == (92.5, 1, 1)
    total = _as_figures(rows["Tổng cộng"])
    assert total["learner_turns"] == 5 and total["total"] == 5 and total["award_count"] == 1
    assert total["final_score"] is None and total["rank"] is None  # scores and ranks are not added up
    # in rank order, with each school's award
    ranking = table(book["Xếp hạng cụm thi đua"])
    assert [(row[1], row[3]) for row in ranking] == [(school.name, 1), (head_school.name, 2)]
    assert "123/QĐ-HVCTQG" in ranking[0][4]
    assert [row[1] for row in table(book["Đào tạo, bồi dưỡng"])][:2] == [school.name, head_school.name]


def _emulation_rows(book):
    return [(row[2], row[3]) for row in table(book["Trường chuẩn và thi đua"]) if row[1] == "Thi đua, khen thưởng"]


def test_school_report_has_its_emulation_results(school, cluster_data, open_report):
    book, _rows = open_report("school", "school", school=school)
    rows = _emulation_rows(book)
    assert rows[:4] == [
        ("Cụm thi đua", "Cụm thi đua Bắc Trung Bộ"), ("Số trường trong cụm", 2), ("Điểm cuối cùng", 92.5),
        ("Xếp hạng", 1),
    ]
    assert rows[4][0] == "Khen thưởng" and "123/QĐ-HVCTQG" in rows[4][1]


def test_school_outside_any_cluster(other_school, training_data, cluster_data, open_report):
    book, _rows = open_report("school", "school", school=other_school)
    assert _emulation_rows(book) == [("Cụm thi đua", "không thuộc cụm thi đua trong năm")]


def test_national_summary_by_region_then_cluster_with_subtotals(
    school, other_school, head_school, training_data, cluster_data, open_report
):
    from schools.models import Region

    for each in (school, head_school):
        each.region = Region.NORTH_CENTRAL
        each.save()
    other_school.region = Region.RED_RIVER_DELTA  # north of the north-central region: listed first
    other_school.save()
    book, _rows = open_report("national", "national")
    sheet = table(book["Đào tạo, bồi dưỡng"])
    labels = [row[1] for row in sheet]
    red_river = labels.index("Cộng: " + capfirst(str(Region.RED_RIVER_DELTA.label)))
    central = labels.index("Cộng: " + capfirst(str(Region.NORTH_CENTRAL.label)))
    assert labels[:red_river] == [other_school.name] and red_river < central
    assert set(labels[red_river + 1:central]) == {school.name, head_school.name}
    assert all(row[2] == "Cụm thi đua Bắc Trung Bộ" for row in sheet[red_river + 1:central])
    rows = summary_rows(book, national=True)
    assert _as_figures(rows[labels[central]])["learner_turns"] == 5
    assert _as_figures(rows[labels[red_river]])["learner_turns"] == 1
    assert labels[-1] == "Tổng cộng" and _as_figures(rows["Tổng cộng"])["learner_turns"] == 6


def test_cluster_head_admin_can_request_the_cluster_summary(users, head_admin, client_as, cluster_data):
    client = client_as(head_admin)
    choices = [value for value, _label in client.get(LIST_URL).context["form"].fields["target"].choices]
    assert "cluster:BTB" in choices and "school:HEAD" in choices and "national" not in choices
    client.post(LIST_URL, {"kind": "cluster", "year": YEAR, "target": "cluster:BTB"})
    job = ReportJob.objects.get()
    assert (job.scope, job.cluster_code, job.state) == (Scope.CLUSTER, "BTB", ReportJob.State.DONE)
    assert client.get(job.get_download_url()).status_code == 200
    assert job in client.get(LIST_URL).context["jobs"]
    # Schools of the cluster that are not its head, and everyone else, cannot see it.
    expected = {"admin": 404, "staff": 404, "viewer": 404, "outsider": 404, "reviewer": 200, "anonymous": 302}
    assert statuses(users, job.get_status_url()) == expected
    assert statuses(users, job.get_download_url()) == expected


def test_head_only_for_the_years_it_heads(users, client_as, cluster_data):
    # School A headed the cluster in 2024 but not in 2025.
    client = client_as(users["admin"])
    response = client.post(LIST_URL, {"kind": "cluster", "year": YEAR, "target": "cluster:BTB"}, follow=True)
    assert "Bạn không có quyền yêu cầu báo cáo này." in response.content.decode()
    assert not ReportJob.objects.exists()
    client.post(LIST_URL, {"kind": "cluster", "year": YEAR - 1, "target": "cluster:BTB"})
    job = ReportJob.objects.get()
    assert job.year == YEAR - 1 and job.state == ReportJob.State.DONE
    assert client.get(job.get_status_url()).status_code == 200


def test_head_school_staff_who_are_not_admins_cannot_request(head_school, client_as, cluster_data):
    staff = make_user("head_staff", Role.SCHOOL_STAFF, head_school)
    client = client_as(staff)
    choices = [value for value, _label in client.get(LIST_URL).context["form"].fields["target"].choices]
    assert choices == ["school:HEAD"]
    response = client.post(LIST_URL, {"kind": "cluster", "year": YEAR, "target": "cluster:BTB"})
    assert response.status_code == 400 and not ReportJob.objects.exists()


def test_cluster_without_that_year_is_refused(users, client_as, cluster_data):
    response = client_as(users["academy"]).post(LIST_URL, {"kind": "cluster", "year": 2020, "target": "cluster:BTB"})
    assert response.status_code == 400
    assert "Cụm thi đua này không có trong năm đã chọn." in response.content.decode()


def test_learner_register_for_a_cluster(school, other_school, head_school, training_data, cluster_data, open_report):
    book, _rows = open_report("learners", "cluster", cluster_code="BTB")
    rows = table(book["Sổ học viên"])
    assert {row[0] for row in rows} == {school.name} and len(rows) == 6  # K0 graduates in 2025


def test_cluster_head_gets_aggregates_only_never_member_learner_records(users, head_admin, client_as, training_data,
                                                                         cluster_data):
    """Issue 13 item 10: ``target=cluster:…`` carries aggregates only; a cluster head cannot get its
    members' learner register (CCCD, birth dates, marks, diploma numbers), by the form, by the
    service or through a job made for someone else."""
    from reports import services

    client = client_as(head_admin)
    response = client.post(LIST_URL, {"kind": "learners", "year": YEAR, "target": "cluster:BTB"})
    assert response.status_code == 400
    assert "không nhận thông tin cá nhân của học viên" in response.content.decode()
    assert not ReportJob.objects.exists()
    with pytest.raises(services.ReportRefused):
        services.request_report(user=head_admin, kind="learners", year=YEAR, scope="cluster", cluster_code="BTB")
    # A cluster register the Academy made: the head sees neither the job nor its file.
    job = services.request_report(user=users["academy"], kind="learners", year=YEAR, scope="cluster",
                                  cluster_code="BTB")
    services.run_job(job)
    assert client_as(users["academy"]).get(job.get_download_url()).status_code == 200
    assert client.get(job.get_download_url()).status_code == 404
    assert client.get(job.get_status_url()).status_code == 404
    assert job not in client.get(LIST_URL).context["jobs"]
    # The head school's own register and the cluster summary stay available to it.
    client.post(LIST_URL, {"kind": "cluster", "year": YEAR, "target": "cluster:BTB"})
    client.post(LIST_URL, {"kind": "learners", "year": YEAR, "target": "school:HEAD"})
    own = ReportJob.objects.filter(requested_by=head_admin)
    assert {(j.kind, j.scope) for j in own} == {("cluster", "cluster"), ("learners", "school")}
    assert all(client.get(j.get_download_url()).status_code == 200 for j in own)


def test_reports_list_the_awards_of_the_register(school, head_school, cluster_data, staff_data, open_report):
    """Every collective award of the year in the register, whatever its level (here a provincial one
    beside the cluster's), is in the school report and the cluster ranking; a staff member's award is
    not the school's."""
    import datetime

    from awards.models import Award, AwardKind
    from schools.models import Staff

    provincial = AwardKind.objects.get(code="province_certificate")  # to a school or a person
    Award.objects.create(school=school, kind=provincial, year=YEAR, occasion=Award.Occasion.PROVINCIAL,
                         decision_number="45/QĐ-UBND", decision_date=datetime.date(2026, 1, 20))
    Award.objects.create(school=school, staff=Staff.objects.filter(school=school).first(), kind=provincial,
                         year=YEAR, occasion=Award.Occasion.PROVINCIAL, decision_number="46/QĐ-UBND",
                         decision_date=datetime.date(2026, 1, 20))
    Award.objects.create(school=school, kind=provincial, year=YEAR - 1, occasion=Award.Occasion.PROVINCIAL,
                         decision_number="9/QĐ-UBND", decision_date=datetime.date(2025, 1, 20))
    book, _rows = open_report("school", "school", school=school)
    awards = [value for item, value in _emulation_rows(book) if item == "Khen thưởng"]
    assert len(awards) == 2 and "123/QĐ-HVCTQG" in " ".join(awards) and "45/QĐ-UBND" in " ".join(awards)
    assert provincial.name in " ".join(awards) and "46/QĐ-UBND" not in " ".join(awards)
    cluster, _rows = open_report("cluster", "cluster", cluster_code="BTB")
    ranking = {row[1]: row[4] for row in table(cluster["Xếp hạng cụm thi đua"])}
    assert "45/QĐ-UBND" in ranking[school.name] and "9/QĐ-UBND" not in ranking[school.name]
    assert _as_figures(summary_rows(cluster, national=False)[school.name])["award_count"] == 2
