import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from core.vietnamese import fold, sort_key
from schools.models import EthnicGroup, FormerProvince, Province, School, Staff

pytestmark = pytest.mark.django_db


def test_reference_data_is_loaded_by_migration():
    assert Province.objects.count() == 34
    assert FormerProvince.objects.count() == 63
    assert EthnicGroup.objects.count() == 54
    ha_giang = FormerProvince.objects.get(name="Hà Giang")
    assert ha_giang.cccd_code == "002" and ha_giang.merged_into.name == "Tỉnh Tuyên Quang"


def test_login_page_is_vietnamese_by_default(client):
    response = client.get(reverse("home"), follow=True)
    assert response.status_code == 200
    assert "Đăng nhập" in response.content.decode()


def test_vietnamese_even_when_the_browser_asks_for_english(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Đăng nhập" in page and 'lang="vi"' in page


def test_english_is_selectable(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Log in" in client.get(reverse("login")).content.decode()


def test_home_redirects_by_role(users, client_as, school):
    assert client_as(users["staff"]).get("/").url == reverse("schools:overview", kwargs={"school_code": school.code})
    assert client_as(users["reviewer"]).get("/").url == reverse("schools:dashboard")


def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_healthz_is_503_when_broker_is_down(client, settings, monkeypatch):
    from kombu import Connection

    from config.celery import app

    # Patch the app's connection factory (restored cleanly), not its settings.
    monkeypatch.setattr(app, "connection_for_write", lambda: Connection("redis://127.0.0.1:1/0", connect_timeout=1))
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")


def test_django_admin_is_for_superusers_only(users, client_as):
    users["academy"].is_staff = True
    users["academy"].save()
    assert client_as(users["academy"]).get("/django-admin/").status_code == 302
    root = User.objects.create_superuser("root", password="x-very-long-pw-1")
    assert client_as(root).get("/django-admin/").status_code == 200


def test_seed_demo_is_idempotent_and_creates_demo_accounts():
    call_command("seed_demo")
    counts = (School.objects.count(), Staff.objects.count(), User.objects.count())
    call_command("seed_demo")
    assert (School.objects.count(), Staff.objects.count(), User.objects.count()) == counts
    for username in ["academy", "reviewer", "nghean", "hatinh", "nghean_viewer"]:
        assert User.objects.get(username=username).check_password("demo12345")
    assert User.objects.get(username="nghean").school.code == "NGHEAN"
    assert User.objects.get(username="hatinh").school.code == "HATINH"
    assert School.objects.get(code="QUANGBINH").merged_into.code == "QUANGTRI"


def test_demo_account_can_log_in(client):
    call_command("seed_demo")
    response = client.post(reverse("login"), {"username": "nghean", "password": "demo12345"}, follow=True)
    assert response.context["user"].username == "nghean"
    assert "Trường Chính trị tỉnh Nghệ An" in response.content.decode()


def test_vietnamese_keys():
    assert fold("  Nguyễn   Văn ĐỨC ") == "nguyen van duc"
    import unicodedata

    assert fold(unicodedata.normalize("NFD", "Nguyễn")) == "nguyen"
    names = ["Đỗ Văn Đức", "Lê Văn Dũng", "Trần Thị Ân", "Phạm Thị Ăn", "Võ An"]
    assert sorted(names, key=sort_key) == ["Võ An", "Phạm Thị Ăn", "Trần Thị Ân", "Lê Văn Dũng", "Đỗ Văn Đức"]


def test_dates_are_shown_dd_mm_yyyy(users, client_as, school, lecturer):
    lecturer.date_of_birth = "1979-04-30"
    lecturer.save()
    page = client_as(users["viewer"]).get(lecturer.get_absolute_url()).content.decode()
    assert "30/04/1979" in page
