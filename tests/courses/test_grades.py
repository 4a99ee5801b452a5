"""The grade-entry grid: every cell validated, all-or-nothing save, nothing lost on error."""

from decimal import Decimal

import pytest
from django.urls import reverse

from courses.models import Classification, Mark
from tests.courses.helpers import enroll, make_class, make_learner, make_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(school):
    programme = make_programme(modules=2, has_thesis=True)
    klass = make_class(school, programme)
    first, second = (enroll(klass, make_learner(name)) for name in ("Nguyễn Văn An", "Lê Thị Bình"))
    return klass, list(programme.modules.all()), first, second


def grid_url(klass):
    return reverse("courses:grade_grid", kwargs={"school_code": klass.school.code, "pk": klass.pk})


def data_for(modules, rows):
    data = {}
    for enrollment, (m1, m2, thesis) in rows.items():
        data[f"m-{enrollment.pk}-{modules[0].pk}"] = m1
        data[f"m-{enrollment.pk}-{modules[1].pk}"] = m2
        data[f"t-{enrollment.pk}"] = thesis
    return data


def test_grid_saves_all_marks_and_computes_results(users, client_as, setup):
    klass, modules, first, second = setup
    data = data_for(modules, {first: ("8", "9,5", "8.25"), second: ("7.3", "", "")})
    response = client_as(users["staff"]).post(grid_url(klass), data)
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.average == Decimal("8.58") and first.classification == Classification.VERY_GOOD
    assert first.thesis_mark == Decimal("8.25")
    assert second.average is None and second.classification == ""  # marks missing
    assert Mark.objects.get(enrollment=second, module=modules[0]).value == Decimal("7.30")
    # clearing a cell removes the mark; the page shows the stored values
    data[f"m-{first.pk}-{modules[0].pk}"] = ""
    client_as(users["staff"]).post(grid_url(klass), data)
    assert not Mark.objects.filter(enrollment=first, module=modules[0]).exists()
    first.refresh_from_db()
    assert first.average is None
    page = client_as(users["viewer"]).get(grid_url(klass)).content.decode()
    # Vietnamese decimal comma, as typed and as the averages show it (not "9.5")
    assert 'value="9,5"' in page and 'value="8,25"' in page and 'value="9.5"' not in page
    # the read-only grid is "Bảng điểm" without the keyboard instructions of the entry grid
    assert "Bảng điểm" in page and "Shift+Enter" not in page


@pytest.mark.parametrize("bad", ["11", "-1", "7.35", "abc", "8.125", "NaN"])
def test_one_bad_cell_saves_nothing_and_keeps_every_input(users, client_as, setup, bad):
    klass, modules, first, second = setup
    data = data_for(modules, {first: ("8", "9", "8"), second: ("7", bad, "6")})
    response = client_as(users["staff"]).post(grid_url(klass), data)
    assert response.status_code == 200
    assert not Mark.objects.exists()
    first.refresh_from_db()
    assert first.thesis_mark is None and first.average is None
    page = response.content.decode()
    assert "Chưa lưu gì" in page
    assert f'value="{bad}"' in page and 'value="9"' in page  # what was typed is still there
    grid = response.context["grid"]
    errors = {cell.name: cell.error for row in grid.rows for cell in row.cells if cell.error}
    assert list(errors) == [f"m-{second.pk}-{modules[1].pk}"]


def test_error_messages_are_vietnamese(users, client_as, setup):
    klass, modules, first, second = setup
    data = data_for(modules, {first: ("10.5", "7.35", "x"), second: ("", "", "")})
    page = client_as(users["staff"]).post(grid_url(klass), data).content.decode()
    assert "Điểm phải từ 0 đến 10" in page
    assert "bước 0,1 hoặc 0,25" in page
    assert "Nhập một số" in page


def test_grid_ignores_cells_of_other_classes(users, client_as, school, setup):
    klass, modules, first, _second = setup
    other = enroll(make_class(school, make_programme("OTHER", modules=1), "K99"), make_learner("Ngoài Lớp"))
    data = data_for(modules, {first: ("8", "8", "8")})
    data[f"m-{other.pk}-{modules[0].pk}"] = "9"
    client_as(users["staff"]).post(grid_url(klass), data)
    assert not Mark.objects.filter(enrollment=other).exists()


def test_viewer_sees_the_grid_read_only(users, client_as, setup):
    klass, *_ = setup
    page = client_as(users["viewer"]).get(grid_url(klass)).content.decode()
    assert " disabled" in page and "Lưu toàn bộ điểm" not in page


def test_grid_query_count_is_bounded(users, client_as, school, django_assert_max_num_queries):
    programme = make_programme("GRID", modules=6, has_thesis=True, has_exam=True)
    klass = make_class(school, programme)
    modules = list(programme.modules.all())
    client = client_as(users["staff"])

    def add(count, start):
        for index in range(count):
            enrollment = enroll(klass, make_learner(f"Học Viên {start + index}"))
            Mark.objects.bulk_create([Mark(enrollment=enrollment, module=m, value=Decimal("7")) for m in modules])

    add(2, 0)
    with django_assert_max_num_queries(15) as few:
        client.get(grid_url(klass))
    add(40, 100)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(grid_url(klass))
    assert len(response.context["grid"].rows) == 42
    data = {f"m-{e.enrollment.pk}-{m.pk}": "8" for e in response.context["grid"].rows for m in modules}
    with django_assert_max_num_queries(30):
        assert client.post(grid_url(klass), data).status_code == 302
    assert set(Mark.objects.values_list("value", flat=True)) == {Decimal("8")}


def test_cells_missing_from_the_submission_keep_their_marks(users, client_as, setup):
    klass, modules, first, second = setup
    Mark.objects.create(enrollment=second, module=modules[0], value=Decimal("6.5"))
    data = data_for(modules, {first: ("8", "9", "8")})  # the page was opened before `second` had marks
    assert client_as(users["staff"]).post(grid_url(klass), data).status_code == 302
    assert Mark.objects.get(enrollment=second, module=modules[0]).value == Decimal("6.5")
    assert Mark.objects.filter(enrollment=first).count() == 2
