"""Login throttling (per user and per address), password strength, session expiry."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from core.security import client_ip

pytestmark = pytest.mark.django_db

GOOD = "pw-for-tests-123"  # the fixtures' password
LOCKED = "Bạn đã đăng nhập sai quá nhiều lần"


def attempt(username, password, ip="10.0.0.1"):
    client = Client(REMOTE_ADDR=ip)
    response = client.post(reverse("login"), {"username": username, "password": password})
    return response, client


def test_correct_login_works_and_counts_nothing(users):
    response, client = attempt("staff_a", GOOD)
    assert response.status_code == 302
    assert client.get("/").status_code == 302  # logged in: redirected to the school
    assert not AccessAttempt.objects.exists()


def test_account_is_locked_from_the_address_of_repeated_failures(users, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response, _ = attempt("staff_a", "wrong", ip="10.0.1.1")
        assert response.status_code == 200  # the normal "wrong password" form
        assert LOCKED not in response.content.decode()
    response, _ = attempt("staff_a", "wrong", ip="10.0.1.1")
    assert response.status_code == 429
    # now even the right password from that address is refused, with a clear message
    response, client = attempt("staff_a", GOOD, ip="10.0.1.1")
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED in page and "15 phút" in page
    assert response["Retry-After"] == "900"
    assert "_auth_user_id" not in client.session
    # other accounts are not affected
    assert attempt("admin_a", GOOD, ip="10.0.1.1")[0].status_code == 302


def test_a_login_as_another_account_does_not_reset_the_lockout(users, settings):
    """Issue 13 item 2: 4 wrong passwords for ``academy``, then a good login as any account from the
    same address, repeated, used to give unlimited guesses (the success cleared every failure of the
    address). A success clears only that account's own failures."""
    guesses = 0
    for _round in range(4):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            if attempt("academy", "wrong", ip="10.0.7.1")[0].status_code == 429:
                break
            guesses += 1
        assert attempt("staff_a", GOOD, ip="10.0.7.1")[0].status_code == 302
    assert guesses == settings.AXES_FAILURE_LIMIT - 1  # the 5th wrong guess locks (429); never 16 guesses
    assert attempt("academy", GOOD, ip="10.0.7.1")[0].status_code == 429
    assert attempt("viewer_a", GOOD, ip="10.0.7.1")[0].status_code == 302  # others still log in there…
    assert attempt("academy", GOOD, ip="10.0.7.1")[0].status_code == 429  # …and the lockout holds


def test_failures_from_elsewhere_do_not_lock_the_account_out_but_raise_an_alert(users, settings, caplog):
    """Nobody can lock the Academy administrator out by sending wrong passwords from their own
    address; the failures across addresses are reported instead."""
    settings.LOGIN_ACCOUNT_ALERT_FAILURES = 8
    with caplog.at_level("WARNING", logger="core.security"):
        for i in range(settings.AXES_FAILURE_LIMIT + 3):
            attempt("academy", "wrong", ip=f"10.0.8.{i % 2}")
        assert attempt("academy", "wrong", ip="10.0.8.0")[0].status_code == 429  # those addresses are locked
    alerts = [r for r in caplog.records if r.name == "core.security" and "SECURITY ALERT" in r.getMessage()]
    assert len(alerts) == 1 and "'academy'" in alerts[0].getMessage() and "2 addresses" in alerts[0].getMessage()
    assert attempt("academy", GOOD, ip="10.0.8.200")[0].status_code == 302  # the owner's own address


def test_username_case_does_not_escape_the_counter(users, settings):
    for i in range(settings.AXES_FAILURE_LIMIT):
        attempt("Staff_A" if i % 2 else "STAFF_A", "wrong", ip="10.0.3.1")
    assert attempt("staff_a", GOOD, ip="10.0.3.1")[0].status_code == 429


def test_address_is_locked_after_failures_across_usernames(users, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 12
    for i in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        attempt(f"guess{i % 4}", "wrong", ip="10.9.9.9")
    assert attempt("viewer_a", GOOD, ip="10.9.9.9")[0].status_code == 429
    assert attempt("viewer_a", GOOD, ip="10.9.9.10")[0].status_code == 302


def test_lockout_ends_after_cool_off(users, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt("staff_a", "wrong", ip="10.0.4.1")
    assert attempt("staff_a", GOOD, ip="10.0.4.1")[0].status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(minutes=1))
    assert attempt("staff_a", GOOD, ip="10.0.4.1")[0].status_code == 302


def test_success_resets_the_failure_count(users, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt("staff_a", "wrong", ip="10.0.5.1")
    assert attempt("staff_a", GOOD, ip="10.0.5.2")[0].status_code == 302
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt("staff_a", "wrong", ip="10.0.5.3")
    assert attempt("staff_a", GOOD, ip="10.0.5.4")[0].status_code == 302


def test_client_ip_trusts_only_our_own_proxy(settings):
    factory = RequestFactory()
    request = factory.get("/", REMOTE_ADDR="172.16.0.2", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.7")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "172.16.0.2"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.7"  # "1.1.1.1" was written by the client: ignored
    assert client_ip(factory.get("/", REMOTE_ADDR="172.16.0.2")) == "172.16.0.2"


# --- passwords ----------------------------------------------------------------------------------
@pytest.mark.parametrize("password", ["short1", "password123", "12345678901", "staff_a2024"])
def test_weak_passwords_are_refused(users, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=users["staff"])


def test_strong_password_is_accepted(users):
    validate_password("Giảng-đường-Ba-Đình-1945", user=users["staff"])


def test_password_change_page_refuses_weak_password_in_vietnamese(users, client_as):
    client = client_as(users["staff"])
    response = client.post(reverse("password_change"), {
        "old_password": GOOD, "new_password1": "12345678", "new_password2": "12345678",
    })
    assert response.status_code == 200
    page = response.content.decode()
    assert "quá ngắn" in page or "quá phổ biến" in page
    users["staff"].refresh_from_db()
    assert users["staff"].check_password(GOOD)


# --- sessions -----------------------------------------------------------------------------------
def test_session_expires_after_the_configured_age(users, settings):
    response, client = attempt("staff_a", GOOD)
    assert response.status_code == 302
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE <= 8 * 60 * 60
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and not cookie["max-age"]  # also ends when the browser closes
    overview = reverse("schools:overview", args=["SCHA"])
    assert client.get(overview).status_code == 200
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(overview)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
