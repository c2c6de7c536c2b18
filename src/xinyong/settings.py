"""Django settings, read from the environment.

Safe local defaults: a SQLite file under ``./var/`` and DEBUG off. The secret key comes from
``SECRET_KEY``, else from the data directory's ``secret_key`` file (a random key ``make demo``
writes there), else it is the built-in key, which only serves a developer who turned DEBUG on:
with DEBUG off, serving with it, and storing or looking up identifiers with it, are refused.
"""

import datetime as dt
import importlib.util
import ipaddress
import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("XINYONG_VAR_DIR", Path.cwd() / "var")).resolve()


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _flag("XINYONG_DEBUG")

INSECURE_DEFAULT_SECRET_KEY = "xinyong-insecure-development-key-do-not-use-in-production"
# The key ``make demo`` makes for its data directory: a command run by hand there, with no
# SECRET_KEY in its environment, uses the key the demo's identifiers were stored with.
KEPT_SECRET_KEY = VAR_DIR / "secret_key"


def _secret_key() -> str:
    if "SECRET_KEY" in os.environ:
        return os.environ["SECRET_KEY"]
    if KEPT_SECRET_KEY.is_file():
        return KEPT_SECRET_KEY.read_text(encoding="utf-8").strip()
    return INSECURE_DEFAULT_SECRET_KEY


SECRET_KEY = _secret_key()
# Citizen IDs are encrypted at rest and looked up by a keyed hash (R14): the secrets come from
# XINYONG_DATA_KEY (``SECRET`` or ``2:NEW,1:OLD``); unset, they are derived from SECRET_KEY,
# which only development and tests may do (the deploy check subjects.E001).
XINYONG_DATA_KEY = os.environ.get("XINYONG_DATA_KEY", "")


ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("XINYONG_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if host.strip()
]


INSTALLED_APPS = [
    "xinyong.access.admin_config.XinyongAdminConfig",  # Django's admin, its autocomplete registered
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "xinyong.security",
    "xinyong.audit",
    "xinyong.api",
    "xinyong.calendars",
    "xinyong.subjects",
    "xinyong.access",
    "xinyong.catalog",
    "xinyong.listings",
    "xinyong.measures",
    "xinyong.remedies",
    "xinyong.reports",
    "xinyong.submissions",
    "xinyong.portal",
    "xinyong.office",
    "xinyong.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside the rest: the API's 4xx answers that Django or django-ninja wrote become JSON.
    "xinyong.api.middleware.ApiRefusalMiddleware",
    "xinyong.security.middleware.SecureResponseMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Before any view reads the body; after the headers, language and account its page needs.
    "xinyong.security.middleware.UploadLimitMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last, so the account is known; refuses from the authorization matrix (access/matrix.csv).
    "xinyong.access.middleware.AccessMiddleware",
]

# Log-in throttling (R14; 等保 level 3 asks for a limit on failed log-ins): an account is locked
# after AXES_FAILURE_LIMIT failures in a row, whatever the address, for AXES_COOLOFF_TIME.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = _flag("XINYONG_LOGIN_THROTTLING", default=True)
AXES_FAILURE_LIMIT = int(os.environ.get("XINYONG_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("XINYONG_LOGIN_LOCK_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 asks to lock by address too. Officers of a department reach the platform through
# one intranet address: locking it would lock them all after anyone's five mistakes. Limits per
# address belong to the reverse proxy in front (its request-rate limit), stated in the README.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
# The lockout page in the layout of the log-in that was locked (portal or back office).
AXES_LOCKOUT_CALLABLE = "xinyong.security.views.locked_out"
AXES_VERBOSE = False
# Log-in attempts are recorded from the client's address, the forwarded one behind a trusted
# proxy (XINYONG_TRUSTED_PROXIES), as registrations are.
AXES_CLIENT_IP_CALLABLE = "xinyong.audit.registrations.client_address"

# API tokens: calls per minute when a token sets no budget of its own (api/ratelimit.py).
XINYONG_TOKEN_RATE_PER_MINUTE = int(os.environ.get("XINYONG_TOKEN_RATE_PER_MINUTE", "12000"))
# Reports on red-list entries one client address may send per hour (reports/budget.py).
XINYONG_REPORTS_PER_HOUR = int(os.environ.get("XINYONG_REPORTS_PER_HOUR", "5"))
# The cache holds the tokens' call counts: a Redis server shared by all serving processes when
# XINYONG_CACHE_URL is set (redis://host:port/db), else each process's memory.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache",
         "LOCATION": os.environ["XINYONG_CACHE_URL"]}
        if os.environ.get("XINYONG_CACHE_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "xinyong"}
    )
}  # fmt: skip

# Request bodies: forms and JSON up to 2.5 MB (Django's default), file uploads (imports,
# screenings) up to XINYONG_MAX_UPLOAD_BYTES; larger files go through the command line.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
XINYONG_MAX_UPLOAD_BYTES = int(os.environ.get("XINYONG_MAX_UPLOAD_BYTES", str(200 * 1024 * 1024)))
# An import killed and never resumed keeps its upload, which holds citizen IDs (R14), until the
# daily job ends it after this many days without progress (catalog/services/abandoned.py).
XINYONG_IMPORT_ABANDONED_AFTER_DAYS = int(
    os.environ.get("XINYONG_IMPORT_ABANDONED_AFTER_DAYS", "3")
)
if XINYONG_IMPORT_ABANDONED_AFTER_DAYS < 1:
    raise ImproperlyConfigured("XINYONG_IMPORT_ABANDONED_AFTER_DAYS: at least 1 day")

# A screening's result names persons, the caller's citizen IDs in clear among them (R14): it is
# handed over for this many natural days after the day its job finished, then the daily job
# deletes it (measures/screening_retention.py); the job itself stays registered.
XINYONG_SCREENING_RESULT_DAYS = int(os.environ.get("XINYONG_SCREENING_RESULT_DAYS", "7"))
if XINYONG_SCREENING_RESULT_DAYS < 1:
    raise ImproperlyConfigured("XINYONG_SCREENING_RESULT_DAYS: at least 1 day")

# Unusual use (R14): an account that looks up more than this many distinct natural persons
# within any window of this many hours is flagged for the credit office's reviewers.
XINYONG_UNUSUAL_PERSONS = int(os.environ.get("XINYONG_UNUSUAL_PERSONS", "50"))
XINYONG_UNUSUAL_WINDOW_HOURS = int(os.environ.get("XINYONG_UNUSUAL_WINDOW_HOURS", "24"))
# An implementing department's system checks whoever its business brings (应查必查): its own,
# higher limit, so that a system doing its work is not flagged every day (audit/unusual.py).
XINYONG_UNUSUAL_PERSONS_BY_SYSTEM = int(os.environ.get("XINYONG_UNUSUAL_PERSONS_BY_SYSTEM", "5000"))

ROOT_URLCONF = "xinyong.urls"
WSGI_APPLICATION = "xinyong.wsgi.application"

# django-ninja's Swagger UI page and files, served from here: an intranet reaches no CDN. Its
# folders are named here instead of listing ninja as an app, which Django imports at every
# start: ninja brings pydantic, some 0.1 s that every command (screen, import, tick) paid for a
# page only the web server shows. Finding the package imports none of it; the page is rendered
# by ``xinyong.api.docs``.
NINJA_DIR = Path(importlib.util.find_spec("ninja").origin).parent

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [NINJA_DIR / "templates"],  # ninja/swagger.html and what it includes
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "xinyong.access.session.session_timing",
            ],
        },
    },
]

if "DATABASE_URL" not in os.environ:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'xinyong.sqlite3'}"),
        conn_max_age=int(os.environ.get("XINYONG_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer commits; IMMEDIATE takes the write lock when a
    # transaction begins, so two writers queue instead of failing half-way (a Django 5.1+ option).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# ISO dates on every page, the admin's included (formats/zh_Hans/formats.py).
FORMAT_MODULE_PATH = ["xinyong.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [NINJA_DIR / "static"]  # ninja/swagger-ui-bundle.js and the rest
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploads kept through Django's storage (objection evidence, repair materials) are personal data
# (R14): readable by the serving account alone, not by every account on the server (Django's
# default is 0o644, and folders follow the umask).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

LOGIN_URL = "office:login"
LOGIN_REDIRECT_URL = "office:home"  # after a log-in with no page asked for: by role

# Secure by default: cookies and headers for a service behind an HTTPS terminator.
SECURE_HTTPS = _flag("XINYONG_HTTPS")
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# An officer's session ends after 30 idle minutes and with the browser (等保: log-out on
# time-out); every request moves the deadline.
SESSION_COOKIE_AGE = int(os.environ.get("XINYONG_SESSION_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
# A form sent after its session ended: a page of the platform's saying so, not Django's own.
CSRF_FAILURE_VIEW = "xinyong.security.views.csrf_failure"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Every page loads only its own scripts, styles and images: no inline script, no CDN.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"


def _networks(name: str) -> list[str]:
    """Comma-separated addresses or networks (``10.0.0.2, 10.0.1.0/24``); anything else stops
    the start, rather than leave a proxy unknown and every person behind it one address."""
    networks = []
    for entry in os.environ.get(name, "").split(","):
        if entry.strip():
            try:
                networks.append(str(ipaddress.ip_network(entry.strip(), strict=False)))
            except ValueError as exc:
                raise ValueError(f"{name}: {entry.strip()!r} is no address or network") from exc
    return networks


# scheme://host[:port], the host a name (its first label may be ``*``), an IPv4 address or an
# IPv6 one in brackets; written in ASCII, as a browser's Origin header is (punycode for IDN).
_ORIGIN = re.compile(
    r"(?P<scheme>https?)://(?P<host>(?:\*\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])"
    r"(?::(?P<port>[0-9]{1,5}))?"
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _origins(name: str) -> list[str]:
    """Comma-separated origins (``https://xinyong.example.gov.cn``), each as a browser sends it:
    lower case, without its scheme's default port. Django compares them with the Origin header
    character by character, so anything else (a path, a trailing slash, no scheme) would never
    match and every form would fail with a 403: it stops the start instead."""
    origins = []
    for entry in os.environ.get(name, "").split(","):
        if not entry.strip():
            continue
        found = _ORIGIN.fullmatch(entry.strip().lower())
        if found is None or not 0 < int(found["port"] or 1) < 65536:
            raise ImproperlyConfigured(
                f"{name}: {entry.strip()!r} is not an origin: write scheme://host[:port], "
                "such as https://xinyong.example.gov.cn, with no path, separated by commas"
            )
        scheme, host, port = found["scheme"], found["host"], int(found["port"] or 0)
        keep_port = port and port != _DEFAULT_PORTS[scheme]
        origins.append(f"{scheme}://{host}:{port}" if keep_port else f"{scheme}://{host}")
    return origins


# Origins a form may be posted from besides the request's own host (Django's CSRF check).
# Behind a proxy that forwards the public host name (``Host``) and scheme (``X-Forwarded-Proto``)
# none is needed; one that cannot forward them names the public origin here, or every log-in
# is refused.
CSRF_TRUSTED_ORIGINS = _origins("XINYONG_CSRF_TRUSTED_ORIGINS")

# The reverse proxies in front (R7, R14): a request from one of them is from the address its
# X-Forwarded-For names, the right-most entry that is not itself one of them; a request from
# anyone else is from its own address, whatever it forwards. None by default: the peer is the
# client (audit/registrations.py ``client_address``: registrations, the report budget).
XINYONG_TRUSTED_PROXIES = _networks("XINYONG_TRUSTED_PROXIES")

if SECURE_HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Every record is written through the console handler, whose filter masks anything shaped like
# a citizen ID (R14); Django's own loggers are sent there too instead of their default handlers.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"citizen_ids": {"()": "xinyong.core.protection.CitizenIdLogFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["citizen_ids"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("XINYONG_LOG_LEVEL", "INFO")},
    "loggers": {
        name: {"handlers": ["console"], "level": "INFO", "propagate": False}
        for name in ("django", "django.server")
    },
}
