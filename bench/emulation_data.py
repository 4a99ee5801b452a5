"""Synthetic emulation results: one cluster per region, every teaching school a member, and for
each year a finished cluster year (scheme, self-scores, appraisal, final scores, ranking).

Small (schools × years × 8 scores), so it goes through the emulation app's own services.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction


def available() -> bool:
    from django.apps import apps

    return apps.is_installed("emulation")


CLUSTER_PREFIX = "syn-"


def _by_region(schools) -> dict[str, list]:
    by_region: dict[str, list] = {}
    for school in schools:
        by_region.setdefault(school.region or "national", []).append(school)
    return {region: members for region, members in sorted(by_region.items()) if len(members) >= 2}


def cluster_code(region: str) -> str:
    return f"{CLUSTER_PREFIX}{region}"[:30]


def missing_years(*, schools, first_year: int, end_year: int) -> list[tuple[str, int]]:
    """The (cluster code, year) pairs ``generate_emulation`` would still make."""
    from emulation.models import ClusterYear

    have = set(ClusterYear.objects.filter(cluster__code__startswith=CLUSTER_PREFIX)
               .values_list("cluster__code", "year"))
    return [(cluster_code(region), year) for region in _by_region(schools)
            for year in range(first_year, end_year + 1) if (cluster_code(region), year) not in have]


def delete_emulation() -> int:
    """Remove the synthetic clusters (code prefix ``syn-``) with everything recorded on them."""
    from bench.synthetic import raw_delete
    from emulation.models import (
        Appeal,
        AwardProposal,
        Cluster,
        ClusterMembership,
        ClusterYear,
        Criterion,
        Meeting,
        Score,
        Scorecard,
    )

    years = ClusterYear.objects.filter(cluster__code__startswith=CLUSTER_PREFIX)
    in_years = {"cluster_year__in": years}
    scores = Score.objects.filter(scorecard__cluster_year__in=years)
    for score in scores.exclude(evidence_file=""):  # files someone uploaded on a synthetic scorecard
        score.evidence_file.delete(save=False)
    return raw_delete(
        Appeal.objects.filter(score__in=scores),
        scores,
        Scorecard.objects.filter(**in_years),
        AwardProposal.objects.filter(**in_years),
        Meeting.next_deputies.through.objects.filter(meeting__cluster_year__in=years),
        Meeting.objects.filter(**in_years),
        ClusterYear.deputies.through.objects.filter(clusteryear__in=years),
        ClusterMembership.objects.filter(**in_years),
        Criterion.objects.filter(**in_years),
        years,
        Cluster.objects.filter(code__startswith=CLUSTER_PREFIX),
    )


@transaction.atomic
def generate_emulation(*, schools, seed: int, first_year: int, end_year: int) -> int:
    """Create the clusters and finished cluster years; return the number of scorecards made."""
    from emulation import services
    from emulation.demo import build_scheme
    from emulation.models import Cluster, ClusterYear, Score, Scorecard

    rng = random.Random(f"{seed}-emulation")
    made = 0
    for region, members in _by_region(schools).items():
        cluster, _created = Cluster.objects.get_or_create(
            code=cluster_code(region), defaults={"name": f"Cụm thi đua {region} (dữ liệu thử)", "region": region}
        )
        for year in range(first_year, end_year + 1):
            if ClusterYear.objects.filter(cluster=cluster, year=year).exists():
                continue
            head = members[rng.randrange(len(members))]
            cy = ClusterYear(cluster=cluster, year=year, head=head,
                             movement=f"Phong trào thi đua của hệ thống trường chính trị năm {year}",
                             self_score_deadline=datetime.date(year, 10, 31),
                             appraisal_start=datetime.date(year, 11, 1), appraisal_end=datetime.date(year, 11, 10),
                             appeal_deadline=datetime.date(year, 11, 15))
            services.cluster_year_save(cluster_year=cy, members=members, deputies=[])
            leaves = build_scheme(cy)
            submitted = datetime.datetime(year, 10, 30, 9, 0, tzinfo=datetime.UTC)
            for school in members:
                card = Scorecard.objects.create(cluster_year=cy, school=school, status=Scorecard.Status.SUBMITTED,
                                                submitted_at=submitted)
                scores = []
                for leaf in leaves:
                    top = int(leaf.max_points)
                    value = Decimal(max(0, top - rng.choice([0, 0, 1, 1, 2, 3]))) if leaf.kind != "penalty" else \
                        Decimal(rng.choice([0, 0, 0, 1]))
                    appraised = value - Decimal(rng.random() < 0.1 and value > 0)
                    scores.append(Score(scorecard=card, criterion=leaf, self_points=value,
                                        appraised_points=appraised, final_points=appraised))
                Score.objects.bulk_create(scores)
                made += 1
            services.store_ranking(cluster_year=cy)
            cy.status = ClusterYear.Status.FINAL
            cy.save(update_fields=["status"])
    return made
