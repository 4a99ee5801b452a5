from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz/", core_views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page says; the pages link the SVG icon.
    path("favicon.ico", RedirectView.as_view(url=f"{settings.STATIC_URL}favicon.svg", permanent=True)),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("", include("schools.urls")),
]

# Each feature app owns its URLs (school pages under s/<school_code>/, Academy pages under academy/).
for app in ("courses", "research", "emulation", "awards", "compliance", "reports", "audit", "yearend"):
    if app in settings.INSTALLED_APPS:
        urlpatterns.append(path("", include(f"{app}.urls")))


def _superusers_only(request):
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _superusers_only
