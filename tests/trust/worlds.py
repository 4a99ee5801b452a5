"""Two schools with a realistic set of records of every kind, built from the apps' demo data.

School A is Trần Phú school (HATINH, account ``hatinh``, a school administrator), school B is the
Nghệ An school (NGHEAN). Both get their records from ``seed_demo`` (staff, units, plans, classes,
learners, enrollments, marks, research, emulation, and whatever later apps seed); on top of it each
school gets the records the demo does not create (an import batch, an appeal, an evidence file) and
school B gets an emulation cluster of its own, so that no cluster year is shared with school A.

``World`` holds, for one school, the objects its URLs are built with.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import openpyxl
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from accounts.models import User

A_CODE, B_CODE = "HATINH", "NGHEAN"
A_ADMIN, B_ADMIN = "hatinh", "nghean"


@dataclass
class World:
    school: object
    admin: User
    cluster_year: object
    objects: dict = field(default_factory=dict)  # model class → one record of this school

    def get(self, model):
        return self.objects.get(model)


def _xlsx(rows) -> bytes:
    from courses.importer import HEADERS

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(HEADERS))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _import_batch(training_class, user):
    from courses.importer import start_import

    row = [1, "Lê Văn Nhập", "02/03/1984", "Nam", "Kinh", "Không", "", "Hà Tĩnh", "Chuyên viên", "UBND xã",
           "", "", "Cử nhân", "Sơ cấp"]  # no CCCD: a batch with one problem (stays in preview)
    name = f"hoc-vien-{training_class.school.code.lower()}.xlsx"  # a file name of this school only
    return start_import(uploaded=SimpleUploadedFile(name, _xlsx([row])), training_class=training_class, user=user)


def _clone(obj, **changes):
    obj.pk = None
    obj.id = None
    obj._state.adding = True
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.save()
    return obj


def _own_cluster_year(school):
    """A copy of the final 2022 year of the demo cluster, with ``school`` as its only member and head."""
    from emulation.models import (
        AwardProposal,
        Cluster,
        ClusterMembership,
        ClusterYear,
        Criterion,
        Meeting,
    )

    source = ClusterYear.objects.get(cluster__code="BTB", year=2022)
    cluster = Cluster.objects.create(code=f"rieng-{school.code.lower()}", name=f"Cụm riêng của {school.code}")
    cy = _clone(ClusterYear.objects.get(pk=source.pk), cluster=cluster, head=school)
    ClusterMembership.objects.create(cluster_year=cy, school=school)
    criteria = {}
    for criterion in Criterion.objects.filter(cluster_year=source).order_by("parent_id", "pk"):
        old = criterion.pk
        criteria[old] = _clone(criterion, cluster_year=cy,
                               parent=criteria.get(criterion.parent_id) if criterion.parent_id else None)
    card = source.scorecards.get(school=school)
    scores = list(card.scores.all())
    card = _clone(card, cluster_year=cy)
    for score in scores:
        _clone(score, scorecard=card, criterion=criteria[score.criterion_id])
    for proposal in AwardProposal.objects.filter(cluster_year=source, school=school):
        _clone(proposal, cluster_year=cy)
    meeting = Meeting.objects.filter(cluster_year=source).first()
    if meeting is not None:
        _clone(meeting, cluster_year=cy, next_head=None)
    return cy


def _complete(world: World) -> None:
    """The records the demo data does not create: an import batch, an appeal, an evidence file."""
    from courses.models import ImportBatch, TrainingClass
    from emulation.models import Appeal, AwardProposal, Score

    klass = (TrainingClass.objects.for_school(world.school).exclude(status=TrainingClass.Status.CLOSED)
             .filter(enrollments__isnull=False).order_by("pk").first())
    if not ImportBatch.objects.for_school(world.school).exists():
        _import_batch(klass, world.admin)
    score = Score.objects.filter(scorecard__cluster_year=world.cluster_year, scorecard__school=world.school).order_by("pk")
    first, second = score[0], score[1]
    if not first.evidence_file:
        first.evidence_file.save("bien-ban.pdf", ContentFile(b"%PDF-1.4\n%demo\n"), save=True)
    world.objects[Score] = first  # a score of the world's cluster year, with an evidence file
    if not Appeal.objects.filter(score=second).exists():
        Appeal.objects.create(score=second, reason="Đề nghị xem xét lại điểm thẩm định.", requested_points=1)
    if apps.is_installed("compliance"):
        from compliance.models import Answer, EvidenceFile

        answer = Answer.objects.for_school(world.school).order_by("pk").first()
        if answer is not None and not EvidenceFile.objects.for_school(world.school).exists():
            EvidenceFile.objects.create(answer=answer, file=ContentFile(b"%PDF-1.4\n%demo\n", name="minh-chung.pdf"),
                                        name="minh-chung.pdf", size=16, uploaded_by=world.admin)
    if apps.is_installed("reports"):
        from reports import services as reports

        job = reports.request_report(user=world.admin, kind="school", year=2023, scope="school", school=world.school)
        reports.run_job(job)  # done, with its file
    if apps.is_installed("yearend"):
        from yearend import services as yearend

        if not yearend.year_locked(world.school, 2019):  # a year-end lock (a year without demo records)
            yearend.lock_year(school=world.school, year=2019, user=world.admin)
    if not AwardProposal.objects.filter(cluster_year=world.cluster_year, school=world.school).exists():
        _clone(AwardProposal.objects.order_by("pk").first(), cluster_year=world.cluster_year, school=world.school)


def collect(world: World) -> None:
    """One record of every school-scoped model (the first by pk, preferring ones with children)."""
    from courses.models import TrainingClass
    from research.models import Article, Publication

    for model in apps.get_models():
        if model in world.objects:
            continue
        if hasattr(model, "school_path") and hasattr(model.objects, "for_school"):
            world.objects[model] = model.objects.for_school(world.school).order_by("pk").first()
    world.objects[TrainingClass] = (TrainingClass.objects.for_school(world.school)
                                    .filter(enrollments__isnull=False).order_by("pk").first())
    article = Article.objects.for_school(world.school).order_by("pk").first()
    world.objects[Article] = article
    world.objects[Publication] = article.issue if article else world.objects[Publication]
    world.objects[User] = world.admin


def build_worlds() -> tuple[World, World]:
    """Seed the demo data and return (school A's world, school B's world)."""
    from emulation.models import ClusterYear
    from schools.models import School

    call_command("seed_demo", stdout=io.StringIO())
    school_a, school_b = School.objects.get(code=A_CODE), School.objects.get(code=B_CODE)
    a = World(school_a, User.objects.get(username=A_ADMIN),
              ClusterYear.objects.get(cluster__code="BTB", year=2023))  # A heads the 2023 year
    b = World(school_b, User.objects.get(username=B_ADMIN), _own_cluster_year(school_b))
    for world in (a, b):
        _complete(world)
        collect(world)
    return a, b

