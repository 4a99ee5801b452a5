"""Past seasons entered "as recorded" (nhập bổ sung).

An Academy administrator, or the head school of the cluster that year, switches a past cluster year
(a year before the current one, not yet final) to recorded entry. From then on the calendar's
deadlines do not apply (emulation.services checks ``ClusterYear.recorded_entry``), and each step is
entered with the date it really took place: the steps of the year (``ClusterYear.step_dates``), the
schools' submissions (``Scorecard.submitted_at``), the conference and the decisions (their own
dates). The change log keeps who entered each record and when — the real time. The entry is
finished when the scores are made final; the season stays marked "nhập bổ sung".
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from emulation import services
from emulation.access import can_run_year
from emulation.dates import check_step_date
from emulation.models import ClusterYear

STEPS = ("open_scoring", "open_appraisal", "open_appeals", "finalize")


def can_start(user, cluster_year) -> bool:
    return (
        can_run_year(user, cluster_year)
        and not cluster_year.recorded_entry
        and cluster_year.status != ClusterYear.Status.FINAL
        and cluster_year.year < timezone.localdate().year
    )


@transaction.atomic
def start_recorded_entry(*, cluster_year: ClusterYear, user) -> ClusterYear:
    if not can_run_year(user, cluster_year):
        raise ValidationError(_("Only an Academy administrator or the cluster head may enter a past season."))
    if cluster_year.recorded_entry:
        raise ValidationError(_("This season is already being entered as recorded."))
    if cluster_year.status == ClusterYear.Status.FINAL:
        raise ValidationError(_("This season is final."))
    if cluster_year.year >= timezone.localdate().year:
        raise ValidationError(_("Only a past season can be entered as recorded."))
    cluster_year.recorded_entry = True
    cluster_year.recorded_by = user
    cluster_year.recorded_started_at = timezone.now()
    cluster_year.save(update_fields=["recorded_entry", "recorded_by", "recorded_started_at", "updated_at"])
    return cluster_year


@transaction.atomic
def run_step(*, cluster_year: ClusterYear, action: str, happened_on) -> None:
    """Move a season entered as recorded to its next stage, keeping the date the step took place."""
    if action not in STEPS:
        raise ValidationError(_("Unknown step."))
    if not cluster_year.recorded_entry:
        raise ValidationError(_("This season is not being entered as recorded."))
    check_step_date(cluster_year, happened_on)
    getattr(services, action)(cluster_year=cluster_year)
    cluster_year.refresh_from_db()
    cluster_year.step_dates = {**cluster_year.step_dates, action: happened_on.isoformat()}
    cluster_year.save(update_fields=["step_dates", "updated_at"])


def step_rows(cluster_year: ClusterYear, labels: dict) -> list[dict]:
    """The steps with the dates entered, for the year page (``labels``: action → label)."""
    rows = []
    for action in STEPS:
        value = cluster_year.step_dates.get(action)
        rows.append({"action": action, "label": labels.get(action, action),
                     "date": datetime.date.fromisoformat(value) if value else None})
    return rows
