"""Who may do what in a cluster year (one place, used by the views' mixin and the templates).

- The Academy (administrators and reviewers) sees everything; its administrators manage clusters,
  members and heads, and approve awards.
- The head school's administrators run the year: scheme, calendar, appraisal, appeals, meeting,
  proposals. Academy administrators may do the same.
- A member school sees its cluster years; its administrators and data-entry staff edit its own
  self-score only. Other members' self-scores stay hidden until the appraisal opens.
- Anyone else gets 404.
"""

from accounts.models import Role
from core.tenancy import WRITER_ROLES


def member_ids(cluster_year) -> set[int]:
    if not hasattr(cluster_year, "_member_ids"):
        cluster_year._member_ids = set(cluster_year.memberships.values_list("school_id", flat=True))
    return cluster_year._member_ids


def can_view_year(user, cluster_year) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_academy or user.school_id in member_ids(cluster_year) or user.school_id == cluster_year.head_id


def can_manage_clusters(user) -> bool:
    return user.is_authenticated and user.is_academy_admin


def can_run_year(user, cluster_year) -> bool:
    """The head school's administrators (or an Academy administrator)."""
    if not user.is_authenticated:
        return False
    if user.is_academy_admin:
        return True
    return (
        cluster_year.head_id is not None
        and user.role == Role.SCHOOL_ADMIN
        and user.school_id == cluster_year.head_id
    )


def can_edit_scorecard(user, scorecard) -> bool:
    cluster_year = scorecard.cluster_year
    if cluster_year.recorded_entry and cluster_year.status == "scoring_open" and can_run_year(user, cluster_year):
        return True  # a past season entered as recorded: whoever enters it copies each self-score
    return user.is_authenticated and user.school_id == scorecard.school_id and user.role in WRITER_ROLES


def can_view_scorecard(user, scorecard) -> bool:
    cluster_year = scorecard.cluster_year
    if not can_view_year(user, cluster_year):
        return False
    if user.is_academy or user.school_id == scorecard.school_id or can_edit_scorecard(user, scorecard):
        return True
    return cluster_year.self_scores_public
