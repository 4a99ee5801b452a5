import pytest
from django.urls import reverse

from accounts.models import Role, User

pytestmark = pytest.mark.django_db


def test_only_admins_reach_account_management(users, client_as):
    page = reverse("accounts:user_list")
    assert client_as(users["admin"]).get(page).status_code == 200
    assert client_as(users["academy"]).get(page).status_code == 200
    for role in ("staff", "viewer", "reviewer"):
        assert client_as(users[role]).get(page).status_code == 403
    assert client_as(None).get(page).status_code == 302


def test_school_admin_sees_and_edits_only_own_school_accounts(users, client_as):
    client = client_as(users["admin"])
    listed = {u.username for u in client.get(reverse("accounts:user_list")).context["object_list"]}
    assert listed == {"admin_a", "staff_a", "viewer_a"}
    outsider = users["outsider"]
    assert client.get(reverse("accounts:user_update", args=[outsider.pk])).status_code == 404
    response = client.post(reverse("accounts:user_update", args=[outsider.pk]), {"username": "hacked", "role": "school_viewer"})
    assert response.status_code == 404
    assert User.objects.get(pk=outsider.pk).username == "admin_b"


def test_school_admin_creates_account_in_own_school_with_school_role_only(users, client_as, school):
    client = client_as(users["admin"])
    data = {"username": "newbie", "role": Role.ACADEMY_ADMIN, "is_active": "on",
            "password1": "Một-mật-khẩu-dài-2025", "password2": "Một-mật-khẩu-dài-2025"}
    assert client.post(reverse("accounts:user_create"), data).status_code == 200
    assert not User.objects.filter(username="newbie").exists()
    data["role"] = Role.SCHOOL_STAFF
    assert client.post(reverse("accounts:user_create"), data).status_code == 302
    created = User.objects.get(username="newbie")
    assert created.school == school and created.role == Role.SCHOOL_STAFF
    assert created.check_password("Một-mật-khẩu-dài-2025")


def test_weak_password_is_refused(users, client_as):
    data = {"username": "weak", "role": Role.SCHOOL_STAFF, "password1": "12345678", "password2": "12345678"}
    response = client_as(users["admin"]).post(reverse("accounts:user_create"), data)
    assert response.status_code == 200 and not User.objects.filter(username="weak").exists()


def test_account_form_in_vietnamese_order_and_wording(db):
    from accounts.forms import AccountFilterForm, AccountForm
    from accounts.models import Role, User

    manager = User.objects.create_user("boss", role=Role.ACADEMY_ADMIN)
    form = AccountForm(manager=manager)
    names = list(form.fields)
    assert names.index("last_name") < names.index("first_name")  # Họ before Tên
    assert "150" not in str(form.fields["username"].help_text)  # not Django's stock "Required. 150 characters…"
    assert User(first_name="An", last_name="Nguyễn Văn").get_full_name() == "Nguyễn Văn An"
    filters = AccountFilterForm()
    assert all("form-select" in field.widget.attrs.get("class", "") for field in filters.fields.values())
