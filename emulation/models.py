"""Emulation clusters (cụm thi đua): cluster years, scoring schemes, self-scores, appraisal,
appeals, the year-end meeting and award proposals (DOMAIN.md §5)."""

from decimal import Decimal
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import SchoolScopedQuerySet, TimeStampedModel
from core.uploads import validate_evidence
from schools.models import Region, School, Staff

POINTS = {"max_digits": 6, "decimal_places": 2}


class Cluster(TimeStampedModel):
    """A regional emulation cluster of schools, steered by the Academy."""

    code = models.SlugField(_("code"), max_length=30, unique=True, help_text=_("Short unique code, e.g. BTB."))
    name = models.CharField(_("name"), max_length=200, unique=True)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("emulation cluster")
        verbose_name_plural = _("emulation clusters")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("emulation:cluster_detail", kwargs={"cluster_code": self.code})


FINAL_READ_ONLY = _("This season is final: its calendar and records can no longer be changed. Only an Academy "
                    "administrator can reopen it.")


class ClusterYear(TimeStampedModel):
    """One year of a cluster: members, head and deputies, movement, pledge and the scoring calendar."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SCORING_OPEN = "scoring_open", _("self-scoring open")
        APPRAISAL = "appraisal", _("appraisal")
        APPEALS = "appeals", _("appeals")
        FINAL = "final", _("final")

    cluster = models.ForeignKey(Cluster, models.PROTECT, related_name="years", verbose_name=_("emulation cluster"))
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000)])
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.DRAFT)
    members = models.ManyToManyField(
        School, through="ClusterMembership", related_name="cluster_years", verbose_name=_("member schools")
    )
    head = models.ForeignKey(
        School, models.PROTECT, null=True, blank=True, related_name="headed_cluster_years", verbose_name=_("cluster head")
    )
    deputies = models.ManyToManyField(
        School, blank=True, related_name="deputy_cluster_years", verbose_name=_("cluster deputy heads")
    )
    movement = models.CharField(_("emulation movement"), max_length=255, blank=True)
    slogan = models.CharField(_("slogan"), max_length=255, blank=True)
    pledge_date = models.DateField(_("emulation pledge signed on"), null=True, blank=True)
    pledge_place = models.CharField(_("emulation pledge signed at"), max_length=200, blank=True)
    self_score_deadline = models.DateField(_("self-score deadline"), null=True, blank=True)
    appraisal_start = models.DateField(_("appraisal from"), null=True, blank=True)
    appraisal_end = models.DateField(_("appraisal until"), null=True, blank=True)
    appeal_deadline = models.DateField(_("appeals until"), null=True, blank=True)
    flag_quota = models.PositiveSmallIntegerField(
        _("Academy emulation flag quota"), default=1, help_text=_("How many schools of the cluster may be proposed for the flag.")
    )
    tie_break = models.JSONField(
        _("tie-break rule"), default=list, blank=True,
        help_text=_("The cluster's rule for equal final scores, in order: fewer deductions, a higher score in a "
                    "named criterion, the meeting's vote."),
    )

    # Tenancy and the change log (audit): a cluster year is seen through its member schools.
    school_path = "memberships__school"
    objects = SchoolScopedQuerySet.as_manager()
    # A past season entered "as recorded" (nhập bổ sung): deadlines do not apply, each step keeps the
    # date it really took place (``step_dates``: action → ISO date); the change log keeps the real time.
    recorded_entry = models.BooleanField(_("entered as recorded"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("entered by")
    )
    recorded_started_at = models.DateTimeField(_("entry started at"), null=True, blank=True)
    step_dates = models.JSONField(_("dates of the steps"), default=dict, blank=True)

    class Meta:
        verbose_name = _("cluster year")
        verbose_name_plural = _("cluster years")
        ordering = ["cluster__name", "-year"]
        constraints = [models.UniqueConstraint(fields=["cluster", "year"], name="clusteryear_unique_year")]

    def __str__(self) -> str:
        return f"{self.cluster} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("emulation:year_detail", kwargs={"cluster_code": self.cluster.code, "year": self.year})

    def clean(self):
        errors = {}
        if self.appraisal_start and self.appraisal_end and self.appraisal_end < self.appraisal_start:
            errors["appraisal_end"] = _("The appraisal cannot end before it starts.")
        if self.self_score_deadline and self.appraisal_start and self.appraisal_start < self.self_score_deadline:
            errors["appraisal_start"] = _("The appraisal cannot start before the self-score deadline.")
        if self.appeal_deadline and self.appraisal_start and self.appeal_deadline < self.appraisal_start:
            errors["appeal_deadline"] = _("The appeal window cannot end before the appraisal starts.")
        # The deadline of the phase that is open cannot be removed.
        if self.status == self.Status.SCORING_OPEN and not self.self_score_deadline:
            errors["self_score_deadline"] = _("The self-score deadline is required while self-scoring is open.")
        if self.status == self.Status.APPEALS and not self.appeal_deadline:
            errors["appeal_deadline"] = _("The appeal deadline is required while the appeal window is open.")
        if errors:
            raise ValidationError(errors)
        if self.final_and_changed():
            raise ValidationError(FINAL_READ_ONLY)

    def final_and_changed(self) -> bool:
        """A final season whose stored values differ from this instance's (it is read-only)."""
        if not self.pk:
            return False
        names = [f.attname for f in self._meta.concrete_fields if f.name not in ("id", "created_at", "updated_at")]
        stored = type(self)._base_manager.filter(pk=self.pk).values(*names).first()
        if stored is None or stored["status"] != self.Status.FINAL:
            return False
        return any(stored[name] != getattr(self, name) for name in names)

    @property
    def scheme_frozen(self) -> bool:
        return self.status != self.Status.DRAFT

    @property
    def self_scores_public(self) -> bool:
        """Members see each other's self-scores only once the appraisal has opened."""
        return self.status in {self.Status.APPRAISAL, self.Status.APPEALS, self.Status.FINAL}

    @property
    def appeal_window_open(self) -> bool:
        return (
            self.status == self.Status.APPEALS
            and self.appeal_deadline is not None
            and (self.recorded_entry or timezone.localdate() <= self.appeal_deadline)
        )

    @property
    def self_scoring_open(self) -> bool:
        return self.status == self.Status.SCORING_OPEN and (
            self.recorded_entry or self.self_score_deadline is None or timezone.localdate() <= self.self_score_deadline
        )


class ClusterMembership(models.Model):
    cluster_year = models.ForeignKey(ClusterYear, models.CASCADE, related_name="memberships")
    school = models.ForeignKey(School, models.PROTECT, related_name="cluster_memberships", verbose_name=_("school"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    school_path = "school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("cluster membership")
        verbose_name_plural = _("cluster memberships")
        constraints = [models.UniqueConstraint(fields=["cluster_year", "school"], name="membership_unique_school")]

    def __str__(self) -> str:
        return f"{self.school} — {self.cluster_year}"


class Criterion(models.Model):
    """An item of the scoring scheme: a criterion (possibly a group of sub-criteria), a bonus or a penalty.

    Only leaf items are scored. Bonus points add to the total; penalty points are deducted from it.
    """

    class Kind(models.TextChoices):
        CRITERION = "criterion", _("criterion")
        BONUS = "bonus", _("bonus points")
        PENALTY = "penalty", _("penalty points")

    cluster_year = models.ForeignKey(ClusterYear, models.CASCADE, related_name="criteria", verbose_name=_("cluster year"))
    parent = models.ForeignKey(
        "self", models.CASCADE, null=True, blank=True, related_name="children", verbose_name=_("parent criterion")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CRITERION)
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    code = models.CharField(_("number"), max_length=10, help_text=_("e.g. I, 1, 1.2"))
    name = models.CharField(_("content"), max_length=500)
    max_points = models.DecimalField(_("maximum points"), validators=[MinValueValidator(Decimal("0.01"))], **POINTS)
    guidance = models.TextField(_("guidance"), blank=True)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("scoring scheme")
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["cluster_year", "code"], name="criterion_unique_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"

    def clean(self):
        if self.cluster_year_id and self.cluster_year.scheme_frozen:
            raise ValidationError(_("The scoring scheme is frozen once self-scoring has opened."))
        if self.parent_id is None:
            return
        parent = self.parent
        if parent.cluster_year_id != self.cluster_year_id:
            raise ValidationError({"parent": _("The parent criterion belongs to another cluster year.")})
        if parent.parent_id is not None and parent.parent.parent_id is not None:
            raise ValidationError({"parent": _("The scheme has at most three levels.")})
        if parent.kind != self.kind:
            raise ValidationError({"kind": _("A sub-item must be of the same kind as its parent.")})
        siblings = parent.children.exclude(pk=self.pk).aggregate(total=models.Sum("max_points"))["total"] or 0
        if self.max_points is not None and siblings + self.max_points > parent.max_points:
            raise ValidationError(
                {"max_points": _("The sub-items together exceed the maximum points of “%(parent)s”.") % {"parent": parent}}
            )

    def delete(self, *args, **kwargs):
        if self.cluster_year.scheme_frozen:
            raise ValidationError(_("The scoring scheme is frozen once self-scoring has opened."))
        return super().delete(*args, **kwargs)


class Scorecard(TimeStampedModel):
    """One member school's scores for one cluster year (self-score, appraisal, final result)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("being self-scored")
        SUBMITTED = "submitted", _("submitted")

    school_path = "school"
    objects = SchoolScopedQuerySet.as_manager()

    cluster_year = models.ForeignKey(ClusterYear, models.CASCADE, related_name="scorecards", verbose_name=_("cluster year"))
    school = models.ForeignKey(School, models.PROTECT, related_name="scorecards", verbose_name=_("school"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("submitted by")
    )
    appraisal_note = models.TextField(_("appraisal conclusion"), blank=True)
    final_total = models.DecimalField(_("final score"), null=True, blank=True, **POINTS)
    final_penalty = models.DecimalField(_("penalty points"), null=True, blank=True, **POINTS)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    rank_order = models.PositiveSmallIntegerField(_("order in the ranking"), null=True, blank=True)

    class Meta:
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        ordering = ["rank_order", "school__name"]
        constraints = [models.UniqueConstraint(fields=["cluster_year", "school"], name="scorecard_unique_school")]

    def __str__(self) -> str:
        return f"{self.school} — {self.cluster_year}"

    def get_absolute_url(self) -> str:
        cy = self.cluster_year
        return reverse(
            "emulation:scorecard",
            kwargs={"cluster_code": cy.cluster.code, "year": cy.year, "school_code": self.school.code},
        )

    @property
    def locked(self) -> bool:
        return self.status == self.Status.SUBMITTED


def evidence_upload_to(instance, filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()
    return f"emulation/evidence/{instance.scorecard.cluster_year_id}/{instance.scorecard.school_id}/{instance.criterion_id}{suffix}"


def validate_evidence_file(file) -> None:
    """A new upload goes through the same gate as compliance evidence (core/uploads.py): PDF, PNG,
    JPEG, .xlsx or .docx, checked by content as well as by name. A file already stored was checked
    when it was uploaded."""
    if getattr(file, "_committed", False):
        return
    validate_evidence(file)


class Score(models.Model):
    """Points for one leaf item of the scheme: self-score with evidence, appraised and final points."""

    scorecard = models.ForeignKey(Scorecard, models.CASCADE, related_name="scores", verbose_name=_("scorecard"))
    criterion = models.ForeignKey(Criterion, models.PROTECT, related_name="scores", verbose_name=_("criterion"))
    self_points = models.DecimalField(
        _("self-score"), null=True, blank=True, validators=[MinValueValidator(0)], **POINTS
    )
    evidence_file = models.FileField(
        _("evidence file"), upload_to=evidence_upload_to, blank=True, validators=[validate_evidence_file]
    )
    evidence_link = models.CharField(
        _("link to a record in the app"), max_length=300, blank=True, help_text=_("e.g. /s/NGHEAN/units/3/")
    )
    explanation = models.TextField(_("explanation"), blank=True)
    appraised_points = models.DecimalField(
        _("appraised score"), null=True, blank=True, validators=[MinValueValidator(0)], **POINTS
    )
    appraisal_reason = models.TextField(_("reason for the change"), blank=True)
    final_points = models.DecimalField(_("final score"), null=True, blank=True, **POINTS)

    school_path = "scorecard__school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["criterion__order", "criterion__pk"]
        constraints = [models.UniqueConstraint(fields=["scorecard", "criterion"], name="score_unique_criterion")]

    def __str__(self) -> str:
        return f"{self.scorecard.school} — {self.criterion.code}"

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence_file or self.evidence_link)

    @property
    def difference(self):
        if self.self_points is None or self.appraised_points is None:
            return None
        return self.appraised_points - self.self_points

    def clean(self):
        errors = {}
        maximum = self.criterion.max_points
        for field in ("self_points", "appraised_points"):
            value = getattr(self, field)
            if value is not None and value > maximum:
                errors[field] = _("At most %(max)s points.") % {"max": maximum}
        if self.evidence_link:
            errors.update(self._check_link())
        if self.self_points is not None and not self.has_evidence and not self.explanation.strip():
            errors["explanation"] = _("Give an explanation when there is no evidence.")
        if (
            self.appraised_points is not None
            and self.self_points is not None
            and self.appraised_points != self.self_points
            and not self.appraisal_reason.strip()
        ):
            errors["appraisal_reason"] = _("A change from the self-score needs a reason.")
        if errors:
            raise ValidationError(errors)

    def _check_link(self) -> dict:
        """A link must point to a page of this app under the school's own address."""
        link = self.evidence_link.strip()
        try:
            match = resolve(link.split("?")[0])
        except Resolver404:
            return {"evidence_link": _("This is not the address of a page of the app.")}
        if match.kwargs.get("school_code") != self.scorecard.school.code:
            return {"evidence_link": _("The link must point to a record of your own school.")}
        return {}


class Appeal(TimeStampedModel):
    """A school's appeal (kiến nghị) against an appraised score, resolved by the cluster head."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    school_path = "score__scorecard__school"
    objects = SchoolScopedQuerySet.as_manager()

    score = models.OneToOneField(Score, models.CASCADE, related_name="appeal", verbose_name=_("score"))
    reason = models.TextField(_("reason for the appeal"))
    requested_points = models.DecimalField(_("requested points"), **POINTS)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_points = models.DecimalField(_("points after the appeal"), null=True, blank=True, **POINTS)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("resolved by")
    )

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["score__scorecard__school__name", "score__criterion__order"]

    def __str__(self) -> str:
        return str(self.score)

    def clean(self):
        maximum = self.score.criterion.max_points
        errors = {}
        if self.requested_points is not None and not 0 <= self.requested_points <= maximum:
            errors["requested_points"] = _("Between 0 and %(max)s points.") % {"max": maximum}
        if self.status == self.Status.ACCEPTED and self.resolved_points is None:
            errors["resolved_points"] = _("Give the points after the appeal.")
        if self.resolved_points is not None and not 0 <= self.resolved_points <= maximum:
            errors["resolved_points"] = _("Between 0 and %(max)s points.") % {"max": maximum}
        if self.status != self.Status.PENDING and not self.resolution.strip():
            errors["resolution"] = _("Explain the resolution.")
        if errors:
            raise ValidationError(errors)


class EmulationTitle(models.TextChoices):
    """Danh hiệu thi đua (Law on Emulation and Commendation) — never mixed with forms of commendation."""

    ACADEMY_FLAG = "academy_flag", _("Academy emulation flag")
    EXCELLENT_COLLECTIVE = "excellent_collective", _("excellent labour collective")
    ADVANCED_COLLECTIVE = "advanced_collective", _("advanced labour collective")
    EMULATION_FIGHTER = "emulation_fighter", _("grassroots emulation fighter")
    ADVANCED_WORKER = "advanced_worker", _("advanced worker")


class CommendationForm(models.TextChoices):
    """Hình thức khen thưởng — never mixed with emulation titles."""

    DIRECTOR_CERTIFICATE = "director_certificate", _("Director's certificate of merit")
    # No "Giấy khen" of the Director: a Giấy khen comes from a unit's head (awards.AwardKind).


COLLECTIVE_TITLES = {EmulationTitle.ACADEMY_FLAG, EmulationTitle.EXCELLENT_COLLECTIVE, EmulationTitle.ADVANCED_COLLECTIVE}
INDIVIDUAL_TITLES = {EmulationTitle.EMULATION_FIGHTER, EmulationTitle.ADVANCED_WORKER}


class AwardProposal(TimeStampedModel):
    """A proposal for an award to a school (collective) or one of its staff (individual), the vote of
    the year-end meeting and the Academy's decision. Exactly one of ``title`` and
    ``commendation_form`` is set."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("not approved")

    class VoteMethod(models.TextChoices):
        PEER_VOTE = "peer_vote", _("peer review and vote")
        ACCLAMATION = "acclamation", _("acclamation")

    school_path = "school"
    objects = SchoolScopedQuerySet.as_manager()

    cluster_year = models.ForeignKey(ClusterYear, models.PROTECT, related_name="proposals", verbose_name=_("cluster year"))
    school = models.ForeignKey(School, models.PROTECT, related_name="award_proposals", verbose_name=_("school"))
    staff = models.ForeignKey(
        Staff, models.PROTECT, null=True, blank=True, related_name="award_proposals",
        verbose_name=_("individual"), help_text=_("Leave empty for an award to the school."),
    )
    title = models.CharField(_("emulation title"), max_length=25, choices=EmulationTitle.choices, blank=True)
    commendation_form = models.CharField(
        _("form of commendation"), max_length=25, choices=CommendationForm.choices, blank=True
    )
    achievements = models.TextField(_("achievements"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    vote_method = models.CharField(_("voting method"), max_length=12, choices=VoteMethod.choices, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("votes against"), null=True, blank=True)
    votes_total = models.PositiveSmallIntegerField(_("voters"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("decided by")
    )

    class Meta:
        verbose_name = _("award proposal")
        verbose_name_plural = _("awards")
        ordering = ["-cluster_year__year", "school__name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(title="") & ~Q(commendation_form="")) | (~Q(title="") & Q(commendation_form="")),
                name="award_title_xor_commendation",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | (~Q(decision_number="") & Q(decision_date__isnull=False)),
                name="award_approval_has_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award_label} — {self.recipient}"

    @property
    def award_label(self) -> str:
        return self.get_title_display() if self.title else self.get_commendation_form_display()

    @property
    def recipient(self):
        return self.staff or self.school

    @property
    def decision_label(self) -> str:
        if not self.decision_number:
            return ""
        return _("decision %(number)s of %(date)s") % {
            "number": self.decision_number, "date": self.decision_date.strftime("%d/%m/%Y"),
        }

    def clean(self):
        errors = {}
        if bool(self.title) == bool(self.commendation_form):
            errors["title"] = _("Choose either an emulation title or a form of commendation, not both.")
        if self.staff_id and self.school_id and self.staff.school_id != self.school_id:
            errors["staff"] = _("The person must work at the proposed school.")
        if self.title in COLLECTIVE_TITLES and self.staff_id:
            errors["title"] = _("This title is for a school, not for a person.")
        if self.title in INDIVIDUAL_TITLES and not self.staff_id:
            errors["title"] = _("This title is for a person; choose the person.")
        votes = (self.votes_for or 0) + (self.votes_against or 0)
        if self.votes_total is not None and votes > self.votes_total:
            errors["votes_total"] = _("Votes for and against exceed the number of voters.")
        if self.status == self.Status.APPROVED and not (self.decision_number and self.decision_date):
            errors["decision_number"] = _("An approval needs the decision number and date.")
        if errors:
            raise ValidationError(errors)


class Meeting(TimeStampedModel):
    """The year-end review conference (hội nghị tổng kết) of a cluster year."""

    cluster_year = models.OneToOneField(ClusterYear, models.CASCADE, related_name="meeting", verbose_name=_("cluster year"))
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=200)
    chair = models.CharField(_("chaired by"), max_length=200, blank=True)
    attendees = models.TextField(_("attendees"), blank=True)
    voters = models.PositiveSmallIntegerField(_("voting delegates"), null=True, blank=True)
    conclusions = models.TextField(_("conclusions"), blank=True)
    next_head = models.ForeignKey(
        School, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("cluster head next year")
    )
    next_deputies = models.ManyToManyField(
        School, blank=True, related_name="+", verbose_name=_("cluster deputy heads next year")
    )

    class Meta:
        verbose_name = _("year-end review conference")
        verbose_name_plural = _("year-end review conferences")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.cluster_year}"
