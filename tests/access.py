"""The access matrix every view is tested against (tenancy is a security boundary).

Reading a school page: members (admin, staff, viewer) 200, another school's member 404, the
Academy 200, anonymous → login. Writing: admin and staff allowed, viewer 403, another school 404,
Academy reviewer 403 (unless the page is an Academy workflow), anonymous → login.
"""

from django.test import Client

READ_EXPECTED = {"admin": 200, "staff": 200, "viewer": 200, "outsider": 404, "reviewer": 200, "anonymous": 302}
WRITE_EXPECTED = {"admin": 200, "staff": 200, "viewer": 403, "outsider": 404, "reviewer": 403, "anonymous": 302}


def statuses(users, url, *, method="get", data=None, roles=None):
    """Status code of ``url`` for each role (a fresh client per role)."""
    result = {}
    for role in roles or ("admin", "staff", "viewer", "outsider", "reviewer", "anonymous"):
        client = Client()
        if role != "anonymous":
            client.force_login(users[role])
        response = getattr(client, method)(url, data or {})
        result[role] = response.status_code
    return result


def assert_read_matrix(users, url, expected=None):
    assert statuses(users, url) == (expected or READ_EXPECTED), url


def assert_write_matrix(users, url, expected=None):
    """GET of a form page: writers 200, everyone else refused."""
    assert statuses(users, url) == (expected or WRITE_EXPECTED), url


def assert_post_refused(users, url, data=None):
    """A POST by anyone who may not write changes nothing: viewer/reviewer 403, outsider 404, anonymous 302."""
    got = statuses(users, url, method="post", data=data, roles=("viewer", "outsider", "reviewer", "anonymous"))
    assert got == {"viewer": 403, "outsider": 404, "reviewer": 403, "anonymous": 302}, url
