"""Test settings: the environment still chooses the database (SQLite or Postgres) and broker."""

import tempfile

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="tct-media-"))  # noqa: F405
# A folder of the run's own, unless the environment names one (a worker process a test starts is
# told the test's folder through VAR_DIR, so that both use the same queue).
VAR_DIR = Path(env_str("VAR_DIR") or tempfile.mkdtemp(prefix="tct-var-"))  # noqa: F405
if CELERY_BROKER_URL == "filesystem://":  # noqa: F405
    # The test run's own queue: a worker of `make run` or of another test run on this checkout
    # would otherwise take the tasks of the worker tests from the shared var/celery.
    CELERY_BROKER_TRANSPORT_OPTIONS = filesystem_broker_options(VAR_DIR)  # noqa: F405
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Tasks run in-process unless a test starts a real worker (marker "worker").
CELERY_TASK_ALWAYS_EAGER = True
LANGUAGE_CODE = "vi"
