"""The work inbox of a home page: what waits for this user, each entry a link.

One function per kind of work, each answering for one user in one or two queries; ``inbox_items``
runs those the user's role can act on. Kinds:

- ``assessment_review``: self-assessments with the Academy (submitted, surveyed; the council's
  approval waiting for recognition too, for Academy administrators);
- ``appeal``: appeals pending in the cluster years the user's school heads (its administrators) —
  or in any cluster year for Academy administrators;
- ``appraisal``: submitted scorecards not yet appraised, in cluster years at the appraisal step that
  the user runs (head school administrators, Academy administrators);
- ``class_to_close``: the school's classes past their closing date but not closed (school writers);
- ``import``: learner workbooks this user uploaded and has not confirmed yet;
- ``report``: reports this user requested that are ready to download;
- ``deadline``: deadlines within ``DEADLINE_DAYS`` days — the self-score deadline of the user's
  cluster year while its scorecard is still being scored, the appeal deadline, and the deadline
  for more evidence on the school's self-assessment.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from core.tenancy import WRITER_ROLES

DEADLINE_DAYS = 14
LIMIT = 10  # entries of one kind listed; the rest are counted


@dataclass(frozen=True)
class InboxItem:
    kind: str
    label: str
    url: str
    due: datetime.date | None = None


def _assessments_to_review(user, today):
    from compliance.models import Assessment

    stages = [Assessment.Stage.SUBMITTED, Assessment.Stage.SURVEYED]
    if user.is_academy_admin:
        stages.append(Assessment.Stage.COUNCIL_APPROVED)
    rows = Assessment.objects.filter(stage__in=stages).select_related("school").order_by("submitted_on", "pk")
    return [
        InboxItem("assessment_review", _("Review the self-assessment of %(school)s (%(year)s): %(stage)s")
                  % {"school": a.school.name, "year": a.year, "stage": a.get_stage_display()}, a.get_absolute_url())
        for a in rows
    ]


def _run_years(user):
    """Cluster years the user runs (emulation.access.can_run_year), as a filter on ClusterYear."""
    if user.is_academy_admin:
        return Q()
    if user.role == Role.SCHOOL_ADMIN and user.school_id:
        return Q(head_id=user.school_id)
    return None


def _appeals(user, today):
    from emulation.models import Appeal, ClusterYear

    years = _run_years(user)
    if years is None:
        return []
    cluster_years = ClusterYear.objects.filter(years, status=ClusterYear.Status.APPEALS)
    rows = (Appeal.objects.filter(status=Appeal.Status.PENDING, score__scorecard__cluster_year__in=cluster_years)
            .select_related("score__scorecard__school", "score__scorecard__cluster_year__cluster", "score__criterion")
            .order_by("pk"))
    items = []
    for appeal in rows:
        cy = appeal.score.scorecard.cluster_year
        items.append(InboxItem(
            "appeal", _("Answer the appeal of %(school)s on “%(criterion)s” (%(cluster)s %(year)s)")
            % {"school": appeal.score.scorecard.school.name, "criterion": appeal.score.criterion.name,
               "cluster": cy.cluster.name, "year": cy.year},
            reverse("emulation:appeal_resolve", kwargs={"cluster_code": cy.cluster.code, "year": cy.year,
                                                         "pk": appeal.pk})))
    return items


def _appraisals(user, today):
    from emulation.models import ClusterYear, Scorecard

    years = _run_years(user)
    if years is None:
        return []
    cluster_years = ClusterYear.objects.filter(years, status=ClusterYear.Status.APPRAISAL)
    rows = (Scorecard.objects.filter(cluster_year__in=cluster_years, status=Scorecard.Status.SUBMITTED,
                                     final_total__isnull=True)
            .select_related("school", "cluster_year__cluster").order_by("cluster_year__cluster__name", "school__name"))
    return [
        InboxItem("appraisal", _("Appraise the scores of %(school)s (%(cluster)s %(year)s)")
                  % {"school": card.school.name, "cluster": card.cluster_year.cluster.name,
                     "year": card.cluster_year.year},
                  reverse("emulation:appraise", kwargs={"cluster_code": card.cluster_year.cluster.code,
                                                        "year": card.cluster_year.year,
                                                        "school_code": card.school.code}))
        for card in rows
    ]


def _classes_to_close(user, today):
    from courses.models import TrainingClass

    if user.is_academy or not user.school_id or user.role not in WRITER_ROLES:
        return []
    rows = (TrainingClass.objects.filter(school_id=user.school_id, closing_date__lt=today)
            .exclude(status=TrainingClass.Status.CLOSED).select_related("school").order_by("closing_date", "code"))
    return [
        InboxItem("class_to_close", _("Close class %(code)s — %(name)s: its closing date has passed")
                  % {"code": klass.code, "name": klass.name}, klass.get_absolute_url(), klass.closing_date)
        for klass in rows
    ]


def _imports(user, today):
    from courses.models import ImportBatch

    rows = (ImportBatch.objects.filter(created_by=user, status=ImportBatch.Status.PREVIEW)
            .select_related("training_class__school").order_by("created_at"))
    return [
        InboxItem("import", _("Confirm or cancel the learner list uploaded for class %(code)s")
                  % {"code": batch.training_class.code},
                  reverse("courses:import_preview", kwargs={"school_code": batch.training_class.school.code,
                                                            "pk": batch.pk}))
        for batch in rows
    ]


def _reports(user, today):
    from reports.models import ReportJob

    rows = (ReportJob.objects.filter(requested_by=user, state=ReportJob.State.DONE).exclude(file="")
            .exclude(expires_at__lte=timezone.now()).select_related("school").order_by("-created_at"))
    return [InboxItem("report", _("Report ready: %(report)s") % {"report": job}, job.get_download_url())
            for job in rows]


def _deadlines(user, today):
    from compliance.models import Assessment
    from emulation.models import ClusterYear, Scorecard

    until = today + datetime.timedelta(days=DEADLINE_DAYS)
    items = []
    if user.school_id and not user.is_academy:
        draft_cards = Scorecard.objects.filter(school_id=user.school_id, status=Scorecard.Status.DRAFT)
        for cy in (ClusterYear.objects.filter(status=ClusterYear.Status.SCORING_OPEN,
                                              self_score_deadline__range=(today, until),
                                              scorecards__in=draft_cards).select_related("cluster").distinct()):
            items.append(InboxItem(
                "deadline", _("Submit the self-score for %(cluster)s %(year)s") % {"cluster": cy.cluster.name,
                                                                                  "year": cy.year},
                reverse("emulation:self_score", kwargs={"cluster_code": cy.cluster.code, "year": cy.year,
                                                        "school_code": user.school.code}), cy.self_score_deadline))
        for a in Assessment.objects.filter(school_id=user.school_id, stage=Assessment.Stage.EVIDENCE_REQUESTED,
                                           evidence_deadline__range=(today, until)).select_related("school"):
            items.append(InboxItem("deadline", _("Send the further evidence for the self-assessment %(year)s")
                                   % {"year": a.year}, a.get_absolute_url(), a.evidence_deadline))
    # the appeal deadline: to the cluster years' members (who may appeal) and to those who run them
    if user.is_academy_admin:
        years = Q()
    elif user.school_id and not user.is_academy:
        years = Q(memberships__school_id=user.school_id) | Q(head_id=user.school_id)
    else:
        years = None
    if years is not None:
        for cy in (ClusterYear.objects.filter(years, status=ClusterYear.Status.APPEALS,
                                              appeal_deadline__range=(today, until)).select_related("cluster")
                   .distinct()):
            runs = user.is_academy_admin or (user.role == Role.SCHOOL_ADMIN and cy.head_id == user.school_id)
            where = {"cluster_code": cy.cluster.code, "year": cy.year}
            url = (reverse("emulation:appeals", kwargs=where) if runs
                   else reverse("emulation:scorecard", kwargs={**where, "school_code": user.school.code}))
            items.append(InboxItem("deadline", _("Appeals close for %(cluster)s %(year)s")
                                   % {"cluster": cy.cluster.name, "year": cy.year}, url, cy.appeal_deadline))
    return sorted(items, key=lambda item: item.due)


SOURCES = {
    "assessment_review": _assessments_to_review,
    "appeal": _appeals,
    "appraisal": _appraisals,
    "class_to_close": _classes_to_close,
    "import": _imports,
    "report": _reports,
    "deadline": _deadlines,
}


def _kinds(user) -> list[str]:
    kinds = []
    if user.is_academy:
        kinds.append("assessment_review")
    if user.is_academy_admin or user.role == Role.SCHOOL_ADMIN:
        kinds += ["appeal", "appraisal"]
    if not user.is_academy and user.role in WRITER_ROLES:
        kinds += ["class_to_close", "import"]
    kinds += ["report", "deadline"]
    return kinds


def kind_titles() -> dict[str, str]:
    return {
        "assessment_review": _("Self-assessments to review"),
        "appeal": _("Appeals to answer"),
        "appraisal": _("Scores to appraise"),
        "class_to_close": _("Classes to close"),
        "import": _("Imports left unconfirmed"),
        "report": _("Reports ready"),
        "deadline": _("Deadlines within %(days)s days") % {"days": DEADLINE_DAYS},
    }


def _more_url(user, kind) -> str:
    """The page listing all the entries of a kind, for "and N more"."""
    if kind == "assessment_review":
        return reverse("compliance:console")
    if kind == "class_to_close" and user.school_id:
        return reverse("courses:class_list", kwargs={"school_code": user.school.code})
    if kind == "report":
        return reverse("reports:job_list")
    return ""


def inbox(user, today: datetime.date | None = None) -> list[dict]:
    """The user's inbox as groups ``{kind, title, items (at most LIMIT), more (count left out)}``,
    only the non-empty ones, in the order of ``SOURCES``."""
    if not user.is_authenticated:
        return []
    today = today or timezone.localdate()
    titles = kind_titles()
    groups = []
    for kind in _kinds(user):
        items = SOURCES[kind](user, today)
        if items:
            groups.append({"kind": kind, "title": titles[kind], "items": items[:LIMIT],
                           "more": max(len(items) - LIMIT, 0), "more_url": _more_url(user, kind)})
    return groups
