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


@transaction.atomic
def generate_emulation(*, schools, seed: int, first_year: int, end_year: int) -> int:
    """Create the clusters and finished cluster years; return the number of scorecards made."""
    from emulation import services
    from emulation.demo import build_scheme
    from emulation.models import Cluster, ClusterYear, Score, Scorecard

    rng = random.Random(f"{seed}-emulation")
    by_region: dict[str, list] = {}
    for school in schools:
        by_region.setdefault(school.region or "national", []).append(school)
    made = 0
    for region, members in sorted(by_region.items()):
        if len(members) < 2:
            continue
        cluster, _created = Cluster.objects.get_or_create(
            code=f"syn-{region}"[:30], defaults={"name": f"Cụm thi đua {region} (dữ liệu thử)", "region": region}
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
