"""Login throttling glue for django-axes: client address, username key and the lock-out page.

django-axes counts failed logins in the database (so every web worker sees the same counts) and
locks out both the username and the client address after ``AXES_FAILURE_LIMIT`` failures.
"""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _


class LoginThrottleBackend(AxesStandaloneBackend):
    """Axes' backend, but only for logins that come with a request (the login page).

    ``authenticate()`` without a request (a management command, the test client's ``login()``) is
    not a web login attempt: there is no address to throttle, so it is passed on unchecked.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request) -> str | None:
    """The client address: REMOTE_ADDR, or the entry the trusted proxies appended to X-Forwarded-For.

    With ``TRUSTED_PROXY_COUNT = n`` the n-th address from the right of X-Forwarded-For is the one
    our own proxy saw; anything left of it was written by the client and is not trusted.
    """
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if count and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR") or None  # None: no address (e.g. a login made in code)


def login_username(request, credentials) -> str:
    """Usernames are counted case-insensitively, so ``Admin`` and ``admin`` share one counter."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return username.strip().lower()[:150]


def lockout_response(request, original_response=None, credentials=None):
    """The login page again, with the lock-out explained in Vietnamese, status 429."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form = AuthenticationForm(request)
    message = _(
        "Too many failed login attempts. This account and this computer are locked for %(minutes)s "
        "minutes. Please try again later or ask your school administrator for help."
    ) % {"minutes": minutes}
    response = TemplateResponse(
        request, "registration/login.html", {"form": form, "locked_out": message, "next": ""}, status=429
    )
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response.render()
