"""Bidirectional control characters (U+202A–202E, U+2066–2069) never reach the database, whichever
form writes the text (issue 13 item 11): they are stripped in one place, a pre_save hook on every
model's text fields (core/apps.py), and by ``normalize`` for imported and typed names."""

import pytest
from django.urls import reverse

from accounts.models import Role, User
from core.vietnamese import BIDI_CONTROLS, normalize
from courses.models import Learner
from schools.models import OrgUnit, Staff
from tests.courses.helpers import enroll, make_class, make_learner, make_programme

pytestmark = pytest.mark.django_db
RLO, LRI, PDI, PDF = "\u202e", "\u2066", "\u2069", "\u202c"


def has_bidi(text: str) -> bool:
    return any(ord(ch) in BIDI_CONTROLS for ch in text)


def test_every_bidi_control_is_known():
    assert {ord(ch) for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"} == set(BIDI_CONTROLS)
    assert normalize(f"Nguyễn {RLO}nA{PDF} Văn") == "Nguyễn nA Văn"


def test_bidi_controls_are_stripped_on_several_forms(users, client_as, school, unit):
    client = client_as(users["admin"])
    # schools: a staff member and an organisational unit
    response = client.post(reverse("schools:staff_create", args=[school.code]), {
        "full_name": f"Lê Thị {RLO}aoH", "unit": unit.pk, "category": "full_time", "position": f"{LRI}Trưởng khoa{PDI}"})
    assert response.status_code == 302
    staff = Staff.objects.get(school=school, full_name="Lê Thị aoH")
    assert staff.position == "Trưởng khoa" and staff.search_name == "le thi aoh"
    response = client.post(reverse("schools:unit_create", args=[school.code]), {
        "kind": "faculty", "function": "other", "name": f"Khoa {RLO}Lý luận"})
    assert response.status_code == 302
    assert OrgUnit.objects.filter(school=school, name="Khoa Lý luận").exists()
    # courses: a learner's record
    learner = enroll(make_class(school, make_programme(), "K1"), make_learner("Nguyễn Văn An")).learner
    response = client.post(reverse("courses:learner_update", args=[school.code, learner.pk]), {
        "full_name": "Nguyễn Văn An", "cccd": learner.cccd, "date_of_birth": "01/05/1985", "sex": "M",
        "workplace": f"UBND xã {RLO}nâhN", "hometown": f"Hà Tĩnh{LRI}"})
    assert response.status_code == 302, response.context["form"].errors
    learner = Learner.objects.get(pk=learner.pk)
    assert learner.workplace == "UBND xã nâhN" and learner.hometown == "Hà Tĩnh"
    # accounts: a new account's name
    password = "Một-mật-khẩu-dài-2025"
    response = client.post(reverse("accounts:user_create"), {
        "username": "newbie", "first_name": f"{RLO}Hoa", "last_name": f"Lê{PDF}", "role": Role.SCHOOL_STAFF,
        "is_active": "on", "password1": password, "password2": password})
    assert response.status_code == 302
    account = User.objects.get(username="newbie")
    assert (account.first_name, account.last_name) == ("Hoa", "Lê")
    for model in (Staff, OrgUnit, Learner, User):
        for row in model.objects.values_list(flat=False):
            assert not any(isinstance(v, str) and has_bidi(v) for v in row), (model, row)
