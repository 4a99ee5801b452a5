"""A cluster year with school A as a member, a head school H and another member M; school B stays
outside the cluster. Scheme: I (30) = 1.1 (10) + 1.2 (20); II (20); bonus T (5); penalty TR (5)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Role
from emulation import services
from emulation.models import Cluster, ClusterYear, Criterion
from schools.models import School
from tests.conftest import make_user

TODAY = timezone.localdate()


@pytest.fixture
def head_school(db):
    return School.objects.create(code="HEAD", name="Trường Chính trị tỉnh Cụm trưởng")


@pytest.fixture
def peer_school(db):
    return School.objects.create(code="PEER", name="Trường Chính trị tỉnh Bạn")


@pytest.fixture
def em_users(users, head_school, peer_school):
    return {
        **users,
        "head": make_user("head_admin", Role.SCHOOL_ADMIN, head_school),
        "head_staff": make_user("head_staff", Role.SCHOOL_STAFF, head_school),
        "peer": make_user("peer_admin", Role.SCHOOL_ADMIN, peer_school),
    }


@pytest.fixture
def cluster(db):
    return Cluster.objects.create(code="BTB", name="Cụm thi đua Bắc Trung Bộ", region="north_central")


@pytest.fixture
def cluster_year(cluster, school, head_school, peer_school):
    cy = ClusterYear(
        cluster=cluster, year=2024, head=head_school, self_score_deadline=TODAY + datetime.timedelta(days=10),
        appeal_deadline=TODAY + datetime.timedelta(days=30), movement="Phong trào", slogan="Khẩu hiệu",
    )
    services.cluster_year_save(cluster_year=cy, members=[school, head_school, peer_school], deputies=[peer_school])
    return cy


@pytest.fixture
def scheme(cluster_year):
    def add(code, points, parent=None, kind=Criterion.Kind.CRITERION, order=1):
        return services.criterion_save(criterion=Criterion(
            cluster_year=cluster_year, code=code, name=f"Tiêu chí {code}", max_points=Decimal(points),
            parent=parent, kind=kind, order=order,
        ))

    group = add("I", 30, order=1)
    items = {
        "I": group,
        "1.1": add("1.1", 10, group, order=2),
        "1.2": add("1.2", 20, group, order=3),
        "II": add("II", 20, order=4),
        "T": add("T", 5, kind=Criterion.Kind.BONUS, order=5),
        "TR": add("TR", 5, kind=Criterion.Kind.PENALTY, order=6),
    }
    return items


LEAVES = ("1.1", "1.2", "II", "T", "TR")


def fill(scorecard, scheme, points):
    """Self-score every leaf with an explanation (points: dict code → value)."""
    rows = {scheme[code].pk: {"points": Decimal(points[code]), "explanation": "Báo cáo năm"} for code in LEAVES}
    services.self_scores_save(scorecard=scorecard, rows=rows)


@pytest.fixture
def open_year(cluster_year, scheme):
    services.open_scoring(cluster_year=cluster_year)
    cluster_year.refresh_from_db()
    return cluster_year


def card_of(cluster_year, school):
    return cluster_year.scorecards.get(school=school)
