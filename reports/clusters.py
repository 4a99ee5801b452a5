"""Emulation clusters as the reports see them: membership and head school for a year.

Cluster data belongs to the emulation app (``Cluster``, and per year ``ClusterYear`` with its head
and ``ClusterMembership``); this module is the one place the reports read it.
"""

from dataclasses import dataclass, field

from django.db.models import Q


@dataclass(frozen=True)
class ClusterInfo:
    code: str
    name: str
    year: int | None = None
    head_id: int | None = None
    member_ids: tuple[int, ...] = field(default=())


def _cluster_years(year=None):
    from emulation.models import ClusterYear

    queryset = ClusterYear.objects.select_related("cluster").prefetch_related("memberships")
    return queryset.filter(year=year) if year is not None else queryset


def _info(cluster_year) -> ClusterInfo:
    return ClusterInfo(
        code=cluster_year.cluster.code,
        name=cluster_year.cluster.name,
        year=cluster_year.year,
        head_id=cluster_year.head_id,
        member_ids=tuple(sorted(m.school_id for m in cluster_year.memberships.all())),
    )


def all_clusters(year: int | None = None) -> list[ClusterInfo]:
    """Clusters of ``year``; without a year, every cluster once (name and code only)."""
    if year is not None:
        return [_info(cy) for cy in _cluster_years(year).order_by("cluster__name")]
    from emulation.models import Cluster

    return [ClusterInfo(code, name) for code, name in Cluster.objects.order_by("name").values_list("code", "name")]


def get_cluster(code: str, year: int | None) -> ClusterInfo | None:
    """The cluster ``code`` as it was in ``year`` (members, head); None if it had no such year."""
    if not code or year is None:
        return None
    cluster_year = _cluster_years(year).filter(cluster__code=code).first()
    return _info(cluster_year) if cluster_year else None


def clusters_headed_by(school, year: int | None = None) -> list[ClusterInfo]:
    """Clusters whose head is ``school`` (in ``year``, or in any year: code and name once)."""
    if school is None:
        return []
    from emulation.models import ClusterYear

    queryset = ClusterYear.objects.filter(head=school)
    if year is not None:
        return [_info(cy) for cy in _cluster_years(year).filter(head=school)]
    pairs = queryset.order_by("cluster__name").values_list("cluster__code", "cluster__name").distinct()
    return [ClusterInfo(code, name) for code, name in pairs]


def headed_condition(school) -> Q:
    """Report jobs of the clusters ``school`` headed in the job's year."""
    from emulation.models import ClusterYear

    condition = Q(pk__in=[])
    for code, year in ClusterYear.objects.filter(head=school).values_list("cluster__code", "year"):
        condition |= Q(cluster_code=code, year=year)
    return condition


def school_cluster_map(schools, year: int) -> dict[int, ClusterInfo]:
    """school id → its cluster in ``year`` (schools outside any cluster are absent)."""
    from emulation.models import ClusterMembership

    school_ids = [school.pk for school in schools]
    result = {}
    memberships = ClusterMembership.objects.filter(school_id__in=school_ids, cluster_year__year=year).values_list(
        "school_id", "cluster_year__cluster__code", "cluster_year__cluster__name"
    )
    for school_id, code, name in memberships:
        result[school_id] = ClusterInfo(code, name, year)
    return result
