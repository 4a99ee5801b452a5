"""Test settings: the environment still chooses the database (SQLite or Postgres) and broker."""

import tempfile

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="tct-media-"))  # noqa: F405
VAR_DIR = Path(tempfile.mkdtemp(prefix="tct-var-"))  # noqa: F405
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Tasks run in-process unless a test starts a real worker (marker "worker").
CELERY_TASK_ALWAYS_EAGER = True
LANGUAGE_CODE = "vi"
