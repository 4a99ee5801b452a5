"""Training pages through the test client: access, tenancy, forms, lists and exports."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from courses.models import (
    AnnualPlan,
    Classification,
    Enrollment,
    Learner,
    Mark,
    PlanLine,
    Programme,
    TrainingClass,
)
from tests.access import assert_post_refused, assert_read_matrix, assert_write_matrix
from tests.courses.helpers import cccd_for, enroll, make_class, make_learner, make_programme

pytestmark = pytest.mark.django_db


def url(name, school, **kwargs):
    return reverse(f"courses:{name}", kwargs={"school_code": school.code, **kwargs})


@pytest.fixture
def programme(db):
    return make_programme()


@pytest.fixture
def klass(school, programme, lecturer):
    return make_class(school, programme, adviser=lecturer)


@pytest.fixture
def enrollment(klass):
    return enroll(klass, make_learner())


@pytest.fixture
def plan(school, programme):
    plan = AnnualPlan.objects.create(school=school, year=2025)
    PlanLine.objects.create(plan=plan, programme=programme, planned_classes=2, planned_learners=40)
    return plan


def xlsx_rows(response):
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(workbook.active.values)


# --- access matrix --------------------------------------------------------------------------------
def test_read_pages_follow_access_matrix(users, school, klass, enrollment, plan):
    learner = enrollment.learner
    for page in [
        url("plan_list", school), url("plan_detail", school, pk=plan.pk), url("class_list", school),
        url("class_detail", school, pk=klass.pk), url("roster", school, pk=klass.pk),
        url("graduation_list", school, pk=klass.pk), url("grade_grid", school, pk=klass.pk),
        url("learner_list", school), url("learner_detail", school, pk=learner.pk),
    ]:
        assert_read_matrix(users, page)


def test_write_pages_follow_access_matrix(users, school, klass, enrollment, plan):
    pages = [
        url("plan_create", school), url("plan_update", school, pk=plan.pk), url("plan_delete", school, pk=plan.pk),
        url("class_create", school), url("class_update", school, pk=klass.pk),
        url("class_delete", school, pk=klass.pk), url("enroll", school, pk=klass.pk),
        url("enrollment_update", school, pk=enrollment.pk), url("enrollment_delete", school, pk=enrollment.pk),
        url("learner_update", school, pk=enrollment.learner.pk), url("record_graduation", school, pk=klass.pk),
    ]
    for page in pages:
        assert_write_matrix(users, page)
        assert_post_refused(users, page, {"code": "X", "name": "X", "year": 2030, "status": "withdrawn"})
    assert_post_refused(users, url("grade_grid", school, pk=klass.pk), {})
    assert TrainingClass.objects.filter(pk=klass.pk, code="K52A").exists()
    assert Enrollment.objects.get(pk=enrollment.pk).status == Enrollment.Status.STUDYING
    assert AnnualPlan.objects.filter(pk=plan.pk).exists()


def test_another_schools_class_learner_and_enrollment_are_404(users, client_as, school, other_school, programme):
    foreign_class = make_class(other_school, programme, "B1")
    foreign = enroll(foreign_class, make_learner("Người Trường Khác"))
    client = client_as(users["admin"])
    for page in [
        url("class_detail", school, pk=foreign_class.pk), url("grade_grid", school, pk=foreign_class.pk),
        url("roster", school, pk=foreign_class.pk), url("enroll", school, pk=foreign_class.pk),
        url("learner_detail", school, pk=foreign.learner.pk), url("enrollment_update", school, pk=foreign.pk),
        url("class_detail", other_school, pk=foreign_class.pk),
    ]:
        assert client.get(page).status_code == 404, page
    response = client.post(url("grade_grid", school, pk=foreign_class.pk), {f"m-{foreign.pk}-1": "9"})
    assert response.status_code == 404
    assert client.post(url("enrollment_delete", school, pk=foreign.pk)).status_code == 404
    assert Enrollment.objects.filter(pk=foreign.pk).exists()


# --- programme catalogue ------------------------------------------------------------------------------
def test_programme_catalogue_everyone_reads_academy_admin_edits(users, client_as, programme):
    for role in ("admin", "viewer", "outsider", "reviewer", "academy"):
        client = client_as(users[role])
        assert client.get(reverse("courses:programme_list")).status_code == 200
        assert client.get(reverse("courses:programme_detail", args=[programme.pk])).status_code == 200
    assert client_as(None).get(reverse("courses:programme_list")).status_code == 302
    create = reverse("courses:programme_create")
    assert client_as(users["admin"]).get(create).status_code == 404
    assert client_as(users["reviewer"]).get(create).status_code == 403
    assert client_as(users["reviewer"]).post(reverse("courses:programme_delete", args=[programme.pk])).status_code == 403
    assert client_as(users["academy"]).get(create).status_code == 200


def _formset(prefix, rows, initial=0):
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


def test_academy_creates_programme_with_modules_and_default_bands(users, client_as):
    data = {"code": "bd-cv", "name": "Bồi dưỡng ngạch chuyên viên", "kind": "refresher", "thesis_weight": "1",
            "exam_weight": "1", "active": "on", "issues_diploma": ""}
    data.update(_formset("modules", [{"order": "1", "name": "Quản lý nhà nước", "weight": "2"},
                                     {"order": "2", "name": "Kỹ năng", "weight": "1"}]))
    data.update(_formset("bands", []))
    response = client_as(users["academy"]).post(reverse("courses:programme_create"), data)
    programme = Programme.objects.get(code="BD-CV")
    assert response.status_code == 302
    assert [m.name for m in programme.modules.all()] == ["Quản lý nhà nước", "Kỹ năng"]
    assert {b.label: b.min_average for b in programme.bands.all()}[Classification.EXCELLENT] == Decimal("9.00")


def test_programme_bands_must_rise_with_the_classification(users, client_as, programme):
    data = {"code": programme.code, "name": programme.name, "kind": programme.kind, "thesis_weight": "1",
            "exam_weight": "1", "active": "on"}
    data.update(_formset("modules", []))
    data.update(_formset("bands", [{"label": "excellent", "min_average": "7"}, {"label": "very_good", "min_average": "8"}]))
    response = client_as(users["academy"]).post(reverse("courses:programme_update", args=[programme.pk]), data)
    assert response.status_code == 200
    assert "cần điểm trung bình tối thiểu cao hơn" in response.content.decode()
    assert programme.bands.get(label="excellent").min_average == Decimal("9.00")


def test_programme_in_use_cannot_be_deleted(users, client_as, klass, programme):
    response = client_as(users["academy"]).post(reverse("courses:programme_delete", args=[programme.pk]), follow=True)
    assert Programme.objects.filter(pk=programme.pk).exists()
    assert "không thể xóa" in response.content.decode()


# --- plans ------------------------------------------------------------------------------------------
def test_plan_list_shows_fulfilment_percent(users, client_as, school, programme, plan):
    klass = make_class(school, programme, "K1", opening=datetime.date(2025, 2, 1))
    for index in range(30):
        enroll(klass, make_learner(f"Học Viên {index}"))
    make_class(school, programme, "K0", opening=datetime.date(2024, 12, 1))  # another year
    response = client_as(users["viewer"]).get(url("plan_list", school))
    row = response.context["object_list"][0]
    assert (row.classes_opened, row.planned_classes, row.learner_turns) == (1, 2, 30)
    assert row.fulfilment_classes_pct == Decimal("50.0") and row.fulfilment_learners_pct == Decimal("75.0")
    page = response.content.decode()
    assert "50,0%" in page and "75,0%" in page
    detail = client_as(users["viewer"]).get(url("plan_detail", school, pk=plan.pk)).content.decode()
    assert "75,0%" in detail
    rows = xlsx_rows(client_as(users["viewer"]).get(url("plan_list", school), {"export": "xlsx"}))
    assert rows[1][0] == 2025 and float(rows[1][7]) == 75.0


def test_plan_create_with_lines_and_duplicate_refused(users, client_as, school, programme, plan):
    client = client_as(users["staff"])
    other = make_programme("BD", kind="refresher")
    data = {"year": "2026", "decision_number": "12/KH-TCT"}
    data.update(_formset("lines", [{"programme": programme.pk, "planned_classes": "3", "planned_learners": "90"},
                                   {"programme": other.pk, "planned_classes": "1", "planned_learners": "30"}]))
    assert client.post(url("plan_create", school), data).status_code == 302
    new = AnnualPlan.objects.get(school=school, year=2026)
    assert sorted(new.lines.values_list("planned_learners", flat=True)) == [30, 90]
    data["year"] = "2025"
    response = client.post(url("plan_create", school), data)
    assert response.status_code == 200 and "đã có kế hoạch năm 2025" in response.content.decode()
    data["year"] = "2027"
    data.update(_formset("lines", [{"programme": programme.pk, "planned_classes": "1", "planned_learners": "1"},
                                   {"programme": programme.pk, "planned_classes": "1", "planned_learners": "1"}]))
    response = client.post(url("plan_create", school), data)
    assert response.status_code == 200 and not AnnualPlan.objects.filter(year=2027).exists()


# --- classes ----------------------------------------------------------------------------------------
def test_class_create_validates_and_saves_in_own_school(users, client_as, school, programme, lecturer, other_lecturer):
    client = client_as(users["staff"])
    base = {"code": " k53a ", "name": "Lớp K53A", "programme": programme.pk, "mode": "full_time",
            "opening_date": "01/09/2025", "status": "planned"}
    response = client.post(url("class_create", school), {**base, "adviser": other_lecturer.pk})
    assert response.status_code == 200 and not TrainingClass.objects.filter(code="K53A").exists()
    response = client.post(url("class_create", school), {**base, "closing_date": "01/08/2025"})
    assert "Ngày bế giảng không được trước ngày khai giảng" in response.content.decode()
    response = client.post(url("class_create", school), {**base, "adviser": lecturer.pk})
    assert response.status_code == 302
    created = TrainingClass.objects.get(code="K53A")
    assert created.school == school and created.adviser == lecturer
    assert created.opening_date == datetime.date(2025, 9, 1)
    response = client.post(url("class_create", school), base)
    assert "đã có lớp với mã này" in response.content.decode()
    page = client.get(url("class_detail", school, pk=created.pk)).content.decode()
    assert "Tập trung" in page and "cơ hữu" not in page  # the mode, not the lecturer category


def test_class_with_learners_cannot_be_deleted(users, client_as, school, klass, enrollment):
    response = client_as(users["admin"]).post(url("class_delete", school, pk=klass.pk), follow=True)
    assert TrainingClass.objects.filter(pk=klass.pk).exists()
    assert "không thể xóa" in response.content.decode().lower()


def test_class_list_filters_and_query_count_is_bounded(users, client_as, school, programme, lecturer,
                                                      django_assert_max_num_queries):
    client = client_as(users["viewer"])
    for index in range(3):
        enroll(make_class(school, programme, f"A{index}", adviser=lecturer), make_learner(f"Người A {index}"))
    with django_assert_max_num_queries(15) as few:
        client.get(url("class_list", school))
    for index in range(30):
        enroll(make_class(school, programme, f"B{index}", adviser=lecturer, opening=datetime.date(2024, 1, 1)),
               make_learner(f"Người B {index}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("class_list", school))
    assert response.context["paginator"].count == 33
    response = client.get(url("class_list", school), {"year": "2024"})
    assert response.context["paginator"].count == 30
    rows = xlsx_rows(client.get(url("class_list", school), {"year": "2024", "export": "xlsx"}))
    assert len(rows) == 31


# --- enrollments -----------------------------------------------------------------------------------
def learner_data(**overrides):
    dob = datetime.date(1986, 4, 12)
    data = {"full_name": "Trần Thị Hoa", "cccd": cccd_for(dob, "F", serial=777), "date_of_birth": "12/04/1986",
            "sex": "F"}
    return {**data, **overrides}


def test_enroll_new_learner_and_link_known_one(users, client_as, school, other_school, programme, klass):
    client = client_as(users["staff"])
    response = client.post(url("enroll", school, pk=klass.pk), learner_data())
    assert response.status_code == 302
    learner = Learner.objects.get(full_name="Trần Thị Hoa")
    assert klass.enrollments.filter(learner=learner).exists()
    # The same person (same CCCD) in another school's class is linked, not duplicated.
    other_class = make_class(other_school, programme, "B9")
    other = client_as(users["outsider"])
    response = other.post(url("enroll", other_school, pk=other_class.pk),
                          learner_data(full_name="tran thi  HOA", cccd=" " + learner.cccd))
    assert response.status_code == 302
    assert Learner.objects.filter(cccd=learner.cccd).count() == 1
    assert other_class.enrollments.get().learner == learner
    # Already in the class: refused with a message.
    response = client.post(url("enroll", school, pk=klass.pk), learner_data())
    assert "đã có trong lớp này" in response.content.decode()


def test_enroll_refuses_bad_cccd_and_conflicting_person(users, client_as, school, klass):
    client = client_as(users["staff"])
    response = client.post(url("enroll", school, pk=klass.pk), learner_data(cccd="12345"))
    assert "12 chữ số" in response.content.decode()
    response = client.post(url("enroll", school, pk=klass.pk), learner_data(sex="M"))
    assert "không khớp với giới tính" in response.content.decode()
    assert not Learner.objects.exists()
    known = make_learner("Lê Văn Nam", datetime.date(1980, 1, 1))
    response = client.post(url("enroll", school, pk=klass.pk),
                           learner_data(cccd=known.cccd, full_name="Người Khác", date_of_birth="01/01/1980", sex="M"))
    page = response.content.decode()
    assert response.status_code == 200 and "đã được ghi nhận cho một người khác" in page
    assert "Người Khác" in page and "Lê Văn Nam" not in page  # input kept, the known person not revealed
    assert not klass.enrollments.exists()


def test_enrollment_status_and_diploma(users, client_as, school, klass, enrollment):
    client = client_as(users["staff"])
    response = client.post(url("enrollment_update", school, pk=enrollment.pk),
                           {"status": "studying", "diploma_number": "TC-001"})
    assert "Chỉ học viên tốt nghiệp" in response.content.decode()
    response = client.post(url("enrollment_update", school, pk=enrollment.pk),
                           {"status": "graduated", "diploma_number": "TC-001", "diploma_date": "20/12/2025"})
    assert response.status_code == 302
    enrollment.refresh_from_db()
    assert enrollment.status == "graduated" and enrollment.diploma_date == datetime.date(2025, 12, 20)


def test_record_graduation_sets_statuses(users, client_as, school, klass):
    good = enroll(klass, make_learner("Giỏi Văn A"), classification=Classification.GOOD, average=Decimal("7.5"))
    Mark.objects.bulk_create([Mark(enrollment=good, module=m, value=Decimal("7.5")) for m in klass.programme.modules.all()])
    weak = enroll(klass, make_learner("Yếu Văn B"), average=Decimal("4.2"))
    left = enroll(klass, make_learner("Thôi Văn C"), status=Enrollment.Status.WITHDRAWN)
    client = client_as(users["admin"])
    page = client.get(url("record_graduation", school, pk=klass.pk)).content.decode()
    assert "Giỏi Văn A" in page and "Yếu Văn B" in page and "Chưa có điểm" in page
    client.post(url("record_graduation", school, pk=klass.pk), {"decision_number": "12/QĐ-TCT",
                                                                "decision_date": "20/12/2025"})
    statuses = {e.pk: e.status for e in Enrollment.objects.all()}
    assert statuses == {good.pk: "graduated", weak.pk: "not_graduated", left.pk: "withdrawn"}
    page = client.get(url("graduation_list", school, pk=klass.pk)).content.decode()
    assert "Giỏi Văn A" in page and "Yếu Văn B" not in page


def test_roster_and_graduation_list_export(users, client_as, school, klass):
    enroll(klass, make_learner("=HYPERLINK(1)"))
    enroll(klass, make_learner("Bùi Thị Lan", sex="F"), status="graduated", classification="good",
           average=Decimal("7.25"), diploma_number="TC-9")
    client = client_as(users["viewer"])
    page = client.get(url("roster", school, pk=klass.pk)).content.decode()
    assert "data-print" in page and "Bùi Thị Lan" in page
    rows = xlsx_rows(client.get(url("roster", school, pk=klass.pk), {"export": "xlsx"}))
    assert rows[0][:2] == ("STT", "Họ và tên") and len(rows) == 3
    assert {rows[1][1], rows[2][1]} == {"=HYPERLINK(1)", "Bùi Thị Lan"}
    rows = xlsx_rows(client.get(url("graduation_list", school, pk=klass.pk), {"export": "xlsx"}))
    assert len(rows) == 2 and rows[1][1] == "Bùi Thị Lan" and rows[1][6] == "Khá" and rows[1][7] == "TC-9"


# --- learners -----------------------------------------------------------------------------------------
def test_school_sees_only_learners_of_its_own_classes(users, client_as, school, other_school, programme, klass):
    mine = make_learner("Nguyễn Văn An")
    shared = make_learner("Phạm Thị Chung", sex="F")
    theirs = make_learner("Hoàng Văn Ngoài")
    enroll(klass, mine)
    enroll(klass, shared)
    foreign = make_class(other_school, programme, "B1")
    enroll(foreign, shared)
    enroll(foreign, theirs)
    enroll(make_class(school, programme, "K2"), mine)  # twice at this school: listed once
    names = [p.full_name for p in client_as(users["viewer"]).get(url("learner_list", school)).context["object_list"]]
    assert sorted(names) == ["Nguyễn Văn An", "Phạm Thị Chung"]
    # the detail shows only this school's enrollments
    detail = client_as(users["viewer"]).get(url("learner_detail", school, pk=shared.pk))
    assert [e.training_class.code for e in detail.context["enrollments"]] == ["K52A"]


def test_learner_search_ignores_diacritics_and_finds_cccd(users, client_as, school, klass):
    for name in ["Nguyễn Văn An", "Nguyên Văn Ân", "Trần Thị Bình"]:
        enroll(klass, make_learner(name))
    client = client_as(users["viewer"])
    names = [p.full_name for p in client.get(url("learner_list", school), {"q": "nguyen van an"}).context["object_list"]]
    assert sorted(names) == ["Nguyên Văn Ân", "Nguyễn Văn An"]
    names = [p.full_name for p in client.get(url("learner_list", school), {"q": "Nguyên Văn Ân"}).context["object_list"]]
    assert names[0] == "Nguyên Văn Ân"
    binh = Learner.objects.get(full_name="Trần Thị Bình")
    found = client.get(url("learner_list", school), {"q": binh.cccd[-8:]}).context["object_list"]
    assert [p.full_name for p in found] == ["Trần Thị Bình"]


def test_learner_list_sorts_the_vietnamese_way(users, client_as, school, klass):
    for name in ["Trần Văn Đức", "Lê Thị Dung", "Phạm Anh", "Nguyễn Thị Ánh", "Hồ Văn Ân"]:
        enroll(klass, make_learner(name))
    names = [p.full_name for p in client_as(users["viewer"]).get(url("learner_list", school)).context["object_list"]]
    assert names == ["Phạm Anh", "Nguyễn Thị Ánh", "Hồ Văn Ân", "Lê Thị Dung", "Trần Văn Đức"]


def test_learner_list_query_count_is_bounded(users, client_as, school, programme, klass, django_assert_max_num_queries):
    client = client_as(users["viewer"])
    for index in range(3):
        enroll(klass, make_learner(f"Người Học {index}"))
    with django_assert_max_num_queries(15) as few:
        client.get(url("learner_list", school))
    second = make_class(school, programme, "K2")
    for index in range(30):
        learner = make_learner(f"Học Viên Mới {index}")
        enroll(klass, learner)
        enroll(second, learner)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("learner_list", school))
    assert response.context["paginator"].count == 33


def test_learner_update_checks_cccd(users, client_as, school, enrollment):
    learner = enrollment.learner
    client = client_as(users["staff"])
    data = {"full_name": learner.full_name, "cccd": learner.cccd, "date_of_birth": "01/05/1990", "sex": "M"}
    response = client.post(url("learner_update", school, pk=learner.pk), data)
    assert "năm sinh 1985, không phải 1990" in response.content.decode()
    data["date_of_birth"] = "02/05/1985"
    assert client.post(url("learner_update", school, pk=learner.pk), data).status_code == 302


def test_academy_sees_a_persons_history_across_schools(users, client_as, school, other_school, programme, klass):
    person = make_learner("Đặng Văn Sử")
    enroll(klass, person)
    enroll(make_class(other_school, programme, "B7", opening=datetime.date(2023, 1, 1)), person)
    history = reverse("courses:learner_history", args=[person.pk])
    response = client_as(users["reviewer"]).get(history)
    assert response.status_code == 200
    assert [e.training_class.school for e in response.context["enrollments"]] == [school, other_school]
    assert client_as(users["admin"]).get(history).status_code == 404
    listing = client_as(users["reviewer"]).get(reverse("courses:academy_learner_list"), {"q": "dang van su"})
    assert [p.full_name for p in listing.context["object_list"]] == ["Đặng Văn Sử"]
    row = listing.content.decode().split("Đặng Văn Sử", 1)[1].split("</tr>", 1)[0]
    assert "TCT A" in row and "TCT B" in row  # the schools column
    assert client_as(users["admin"]).get(reverse("courses:academy_learner_list")).status_code == 404


def test_plan_programme_and_academy_lists_query_counts_are_bounded(users, client_as, school, programme,
                                                                   django_assert_max_num_queries):
    def add(count, start):
        for index in range(start, start + count):
            plan = AnnualPlan.objects.create(school=school, year=2000 + index)
            PlanLine.objects.create(plan=plan, programme=programme, planned_classes=1, planned_learners=10)
            other = make_programme(f"P{index}", modules=2)
            enroll(make_class(school, other, f"C{index}", opening=datetime.date(2000 + index, 1, 1)),
                   make_learner(f"Người Thứ {index}"))

    viewer, reviewer = client_as(users["viewer"]), client_as(users["reviewer"])
    pages = [(viewer, url("plan_list", school)), (viewer, reverse("courses:programme_list")),
             (reviewer, reverse("courses:academy_learner_list"))]
    add(2, 0)
    few = []
    for client, page in pages:
        with django_assert_max_num_queries(12) as captured:
            client.get(page)
        few.append(len(captured.captured_queries))
    add(25, 10)
    for (client, page), count in zip(pages, few, strict=True):
        with django_assert_max_num_queries(count):
            assert client.get(page).status_code == 200


def test_remove_learner_from_class_after_confirmation(users, client_as, school, klass, enrollment):
    client = client_as(users["staff"])
    page = client.get(url("enrollment_delete", school, pk=enrollment.pk)).content.decode()
    assert "Bạn có chắc chắn muốn xóa" in page
    response = client.post(url("enrollment_delete", school, pk=enrollment.pk))
    assert response.status_code == 302 and response["Location"] == klass.get_absolute_url()
    assert not Enrollment.objects.filter(pk=enrollment.pk).exists()
    assert Learner.objects.filter(pk=enrollment.learner_id).exists()  # the person stays


def test_enroll_and_add_another_returns_to_the_form(users, client_as, school, klass):
    response = client_as(users["admin"]).post(url("enroll", school, pk=klass.pk), {**learner_data(), "add_another": "1"})
    assert response["Location"] == url("enroll", school, pk=klass.pk)


def test_programme_modules_with_the_same_order_are_refused(users, client_as, programme):
    data = {"code": programme.code, "name": programme.name, "kind": programme.kind, "thesis_weight": "1",
            "exam_weight": "1", "active": "on"}
    data.update(_formset("modules", [{"order": "1", "name": "A", "weight": "1"}, {"order": "1", "name": "B", "weight": "1"}]))
    data.update(_formset("bands", []))
    page = client_as(users["academy"]).post(reverse("courses:programme_update", args=[programme.pk]), data)
    assert "không được trùng thứ tự" in page.content.decode()


def test_buttons_use_the_glossary_words(users, client_as, school, klass, enrollment):
    client = client_as(users["staff"])
    assert "Thêm mới" in client.get(url("class_list", school)).content.decode()
    page = client.get(url("class_detail", school, pk=klass.pk)).content.decode()
    assert "Xóa khỏi lớp" in page and "Nhập điểm" in page and "Danh sách lớp" in page


def test_diplomas_entered_for_the_graduates_all_or_nothing(users, client_as, school, other_school, programme, klass):
    first = enroll(klass, make_learner("Bùi Văn Một"), status="graduated", classification="good")
    second = enroll(klass, make_learner("Cao Thị Hai", sex="F"), status="graduated", classification="good")
    enroll(klass, make_learner("Đang Học Ba"))  # not graduated: not on the page
    foreign = enroll(make_class(other_school, programme, "B1"), make_learner("Ngoài Trường"), status="graduated")
    page = url("diplomas", school, pk=klass.pk)
    assert_write_matrix(users, page)
    client = client_as(users["staff"])
    assert len(client.get(page).context["formset"].forms) == 2

    def data(rows):
        payload = {"d-TOTAL_FORMS": str(len(rows)), "d-INITIAL_FORMS": str(len(rows)), "d-MIN_NUM_FORMS": "0",
                   "d-MAX_NUM_FORMS": "1000"}
        for index, (pk, number, date) in enumerate(rows):
            payload.update({f"d-{index}-id": pk, f"d-{index}-diploma_number": number, f"d-{index}-diploma_date": date})
        return payload

    response = client.post(page, data([(first.pk, "TC-1", "20/12/2025"), (second.pk, "TC-1", "20/12/2025")]))
    assert "đã cấp cho học viên khác" in response.content.decode()
    assert not Enrollment.objects.exclude(diploma_number="").exists()
    response = client.post(page, data([(first.pk, "TC-1", "20/12/2025"), (foreign.pk, "X", "")]))
    assert response.status_code == 200 and not Enrollment.objects.exclude(diploma_number="").exists()
    response = client.post(page, data([(first.pk, "TC-1", "20/12/2025"), (second.pk, "TC-2", "20/12/2025")]))
    assert response.status_code == 302
    assert sorted(Enrollment.objects.exclude(diploma_number="").values_list("diploma_number", flat=True)) == ["TC-1", "TC-2"]


def test_programme_in_use_cannot_be_deleted_and_says_why(users, client_as, school):
    programme = make_programme("IN-USE")
    make_class(school, programme)
    url = reverse("courses:programme_delete", kwargs={"pk": programme.pk})
    assert client_as(users["reviewer"]).post(url).status_code == 403
    response = client_as(users["academy"]).post(url, follow=True)
    assert Programme.objects.filter(pk=programme.pk).exists()
    assert "không thể xóa" in response.content.decode().lower()
    unused = make_programme("UNUSED")
    client_as(users["academy"]).post(reverse("courses:programme_delete", kwargs={"pk": unused.pk}))
    assert not Programme.objects.filter(pk=unused.pk).exists()
