"""Who may request and read which report: decided by the job's scope, never by a task id.

- Academy users: every report (school, cluster, national).
- A school's members: their own school's reports (school annual report, learner register).
- The administrator of a cluster's head school: that cluster's summary — aggregates only. A
  cluster's head needs its members' figures, not their people: learner-level reports
  (``LEARNER_LEVEL_KINDS``, the learner register with citizen ID numbers, birth dates, marks and
  diploma numbers) are for the school itself and the Academy.
"""

from core.tenancy import can_view_school
from reports.clusters import get_cluster
from reports.models import Scope

# Reports whose rows are individual learners (personal data), not figures.
LEARNER_LEVEL_KINDS = frozenset({"learners"})


def can_use_scope(user, *, scope: str, school=None, cluster_code: str = "", year: int | None = None,
                  kind: str = "") -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_academy:
        return True
    if scope == Scope.SCHOOL:
        return school is not None and can_view_school(user, school)
    if scope == Scope.CLUSTER:
        if not user.is_school_admin or user.school_id is None or kind in LEARNER_LEVEL_KINDS:
            return False
        cluster = get_cluster(cluster_code, year)
        return cluster is not None and cluster.head_id == user.school_id
    return False


def can_view_job(user, job) -> bool:
    return can_use_scope(user, scope=job.scope, school=job.school, cluster_code=job.cluster_code, year=job.year,
                         kind=job.kind)
