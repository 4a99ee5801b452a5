"""Issue 17 item 1: only indicators the Academy has issued (text, threshold, document reference) count."""

import io
import json
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from compliance import services
from compliance.models import Answer, Indicator, Standard
from compliance.selectors import compliance_status

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
REPOSITORY_FILE = re.compile(r"\b[\w-]+\.(md|py|json)\b")


@pytest.fixture
def opened(shipped_standard, school, users):
    return services.open_assessment(school=school, year=2025, target_level=1, user=users["admin"])


def _answer(assessment, code):
    return assessment.answers.select_related("indicator").get(indicator__code=code)


def test_a_school_cannot_answer_a_provisional_indicator(opened, school, users, client_as):
    answer = _answer(opened, "1.1")
    assert answer.indicator.provisional
    client = client_as(users["admin"])
    url = reverse("compliance:answer_update", kwargs={"school_code": school.code, "pk": answer.pk})
    response = client.post(url, {"value": "1", "explanation": "Có quyết định"})
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.value is None and answer.explanation == ""
    assert "chưa ban hành" in client.get(opened.get_absolute_url()).content.decode()
    assert client.get(url).status_code == 302  # no form for it either
    with pytest.raises(Exception, match="not been issued|chưa ban hành"):
        services.save_answer(answer=answer, value=Decimal(1), explanation="x", ask_opinion=False)
    # nor does it block the submission
    assert services.missing_evidence(opened) == []


def test_console_and_recognition_ignore_provisional_and_show_the_confirmed_count(opened, school, users, client_as):
    # even a "met" status on a placeholder counts for nothing
    Answer.objects.filter(assessment=opened).update(status=Answer.Status.MET)
    services.refresh_result(opened)
    opened.refresh_from_db()
    assert (opened.indicators_total, opened.met_count, opened.indicators_in_standard) == (0, 0, 55)
    assert opened.level_reached is None
    status = compliance_status(school)
    assert (status["met"], status["indicators_total"], status["indicators_in_standard"]) == (0, 0, 55)
    page = client_as(users["reviewer"]).get(reverse("compliance:console"))
    html = page.content.decode()
    assert "đánh giá trên 0/55 chỉ tiêu đã ban hành" in html
    row = next(r for r in page.context["rows"] if r["school"] == school)
    assert [state for _n, _c, state in row["cells"]] == ["none"] * 6
    gap = client_as(users["admin"]).get(reverse("compliance:gap", kwargs={"school_code": school.code}))
    assert "đánh giá trên 0/55 chỉ tiêu đã ban hành" in gap.content.decode()
    assert gap.context["gap"]["summary"] == {1: 0, 2: 0}
    # the recognition step says on how many issued indicators the result stands
    opened.stage = "council_approved"
    opened.save()
    recognise = reverse("compliance:review_recognise", kwargs={"school_code": school.code, "pk": opened.pk})
    assert "đánh giá trên 0/55 chỉ tiêu đã ban hành" in client_as(users["academy"]).get(recognise).content.decode()


def test_confirming_an_indicator_with_its_reference_makes_it_count(opened, school, users, client_as, shipped_standard):
    indicator = Indicator.objects.get(criterion__standard=shipped_standard, code="1.2")
    answer = _answer(opened, "1.2")
    edit = reverse("compliance:indicator_update", args=[indicator.pk])
    form = {"text": indicator.text, "unit": "", "comparison": "yes_no", "level1_value": "1", "level2_value": "1",
            "measurement": "declared", "metric": "", "provisional": "", "reference": "", "note": ""}
    assert client_as(users["reviewer"]).post(edit, {**form, "reference": "x"}).status_code == 403  # admins only
    refused = client_as(users["academy"]).post(edit, form)
    assert refused.status_code == 200 and "căn cứ văn bản" in refused.content.decode()
    indicator.refresh_from_db()
    assert indicator.provisional
    form["reference"] = "Hướng dẫn số 01-HD/HVCTQG, mục 1.2"
    assert client_as(users["academy"]).post(edit, form).status_code == 302
    indicator.refresh_from_db()
    assert not indicator.provisional and indicator.confirmed_by == users["academy"] and indicator.confirmed_on
    opened.refresh_from_db()
    assert (opened.indicators_total, opened.pending_count) == (1, 1)  # counted at once, awaiting the answer
    client = client_as(users["admin"])
    url = reverse("compliance:answer_update", kwargs={"school_code": school.code, "pk": answer.pk})
    assert client.post(url, {"value": "1", "explanation": "Quy chế số 5"}).status_code == 302
    opened.refresh_from_db()
    assert (opened.met_count, opened.indicators_total, opened.level_reached) == (1, 1, 1)
    assert "đánh giá trên 1/55 chỉ tiêu đã ban hành" in client.get(opened.get_absolute_url()).content.decode()


def test_prefilled_structure_indicator_can_be_overridden_with_a_reason(opened, school, users, shipped_standard):
    Indicator.objects.filter(criterion__standard=shipped_standard, code="1.5").update(
        provisional=False, reference="Hướng dẫn kiểm thử")
    services.reevaluate_indicators(list(Indicator.objects.filter(code="1.5")))
    answer = _answer(opened, "1.5")
    assert answer.value == 0 and answer.status == Answer.Status.NOT_MET  # no units in the records
    with pytest.raises(Exception, match="reason|lý do"):
        services.save_answer(answer=answer, value=Decimal(1), explanation="", ask_opinion=False)
    services.save_answer(answer=answer, value=Decimal(1), explanation="Quyết định kiện toàn tổ chức chưa nhập",
                         ask_opinion=False)
    answer.refresh_from_db()
    assert (answer.value, answer.overridden, answer.status) == (1, True, Answer.Status.MET)
    services.refresh_computed(assessment=opened)
    answer.refresh_from_db()
    assert answer.value == 1  # an override survives a refresh from the records


def _download(response) -> bytes:
    return b"".join(response.streaming_content)


def test_criteria_sheet_round_trips(shipped_standard, users, client_as):
    Indicator.objects.filter(criterion__standard=shipped_standard, code="2.2").update(
        provisional=False, level1_value=Decimal("70.5"), level2_value=90, reference="Hướng dẫn 01, mục 2.2")
    client = client_as(users["academy"])
    exported = _download(client.get(reverse("compliance:standard_export", args=[shipped_standard.pk])))

    def snapshot(standard):
        return sorted(Indicator.objects.filter(criterion__standard=standard).values_list(
            "criterion__number", "criterion__title", "code", "text", "unit", "comparison", "level1_value",
            "level2_value", "measurement", "metric", "provisional", "reference", "note"))

    before = snapshot(shipped_standard)
    # importing the same sheet changes nothing
    upload = SimpleUploadedFile("bo-tieu-chi.xlsx", exported)
    response = client.post(reverse("compliance:standard_import"), {"file": upload})
    assert response.status_code == 302
    assert snapshot(shipped_standard) == before and Standard.objects.count() == 1
    # the same sheet as a new version (as guidance is circulated) gives an identical criteria set
    workbook = openpyxl.load_workbook(io.BytesIO(exported))
    for row in workbook.worksheets[0].iter_rows(min_row=2):
        if row[0].value == "phiên bản":  # the version of the criteria set
            row[1].value = "2026"
    for row in workbook.worksheets[1].iter_rows(min_row=2):
        if row[2].value == "3.1":  # the Academy issues 3.1 in the sheet
            row[6].value, row[10].value, row[11].value = 100, "Có", "Hướng dẫn 02, mục 3.1"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = client.post(reverse("compliance:standard_import"),
                           {"file": SimpleUploadedFile("v2026.xlsx", buffer.getvalue())})
    assert response.status_code == 302
    new = Standard.objects.get(version="2026")
    rows = snapshot(new)
    changed = [r for r in rows if r[2] == "3.1"][0]
    assert (changed[6], changed[10], changed[11]) == (Decimal(100), False, "Hướng dẫn 02, mục 3.1")
    assert [r for r in rows if r[2] != "3.1"] == [r for r in before if r[2] != "3.1"]
    assert Indicator.objects.get(criterion__standard=new, code="3.1").confirmed_by == users["academy"]
    # a row marked issued without its reference is refused with its row number
    for row in workbook.worksheets[1].iter_rows(min_row=2):
        if row[2].value == "3.2":
            row[6].value, row[10].value = 5, "Có"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = client.post(reverse("compliance:standard_import"),
                           {"file": SimpleUploadedFile("bad.xlsx", buffer.getvalue())})
    assert response.status_code == 200 and "căn cứ văn bản" in response.content.decode()
    assert Indicator.objects.get(criterion__standard=new, code="3.2").provisional
    assert client_as(users["reviewer"]).get(reverse("compliance:standard_import")).status_code == 403


def test_no_user_facing_data_names_a_repository_file(shipped_standard, opened, school, users, client_as):
    data = json.loads((ROOT / "compliance/data/11-QD-TW-2021.json").read_text(encoding="utf-8"))
    texts = [data["note"], data["title"]] + [
        value for criterion in data["criteria"] for item in criterion["indicators"]
        for value in (item["text"], item["note"], item.get("reference", ""))
    ]
    assert not [t for t in texts if REPOSITORY_FILE.search(t) or "DOMAIN" in t]
    pages = [
        client_as(users["reviewer"]).get(reverse("compliance:standard_detail", args=[shipped_standard.pk])),
        client_as(users["reviewer"]).get(reverse("compliance:console")),
        client_as(users["admin"]).get(opened.get_absolute_url()),
        client_as(users["admin"]).get(reverse("compliance:gap", kwargs={"school_code": school.code})),
    ]
    for page in pages:
        body = re.sub(r"<(script|link)[^>]*>", "", page.content.decode())
        assert "DOMAIN" not in body
        assert not REPOSITORY_FILE.search(re.sub(r"<[^>]+>", " ", body)), REPOSITORY_FILE.search(body)


def test_a_reviewer_may_comment_on_a_provisional_indicator_but_gives_no_opinion(opened, users):
    opened.stage = "submitted"
    opened.save()
    answer = _answer(opened, "1.1")
    with pytest.raises(Exception, match="not been issued|chưa ban hành"):
        services.comment(answer=answer, user=users["reviewer"], text="", opinion=Answer.Status.MET)
    services.comment(answer=answer, user=users["reviewer"], text="Chờ Học viện ban hành", opinion="")
    assert answer.comments.count() == 1
    answer.refresh_from_db()
    assert answer.reviewer_status == "" and answer.status == Answer.Status.PENDING
