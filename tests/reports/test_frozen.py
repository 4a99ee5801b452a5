"""The reports of a locked year (issue 15 item 5): every sheet of a locked school's year is the one
stored at the lock — the school report, the learner registers (school and national) and the
national summary — whatever changed in the live rows since; reopening shows the live data again."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext
from openpyxl import load_workbook

from courses.models import Classification, Enrollment, Learner, TrainingClass
from emulation.models import AwardProposal
from reports import frozen
from reports.registry import build_workbook
from reports.selectors import resolve_scope
from reports.writer import Percent, SubtotalRow, TotalRow
from research.models import Topic
from schools.models import Staff
from tests.reports.conftest import YEAR, make_register
from yearend import services
from yearend.models import YearLock

pytestmark = pytest.mark.django_db
D = datetime.date
REPORTS = (("school", "school"), ("learners", "school"), ("learners", "national"), ("learners", "cluster"),
           ("national", "national"), ("cluster", "cluster"))


def cells(path) -> dict:
    """Every sheet's cell values (the cached figures of the SUM formulas too), without the info
    sheet's "created at" line."""
    created = {gettext("Created at"), "Created at"}
    workbook = load_workbook(path, data_only=True)
    return {
        sheet.title: [row for row in sheet.iter_rows(values_only=True) if not (row and row[0] in created)]
        for sheet in workbook.worksheets
    }


def build(tmp_path, kind, scope, school, name):
    path = tmp_path / f"{name}-{kind}-{scope}.xlsx"
    where = {"school": {"school": school}, "cluster": {"cluster_code": "BTB"}}.get(scope, {})
    build_workbook(kind, resolve_scope(scope=scope, year=YEAR, **where), path)
    return cells(path)


def build_all(tmp_path, school, name):
    return {(kind, scope): build(tmp_path, kind, scope, school, name) for kind, scope in REPORTS}


@pytest.fixture
def year_data(school, training_data, staff_data, research_data, compliance_data, cluster_data):
    Staff.objects.filter(school=school, full_name="Trần Thị Bình").update(joined_on=D(2020, 1, 1))
    return training_data


def change_live_data(school, training_data, cluster_year):
    """The changes a locked year must not show (bulk writes: the lock's guards fire no signals)."""
    p1 = training_data["programmes"][0]
    Learner.objects.filter(full_name="Nguyễn Thị Hoa").update(full_name="Nguyễn Thị Hoa Đổi Tên")
    Enrollment.objects.filter(learner__full_name="Trần Văn Khá").update(classification=Classification.EXCELLENT)
    Staff.objects.filter(school=school, full_name="Trần Thị Bình").update(left_on=D(2025, 6, 30), active=False)
    Topic.objects.filter(school=school, code="T1").update(
        status=Topic.Status.CANCELLED, cancelled_on=D(2025, 8, 1), cancel_reason="Dừng")
    [added] = TrainingClass.objects.bulk_create([TrainingClass(
        school=school, programme=p1, code="K99", name="Lớp chen", opening_date=D(2025, 4, 1),
        closing_date=D(2025, 5, 1), status=TrainingClass.Status.CLOSED)])
    Enrollment.objects.bulk_create([Enrollment(training_class=added, learner=Learner.objects.first())])
    from compliance.models import Assessment

    Assessment.objects.filter(school=school, year=2025).update(pending_count=0, not_met_count=15)
    [proposal] = AwardProposal.objects.bulk_create([AwardProposal(
        cluster_year=cluster_year, school=school, title="director_certificate", status=AwardProposal.Status.APPROVED,
        decision_number="124/QĐ-HVCTQG", decision_date=D(2026, 1, 11))])
    from awards.models import Award, AwardKind

    Award.objects.bulk_create([Award(  # entered in the register, as the approval does
        school=school, kind=AwardKind.objects.get(code="director_certificate"), year=YEAR,
        occasion=Award.Occasion.CLUSTER, decision_number="124/QĐ-HVCTQG", decision_date=D(2026, 1, 11),
        proposal=proposal)])


def test_locked_years_reports_equal_those_before_the_live_data_changed(users, school, year_data, cluster_data,
                                                                       tmp_path):
    year_lock = services.lock_year(school=school, year=YEAR, user=users["admin"])
    assert set(year_lock.snapshot[frozen.SHEETS]) == {
        "headline", "training", "profile", "learners", "qualifications", "staff", "research", "standing"}
    assert year_lock.checksum == services.checksum(year_lock.snapshot)
    before = build_all(tmp_path, school, "before")
    change_live_data(school, year_data, cluster_data["year"])
    after = build_all(tmp_path, school, "after")
    for report in REPORTS:
        for title, rows in before[report].items():
            assert after[report][title] == rows, (report, title)
    # once the Academy reopens the year, the live data shows on every one of them
    services.reopen_year(school=school, year=YEAR, user=users["academy"], reason="Sửa số liệu")
    reopened = build_all(tmp_path, school, "reopened")
    for report in REPORTS:
        assert reopened[report] != before[report], report
    text = str(reopened)
    assert "Nguyễn Thị Hoa Đổi Tên" in text and "Lớp chen" in text and "124/QĐ-HVCTQG" in text


def test_national_register_merges_locked_schools_in_the_scopes_order(users, school, other_school, year_data,
                                                                    cluster_data, tmp_path):
    services.lock_year(school=other_school, year=YEAR, user=users["academy"])  # B locked, A live
    before = build(tmp_path, "learners", "national", None, "before")
    Learner.objects.filter(full_name="Mai Văn Bê").update(full_name="Mai Văn Bê Đổi")
    after = build(tmp_path, "learners", "national", None, "after")
    assert after == before
    register = next(rows for title, rows in after.items() if "Mai Văn Bê" in str(rows))
    schools = [row[0] for row in register if row and row[0] in (school.name, other_school.name)]
    scope = resolve_scope(scope="national", year=YEAR)
    order = [s.name for s in scope.schools if s.name in schools]
    assert schools == sorted(schools, key=order.index)  # school by school, in the scope's order


def test_checksum_covers_the_stored_rows(users, school, year_data):
    first = services.lock_year(school=school, year=YEAR, user=users["admin"])
    services.reopen_year(school=school, year=YEAR, user=users["academy"], reason="Sửa tên học viên")
    Learner.objects.filter(full_name="Trần Văn Khá").update(full_name="Trần Văn Khả")  # no figure changes
    second = services.lock_year(school=school, year=YEAR, user=users["admin"])
    figure_keys = [key for key in first.snapshot if key not in (frozen.SHEETS, frozen.EXTRA, frozen.STRUCTURE)]
    assert all(first.snapshot[key] == second.snapshot[key] for key in figure_keys)
    assert first.checksum != second.checksum
    tampered = {**second.snapshot, frozen.SHEETS: {**second.snapshot[frozen.SHEETS]}}
    tampered[frozen.SHEETS]["staff"] = {**tampered[frozen.SHEETS]["staff"], "rows": []}
    assert services.checksum(tampered) != second.checksum


def test_an_old_snapshot_of_the_figures_only_still_builds(users, school, year_data, cluster_data, tmp_path):
    year_lock = services.lock_year(school=school, year=YEAR, user=users["admin"])
    figures_only = services.compute_figures(school, YEAR)
    YearLock.objects.filter(pk=year_lock.pk).update(snapshot=figures_only, checksum=services.checksum(figures_only))
    headline = build(tmp_path, "school", "school", school, "old")
    change_live_data(school, year_data, cluster_data["year"])
    built = build_all(tmp_path, school, "old-after")
    # the headline figures are still those locked; the sheets without stored rows read the live rows
    title = next(title for title in headline if title in built[("school", "school")] and "31/12" in str(headline[title]))
    assert built[("school", "school")][title] == headline[title]
    assert "Nguyễn Thị Hoa Đổi Tên" in str(built[("learners", "national")])


def grow(school, n):
    """``n`` more learners in a new class of the year (serials apart from make_register's)."""
    from tests.courses.helpers import cccd_for, make_class, make_programme

    klass = make_class(school, make_programme("GROW", modules=1), "GROW", opening=D(YEAR, 5, 1))
    learners = []
    for i in range(n):
        dob = D(1985, 1 + i % 12, 1 + i % 28)
        learner = Learner(full_name=f"Người Thêm {i}", date_of_birth=dob, sex="F", cccd=cccd_for(dob, "F", serial=700000 + i))
        learner.set_name_keys()
        learners.append(learner)
    Learner.objects.bulk_create(learners)
    Enrollment.objects.bulk_create([Enrollment(training_class=klass, learner=learner) for learner in learners])


def test_locked_report_runs_no_more_queries_as_its_rows_grow(users, school, tmp_path):
    make_register(school, 3)

    def queries():
        with CaptureQueriesContext(connection) as context:
            build_workbook("school", resolve_scope(scope="school", year=YEAR, school=school), tmp_path / "q.xlsx")
        return len(context.captured_queries)

    services.lock_year(school=school, year=YEAR, user=users["admin"])
    small = queries()
    services.reopen_year(school=school, year=YEAR, user=users["academy"], reason="Thêm học viên")
    grow(school, 40)
    Staff.objects.bulk_create([Staff(school=school, full_name=f"Cán bộ {i}", is_lecturer=True) for i in range(30)])
    services.lock_year(school=school, year=YEAR, user=users["admin"])
    assert queries() <= small


def test_row_encoding_restores_the_same_types():
    rows = [
        (1, "a", None, True, 2.5, Decimal("7.25"), Percent(68.2), D(2025, 1, 2),
         datetime.datetime(2025, 1, 2, 3, 4, 5), ["x", D(2025, 3, 4)]),
        TotalRow(("", "Tổng", 3)), SubtotalRow(("", "Cộng", Decimal("1.50"))),
    ]
    restored = [frozen.decode_row(frozen.encode_row(row)) for row in rows]
    assert restored == [tuple(rows[0]), rows[1], rows[2]]
    assert [type(value) for value in restored[0]] == [type(value) for value in rows[0]]
    assert type(restored[1]) is TotalRow and type(restored[2]) is SubtotalRow
    assert type(restored[2][2]) is Decimal
