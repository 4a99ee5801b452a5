"""One person across schools (issue 13 item 1) and learners without a CCCD (issue 14 item 7).

School B (NGHEAN) recorded a learner; school A (HATINH) must never learn what B recorded (party
dates, hometown, workplace …) by importing or entering the number, nor change what B sees. A learner
known by a CMND, later met with a CCCD, is proposed for linking and merged by the Academy.
"""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from audit.models import AuditLog
from courses import school_learners
from courses.models import DocumentType, Enrollment, Learner, LearnerDetails
from reports.selectors import learner_register
from tests.courses.helpers import cccd_for, enroll, make_class, make_programme
from tests.courses.test_import import batch_url, confirm, person, upload_batch

pytestmark = pytest.mark.django_db

NOT_THE_RECORDED_PERSON = ("Số giấy tờ tùy thân này đã được ghi nhận với thông tin khác; hãy kiểm tra lại số, "
                           "họ tên và ngày sinh.")
DOB = datetime.date(1985, 8, 23)


def url(name, school, **kwargs):
    return reverse(f"courses:{name}", kwargs={"school_code": school.code, **kwargs})


def date_texts(day: datetime.date) -> set[str]:
    return {day.strftime("%d/%m/%Y"), f"{day.day}/{day.month}/{day.year}", day.isoformat()}


@pytest.fixture
def programme(db):
    return make_programme()


@pytest.fixture
def nghean_learner(other_school, programme):
    """A learner school B recorded, with details only B knows."""
    learner = Learner.objects.create(
        full_name="Hồ Ngọc Nga", date_of_birth=DOB, sex="F", cccd=cccd_for(DOB, "F", serial=100000),
        hometown="Xã Quỳnh Đôi, Quỳnh Lưu", party_joined_on=datetime.date(2009, 4, 17),
        party_official_on=datetime.date(2010, 4, 17), position="Bí thư Đoàn xã Quỳnh Đôi",
        workplace="UBND xã Quỳnh Đôi", religion="Phật giáo",
    )
    enroll(make_class(other_school, programme, code="NA-K1"), learner)
    return learner


NGHEAN_ONLY = ("Xã Quỳnh Đôi", "Quỳnh Lưu", "Bí thư Đoàn xã", "UBND xã Quỳnh Đôi", "Phật giáo")


def nghean_dates(learner):
    return date_texts(learner.party_joined_on) | date_texts(learner.party_official_on)


def hatinh_pages(client, school, klass, learner) -> str:
    """Everything HATINH reads about its class and the learner: pages and Excel exports."""
    texts = []
    for address in (url("learner_list", school), url("learner_detail", school, pk=learner.pk),
                    reverse("audit:history", kwargs={"school_code": school.code, "model_label": "courses.learner",
                                                     "pk": learner.pk}),
                    url("learner_update", school, pk=learner.pk), url("class_detail", school, pk=klass.pk),
                    url("roster", school, pk=klass.pk)):
        response = client.get(address)
        assert response.status_code == 200, address
        texts.append(response.content.decode())
    for address in (url("learner_list", school) + "?export=xlsx", url("roster", school, pk=klass.pk) + "?export=xlsx"):
        response = client.get(address)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        book = openpyxl.load_workbook(io.BytesIO(content))
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                for value in row:
                    if isinstance(value, datetime.datetime | datetime.date):
                        texts.append(value.strftime("%d/%m/%Y"))
                    elif value is not None:
                        texts.append(str(value))
    return "\n".join(texts)


# --- issue 13 item 1: the import ------------------------------------------------------------------------
def test_import_mismatch_names_nobody(users, client_as, school, programme, nghean_learner):
    """Main answered “Số CCCD … đã được ghi nhận cho “Hồ Ngọc Nga” … với ngày sinh 23/08/1985”."""
    klass = make_class(school, programme, code="HT-K1")
    rows = [person(1, name="Nguyễn Văn Giả", dob=datetime.date(1985, 1, 1), sex="Nữ", cccd=nghean_learner.cccd),
            person(2, name="Hồ Ngọc Nga", dob=datetime.date(1985, 1, 1), sex="Nữ", cccd=nghean_learner.cccd[:-1] + "0")]
    rows[1]["Số CCCD"] = nghean_learner.cccd
    client = client_as(users["admin"])
    batch = upload_batch(client, klass, rows[:1])
    assert [error[1:] for error in batch.errors] == [["Số CCCD", NOT_THE_RECORDED_PERSON]]
    preview = client.get(batch_url("import_preview", batch)).content.decode()
    errors = client.get(batch_url("import_errors", batch)).content
    workbook_text = " ".join(str(c.value) + str(c.comment.text if c.comment else "")
                             for row in openpyxl.load_workbook(io.BytesIO(errors)).worksheets[0].iter_rows()
                             for c in row)
    for text in (preview, workbook_text):
        assert "Hồ Ngọc Nga" not in text
        for day in date_texts(DOB):
            assert day not in text
    # the right name with a wrong date of birth: the same single message (no oracle for which one differs)
    batch = upload_batch(client, klass, rows[1:])
    assert [error[1:] for error in batch.errors] == [["Số CCCD", NOT_THE_RECORDED_PERSON]]
    assert not Enrollment.objects.filter(training_class=klass).exists()


def test_reimport_with_the_real_values_hands_over_nothing(users, client_as, school, programme, nghean_learner):
    """On main, once enrolled, HATINH read NGHEAN's hometown, party dates and workplace."""
    klass = make_class(school, programme, code="HT-K1")
    row = person(1, name="Hồ Ngọc Nga", dob=DOB, sex="Nữ", cccd=nghean_learner.cccd)
    for header in ("Quê quán", "Chức vụ", "Đơn vị công tác", "Ngày vào Đảng", "Ngày chính thức", "Tôn giáo"):
        row[header] = None
    row["Quê quán"] = "Thạch Hà, Hà Tĩnh"
    client = client_as(users["admin"])
    batch = upload_batch(client, klass, [row])
    assert batch.linked_count == 1 and not batch.errors
    confirm(client, batch)
    assert Enrollment.objects.filter(training_class=klass, learner=nghean_learner).exists()
    seen = hatinh_pages(client, school, klass, nghean_learner)
    assert "Hồ Ngọc Nga" in seen and "Thạch Hà, Hà Tĩnh" in seen  # what HATINH typed, it sees
    for value in NGHEAN_ONLY:
        assert value not in seen, value
    for text in nghean_dates(nghean_learner):
        assert text not in seen, text
    nghean_learner.refresh_from_db()
    assert nghean_learner.hometown == "Xã Quỳnh Đôi, Quỳnh Lưu"  # NGHEAN's record as it was
    assert LearnerDetails.objects.get(learner=nghean_learner, school=school).hometown == "Thạch Hà, Hà Tĩnh"
    assert school_learners.is_in_step()
    # the learner register of each school (reports) shows that school's own details
    hatinh_rows = list(learner_register([school.pk], klass.opening_date.year))
    assert hatinh_rows and not [v for row in hatinh_rows for v in row if "Quỳnh" in str(v) or "Bí thư" in str(v)]
    nghean_rows = list(learner_register([nghean_learner.recorded_by_id], klass.opening_date.year))
    assert [row for row in nghean_rows if "UBND xã Quỳnh Đôi" in row and "Bí thư Đoàn xã Quỳnh Đôi" in row]


def test_another_schools_edit_never_changes_what_the_first_school_sees(users, client_as, school, programme,
                                                                       nghean_learner):
    """On main HATINH's edit rewrote the shared record: NGHEAN then saw the new name and hometown."""
    klass = make_class(school, programme, code="HT-K1")
    enroll(klass, nghean_learner)
    client = client_as(users["admin"])
    form = client.get(url("learner_update", school, pk=nghean_learner.pk)).content.decode()
    assert "Quỳnh Đôi" not in form and "Phật giáo" not in form
    response = client.post(url("learner_update", school, pk=nghean_learner.pk), {
        "full_name": "Tên Bị Đổi", "cccd": nghean_learner.cccd, "date_of_birth": "01/01/1990", "sex": "M",
        "hometown": "Can Lộc, Hà Tĩnh", "workplace": "UBND xã Can Lộc",
    })
    assert response.status_code == 302
    nghean_learner.refresh_from_db()
    assert (nghean_learner.full_name, nghean_learner.date_of_birth, nghean_learner.sex) == ("Hồ Ngọc Nga", DOB, "F")
    assert (nghean_learner.hometown, nghean_learner.workplace) == ("Xã Quỳnh Đôi, Quỳnh Lưu", "UBND xã Quỳnh Đôi")
    nghean = client_as(users["outsider"]).get(url("learner_detail", nghean_learner.recorded_by,
                                                  pk=nghean_learner.pk)).content.decode()
    assert "Hồ Ngọc Nga" in nghean and "Xã Quỳnh Đôi" in nghean and "Can Lộc" not in nghean
    hatinh = client.get(url("learner_detail", school, pk=nghean_learner.pk)).content.decode()
    assert "Can Lộc, Hà Tĩnh" in hatinh and "Xã Quỳnh Đôi" not in hatinh


def test_the_recording_school_corrects_its_learner_while_no_one_else_has_them(users, client_as, school, programme):
    klass = make_class(school, programme, code="HT-K1")
    learner = enroll(klass).learner
    assert learner.recorded_by == school
    client = client_as(users["admin"])
    response = client.post(url("learner_update", school, pk=learner.pk), {
        "full_name": "Nguyễn Văn Sửa", "cccd": learner.cccd, "date_of_birth": "01/05/1985", "sex": "M",
        "hometown": "Hương Sơn"})
    assert response.status_code == 302
    learner.refresh_from_db()
    assert (learner.full_name, learner.hometown) == ("Nguyễn Văn Sửa", "Hương Sơn")
    assert not LearnerDetails.objects.exists()


def test_edit_form_number_clash_names_nobody(users, client_as, school, programme, nghean_learner):
    """Main said “another learner already has this citizen ID number” (Vietnamese) — now the same
    neutral message as the import."""
    learner = enroll(make_class(school, programme, code="HT-K1")).learner
    response = client_as(users["admin"]).post(url("learner_update", school, pk=learner.pk), {
        "full_name": learner.full_name, "cccd": nghean_learner.cccd, "date_of_birth": "23/08/1985", "sex": "F"})
    page = response.content.decode()
    assert response.status_code == 200 and NOT_THE_RECORDED_PERSON in page
    assert "Hồ Ngọc Nga" not in page and "Quỳnh" not in page


def test_hand_entry_link_keeps_the_schools_own_details(users, client_as, school, programme, nghean_learner):
    klass = make_class(school, programme, code="HT-K1")
    client = client_as(users["staff"])
    response = client.post(url("enroll", school, pk=klass.pk), {
        "full_name": "Hồ Ngọc Nga", "cccd": nghean_learner.cccd, "date_of_birth": "23/08/1985", "sex": "F",
        "workplace": "Sở Nội vụ Hà Tĩnh"})
    assert response.status_code == 302
    seen = hatinh_pages(client, school, klass, nghean_learner)
    assert "Sở Nội vụ Hà Tĩnh" in seen
    for value in NGHEAN_ONLY:
        assert value not in seen, value
    nghean_learner.refresh_from_db()
    assert nghean_learner.workplace == "UBND xã Quỳnh Đôi"


# --- issue 14 item 7: CMND and passport learners, linking and merging ---------------------------------------
def test_passport_learner_by_hand(users, client_as, school, programme):
    klass = make_class(school, programme, code="HT-K1")
    client = client_as(users["staff"])
    data = {"full_name": "Souksavanh Phommachanh", "document_type": "passport", "cccd": "p 1234567",
            "date_of_birth": "02/03/1984", "sex": "M"}
    response = client.post(url("enroll", school, pk=klass.pk), data)
    assert "quốc tịch" in response.content.decode().lower() and not Learner.objects.exists()
    assert client.post(url("enroll", school, pk=klass.pk), {**data, "nationality": "Lào"}).status_code == 302
    learner = Learner.objects.get()
    assert (learner.document_type, learner.cccd, learner.nationality) == ("passport", "P1234567", "Lào")


def test_cmnd_learner_imports_is_linked_to_a_cccd_record_and_merged(users, client_as, school, other_school,
                                                                     programme):
    born = datetime.date(1978, 11, 2)
    old_class = make_class(school, programme, code="K2019", opening=datetime.date(2019, 3, 1))
    row = person(1, name="Trần Văn Cũ", dob=born, cccd="186123456", **{"Loại giấy tờ": "CMND"})
    client = client_as(users["admin"])
    batch = upload_batch(client, old_class, [row])
    assert not batch.errors, batch.errors
    confirm(client, batch)
    old = Learner.objects.get(cccd="186123456")
    assert old.document_type == DocumentType.CMND and old.enrollments.count() == 1
    # a wrong CMND number is refused with its own message
    bad = upload_batch(client, old_class, [person(2, cccd="18612345", **{"Loại giấy tờ": "CMND"})])
    assert "9 chữ số" in bad.errors[0][2]
    # years later school B enrolls the same person under the new CCCD
    new_class = make_class(other_school, programme, code="K2025")
    outsider = client_as(users["outsider"])
    new_row = person(1, name="Trần Văn Cũ", dob=born, cccd=cccd_for(born, "M", serial=424242))
    batch = upload_batch(outsider, new_class, [new_row])
    confirm(outsider, batch)
    new = Learner.objects.get(cccd=new_row["Số CCCD"])
    assert new.document_type == DocumentType.CCCD
    # the Academy is proposed the link; schools are not
    academy = client_as(users["academy"])
    links = academy.get(reverse("courses:learner_links")).content.decode()
    assert "186123456" in links and new.cccd in links
    merge_url = reverse("courses:learner_merge", kwargs={"pk": old.pk})
    for user in ("admin", "outsider"):
        assert client_as(users[user]).get(reverse("courses:learner_links")).status_code == 404
        assert client_as(users[user]).get(merge_url + f"?into={new.pk}").status_code == 404
    assert client_as(users["reviewer"]).post(merge_url, {"into": new.pk}).status_code == 403
    # the confirmation page shows both records and their classes; nothing is merged by a GET
    page = academy.get(merge_url + f"?into={new.pk}").content.decode()
    assert "K2019" in page and "K2025" in page and "Gộp" in page
    assert Learner.objects.filter(pk=old.pk).exists()
    response = academy.post(merge_url, {"into": new.pk})
    assert response.status_code == 302 and response.url == reverse("courses:learner_history", kwargs={"pk": new.pk})
    assert not Learner.objects.filter(pk=old.pk).exists()
    assert sorted(new.enrollments.values_list("training_class__code", flat=True)) == ["K2019", "K2025"]
    new.refresh_from_db()
    assert new.former_number == "186123456"
    assert school_learners.is_in_step()
    # the school that recorded the CMND learner keeps its details, and sees the person in its list
    assert LearnerDetails.objects.get(learner=new, school=school).hometown == "Nghệ An"
    assert new.pk in client.get(url("learner_list", school)).context["object_list"].values_list("pk", flat=True)
    # audited: the enrollment moved, the old record deleted, the merge on the kept record's history
    history = AuditLog.objects.filter(object_id=str(new.pk), content_type__model="learner")
    assert history.filter(changes__has_key="_merged").exists()
    assert history.filter(action="create").count() == 2  # both records' creation now in one history
    moved = Enrollment.objects.get(training_class=old_class)
    assert AuditLog.objects.filter(content_type__model="enrollment", object_id=str(moved.pk), action="update").exists()
    assert academy.get(reverse("courses:learner_links")).context["proposals"] == []


def test_merge_refused_when_both_records_are_in_one_class(users, client_as, school, programme):
    klass = make_class(school, programme, code="K1")
    born = datetime.date(1970, 1, 1)
    old = Learner.objects.create(full_name="Lê Văn Hai", date_of_birth=born, sex="M", cccd="123456789",
                                 document_type=DocumentType.CMND)
    new = Learner.objects.create(full_name="Lê Văn Hai", date_of_birth=born, sex="M", cccd=cccd_for(born))
    enroll(klass, old), enroll(klass, new)
    academy = client_as(users["academy"])
    merge_url = reverse("courses:learner_merge", kwargs={"pk": old.pk})
    assert "K1" in academy.get(merge_url + f"?into={new.pk}").content.decode()
    academy.post(merge_url, {"into": new.pk})
    assert Learner.objects.filter(pk=old.pk).exists() and old.enrollments.count() == 1


def test_change_history_at_a_school_shows_only_its_own_changes(users, client_as, school, programme, nghean_learner):
    """On main HATINH read, in the learner's change history, every value NGHEAN ever recorded."""
    enroll(make_class(school, programme, code="HT-K1"), nghean_learner)
    nghean = nghean_learner.recorded_by
    response = client_as(users["outsider"]).post(url("learner_update", nghean, pk=nghean_learner.pk), {
        "full_name": "Hồ Ngọc Nga", "cccd": nghean_learner.cccd, "date_of_birth": "23/08/1985", "sex": "F",
        "workplace": "Ban Tuyên giáo Huyện ủy Quỳnh Lưu"})
    assert response.status_code == 302
    history = {code: reverse("audit:history", kwargs={"school_code": code, "model_label": "courses.learner",
                                                      "pk": nghean_learner.pk}) for code in (school.code, nghean.code)}
    assert "Ban Tuyên giáo" in client_as(users["outsider"]).get(history[nghean.code]).content.decode()
    page = client_as(users["admin"]).get(history[school.code])
    assert page.status_code == 200 and "Ban Tuyên giáo" not in page.content.decode()
    assert "Quỳnh Đôi" not in page.content.decode()


def test_the_academy_corrects_a_shared_identity(users, client_as, school, programme, nghean_learner):
    enroll(make_class(school, programme, code="HT-K1"), nghean_learner)
    address = reverse("courses:learner_identity", kwargs={"pk": nghean_learner.pk})
    assert client_as(users["admin"]).get(address).status_code == 404  # schools: never
    assert client_as(users["reviewer"]).get(address).status_code == 403
    academy = client_as(users["academy"])
    assert academy.get(address).status_code == 200
    response = academy.post(address, {"full_name": "Hồ Ngọc Ngà", "document_type": "cccd", "cccd": nghean_learner.cccd,
                                      "date_of_birth": "23/08/1985", "sex": "F"})
    assert response.status_code == 302
    nghean_learner.refresh_from_db()
    assert nghean_learner.full_name == "Hồ Ngọc Ngà" and nghean_learner.hometown == "Xã Quỳnh Đôi, Quỳnh Lưu"
    assert AuditLog.objects.filter(content_type__model="learner", object_id=str(nghean_learner.pk),
                                   action="update").exists()
    assert school_learners.is_in_step()
