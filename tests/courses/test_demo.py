"""seed_demo's training part: idempotent, valid citizen IDs, the empty DEMO-TC1 class."""

import io

import pytest
from django.core.management import call_command

from courses.merging import link_proposals
from courses.models import Enrollment, Learner, Programme, TrainingClass
from courses.selectors import training_summary
from courses.validators import cccd_province_codes, validate_document

pytestmark = pytest.mark.django_db


def test_seed_demo_training_data():
    call_command("seed_demo", stdout=io.StringIO())
    counts = (Programme.objects.count(), TrainingClass.objects.count(), Learner.objects.count(),
              Enrollment.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert counts == (Programme.objects.count(), TrainingClass.objects.count(), Learner.objects.count(),
                      Enrollment.objects.count())
    demo = TrainingClass.objects.get(school__code="NGHEAN", code="DEMO-TC1")
    assert demo.programme.kind == Programme.Kind.INTERMEDIATE and demo.status == "in_progress"
    assert not demo.enrollments.exists()
    codes = cccd_province_codes()
    for learner in Learner.objects.all():
        assert validate_document(learner.document_type, learner.cccd, nationality=learner.nationality,
                                 date_of_birth=learner.date_of_birth, sex=learner.sex,
                                 province_codes=codes) == (learner.cccd, learner.nationality)
    # one person under the old CMND at Hà Tĩnh and the new CCCD at Nghệ An: proposed to the Academy
    assert [(p.old.cccd, p.new.cccd) for p in link_proposals()] == [("183456789", "042076001234")]
    for code in ("NGHEAN", "HATINH"):
        for year in (2024, 2025):
            summary = training_summary(TrainingClass.objects.filter(school__code=code).first().school, year)
            assert summary["classes_opened"] > 0 and summary["fulfilment_learners_pct"] is not None
        assert Enrollment.objects.filter(training_class__school__code=code, status="graduated").exists()
    shared = Learner.objects.filter(enrollments__training_class__school__code="NGHEAN").filter(
        enrollments__training_class__school__code="HATINH")
    assert shared.exists()  # one person trained at both schools
