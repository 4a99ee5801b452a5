"""The pages of the app as a user reaches them, built from the URL patterns with demo ids.

Every named URL pattern of the project (Django's admin apart) is either turned into a page here
or listed in ``NOT_PAGES`` with the reason (a download, a POST-only step, JSON). ``unplaced``
returns the patterns in neither, so a new page cannot be forgotten by the layout test.
"""

from django.urls import URLResolver, get_resolver, reverse

# URL names that are not pages a user looks at (files, JSON, POST-only actions).
NOT_PAGES = {
    "healthz": "JSON health check",
    "logout": "POST only",
    "set_language": "POST only",
    "home": "redirects to the home page of the role",
    "password_change_done": "a one-line confirmation",
    "login": "visited before logging in",
    "courses:import_template": "Excel download",
    "courses:import_errors": "Excel download",
    "courses:import_confirm": "POST only",
    "courses:import_cancel": "POST only",
    "courses:import_preview": "needs an uploaded workbook (covered by the import tests)",
    "reports:job_status": "JSON",
    "reports:job_download": "Excel download",
    "reports:job_resend": "POST only",
    "compliance:assessment_export": "Excel download",
    "compliance:assessment_refresh": "POST only",
    "compliance:assessment_submit": "POST only",
    "compliance:evidence_download": "file download",
    "research:topic_transition": "POST only",
    "emulation:year_transition": "POST only",
    "emulation:scorecard_submit": "POST only",
    "emulation:evidence": "file download",
    "emulation:scheme_copy": "POST only",
    "compliance:standard_export": "Excel download",
    "courses:learner_merge": "needs a pair of records chosen on the links page (tests/courses: the identity tests)",
}


# Pages of rows the demo data may not hold (then not visited).
DEMO_MAY_LACK = {"emulation:appeal_resolve", "compliance:evidence_delete", "emulation:proposal_vote",
                 "emulation:proposal_decide",
                 # a past season that is not final yet (the demo's seasons are final or current)
                 "emulation:year_recorded_entry"}


def _walk(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            yield from _walk(pattern.url_patterns, pattern.namespace or namespace)
        elif pattern.name:
            yield (f"{namespace}:" if namespace else "") + pattern.name


def url_names() -> list[str]:
    return list(dict.fromkeys(_walk(get_resolver().url_patterns)))


def _first(queryset):
    obj = queryset.order_by("pk").first()
    assert obj is not None, f"the demo data has no {queryset.model.__name__}"
    return obj


def demo_pages(school_code: str) -> dict[str, str]:
    """URL name → path of that page on the demo data, for the school ``school_code``."""
    from accounts.models import User
    from awards.models import Award
    from compliance.metrics import REGISTRY
    from compliance.models import Answer, Assessment, EvidenceFile, Indicator
    from courses.models import AnnualPlan, Enrollment, Programme, TrainingClass
    from emulation.models import Appeal, AwardProposal, Criterion, Scorecard
    from research.models import Event, FieldTrip, Publication, Topic
    from schools.models import OrgUnit, School, Staff

    school = School.objects.get(code=school_code)
    s = {"school_code": school_code}
    klass = _first(TrainingClass.objects.filter(school=school, enrollments__isnull=False).distinct())
    card = _first(Scorecard.objects.filter(school=school).select_related("cluster_year__cluster"))
    cy = card.cluster_year
    y = {"cluster_code": cy.cluster.code, "year": cy.year}
    assessment = _first(Assessment.objects.filter(school=school))
    answer = _first(Answer.objects.filter(assessment=assessment))
    issue = _first(Publication.objects.filter(school=school, articles__isnull=False).distinct())
    staff = _first(Staff.objects.filter(school=school))
    kwargs = {
        "accounts:user_list": {}, "accounts:user_create": {},
        "accounts:user_update": {"pk": _first(User.objects.filter(school=school)).pk},
        "password_change": {},
        "schools:dashboard": {}, "schools:school_list": {}, "schools:school_create": {},
        "schools:school_update": s, "schools:school_delete": s, "schools:overview": s,
        "schools:unit_list": s, "schools:unit_create": s,
        "schools:staff_list": s, "schools:staff_create": s,
        "courses:programme_list": {}, "courses:programme_create": {},
        "courses:academy_learner_list": {},
        "courses:learner_history": {"pk": Enrollment.objects.filter(training_class=klass).first().learner_id},
        "courses:plan_list": s, "courses:plan_create": s,
        "courses:class_list": s, "courses:class_create": s,
        "courses:learner_list": s, "courses:import_start": s,
        "research:topic_list": s, "research:topic_create": s, "research:event_list": s, "research:event_create": s,
        "research:publication_list": s, "research:publication_create": s,
        "research:fieldtrip_list": s, "research:fieldtrip_create": s, "research:summary": s,
        "research:article_create": {**s, "issue_pk": issue.pk},
        "research:article_update": {**s, "issue_pk": issue.pk, "pk": issue.articles.order_by("pk").first().pk},
        "research:article_delete": {**s, "issue_pk": issue.pk, "pk": issue.articles.order_by("pk").first().pk},
        "emulation:cluster_list": {}, "emulation:cluster_create": {},
        "emulation:cluster_detail": {"cluster_code": cy.cluster.code},
        "emulation:cluster_update": {"cluster_code": cy.cluster.code},
        "emulation:year_create": {"cluster_code": cy.cluster.code},
        **{f"emulation:{name}": y for name in (
            "year_detail", "year_update", "year_schedule", "scheme", "criterion_create", "appeals", "ranking",
            "proposals", "proposal_create", "meeting", "minutes")},
        "emulation:criterion_update": {**y, "pk": _first(Criterion.objects.filter(cluster_year=cy)).pk},
        "emulation:criterion_delete": {**y, "pk": _first(Criterion.objects.filter(cluster_year=cy)).pk},
        **{f"emulation:{name}": {**y, "school_code": school_code} for name in ("scorecard", "self_score", "appraise")},
        "emulation:appeal_create": {**y, "school_code": school_code, "pk": _first(card.scores.all()).pk},
        "emulation:school_clusters": s, "emulation:school_scores": s, "emulation:school_awards": s,
        "emulation:staff_awards": {**s, "pk": staff.pk},
        "compliance:assessment_list": s, "compliance:assessment_create": s, "compliance:gap": s,
        "compliance:console": {}, "compliance:standard_list": {},
        "compliance:standard_detail": {"pk": assessment.standard_id},
        "compliance:indicator_update": {"pk": _first(Indicator.objects.all()).pk},
        **{f"compliance:{name}": {**s, "pk": assessment.pk} for name in (
            "assessment_detail", "review_request_evidence", "review_survey", "review_council", "review_recognise")},
        "compliance:answer_update": {**s, "pk": answer.pk},
        "compliance:answer_comment": {**s, "pk": answer.pk},
        "compliance:metric_evidence": {**s, "metric": next(iter(REGISTRY))},
        "reports:job_list": {},
        "audit:log_list": {},
        "schools:structure_check": {}, "courses:learner_links": {}, "courses:joint_classes": {},
        "courses:learner_identity": {"pk": Enrollment.objects.filter(training_class=klass).first().learner_id},
        "emulation:tie_break": y, "compliance:standard_import": {},
        "awards:register": s, "awards:award_create": s,
        "yearend:school_locks": s, "yearend:year_lock": {**s, "year": cy.year}, "yearend:console": {},
        "audit:history": {**s, "model_label": "courses.trainingclass", "pk": klass.pk},
    }
    by_model = {
        "schools:unit": OrgUnit.objects.filter(school=school), "schools:staff": Staff.objects.filter(school=school),
        "courses:plan": AnnualPlan.objects.filter(school=school),
        "courses:class": TrainingClass.objects.filter(pk=klass.pk),
        "research:topic": Topic.objects.filter(school=school), "research:event": Event.objects.filter(school=school),
        "research:publication": Publication.objects.filter(pk=issue.pk),
        "research:fieldtrip": FieldTrip.objects.filter(school=school),
        "compliance:evidence": EvidenceFile.objects.filter(answer__assessment__school=school),
        "awards:award": Award.objects.filter(school=school),
    }
    for prefix, queryset in by_model.items():
        app, model = prefix.split(":")
        obj = queryset.order_by("pk").first()
        if obj is None:
            continue
        for suffix in ("detail", "update", "delete"):
            kwargs.setdefault(f"{app}:{model}_{suffix}", {**s, "pk": obj.pk})
    programme = _first(Programme.objects.all())
    for suffix in ("detail", "update", "delete"):
        kwargs[f"courses:programme_{suffix}"] = {"pk": programme.pk}
    for name in ("roster", "graduation_list", "record_graduation", "grade_grid", "enroll", "diplomas", "class_import"):
        kwargs[f"courses:{name}"] = {**s, "pk": klass.pk}
    for name in ("enrollment_update", "enrollment_delete"):
        kwargs[f"courses:{name}"] = {**s, "pk": Enrollment.objects.filter(training_class=klass).first().pk}
    for name in ("learner_detail", "learner_update"):
        kwargs[f"courses:{name}"] = {**s, "pk": Enrollment.objects.filter(training_class=klass).first().learner_id}
    for name in ("proposal_vote", "proposal_decide"):
        proposal = AwardProposal.objects.filter(cluster_year=cy).order_by("pk").first()
        if proposal:
            kwargs[f"emulation:{name}"] = {**y, "pk": proposal.pk}
    appeal = Appeal.objects.filter(score__scorecard__cluster_year=cy).order_by("pk").first()
    if appeal:
        kwargs["emulation:appeal_resolve"] = {**y, "pk": appeal.pk}
    names = set(url_names())
    return {name: reverse(name, kwargs=value) for name, value in kwargs.items() if name in names}


def unplaced(pages: dict[str, str]) -> list[str]:
    return [name for name in url_names() if name not in pages and name not in NOT_PAGES and name not in DEMO_MAY_LACK]
