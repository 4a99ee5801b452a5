"""List search boxes take any text: a NUL byte (refused by PostgreSQL) must not become a 500."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_nul_and_control_characters_in_search_are_harmless(users, client_as, school, lecturer):
    client = client_as(users["viewer"])
    for query in ["\x00", "Giảng\x00", "\x1b[31m", "=1+1", "a" * 5000]:
        response = client.get(reverse("schools:staff_list", args=[school.code]), {"q": query})
        assert response.status_code == 200, repr(query)
    names = [p.full_name for p in client.get(reverse("schools:staff_list", args=[school.code]), {"q": "Giảng\x00"}).context["object_list"]]
    assert names == ["Nguyễn Văn Giảng"]
