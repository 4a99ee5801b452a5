import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from emulation.models import AwardProposal, ClusterYear, CommendationForm, EmulationTitle
from emulation.selectors import school_emulation_results
from schools.models import School

pytestmark = pytest.mark.django_db


def test_demo_has_the_north_central_cluster_with_2022_awards(client_as):
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent
    y2022 = ClusterYear.objects.get(cluster__code="BTB", year=2022)
    y2023 = ClusterYear.objects.get(cluster__code="BTB", year=2023)
    assert y2022.head.code == "NGHEAN" and y2022.status == ClusterYear.Status.FINAL
    # 2022 was entered as recorded: its steps keep their 2022 dates, the log says who entered it.
    assert y2022.recorded_entry and y2022.recorded_by.username == "academy"
    assert y2022.step_dates["finalize"] == "2022-11-08" and y2022.meeting.held_on.isoformat() == "2022-11-08"
    assert "tọa đàm" in y2022.meeting.conclusions and y2022.meeting.place == "Trường Chính trị tỉnh Nghệ An"
    assert {c.submitted_at.date().isoformat() for c in y2022.scorecards.all()} == {"2022-10-30"}
    assert not y2023.recorded_entry
    assert y2023.head.code == "HATINH"
    assert {s.code for s in y2023.deputies.all()} == {"QUANGBINH", "QUANGTRI"}
    assert y2022.memberships.count() == 7
    assert {c.rank for c in y2022.scorecards.all()} and y2022.scorecards.filter(rank__isnull=True).count() == 0
    assert y2022.scorecards.get(rank_order=1).school.code == "HUE"
    flag = AwardProposal.objects.get(cluster_year=y2022, title=EmulationTitle.ACADEMY_FLAG)
    assert flag.school.code == "HUE" and flag.status == AwardProposal.Status.APPROVED
    certificate = AwardProposal.objects.get(cluster_year=y2022, staff__isnull=True,
                                            commendation_form=CommendationForm.DIRECTOR_CERTIFICATE)
    assert certificate.school.code == "NGHEAN"
    assert AwardProposal.objects.filter(cluster_year=y2022).count() == 3
    y2025 = ClusterYear.objects.get(cluster__code="BTB", year=2025)
    assert "QUANGBINH" not in {s.code for s in y2025.members.all()} and y2025.memberships.count() == 6
    hue = School.objects.get(code="HUE")
    result = school_emulation_results(hue, 2022)
    assert result["cluster"] == "Cụm thi đua Bắc Trung Bộ" and result["rank"] == 1 and result["members"] == 7
    assert result["awards"][0].startswith("Cờ thi đua của Học viện")
    # The demo accounts reach the pages.
    nghean = client_as(User.objects.get(username="nghean"))
    for name in ("year_detail", "ranking", "minutes", "proposals", "scheme"):
        assert nghean.get(reverse(f"emulation:{name}", args=["BTB", 2022])).status_code == 200, name
    assert nghean.get(reverse("emulation:scorecard", args=["BTB", 2022, "HUE"])).status_code == 200
    assert nghean.get(reverse("emulation:school_awards", args=["NGHEAN"])).status_code == 200
