"""Emulation clusters as the reports see them: membership and head school for a year.

Cluster data belongs to the emulation app; this module is the one place the reports read it, so
the report code does not depend on the emulation models' details. Until the emulation app has
clusters, there are none and the cluster-scoped reports are not offered.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ClusterInfo:
    code: str
    name: str
    head_id: int | None = None
    member_ids: tuple[int, ...] = field(default=())


def clusters_available() -> bool:
    return False


def all_clusters(year: int | None = None) -> list[ClusterInfo]:
    return []


def get_cluster(code: str, year: int | None = None) -> ClusterInfo | None:
    return next((cluster for cluster in all_clusters(year) if cluster.code == code), None)


def clusters_headed_by(school, year: int | None = None) -> list[ClusterInfo]:
    if school is None:
        return []
    return [cluster for cluster in all_clusters(year) if cluster.head_id == school.pk]


def school_cluster_map(schools, year: int) -> dict[int, ClusterInfo]:
    """school id → its cluster in ``year`` (schools outside any cluster are absent)."""
    result = {}
    for cluster in all_clusters(year):
        for school_id in cluster.member_ids:
            result[school_id] = cluster
    return result
