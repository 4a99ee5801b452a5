"""Tenancy sweep: every URL pattern of the project, filled with school B's records, is refused to
school A's administrator (the most powerful school role), for GET and for POST.

Acceptable answers: 404, 403, 405 (a method the page does not take, refused before any lookup),
or a redirect to a login page. A redirect anywhere else is accepted
only if nothing of the data changed. The URL patterns are found by walking the resolver (including
namespaced includes), so a new page is swept as soon as it exists; a pattern whose keyword
arguments the sweep cannot fill (a new kwarg name, or a ``pk`` of a model it does not know) FAILS
``test_every_url_pattern_can_be_filled`` with the list of such patterns — add them to ``PK_MODELS``
or ``fill()`` below rather than to the allow-list.

The same URLs filled with school A's own records are requested by A's administrator too, and must
be real pages — neither 404 nor 403 (a view that refuses its own school's administrator would make
the sweep's 403s prove nothing), except the few listed in ``OWN_REFUSED`` with their reason: that
proves the sweep builds real URLs (a sweep of dead links would prove nothing). Those pages of A
(under ``/s/<A>/``) must not show any row of school B: distinctive values of B's records (names,
titles, uploaded file names) that A's records do not have are looked for in each of them.

A redirect answered to A's POST on one of B's URLs must not lead to a page of school B.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404
from django.utils.html import escape

from accounts.models import Role, User
from tests.trust.worlds import World, build_worlds

# --- the allow-list: URLs that are legitimately not school-scoped ------------------------------
# Each is still requested (GET and POST) by school A's administrator: never a 500, and — for
# those that write — never a change to school B's records (the fingerprint check below).
NOT_SCHOOL_SCOPED = {
    "home": "redirects each user to their own school's overview",
    "healthz": "health check for the load balancer, no data",
    "login": "public login page",
    "logout": "ends one's own session",
    "password_change": "one's own password",
    "password_change_done": "one's own password",
    "set_language": "the interface language (a cookie)",
    "courses:programme_list": "the national programme catalogue: every school reads it (the Academy edits it)",
    "courses:programme_detail": "the national programme catalogue: every school reads it",
    "accounts:user_list": "the accounts of the user's own school (no school in the URL)",
    "accounts:user_create": "creates an account in the user's own school (no school in the URL)",
    "reports:job_list": "the user's own report jobs (ReportJob.objects.visible_to(user)); its request form is "
                        "checked below: a report on school B cannot be requested",
    "admin:login": "the Django admin's login page (the admin itself is for superusers only)",
}
# Academy pages and the Django admin need no allow-list entry: they are swept like every other URL
# (Academy pages answer 404 to school users, the Django admin redirects to its own login).

# ``pk`` (and other id kwargs) → the model of the record it names, by URL name.
PK_MODELS = {
    "accounts:user_update": "accounts.User",
    "schools:unit_detail": "schools.OrgUnit", "schools:unit_update": "schools.OrgUnit",
    "schools:unit_delete": "schools.OrgUnit",
    "schools:staff_detail": "schools.Staff", "schools:staff_update": "schools.Staff",
    "schools:staff_delete": "schools.Staff",
    "courses:programme_update": "courses.Programme", "courses:programme_delete": "courses.Programme",
    "courses:learner_history": "courses.Learner", "courses:learner_merge": "courses.Learner",
    "courses:learner_identity": "courses.Learner",
    "courses:plan_detail": "courses.AnnualPlan", "courses:plan_update": "courses.AnnualPlan",
    "courses:plan_delete": "courses.AnnualPlan",
    **{f"courses:{name}": "courses.TrainingClass" for name in (
        "class_detail", "class_update", "class_delete", "roster", "graduation_list", "record_graduation",
        "grade_grid", "enroll", "diplomas", "class_import")},
    "courses:enrollment_update": "courses.Enrollment", "courses:enrollment_delete": "courses.Enrollment",
    "courses:learner_detail": "courses.Learner", "courses:learner_update": "courses.Learner",
    **{f"courses:import_{name}": "courses.ImportBatch" for name in ("preview", "confirm", "cancel", "errors")},
    **{f"research:topic_{name}": "research.Topic" for name in ("detail", "update", "delete", "transition")},
    **{f"research:event_{name}": "research.Event" for name in ("detail", "update", "delete")},
    **{f"research:publication_{name}": "research.Publication" for name in ("detail", "update", "delete")},
    "research:article_update": "research.Article", "research:article_delete": "research.Article",
    **{f"research:fieldtrip_{name}": "research.FieldTrip" for name in ("detail", "update", "delete")},
    "emulation:criterion_update": "emulation.Criterion", "emulation:criterion_delete": "emulation.Criterion",
    "emulation:evidence": "emulation.Score", "emulation:appeal_create": "emulation.Score",
    "emulation:appeal_resolve": "emulation.Appeal",
    "emulation:proposal_vote": "emulation.AwardProposal", "emulation:proposal_decide": "emulation.AwardProposal",
    "emulation:staff_awards": "schools.Staff",
    "awards:award_update": "awards.Award", "awards:award_delete": "awards.Award",
    **{f"compliance:{name}": "compliance.Assessment" for name in (
        "assessment_detail", "assessment_export", "assessment_refresh", "assessment_submit",
        "review_request_evidence", "review_survey", "review_council", "review_recognise")},
    "compliance:answer_update": "compliance.Answer", "compliance:answer_comment": "compliance.Answer",
    "compliance:evidence_download": "compliance.EvidenceFile", "compliance:evidence_delete": "compliance.EvidenceFile",
    "compliance:standard_detail": "compliance.Standard", "compliance:indicator_update": "compliance.Indicator",
    "compliance:standard_export": "compliance.Standard",
    **{f"reports:job_{name}": "reports.ReportJob" for name in ("status", "download", "resend")},
    # audit:history is expanded into one URL per audited model (see urls_for)
}
# URLs of A's own records that A's administrator may rightly be refused (403), with the reason.
# Each is opened by the Academy's administrator instead, which must get a real page.
OWN_REFUSED = {
    "emulation:year_update": "members, head and calendar of a cluster year are set by the Academy",
    "emulation:proposal_decide": "the Academy decides on award proposals",
    **{f"compliance:review_{step}": "the Academy's review of a self-assessment"
       for step in ("request_evidence", "survey", "council", "recognise")},
    "compliance:answer_comment": "the Academy's reviewers comment on a school's answers",
}
# The catalogue's write pages: the Academy's (404 to school users, like every Academy page).
ACADEMY_WRITES = {"courses:programme_create", "courses:programme_update", "courses:programme_delete"}
ACTIONS = {"research:topic_transition": "approve", "emulation:year_transition": "finalize"}
LOGIN_PATHS = {reverse(settings.LOGIN_URL), reverse("admin:login")}
# Project apps whose rows are fingerprinted (sessions, login attempts and the like are not data).
DATA_APPS = {"accounts", "schools", "courses", "research", "emulation", "awards", "compliance", "reports", "audit",
             "yearend"}


# --- walking the URL patterns ---------------------------------------------------------------------
def walk(resolver=None, prefix="", namespace=None):
    """Yield (name with namespace or None, full route, pattern) for every URL pattern."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield name, prefix + str(pattern.pattern), pattern


def kwarg_names(route: str) -> list[str]:
    return re.findall(r"<(?:\w+:)?(\w+)>", route) + re.findall(r"\(\?P<(\w+)>", route)


def admin_model(route: str):
    """``django-admin/<app>/<model>/…`` → the model (None for the admin's own pages)."""
    parts = route.split("/")
    if len(parts) > 3 and parts[0] == "django-admin":
        try:
            return apps.get_model(parts[1], parts[2])
        except (LookupError, ValueError):
            return None
    return None


class Unfillable(Exception):
    pass


class UnknownKwarg(Unfillable):
    """A URL keyword argument (or a ``pk`` of a URL) that the sweep does not know how to fill."""


def record(world: World, label_or_model):
    model = apps.get_model(label_or_model) if isinstance(label_or_model, str) else label_or_model
    if model in world.objects and world.objects[model] is not None:
        return world.objects[model]
    if model._meta.label in ("emulation.Criterion",):
        return world.cluster_year.criteria.order_by("pk").first()
    if not hasattr(model, "school_path"):  # national records (programme catalogue, standards): no school
        instance = model._default_manager.order_by("pk").first()
        if instance is not None:
            return instance
    raise Unfillable(f"no {model._meta.label} record in the world of {world.school.code}")


def fill(name: str | None, route: str, kwarg: str, world: World, model_label: str | None = None) -> str:
    """The value of ``kwarg`` in ``route`` for ``world`` — or Unfillable."""
    cy = world.cluster_year
    if kwarg == "school_code":
        return world.school.code
    if kwarg == "cluster_code":
        return cy.cluster.code
    if kwarg == "year":
        return str(cy.year)
    if kwarg == "action" and name in ACTIONS:
        return ACTIONS[name]
    if kwarg == "metric" and name == "compliance:metric_evidence":
        from compliance.metrics import REGISTRY

        return sorted(REGISTRY)[0]
    if kwarg == "issue_pk" and name and name.startswith("research:article_"):
        return str(record(world, "research.Publication").pk)
    if kwarg == "model_label" and model_label:
        return model_label
    if kwarg == "pk" and name == "audit:history" and model_label:
        return str(record(world, model_label).pk)
    if kwarg == "pk" and name == "emulation:appeal_resolve":
        from emulation.models import Appeal

        return str(Appeal.objects.filter(score__scorecard__cluster_year=cy).order_by("pk").first().pk)
    if kwarg == "pk" and name in PK_MODELS:
        return str(record(world, PK_MODELS[name]).pk)
    if kwarg in ("object_id", "id") and route.startswith("django-admin/"):
        model = admin_model(route)
        if model is not None:
            try:
                return str(record(world, model).pk)
            except Unfillable:
                instance = model._default_manager.order_by("pk").first()
                return str(instance.pk) if instance else "1"
    if route.startswith("django-admin/") and kwarg in ("app_label", "url", "content_type_id", "object_id"):
        return {"app_label": "courses", "url": "courses/learner/", "content_type_id": "1", "object_id": "1"}[kwarg]
    raise UnknownKwarg(f"{name or route}: no value for <{kwarg}>")


def build(route: str, values: dict) -> str:
    def sub(match):
        return values[match.group(1)]

    url = re.sub(r"<(?:\w+:)?(\w+)>", sub, route)
    url = re.sub(r"\(\?P<(\w+)>[^)]*\)", sub, url)
    return "/" + url.lstrip("^").rstrip("$")


def urls_for(world: World) -> tuple[list[tuple[str, str]], list[str]]:
    """[(label, url)] for every URL pattern filled with ``world``'s records, and the unfillable ones."""
    from audit.registry import registered_models

    urls, unfillable = [], []
    for name, route, _pattern in walk():
        if name in NOT_SCHOOL_SCOPED:
            continue
        labels = [None]
        if name == "audit:history":
            labels = [m._meta.label_lower for m in registered_models()]
        for model_label in labels:
            try:
                values = {k: fill(name, route, k, world, model_label) for k in kwarg_names(route)}
            except Unfillable as exc:
                unfillable.append(str(exc))
                continue
            urls.append((f"{name or route} {model_label or ''}".strip(), build(route, values)))
    return urls, unfillable


# --- the data fingerprint ----------------------------------------------------------------------------
def fingerprint(school) -> dict:
    """Row counts of every data model, and a digest of every row of ``school``."""
    result = {}
    for model in apps.get_models():
        if model._meta.app_label not in DATA_APPS:
            continue
        result[f"count {model._meta.label}"] = model._base_manager.count()
        if hasattr(model, "school_path") and hasattr(model.objects, "for_school"):
            rows = model.objects.for_school(school).order_by("pk").values_list()
            result[model._meta.label] = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
    return result


def is_page_of(world: World, location: str) -> bool:
    """Whether ``location`` is a page of ``world``'s school (or of its own cluster)."""
    path = urlsplit(location).path
    return path.startswith((f"/s/{world.school.code}/", f"/emulation/{world.cluster_year.cluster.code}/"))


# Records whose distinctive text shows a row of a school on a page: (model label, field).
MARKER_FIELDS = [
    ("schools.Staff", "full_name"), ("schools.OrgUnit", "name"), ("courses.Learner", "full_name"),
    ("courses.TrainingClass", "name"), ("courses.ImportBatch", "original_name"), ("research.Topic", "title"),
    ("research.Event", "title"), ("research.Publication", "title"), ("research.FieldTrip", "title"),
]


# Records B holds that A rightly sees too: an event A co-organises is listed on A's pages with A's
# role (issue 14 item 5).
SHARED_WITH = {"research.Event": "co_organisers__school"}


def b_only_markers(a: World, b: World) -> list[str]:
    """Distinctive values (12 characters or more) of B's records that none of A's records has."""
    markers = set()
    for label, name in MARKER_FIELDS:
        try:
            model = apps.get_model(label)
            model._meta.get_field(name)
        except (LookupError, FieldDoesNotExist):  # an app not installed, a field renamed on another branch
            continue
        own = set(model.objects.for_school(a.school).values_list(name, flat=True))
        if label in SHARED_WITH:
            own |= set(model.objects.filter(**{SHARED_WITH[label]: a.school}).values_list(name, flat=True))
        values = set(model.objects.for_school(b.school).values_list(name, flat=True)) - own
        markers |= {value for value in values if isinstance(value, str) and len(value) >= 12}
    return sorted(markers)


def other_school_rows(page: str, markers: list[str]) -> list[str]:
    """The markers found in ``page`` as whole words (a name inside a longer name does not count)."""
    if not markers:
        return []
    by_text = {escape(marker): marker for marker in markers}
    pattern = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, sorted(by_text, key=len, reverse=True))) + r")(?!\w)")
    return sorted({by_text[match.group(1)] for match in pattern.finditer(page)})


def is_login_redirect(response) -> bool:
    return response.status_code in (301, 302) and urlsplit(response["Location"]).path in LOGIN_PATHS


# --- the tests ------------------------------------------------------------------------------------------
def test_every_url_pattern_can_be_filled():
    """A new URL pattern the sweep cannot build fails here, listed by name (no database needed)."""
    from tests.trust import worlds

    fake = World(school=type("S", (), {"code": "X"})(), admin=None,
                 cluster_year=type("CY", (), {"cluster": type("C", (), {"code": "c"})(), "year": 2024})())
    assert worlds.A_CODE != worlds.B_CODE
    names = set()
    unfillable = []
    for name, route, _pattern in walk():
        names.add(name)
        if name in NOT_SCHOOL_SCOPED or name in ("emulation:appeal_resolve",):
            continue
        labels = [None] if name != "audit:history" else ["schools.staff"]
        for label in labels:
            for kwarg in kwarg_names(route):
                try:
                    fill(name, route, kwarg, fake, label)
                except UnknownKwarg as exc:
                    unfillable.append(str(exc))
                except Exception:  # noqa: S112 — no records in the fake world: the kwarg itself is known
                    continue
    assert not unfillable, "URL patterns the tenancy sweep cannot fill (teach fill()/PK_MODELS):\n" + "\n".join(
        unfillable)
    stale = (set(NOT_SCHOOL_SCOPED) | set(OWN_REFUSED)) - names
    assert not stale, f"allow-list entries that no longer exist: {stale}"


@pytest.mark.django_db
def test_school_a_admin_never_gets_school_b_records():
    a, b = build_worlds()
    assert a.admin.is_school_admin and a.admin.school == a.school
    client = Client()
    client.force_login(a.admin)
    client.raise_request_exception = False

    # Sanity: the URLs built with A's own records are real pages for A's administrator.
    own_urls, unfillable = urls_for(a)
    assert not unfillable, unfillable
    academy = Client()
    academy.force_login(User.objects.filter(role=Role.ACADEMY_ADMIN, is_active=True).order_by("pk").first())
    markers = b_only_markers(a, b)
    assert len(markers) > 20
    dead, other_rows = [], []
    for label, url in own_urls:
        if url.startswith(("/academy/", "/django-admin/")) or label in ACADEMY_WRITES:
            continue  # refused to every school user, whoever's records they name
        if label == "emulation:year_transition":
            continue  # A's cluster year is final: no step is left, so 404 is the right answer
        response = client.get(url)
        if response.status_code == 403 and label in OWN_REFUSED:
            response = academy.get(url)  # the page is real: its rightful user opens it
        if response.status_code in (403, 404, 500):
            dead.append(f"{label} {url} → {response.status_code}")
        elif (response.status_code == 200 and url.startswith(f"/s/{a.school.code}/")
              and response.get("Content-Type", "").startswith("text/html")):
            shown = other_school_rows(response.content.decode(), markers)
            if shown:
                other_rows.append(f"{label} {url} shows {shown[:3]}")
    assert not dead, "URLs of school A's own records that A's administrator cannot open:\n" + "\n".join(dead)
    assert not other_rows, "school A's pages that show rows of school B:\n" + "\n".join(other_rows)

    urls, unfillable = urls_for(b)
    assert not unfillable, unfillable
    assert len(urls) > 150  # every app's pages (and the Django admin's)
    before = fingerprint(b.school)
    leaks = []
    for label, url in urls:
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            status = response.status_code
            # 405: the method is refused before any record is looked up (the same for any id): no leak.
            if status in (403, 404, 405) or is_login_redirect(response):
                continue
            if status in (301, 302) and fingerprint(b.school) == before and not is_page_of(b, response["Location"]):
                continue  # a redirect elsewhere that changed nothing (e.g. a form page bouncing back)
            leaks.append(f"{method.upper()} {label} {url} → {status}"
                         + (f" to {response['Location']}" if status in (301, 302) else ""))
    assert not leaks, "school A's administrator reached school B's records:\n" + "\n".join(leaks)
    assert fingerprint(b.school) == before, "school B's records changed during the sweep"
    check_not_school_scoped(client, b)


def check_not_school_scoped(client, b):
    """The allow-listed URLs, GET and POST by A's administrator: no 500, nothing of B changed."""
    before = fingerprint(b.school)
    for name, route, _pattern in walk():
        if name not in NOT_SCHOOL_SCOPED or name == "logout":
            continue
        url = build(route, {"pk": str(record(b, "courses.Programme").pk)})
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            healthy_503 = name == "healthz" and response.status_code == 503  # the broker may be down in tests
            assert response.status_code < 500 or healthy_503, (method, name, response.status_code)
    # The account pages show A's own accounts only; the report list A's own jobs only.
    page = client.get(reverse("accounts:user_list")).content.decode()
    assert b.admin.username not in page
    if apps.is_installed("reports"):
        from reports.models import ReportJob

        b_jobs = list(ReportJob.objects.filter(school=b.school))
        assert b_jobs
        page = client.get(reverse("reports:job_list")).content.decode()
        assert all(str(job.pk) not in page for job in b_jobs)
        client.post(reverse("reports:job_list"), {"kind": "school", "year": 2023, "scope": "school",
                                                  "school": b.school.pk})
        assert list(ReportJob.objects.filter(school=b.school)) == b_jobs
    assert fingerprint(b.school) == before


def test_sweep_helpers_build_and_resolve_urls():
    """The route builder yields URLs that resolve back to the same pattern."""
    for name, route, _pattern in walk():
        if not name or route.startswith("django-admin/"):
            continue
        values = {k: ("X1" if k.endswith("code") else "c" if k in ("action", "model_label") else
                      "00000000-0000-0000-0000-000000000000" if f"<uuid:{k}>" in route else "7")
                  for k in kwarg_names(route)}
        url = build(route, values)
        try:
            match = resolve(url)
        except Resolver404:
            pytest.fail(f"{name}: built {url} does not resolve")
        assert match.view_name == name, (url, match.view_name, name)



def test_the_blind_spot_checks_catch_what_they_look_for():
    """The checks added for the sweep's blind spots fail when they should (no database needed)."""
    fake = World(school=type("S", (), {"code": "NGHEAN"})(), admin=None,
                 cluster_year=type("CY", (), {"cluster": type("C", (), {"code": "rieng-nghean"})(), "year": 2022})())
    assert is_page_of(fake, "/s/NGHEAN/learners/12/")
    assert is_page_of(fake, "http://testserver/emulation/rieng-nghean/2022/")
    assert not is_page_of(fake, "/s/HATINH/learners/")
    assert not is_page_of(fake, "/emulation/BTB/2023/")
    markers = ["Nguyễn Văn An", "hoc-vien-nghean.xlsx", "Khoa Lý luận & Pháp luật"]
    assert other_school_rows("<td>Nguyễn Văn Anh</td><td>hoc-vien-hatinh.xlsx</td>", markers) == []
    assert other_school_rows("<td>Nguyễn Văn An</td>", markers) == ["Nguyễn Văn An"]
    assert set(other_school_rows("<a>hoc-vien-nghean.xlsx</a> Khoa Lý luận &amp; Pháp luật", markers)) == {
        "hoc-vien-nghean.xlsx", "Khoa Lý luận & Pháp luật"}
