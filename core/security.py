"""Login throttling glue for django-axes: client address, username key, lock-out rules and page.

django-axes counts failed logins in the database (so every web worker sees the same counts). The
rules (README, Security):

- the short lock-out is per (account, address) pair: ``AXES_FAILURE_LIMIT`` failures for one
  account from one address lock that account *from that address* for ``AXES_COOLOFF_TIME``; a
  successful login clears only that pair's failures, so logging in as another account from the
  same address (or the same office NAT) resets nothing of anyone else's;
- an address is locked for every account after ``LOGIN_ADDRESS_FAILURE_LIMIT`` failures across
  accounts (password spraying from one place);
- an account is never locked from everywhere (that would let anyone lock the Academy
  administrator out by typing five wrong passwords): failures of one account across addresses
  raise a security alert (logger ``core.security``, WARNING) once they reach
  ``LOGIN_ACCOUNT_ALERT_FAILURES`` within the cool-off window.
"""

import logging

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Count, Sum
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class LoginThrottleBackend(AxesStandaloneBackend):
    """Axes' backend, but only for logins that come with a request (the login page).

    ``authenticate()`` without a request (a management command, the test client's ``login()``) is
    not a web login attempt: there is no address to throttle, so it is passed on unchecked.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def _recent_attempts():
    return AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)


def address_failures(ip_address) -> int:
    """Failed logins from ``ip_address`` within the cool-off window, whatever the account."""
    if not ip_address:
        return 0
    return _recent_attempts().filter(ip_address=ip_address).aggregate(n=Sum("failures_since_start"))["n"] or 0


class LoginThrottleHandler(AxesDatabaseHandler):
    """Axes' database handler with the address-wide limit and the account-wide alert (see above)."""

    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):  # the (account, address) pair
            return True
        ip_address = getattr(request, "axes_ip_address", None) or client_ip(request)
        return address_failures(ip_address) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        refused_before = request is None or getattr(request, "axes_locked_out", False)  # not recorded by axes
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if refused_before:
            return
        if not getattr(request, "axes_locked_out", False) and self.is_locked(request, credentials):
            request.axes_locked_out = True  # the address-wide limit: axes itself only checks the pair
            request.axes_credentials = credentials
        username = login_username(request, credentials)
        if not username:
            return
        totals = _recent_attempts().filter(username=username).aggregate(
            failures=Sum("failures_since_start"), addresses=Count("ip_address", distinct=True))
        failures = totals["failures"] or 0
        threshold = settings.LOGIN_ACCOUNT_ALERT_FAILURES
        if failures and failures % threshold == 0:  # once at the threshold, again at each multiple
            logger.warning(
                "SECURITY ALERT: %d failed logins for account %r from %d addresses in the last %d minutes",
                failures, username, totals["addresses"], settings.AXES_COOLOFF_TIME.total_seconds() // 60,
            )


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
