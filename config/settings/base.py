"""Settings for every environment. Everything that differs comes from environment variables.

With no environment set the app runs on SQLite in the project folder and Celery uses the
embedded filesystem transport (a worker started next to the web server by `make run`).
"""

import datetime
import importlib.util
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    return Path(next(iter(spec.submodule_search_locations)))


BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", True)
# With DEBUG on, the app still shows its own 404/500 pages (core.middleware.OwnErrorPagesMiddleware);
# DEBUG_ERROR_PAGES=1 brings back Django's debug pages (URL list, stack trace) for developers.
DEBUG_ERROR_PAGES = env_bool("DEBUG_ERROR_PAGES", False)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("SECRET_KEY must be set in the environment when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "core",
    "accounts",
    "schools",
    "courses",
    "research",
    "emulation",
    "awards",
    "compliance",
    "reports",
    "audit",
    "dashboard",
    "yearend",
    # Last: an app listed earlier wins for a translation, and the admin's catalog would otherwise
    # override ours for common words ("Add" → "Thêm vào").
    "django.contrib.admin",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "yearend.middleware.YearLockedMiddleware",
    "core.middleware.OwnErrorPagesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.DatabaseUnavailableMiddleware",
    "audit.middleware.ActingUserMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The school–learner index carries INCLUDE columns (a Postgres covering index); SQLite builds it
    # as a plain index, and models.W040 said so on every migrate of `make run`.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_USER_MODEL = "accounts.User"
# The throttle backend goes first: it refuses locked-out logins before the password is checked.
AUTHENTICATION_BACKENDS = [
    "core.security.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 9}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Language and formats: Vietnamese by default, English selectable; dates dd/mm/yyyy.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
# Our catalogs take precedence over every third-party app's, Django's own included: Django merges
# LOCALE_PATHS over the apps' catalogs, so listing each of our apps' locale/ here means that
# "active" is "Đang hoạt động" (ours), not the admin's "Kích hoạt". The project catalog comes first.
LOCALE_PATHS = [BASE_DIR / "locale", *(BASE_DIR / app / "locale" for app in INSTALLED_APPS if (BASE_DIR / app / "locale").is_dir())]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Bootstrap's dist files come from the bootstrap-wrapper wheel installed from PyPI (no CDN, nothing
# third-party committed); they are served under /static/bootstrap/.
STATICFILES_DIRS = [BASE_DIR / "static", ("bootstrap", _package_dir("bootstrap"))]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env_str("STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage")
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"

# Uploads: Excel files are read in memory; anything bigger is refused by the forms.
MAX_UPLOAD_MB = env_int("MAX_UPLOAD_MB", 10)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Celery. No broker configured → the embedded filesystem transport under var/celery, served by a
# worker that `make run` starts next to the web server. Job state lives in our own tables, so no
# result backend is needed.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or env_str("REDIS_URL") or "filesystem://"


def filesystem_broker_options(var_dir: Path) -> dict:
    """The embedded transport's folders under ``var_dir`` (created: kombu's filesystem transport does
    not create them, and without them sending a task fails)."""
    queue_dir = var_dir / "celery"
    for folder in ("queue", "control"):
        (queue_dir / folder).mkdir(parents=True, exist_ok=True)
    return {"data_folder_in": str(queue_dir / "queue"), "data_folder_out": str(queue_dir / "queue"),
            "control_folder": str(queue_dir / "control")}


if CELERY_BROKER_URL == "filesystem://":
    CELERY_BROKER_TRANSPORT_OPTIONS = filesystem_broker_options(VAR_DIR)
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3 * 60 * 60}
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 60 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 60
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {
    # Reports: fail jobs whose worker died while running; delete files past their expiry.
    "reports-sweep-stale-jobs": {"task": "reports.tasks.sweep_stale_report_jobs",
                                 "schedule": env_int("REPORT_SWEEP_SECONDS", 30)},
    "reports-delete-expired-files": {"task": "reports.tasks.delete_expired_report_files", "schedule": 60 * 60},
    # Learner imports: delete uploaded workbooks nobody confirmed or cancelled (personal data).
    "courses-expire-import-uploads": {"task": "courses.tasks.expire_import_uploads", "schedule": 60 * 60},
}
# Hours an uploaded learner workbook waits for its confirmation before it is deleted.
IMPORT_UPLOAD_TTL_HOURS = env_int("IMPORT_UPLOAD_TTL_HOURS", 24)
# A running report writes a heartbeat every REPORT_HEARTBEAT_SECONDS; one silent for
# REPORT_HEARTBEAT_TIMEOUT_SECONDS has lost its worker: the sweep (every REPORT_SWEEP_SECONDS, on
# Celery beat) re-queues it once, then fails it — noticed within 90 s with these defaults.
REPORT_HEARTBEAT_SECONDS = env_int("REPORT_HEARTBEAT_SECONDS", 10)
REPORT_HEARTBEAT_TIMEOUT_SECONDS = env_int("REPORT_HEARTBEAT_TIMEOUT_SECONDS", 60)
# Hours a generated report file is kept before the periodic task deletes it.
REPORT_FILE_TTL_HOURS = env_int("REPORT_FILE_TTL_HOURS", 7 * 24)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_errors_without_traceback": {"()": "core.logging.ClientErrorsWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["client_errors_without_traceback"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's default configuration gives "django" a console handler of its own while DEBUG
        # is on; with ours on the root logger every 403/404 was printed twice. One handler: root's.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # django-axes logs every login at INFO; lock-outs are WARNING and still shown.
        "axes": {"level": env_str("AXES_LOG_LEVEL", "WARNING")},
    },
}

# --- Security --------------------------------------------------------------------------------
# Content-Security-Policy sent on every response by core.middleware (no inline script or style:
# every page loads its JS and CSS from /static/).
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Login throttling (django-axes, attempts stored in the database so every web worker sees them;
# the rules are in core/security.py and the README's Security section): LOGIN_FAILURE_LIMIT
# failures of one account from one address lock that (account, address) pair for
# LOGIN_LOCKOUT_MINUTES, and a successful login clears only that pair's failures;
# LOGIN_ADDRESS_FAILURE_LIMIT failures from one address across accounts lock the address;
# LOGIN_ACCOUNT_ALERT_FAILURES failures of one account across addresses raise a security alert
# (an account is never locked from everywhere: anyone could lock the Academy administrator out).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "core.security.LoginThrottleHandler"
AXES_RESET_ON_SUCCESS = True
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 30)
LOGIN_ACCOUNT_ALERT_FAILURES = env_int("LOGIN_ACCOUNT_ALERT_FAILURES", 10)
AXES_LOCKOUT_CALLABLE = "core.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "core.security.client_ip"
AXES_USERNAME_CALLABLE = "core.security.login_username"
AXES_VERBOSE = False
# Number of reverse proxies in front of the app that append to X-Forwarded-For. 0 (default): the
# address is REMOTE_ADDR (X-Forwarded-For could be forged). Behind one proxy set it to 1, or every
# user would share the proxy's address and lock each other out.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Uploaded spreadsheets and evidence files (core/uploads.py): size, and zip-bomb limits checked
# from the zip directory before anything is decompressed.
MAX_UNZIPPED_MB = env_int("MAX_UNZIPPED_MB", 100)
MAX_ZIP_RATIO = env_int("MAX_ZIP_RATIO", 100)
MAX_ZIP_ENTRIES = env_int("MAX_ZIP_ENTRIES", 10000)

# Production hardening (DEBUG off). Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]  # the orchestrator probes over plain HTTP
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    STORAGES["staticfiles"]["BACKEND"] = "whitenoise.storage.CompressedManifestStaticFilesStorage"
