"""Reads of the emulation app: the contract selectors other apps use, the scheme tree, score
breakdowns and the award history."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count

from emulation.models import AwardProposal, ClusterMembership, ClusterYear, Criterion, Score, Scorecard


def school_emulation_results(school, year) -> dict:
    """The school's cluster, final score, rank, cluster size and approved awards for ``year``."""
    return emulation_results([school], year)[school.pk]


def emulation_results(schools, year, *, with_awards: bool = True) -> dict:
    """``school_emulation_results`` for many schools in three queries, whatever their number
    (two without the approved awards: the reports take the awards from the register)."""
    school_ids = [s.pk for s in schools]
    result = {
        pk: {"cluster": None, "final_score": None, "rank": None, "members": 0, "awards": []} for pk in school_ids
    }
    memberships = (
        ClusterMembership.objects.filter(school_id__in=school_ids, cluster_year__year=year)
        .select_related("cluster_year__cluster")
        .annotate(size=Count("cluster_year__memberships"))
    )
    for membership in memberships:
        entry = result[membership.school_id]
        entry["cluster"] = membership.cluster_year.cluster.name
        entry["members"] = membership.size
    cards = Scorecard.objects.filter(
        school_id__in=school_ids, cluster_year__year=year, cluster_year__status=ClusterYear.Status.FINAL
    ).values_list("school_id", "final_total", "rank")
    for school_id, total, rank in cards:
        result[school_id]["final_score"] = total
        result[school_id]["rank"] = rank
    if not with_awards:
        return result
    awards = AwardProposal.objects.filter(
        school_id__in=school_ids, staff__isnull=True, cluster_year__year=year, status=AwardProposal.Status.APPROVED
    ).order_by("pk")
    for award in awards:
        result[award.school_id]["awards"].append(f"{award.award_label} ({award.decision_label})")
    return result


def scheme_rows(cluster_year) -> list[dict]:
    """The scheme as an ordered, indented list: ``criterion``, ``depth``, ``leaf``."""
    criteria = list(cluster_year.criteria.all())
    children = defaultdict(list)
    for c in criteria:
        children[c.parent_id].append(c)
    rows: list[dict] = []

    def walk(parent_id, depth):
        for c in sorted(children[parent_id], key=lambda x: (list(Criterion.Kind.values).index(x.kind), x.order, x.pk)):
            rows.append({"criterion": c, "depth": depth, "leaf": not children[c.pk]})
            walk(c.pk, depth + 1)

    walk(None, 0)
    return rows


def scorecard_breakdown(scorecard) -> list[dict]:
    """Each scheme row with the school's self, appraised and final points (subtotals on groups),
    the difference, the reason and any appeal: how every total is made up."""
    rows = scheme_rows(scorecard.cluster_year)
    scores = {
        s.criterion_id: s
        for s in Score.objects.filter(scorecard=scorecard).select_related("appeal")
    }
    by_pk = {r["criterion"].pk: r for r in rows}
    fields = ("self_points", "appraised_points", "final_points")
    for row in rows:
        row["score"] = scores.get(row["criterion"].pk)
        for field in fields:
            row[field] = None
    for row in reversed(rows):  # children come after their parents: sum bottom-up
        criterion = row["criterion"]
        if row["leaf"] and row["score"]:
            for field in fields:
                row[field] = getattr(row["score"], field)
        if criterion.parent_id:
            parent = by_pk[criterion.parent_id]
            for field in fields:
                if row[field] is not None:
                    parent[field] = (parent[field] or Decimal(0)) + row[field]
    for row in rows:
        self_points, appraised = row["self_points"], row["appraised_points"]
        row["difference"] = appraised - self_points if self_points is not None and appraised is not None else None
        row["appeal"] = getattr(row["score"], "appeal", None) if row["score"] else None
    return rows


def ranking_rows(cluster_year) -> list:
    """The members' scorecards in ranking order (after the scores are final); ``tied`` marks the
    schools sharing a rank: the cluster's tie-break rule could not separate them, the meeting decides."""
    rows = list(
        Scorecard.objects.filter(cluster_year=cluster_year, rank__isnull=False)
        .select_related("school")
        .order_by("rank_order")
    )
    per_rank: dict[int, int] = {}
    for row in rows:
        per_rank[row.rank] = per_rank.get(row.rank, 0) + 1
    for row in rows:
        row.tied = per_rank[row.rank] > 1
    return rows


def award_history(school, staff=None):
    """Awards (proposed, approved or not) of a school and its staff, or of one of its staff."""
    queryset = AwardProposal.objects.for_school(school).select_related("cluster_year__cluster", "school", "staff")
    return queryset.filter(staff=staff) if staff is not None else queryset
