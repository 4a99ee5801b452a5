"""Issue 17 item 5: the demo data stay true to the sources, and what is invented says "DEMO"."""

import datetime
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from compliance.models import Assessment, Indicator
from courses.models import AnnualPlan, Programme, TrainingClass
from emulation.models import AwardProposal
from research.models import Event, Topic
from schools.models import School

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PROPAGANDA_MERGED_ON = datetime.date(2025, 3, 1)
COMMUNE_CENTRES_FROM = datetime.date(2025, 8, 29)


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)


def test_demo_is_true_to_the_sources(demo):
    quang_tri = Assessment.objects.get(school__code="QUANGTRI", stage="recognised")
    assert (quang_tri.level_recognised, quang_tri.decision_date) == (1, datetime.date(2025, 12, 5))
    # no Ban Tuyên giáo và Dân vận before it existed
    early_events = Event.objects.filter(held_on__lt=PROPAGANDA_MERGED_ON, other_organisers__contains="Dân vận")
    assert not early_events.exists()
    assert not Topic.objects.filter(start_on__lt=PROPAGANDA_MERGED_ON, outside_members__contains="Dân vận").exists()
    # no commune centre before 29/08/2025, no Cao cấp class at a commune centre
    centres = School.objects.filter(kind=School.Kind.COMMUNE_CENTRE)
    assert not centres.filter(founding_date__lt=COMMUNE_CENTRES_FROM).exists()
    assert not TrainingClass.objects.filter(school__kind=School.Kind.COMMUNE_CENTRE,
                                            programme__kind=Programme.Kind.ADVANCED).exists()
    assert not TrainingClass.objects.filter(school__kind=School.Kind.COMMUNE_CENTRE,
                                            opening_date__lt=COMMUNE_CENTRES_FROM).exists()
    # invented decisions say DEMO
    invented = (
        list(Assessment.objects.exclude(decision_number="").values_list("decision_number", flat=True))
        + list(AwardProposal.objects.exclude(decision_number="").values_list("decision_number", flat=True))
        + list(AnnualPlan.objects.exclude(decision_number="").values_list("decision_number", flat=True))
        + list(TrainingClass.objects.exclude(opening_decision_number="").values_list("opening_decision_number",
                                                                                     flat=True))
        + list(TrainingClass.objects.exclude(closing_decision_number="").values_list("closing_decision_number",
                                                                                     flat=True))
    )
    assert invented and all("DEMO" in number for number in invented), [n for n in invented if "DEMO" not in n]
    assert not Indicator.objects.filter(note__contains="DOMAIN").exists()
    assert not Indicator.objects.filter(note__regex=r"\b[\w-]+\.(md|py|json)\b").exists()


def test_the_rules_refuse_what_could_not_have_existed(db):
    centre = School(code="XA1", name="Trung tâm chính trị xã A", kind=School.Kind.COMMUNE_CENTRE,
                    founding_date=datetime.date(2025, 7, 1))
    with pytest.raises(ValidationError, match="29/08/2025"):
        centre.full_clean()
    centre.founding_date = COMMUNE_CENTRES_FROM
    centre.full_clean()
    centre.save()
    advanced = Programme.objects.create(code="CC", name="Cao cấp lý luận chính trị", kind=Programme.Kind.ADVANCED)
    klass = TrainingClass(school=centre, programme=advanced, code="CC1", name="Lớp cao cấp",
                          opening_date=datetime.date(2025, 10, 1))
    with pytest.raises(ValidationError) as error:
        klass.full_clean()
    assert "programme" in error.value.message_dict


def test_user_facing_data_files_name_no_repository_file():
    pattern = re.compile(r"\b[\w-]+\.(md|py|json)\b|DOMAIN")
    for path in sorted((ROOT / "compliance" / "data").glob("*.json")):
        assert not pattern.search(path.read_text(encoding="utf-8")), path.name
