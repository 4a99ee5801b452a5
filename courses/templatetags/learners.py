"""A learner's details as the page's school recorded them (see ``Learner.details_at``)."""

from django import template

register = template.Library()


@register.filter
def seen_at(learner, school):
    """``{% with d=learner|seen_at:school %}``: the school's own details of the learner (prefetch them
    with ``Learner.details_prefetch`` on lists, or this costs a query per learner)."""
    return learner.details_at(school.pk)
