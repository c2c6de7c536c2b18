"""Settings for the test suite: SQLite by default, PostgreSQL when TEST_DATABASE_URL is set."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-any-deployment")
if os.environ.get("TEST_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["TEST_DATABASE_URL"]
else:
    os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")

from xinyong.settings import *  # noqa: F403
from xinyong.settings import DATABASES, MIDDLEWARE

# Outermost: every HTML answer of the whole suite is checked for the secure headers.
MIDDLEWARE = ["tests.header_guard.HeaderGuardMiddleware", *MIDDLEWARE]

# Fast hashing: tests create many accounts and never need a strong hash.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files from the apps' folders, as `collectstatic` has not run for the tests.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: threads of the tests (API jobs, the live server) then wait for the
    # write lock like a real deployment does, where shared-cache memory fails at once with
    # "database table is locked".
    DATABASES["default"]["TEST"] = {
        "NAME": os.path.join(tempfile.gettempdir(), f"xinyong_test_{os.getpid()}.sqlite3")
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A scratch database per run, so runs that share a server never meet.
    DATABASES["default"]["TEST"] = {"NAME": f"xinyong_test_{os.getpid()}"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # The test runner empties every table between tests; the audit table's delete trigger lets
    # it do so only in sessions that say so (see audit/migrations/0002_append_only.py).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c xinyong.audit_purge=on"
