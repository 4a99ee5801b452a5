"""Property test of the learner import across two schools (issue 13 item 1).

School B ("NGHEAN") recorded a learner; school A ("HATINH") uploads any workbook — rows that use
B's learner's number with a made-up or the real name and date of birth, made-up details, fresh
people. Whatever the file, nothing HATINH receives — the upload's answer and preview, the error
workbook, and (when the file imports) HATINH's learner list, learner pages, edit form, class page,
roster and their Excel exports — contains a value only NGHEAN knows (the name, the date of birth, the
party dates, the hometown, the workplace) unless the file itself contained it.
"""

import datetime
import io
import itertools

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses.importer import HEADERS
from courses.models import Enrollment, ImportBatch, Learner
from tests.courses.helpers import cccd_for, enroll, make_class, make_programme

pytestmark = pytest.mark.django_db
SETTINGS = settings(max_examples=20, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
GIVEN_NAMES = ["Nga", "Hoa", "Lan", "Minh", "Tuấn", "Hùng", "Thảo", "Vân"]
_serial = itertools.count(500000)
_codes = itertools.count(1)


class _Rollback(Exception):
    pass


def date_texts(day) -> set[str]:
    if not day:
        return set()
    return {day.strftime("%d/%m/%Y"), f"{day.day}/{day.month}/{day.year}", day.isoformat()}


def cell_text(value) -> str:
    if isinstance(value, datetime.datetime | datetime.date):
        return " ".join(sorted(date_texts(value if isinstance(value, datetime.date) else value.date())))
    return "" if value is None else str(value)


def workbook_text(content: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(content))
    parts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                parts.append(cell_text(cell.value))
                if cell.comment is not None:
                    parts.append(cell.comment.text)
    return "\n".join(parts)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


nghean_people = st.fixed_dictionaries({
    "given": st.sampled_from(GIVEN_NAMES),
    "sex": st.sampled_from(["M", "F"]),
    "dob": st.dates(datetime.date(1950, 1, 1), datetime.date(1979, 12, 31)),
    "joined": st.dates(datetime.date(1990, 1, 1), datetime.date(1994, 12, 31)),
    "months": st.integers(12, 40),
    "hometown": st.text("abcdeghiklmnopqrstuvxyđôơư", min_size=4, max_size=8).map(lambda s: f"Xóm {s} Bắc"),
    "workplace": st.integers(1, 999).map(lambda n: f"Sở Nghệ số {n}"),
})


@st.composite
def hatinh_rows(draw, nghean):
    """One to three rows; each may use NGHEAN's learner's number, name or date of birth."""
    rows = []
    for n in range(1, draw(st.integers(1, 3)) + 1):
        uses_number = draw(st.booleans())
        sex = draw(st.sampled_from(["M", "F"]))
        dob = draw(st.dates(datetime.date(1950, 1, 1), datetime.date(1999, 12, 31)))
        if uses_number:  # mostly what the number's own digits allow (sex, year), so the row gets past them
            sex = nghean["sex"] if draw(st.integers(0, 4)) else sex
            year = nghean["dob"].year
            dob = draw(st.sampled_from([nghean["dob"], nghean["dob"].replace(day=1), datetime.date(year, 12, 31), dob]))
        name = nghean["name"] if draw(st.booleans()) else f"Phan Thị {draw(st.sampled_from(GIVEN_NAMES))} {n}"
        cccd = nghean["cccd"] if uses_number else cccd_for(dob, sex, province="042", serial=next(_serial))
        joined = draw(st.one_of(st.none(), st.dates(datetime.date(2000, 1, 1), datetime.date(2015, 12, 31))))
        row = [n, name, dob, "Nam" if sex == "M" else "Nữ", "Kinh", "Không", cccd,
               draw(st.sampled_from(["", "Thôn Trung, Can Lộc", "Hương Khê"])), "Chuyên viên",
               draw(st.sampled_from(["", "UBND huyện Kỳ Anh"])), joined,
               joined + datetime.timedelta(days=400) if joined else None, "Cử nhân", "Sơ cấp"]
        if draw(st.booleans()):
            row += ["CCCD", None]
        rows.append(row)
    return rows


def workbook_bytes(rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    width = max(len(row) for row in rows)
    sheet.append(list(HEADERS[:width]))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def hatinh_sees(client, school, klass, batch) -> str:
    """Everything HATINH can read after its upload."""
    texts = [client.get(batch.get_absolute_url()).content.decode()]
    if batch.status == ImportBatch.Status.INVALID:
        response = client.get(reverse("courses:import_errors", kwargs={"school_code": school.code, "pk": batch.pk}))
        assert response.status_code == 200
        texts.append(workbook_text(body(response)))
        return "\n".join(texts)
    texts.append(client.post(reverse("courses:import_confirm", kwargs={"school_code": school.code, "pk": batch.pk}),
                             follow=True).content.decode())
    pages = [reverse("courses:learner_list", kwargs={"school_code": school.code}),
             reverse("courses:class_detail", kwargs={"school_code": school.code, "pk": klass.pk}),
             reverse("courses:roster", kwargs={"school_code": school.code, "pk": klass.pk})]
    for learner_id in Enrollment.objects.filter(training_class=klass).values_list("learner_id", flat=True):
        for name in ("learner_detail", "learner_update"):
            pages.append(reverse(f"courses:{name}", kwargs={"school_code": school.code, "pk": learner_id}))
        pages.append(reverse("audit:history", kwargs={"school_code": school.code, "model_label": "courses.learner",
                                                      "pk": learner_id}))
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        texts.append(response.content.decode())
    for page in pages[:1] + pages[2:3]:
        texts.append(workbook_text(body(client.get(page + "?export=xlsx"))))
    return "\n".join(texts)


@pytest.fixture
def world(users, school, other_school, client_as):
    programme = make_programme()
    return {"programme": programme, "client": client_as(users["admin"]), "hatinh": school, "nghean": other_school}


@SETTINGS
@given(data=st.data(), person=nghean_people)
def test_hatinh_never_reads_what_only_nghean_recorded(world, data, person):
    hatinh, nghean, programme, client = world["hatinh"], world["nghean"], world["programme"], world["client"]
    try:
        with transaction.atomic():
            code = next(_codes)
            official = person["joined"] + datetime.timedelta(days=30 * person["months"])
            learner = Learner.objects.create(
                full_name=f"Hồ Ngọc {person['given']}", date_of_birth=person["dob"], sex=person["sex"],
                cccd=cccd_for(person["dob"], person["sex"], serial=next(_serial)), hometown=person["hometown"],
                party_joined_on=person["joined"], party_official_on=official, workplace=person["workplace"],
            )
            enroll(make_class(nghean, programme, code=f"NA{code}"), learner)
            klass = make_class(hatinh, programme, code=f"HT{code}")
            nghean_values = {"name": learner.full_name, "cccd": learner.cccd, "dob": learner.date_of_birth,
                             "sex": learner.sex}
            rows = data.draw(hatinh_rows(nghean_values))
            content = workbook_bytes(rows)
            file_text = "\n".join(cell_text(value) for row in rows for value in row)
            response = client.post(reverse("courses:class_import", kwargs={"school_code": hatinh.code, "pk": klass.pk}),
                                   {"file": SimpleUploadedFile("ds.xlsx", content)})
            seen = response.content.decode()
            batch = ImportBatch.objects.filter(training_class=klass).first()
            if batch is not None:
                seen += hatinh_sees(client, hatinh, klass, batch)
            secrets = ({learner.full_name, person["hometown"], person["workplace"]}
                       | date_texts(learner.date_of_birth) | date_texts(person["joined"]) | date_texts(official))
            for secret in secrets:
                if secret not in file_text:
                    assert secret not in seen, (secret, rows)
            raise _Rollback
    except _Rollback:
        pass
