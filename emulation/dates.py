"""Dates of a past season entered as recorded (see emulation.history)."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


def check_step_date(cluster_year, happened_on) -> None:
    """A step of a season entered as recorded needs its real date: within the season (its year or
    the next, when conferences and decisions often fall) and not in the future."""
    if not isinstance(happened_on, datetime.date):
        raise ValidationError({"happened_on": _("Give the date this step took place.")})
    if happened_on > timezone.localdate():
        raise ValidationError({"happened_on": _("The date cannot be in the future.")})
    if not cluster_year.year - 1 <= happened_on.year <= cluster_year.year + 1:
        raise ValidationError({"happened_on": _("The date must fall in the season %(year)s (or next to it).")
                               % {"year": cluster_year.year}})


def as_datetime(day: datetime.date) -> datetime.datetime:
    """Noon of ``day`` in the local time zone (a day entered from the records has no hour)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))
