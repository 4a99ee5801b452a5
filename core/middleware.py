"""Middleware of our own: the Content-Security-Policy header and the database-down page.

Why our own CSP middleware rather than django-csp: the policy is one static header (no nonces, no
per-view variations, no report endpoint), so a dozen lines do it without a dependency; Django 6
ships the same feature built in, and the ``CONTENT_SECURITY_POLICY`` setting maps onto it.
"""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, HttpResponseServerError
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils import translation

logger = logging.getLogger(__name__)


def build_policy(directives: dict) -> str:
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


class ContentSecurityPolicyMiddleware:
    """Adds ``Content-Security-Policy`` (settings.CONTENT_SECURITY_POLICY) to every response."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = build_policy(settings.CONTENT_SECURITY_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self.policy)
        return response


class DatabaseUnavailableMiddleware:
    """Database unreachable → a friendly 503 page instead of a stack trace.

    The page (templates/503.html) is rendered without a request, so no context processor runs and
    nothing touches the database.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("database unavailable: %s", exception.__class__.__name__, exc_info=exception)
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "60"
        return response


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Vietnamese unless the user chose another language in the footer (the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many officials'
    browsers say en-US; the product is Vietnamese by default, with English as a choice.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class OwnErrorPagesMiddleware:
    """The app's own Vietnamese 404 and 500 pages also while DEBUG is on (``make run``).

    With DEBUG Django answers a 404 with its English debug page listing every URL pattern, and a
    crash with a stack trace: not what a user trying the app should see. In production (DEBUG off)
    Django already renders templates/404.html and 500.html; 403 uses 403.html in both modes. Set
    ``DEBUG_ERROR_PAGES=1`` to get Django's debug pages back while developing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def _active(self) -> bool:
        return settings.DEBUG and not getattr(settings, "DEBUG_ERROR_PAGES", False)

    def __call__(self, request):
        if self._active():
            try:
                resolve(request.path_info, getattr(request, "urlconf", None))
            except Resolver404:
                # (CommonMiddleware, further out, still redirects /x to /x/ when that exists;
                # Django's handler logs the 404 once, as for any 4xx response.)
                return render(request, "404.html", status=404)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not self._active() or isinstance(exception, PermissionDenied):
            return None  # 403: Django renders 403.html in every mode
        if isinstance(exception, Http404):
            return render(request, "404.html", status=404)
        logger.error("Internal Server Error: %s", request.path, exc_info=exception)
        response = HttpResponseServerError(render_to_string("500.html"))
        response._has_been_logged = True  # logged above with its traceback; Django would log it again
        return response
