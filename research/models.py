"""Research and practical review (DOMAIN.md §4): topics with their lifecycle, workshops and
roundtables, publications, and lecturers' field trips.

Status changes of a topic are never edited directly: ``research.services`` applies them and
records each one as a ``TopicTransition``.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import SchoolScopedQuerySet, TimeStampedModel
from core.vietnamese import normalize
from schools.models import School, Staff


def split_names(text: str) -> list[str]:
    """Outside authors / organisers are typed one per line (or separated by semicolons)."""
    return [normalize(part) for line in (text or "").splitlines() for part in line.split(";") if part.strip()]


class ResearchField(models.TextChoices):
    POLITICAL_THEORY = "political_theory", _("Marxist-Leninist theory")
    HO_CHI_MINH = "ho_chi_minh", _("Ho Chi Minh Thought")
    PARTY_BUILDING = "party_building", _("Party building")
    PARTY_HISTORY = "party_history", _("Party history")
    STATE_LAW = "state_law", _("State and law")
    ECONOMY = "economy", _("economic development")
    CULTURE_SOCIETY = "culture_society", _("culture and society")
    DEFENCE_SECURITY = "defence_security", _("defence and security")
    TRAINING = "training", _("training and refresher methods")
    OTHER = "other", _("other")


class Topic(TimeStampedModel):
    """A research topic (đề tài) or an experience initiative (sáng kiến kinh nghiệm)."""

    class Level(models.TextChoices):
        STATE = "state", _("state level")
        MINISTRY = "ministry", _("ministry level")
        PROVINCIAL = "provincial", _("provincial level")
        SCHOOL = "school", _("school level")
        FACULTY = "faculty", _("faculty level")
        INITIATIVE = "initiative", _("experience initiative")

    class Status(models.TextChoices):
        REGISTERED = "registered", pgettext_lazy("research", "registered")
        APPROVED = "approved", pgettext_lazy("research", "approved")
        IN_PROGRESS = "in_progress", pgettext_lazy("research", "in progress")
        ACCEPTED = "accepted", pgettext_lazy("research", "accepted")
        CANCELLED = "cancelled", pgettext_lazy("research", "cancelled")

    class Grade(models.TextChoices):
        EXCELLENT = "excellent", pgettext_lazy("research", "excellent")
        GOOD = "good", pgettext_lazy("research", "good")
        PASS = "pass", pgettext_lazy("research", "pass")
        FAIL = "fail", pgettext_lazy("research", "fail")

    OPEN_STATUSES = (Status.REGISTERED, Status.APPROVED, Status.IN_PROGRESS)

    school_path = "school"
    objects = SchoolScopedQuerySet.as_manager()

    school = models.ForeignKey(School, models.PROTECT, related_name="research_topics", verbose_name=_("school"))
    code = models.CharField(_("topic code"), max_length=40)
    title = models.CharField(_("title"), max_length=500)
    field = models.CharField(_("field"), max_length=20, choices=ResearchField.choices, default=ResearchField.OTHER)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    leader = models.ForeignKey(
        Staff, models.PROTECT, related_name="led_topics", verbose_name=_("topic leader")
    )
    members = models.ManyToManyField(Staff, blank=True, related_name="research_topics", verbose_name=_("members"))
    outside_members = models.TextField(
        _("outside co-authors"), blank=True, help_text=_("One name per line, with their workplace if useful.")
    )
    start_on = models.DateField(_("start date"))
    end_on = models.DateField(_("planned end date"))
    budget = models.DecimalField(
        _("budget (million VND)"), max_digits=12, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REGISTERED, editable=False
    )
    approval_decision = models.CharField(_("approval decision"), max_length=60, blank=True, editable=False)
    approved_on = models.DateField(_("approval date"), null=True, blank=True, editable=False)
    extended = models.BooleanField(_("extended"), default=False, editable=False)
    extended_until = models.DateField(_("extended until"), null=True, blank=True, editable=False)
    accepted_on = models.DateField(_("acceptance council date"), null=True, blank=True, editable=False)
    score = models.DecimalField(
        _("acceptance score"), max_digits=5, decimal_places=2, null=True, blank=True, editable=False,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices, blank=True, editable=False)
    cancelled_on = models.DateField(_("cancellation date"), null=True, blank=True, editable=False)
    cancel_reason = models.TextField(_("reason for cancellation"), blank=True, editable=False)

    class Meta:
        verbose_name = _("research topic")
        verbose_name_plural = _("research topics")
        ordering = ["-start_on", "code"]
        constraints = [
            models.UniqueConstraint(fields=["school", "code"], name="topic_unique_code_per_school"),
            models.CheckConstraint(condition=Q(end_on__gte=models.F("start_on")), name="topic_end_after_start"),
            models.CheckConstraint(
                condition=~Q(status="accepted")
                | (Q(accepted_on__isnull=False) & Q(score__isnull=False) & ~Q(grade="")),
                name="topic_accepted_has_result",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | (Q(cancelled_on__isnull=False) & ~Q(cancel_reason="")),
                name="topic_cancelled_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(extended=False, extended_until__isnull=True)
                | Q(extended=True, extended_until__isnull=False),
                name="topic_extension_has_date",
            ),
        ]
        indexes = [models.Index(fields=["school", "level", "status"], name="topic_school_level_idx")]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("research:topic_detail", kwargs={"school_code": self.school.code, "pk": self.pk})

    def clean(self):
        super().clean()
        errors = {}
        if self.start_on and self.end_on and self.end_on < self.start_on:
            errors["end_on"] = _("The end date cannot be before the start date.")
        elif self.end_on and self.extended_until and self.end_on >= self.extended_until:
            errors["end_on"] = _("The planned end date must stay before the extended end date (%(date)s).") % {
                "date": self.extended_until.strftime("%d/%m/%Y")}
        if self.start_on and self.accepted_on and self.start_on > self.accepted_on:
            errors["start_on"] = _("The start date cannot be after the acceptance council date (%(date)s).") % {
                "date": self.accepted_on.strftime("%d/%m/%Y")}
        if errors:
            raise ValidationError(errors)

    @property
    def current_end_on(self):
        return self.extended_until or self.end_on

    @property
    def outside_member_list(self) -> list[str]:
        return split_names(self.outside_members)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class TopicTransition(models.Model):
    """One step of a topic's lifecycle: who did it, when, under which decision, and why."""

    class Action(models.TextChoices):
        REGISTER = "register", pgettext_lazy("research", "register")
        APPROVE = "approve", pgettext_lazy("research", "approve")
        START = "start", pgettext_lazy("research", "start")
        EXTEND = "extend", pgettext_lazy("research", "extend")
        ACCEPT = "accept", pgettext_lazy("research", "accept (acceptance council)")
        CANCEL = "cancel", pgettext_lazy("research", "cancel")

    school_path = "topic__school"

    topic = models.ForeignKey(Topic, models.CASCADE, related_name="transitions", verbose_name=_("research topic"))
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    from_status = models.CharField(_("from status"), max_length=12, choices=Topic.Status.choices, blank=True)
    to_status = models.CharField(_("to status"), max_length=12, choices=Topic.Status.choices)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    new_end_on = models.DateField(_("new end date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("topic status change")
        verbose_name_plural = _("topic status changes")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.topic.code}: {self.get_action_display()}"


class EventQuerySet(SchoolScopedQuerySet):
    def involving(self, school):
        """Events the school hosts or co-organises (each once); only the host edits them."""
        co = EventCoOrganiser.objects.filter(event=models.OuterRef("pk"), school=school)
        return self.filter(models.Q(school=school) | models.Exists(co))

    def with_role(self, school):
        """``role`` of ``school`` in each event: "host" for its own, else its co-organiser role."""
        co_role = EventCoOrganiser.objects.filter(event=models.OuterRef("pk"), school=school).values("role")[:1]
        return self.annotate(role=models.Case(
            models.When(school=school, then=models.Value(EventCoOrganiser.Role.HOST)),
            default=models.Subquery(co_role), output_field=models.CharField(),
        ))


class Event(TimeStampedModel):
    """A scientific workshop (hội thảo) or roundtable (tọa đàm) hosted by the school (``school``),
    possibly with co-organising schools (``co_schools``, each with its role: co-host or partner)."""

    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("workshop")
        ROUNDTABLE = "roundtable", _("roundtable")

    class Level(models.TextChoices):
        MINISTRY = "ministry", _("ministry level")
        PROVINCIAL = "provincial", _("provincial level")
        CLUSTER = "cluster", _("cluster level")
        SCHOOL = "school", _("school-wide")
        FACULTY = "faculty", _("faculty level")

    school_path = "school"
    objects = EventQuerySet.as_manager()

    school = models.ForeignKey(School, models.PROTECT, related_name="research_events", verbose_name=_("host school"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.WORKSHOP)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    title = models.CharField(_("title"), max_length=500)
    field = models.CharField(_("field"), max_length=20, choices=ResearchField.choices, default=ResearchField.OTHER)
    held_on = models.DateField(_("date held"))
    venue = models.CharField(pgettext_lazy("research", "venue"), max_length=200, blank=True)
    co_schools = models.ManyToManyField(
        School, blank=True, through="EventCoOrganiser", related_name="co_organised_events",
        verbose_name=_("co-organising schools"),
    )
    other_organisers = models.TextField(
        _("other co-organisers"), blank=True,
        help_text=_("One per line, e.g. the provincial Party propaganda department, a regional academy."),
    )
    papers = models.PositiveIntegerField(_("number of papers"), default=0)
    proceedings_published = models.BooleanField(_("proceedings published"), default=False)
    topics = models.ManyToManyField(Topic, blank=True, related_name="events", verbose_name=_("linked topics"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("workshop / roundtable")
        verbose_name_plural = _("workshops and roundtables")
        ordering = ["-held_on", "title"]
        indexes = [models.Index(fields=["school", "held_on"], name="event_school_date_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("research:event_detail", kwargs={"school_code": self.school.code, "pk": self.pk})

    @property
    def other_organiser_list(self) -> list[str]:
        return split_names(self.other_organisers)


class EventCoOrganiser(models.Model):
    """A school co-organising an event, with its role: co-host (chủ trì) or partner (phối hợp)."""

    class Role(models.TextChoices):
        HOST = "host", pgettext_lazy("event role", "host")
        PARTNER = "partner", pgettext_lazy("event role", "partner")

    event = models.ForeignKey(Event, models.CASCADE, related_name="co_organisers")
    school = models.ForeignKey(School, models.CASCADE, related_name="event_co_organisations", verbose_name=_("school"))
    role = models.CharField(pgettext_lazy("event role", "role"), max_length=10, choices=Role.choices,
                            default=Role.PARTNER)

    class Meta:
        db_table = "research_event_co_schools"  # the table of the former plain many-to-many (rows kept)
        verbose_name = _("co-organising school")
        verbose_name_plural = _("co-organising schools")
        unique_together = [("event", "school")]

    def __str__(self) -> str:
        return f"{self.school} — {self.get_role_display()}"


class Publication(TimeStampedModel):
    """A bulletin or internal-journal issue, a monograph, a staff article in an outside journal, or
    an entry in the annual political-essay contest on protecting the Party's ideological foundation."""

    class Kind(models.TextChoices):
        BULLETIN_ISSUE = "bulletin", _("bulletin / internal journal issue")
        MONOGRAPH = "monograph", _("monograph")
        JOURNAL_ARTICLE = "journal_article", _("article in an outside journal")
        ESSAY_ENTRY = "essay", _("political-essay contest entry")

    class Prize(models.TextChoices):
        NONE = "", _("no prize")
        SPECIAL = "special", _("special prize")
        FIRST = "first", _("first prize")
        SECOND = "second", _("second prize")
        THIRD = "third", _("third prize")
        CONSOLATION = "consolation", _("consolation prize")

    school_path = "school"
    objects = SchoolScopedQuerySet.as_manager()

    school = models.ForeignKey(School, models.PROTECT, related_name="publications", verbose_name=_("school"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=500)
    field = models.CharField(_("field"), max_length=20, choices=ResearchField.choices, default=ResearchField.OTHER)
    published_on = models.DateField(_("publication date"))
    series = models.CharField(
        _("bulletin / journal name"), max_length=200, blank=True,
        help_text=_("The school's bulletin, or the outside journal an article appeared in."),
    )
    issue_number = models.CharField(_("issue number"), max_length=30, blank=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    authors = models.ManyToManyField(Staff, blank=True, related_name="publications", verbose_name=_("staff authors"))
    outside_authors = models.TextField(_("outside authors"), blank=True, help_text=_("One name per line."))
    ideological_column = models.BooleanField(
        _("protecting the Party's ideological foundation"), default=False,
        help_text=_("Published in the column on protecting the Party's ideological foundation."),
    )
    contest_year = models.PositiveSmallIntegerField(_("contest year"), null=True, blank=True)
    prize = models.CharField(_("prize"), max_length=12, choices=Prize.choices, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-published_on", "title"]
        indexes = [models.Index(fields=["school", "kind", "published_on"], name="publication_school_kind_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(prize="") | Q(kind="essay"), name="publication_prize_only_essay"),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.BULLETIN_ISSUE and self.issue_number:
            return f"{self.title} ({self.issue_number})"
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("research:publication_detail", kwargs={"school_code": self.school.code, "pk": self.pk})

    def clean(self):
        super().clean()
        errors = {}
        if self.kind == self.Kind.BULLETIN_ISSUE and not self.issue_number:
            errors["issue_number"] = _("Give the issue number of the bulletin.")
        if self.kind == self.Kind.JOURNAL_ARTICLE and not self.series:
            errors["series"] = _("Give the name of the journal.")
        if self.prize and self.kind != self.Kind.ESSAY_ENTRY:
            errors["prize"] = _("Only political-essay contest entries have prizes.")
        if self.contest_year and self.kind != self.Kind.ESSAY_ENTRY:
            errors["contest_year"] = _("Only political-essay contest entries have a contest year.")
        if errors:
            raise ValidationError(errors)

    @property
    def outside_author_list(self) -> list[str]:
        return split_names(self.outside_authors)

    @property
    def has_articles(self) -> bool:
        return self.kind == self.Kind.BULLETIN_ISSUE


class Article(TimeStampedModel):
    """An article printed in one of the school's bulletin / internal-journal issues."""

    school_path = "issue__school"
    objects = SchoolScopedQuerySet.as_manager()

    issue = models.ForeignKey(Publication, models.CASCADE, related_name="articles", verbose_name=_("issue"))
    title = models.CharField(_("title"), max_length=500)
    authors = models.ManyToManyField(Staff, blank=True, related_name="articles", verbose_name=_("staff authors"))
    outside_authors = models.TextField(_("outside authors"), blank=True, help_text=_("One name per line."))
    pages = models.CharField(_("pages"), max_length=20, blank=True)
    ideological_column = models.BooleanField(_("protecting the Party's ideological foundation"), default=False)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.issue.get_absolute_url()

    @property
    def outside_author_list(self) -> list[str]:
        return split_names(self.outside_authors)


class FieldTrip(TimeStampedModel):
    """A field trip (đi thực tế) of lecturers: where, when, who. ``days`` is stored for the sums."""

    school_path = "school"
    objects = SchoolScopedQuerySet.as_manager()

    school = models.ForeignKey(School, models.PROTECT, related_name="field_trips", verbose_name=_("school"))
    title = models.CharField(_("purpose"), max_length=300)
    place = models.CharField(pgettext_lazy("research", "place"), max_length=300)
    start_on = models.DateField(_("start date"))
    end_on = models.DateField(_("end date"))
    days = models.PositiveSmallIntegerField(_("days"), editable=False, default=1)
    participants = models.ManyToManyField(
        Staff, through="FieldTripParticipant", related_name="field_trips", verbose_name=_("participants")
    )
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    report = models.TextField(_("results / report"), blank=True)

    class Meta:
        verbose_name = _("field trip")
        verbose_name_plural = _("field trips")
        ordering = ["-start_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end_on__gte=models.F("start_on")), name="fieldtrip_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.place}"

    def get_absolute_url(self) -> str:
        return reverse("research:fieldtrip_detail", kwargs={"school_code": self.school.code, "pk": self.pk})

    def clean(self):
        super().clean()
        if self.start_on and self.end_on and self.end_on < self.start_on:
            raise ValidationError({"end_on": _("The end date cannot be before the start date.")})

    def save(self, *args, **kwargs):
        # A trip from the 3rd to the 5th lasts three days (both ends count).
        self.days = (self.end_on - self.start_on).days + 1
        super().save(*args, **kwargs)


class FieldTripParticipant(models.Model):
    school_path = "trip__school"

    trip = models.ForeignKey(FieldTrip, models.CASCADE, related_name="participations", verbose_name=_("field trip"))
    staff = models.ForeignKey(
        Staff, models.CASCADE, related_name="field_trip_participations", verbose_name=_("participant")
    )

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("field-trip participant")
        verbose_name_plural = _("field-trip participants")
        constraints = [models.UniqueConstraint(fields=["trip", "staff"], name="fieldtrip_participant_unique")]

    def __str__(self) -> str:
        return f"{self.staff} — {self.trip}"
