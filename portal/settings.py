"""Settings for the elevator-renewal portal, read from the environment.

With no environment at all it runs locally on SQLite. ``DATABASE_URL`` switches to
PostgreSQL. ``DJANGO_ENV=production`` turns on the production checks: DEBUG must be
off and SECRET_KEY must be strong, or the process refuses to start.
"""

import sys
from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from core.database import database_from_url
from core.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

ENVIRONMENT = env_choice("DJANGO_ENV", "development", {"development", "production"})
PRODUCTION = ENVIRONMENT == "production"
RUNNING_DEV_SERVER = len(sys.argv) > 1 and sys.argv[1] == "runserver"

DEBUG = env_bool("DJANGO_DEBUG", default=RUNNING_DEV_SERVER and not PRODUCTION)

DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", default="" if PRODUCTION else DEV_SECRET_KEY)

if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("DJANGO_DEBUG must be off when DJANGO_ENV=production.")
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY == DEV_SECRET_KEY:
        raise ImproperlyConfigured(
            "SECRET_KEY is missing or weak: production needs at least 50 varied characters."
        )

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the site's host in production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "portal.admin_site.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "template_partials",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "core",
    "portal",
    "campaigns",
    "households",
    "consultations",
    "works",
    "money",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "portal.middleware.IdleSessionTimeoutMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last: it answers a locked-out login
]

if PRODUCTION:  # in development, runserver serves the static files itself
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "portal.urls"
# Every field is drawn by templates/forms/field.html; widgets may use the project's templates.
FORM_RENDERER = "core.forms.FormRenderer"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "portal.context_processors.roles",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", default=""),
        sqlite_path=Path(env_str("SQLITE_PATH", default=str(BASE_DIR / "db.sqlite3"))),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Failed logins are counted per username and address (django-axes): after 5 in a row that
# pair is locked out for 15 minutes, with a message that does not say whether the account
# exists. Colleagues behind one office address are not locked out by one person's typos.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "portal.auth.locked_out"
# The address is the one the question rate limit uses (CLIENT_IP_HEADER, TRUSTED_PROXY_COUNT):
# a client cannot dodge the lockout by sending an X-Forwarded-For of its own.
AXES_CLIENT_IP_CALLABLE = "core.ratelimit.client_address"
AXES_VERBOSE = False

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Background work (the campaign's consent packet): a queue kept in the database, so a task
# waits for a worker through restarts. Run one with ``python manage.py db_worker``.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Generated packets name every owner: kept outside MEDIA_ROOT, served only to the secretary.
PACKET_ROOT = Path(env_str("PACKET_ROOT", default=str(BASE_DIR / "var" / "packets")))
# A register uploaded for its preview holds every owner's full phone number: kept outside
# MEDIA_ROOT (never served), files 0600 in folders 0700, for an hour at most.
REGISTER_UPLOAD_ROOT = Path(
    env_str("REGISTER_UPLOAD_ROOT", default=str(BASE_DIR / "var" / "register-uploads"))
)
PACKET_JOBS = env_int("PACKET_JOBS", 2, minimum=1)  # processes rendering units at once

# Uploads: signatures and scanned forms are small; anything larger is refused early. A form
# body (files aside) over the limit gets a 400 page; files larger than the memory limit are
# streamed to a temporary file and checked by size and content by the form that takes them.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
DATA_UPLOAD_MAX_NUMBER_FILES = 10  # six photos to a progress update is the most any form takes

# A cache shared by every worker process: REDIS_URL (e.g. redis://127.0.0.1:6379/0). Without it
# each process keeps its own (Django's local-memory cache), which is right for one process. The
# cache holds the anonymous public pages (60 s) and the question rate limit's counters; with
# it, sessions are read from the cache and written to the database as well (cached_db).
REDIS_URL = env_str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", default="portal"),
            # a Redis that stops answering costs a request one second, not a hung worker
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Residents' questions: at most this many per address in the window (seconds), counted in the
# cache (per process without REDIS_URL: set it when running several workers). Behind a reverse
# proxy, name the header carrying the client's address as Django sees it in request.META, e.g.
# HTTP_X_REAL_IP or HTTP_X_FORWARDED_FOR, and how many proxies of ours add to it: the address
# is that many entries from the right (the left end is whatever the client sent).
QUESTION_RATE_LIMIT = env_int("QUESTION_RATE_LIMIT", 5, minimum=1)
QUESTION_RATE_WINDOW = env_int("QUESTION_RATE_WINDOW", 10 * 60, minimum=1)
CLIENT_IP_HEADER = env_str("CLIENT_IP_HEADER", default="REMOTE_ADDR")
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1, minimum=1)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60, minimum=60)  # at the most
# A staff session left alone this long ends (a tablet forgotten on a bench, a shared PC).
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60, minimum=60)
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the body's hx-headers, not the cookie
X_FRAME_OPTIONS = "DENY"
# Scripts, styles and images come from this site only: no inline script or style, no eval
# (htmx is configured for that in base.html). Images may be data: URIs (signature previews).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "worker-src": [SELF],  # the service worker that keeps pages for offline use
        "manifest-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", default="INFO")},
    # WeasyPrint reports every rendering step at INFO; keep its warnings (refused URLs) only.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},  # every failed login is already a warning
    },
}

# The load benchmark's reference page (/bench/baseline/<pk>/, portal/baseline.py): registered
# and answering only when BENCH_BASELINE is on, as `make bench` sets it; 404 otherwise.
BENCH_BASELINE = env_bool("BENCH_BASELINE", default=False)
