"""Settings shared by every deployment, read from the environment.

Environment variables (all optional on a laptop):
    DATABASE_URL          sqlite:///var/civicgrid.sqlite3 (default) or postgres://…
    SECRET_KEY            required in production
    ALLOWED_HOSTS         comma-separated
    CIVICGRID_FIELD_KEYS  comma-separated Fernet keys; the first encrypts, all decrypt
    CIVICGRID_BLIND_INDEX_KEY  keys the hashes that find equal personal data
    CIVICGRID_WORKING_HOURS  e.g. "09:00-12:00,13:30-17:30"
    CIVICGRID_TRUSTED_PROXIES  proxies in front that append X-Forwarded-For (0)
    CIVICGRID_RATE_LIMIT_STORE  "database" (default) or "cache" (a shared cache)
    CIVICGRID_MAP_TILE_URL  base map tiles, e.g. "https://tiles.example/{z}/{x}/{y}.png";
                            empty (the default): maps draw our GeoJSON on a plain ground
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("CIVICGRID_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


DEBUG = env_bool("DEBUG", False)
# A development key; production.py refuses to start without a real one.
SECRET_KEY = os.environ.get(
    "SECRET_KEY", "dev-insecure-civicgrid-key-do-not-use-in-production-0123456789"
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "civicgrid.accounts.lockout.AxesConfig",  # django-axes
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "civicgrid.core",
    "civicgrid.accounts",
    "civicgrid.org",
    "civicgrid.appeals",
    "civicgrid.whistles",
    "civicgrid.ledger",
    "civicgrid.partybuilding",
    "civicgrid.cobuilding",
    "civicgrid.discipline",
    "civicgrid.notifications",
    "civicgrid.api",
    "civicgrid.open311",
    "civicgrid.metrics",
    "civicgrid.synthetic",
]

# --- the REST API -----------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: a request without credentials gets 401 and the scheme.
        "civicgrid.api.auth.DeviceTokenAuthentication",
        "civicgrid.api.clients.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "civicgrid.api.pagination.Pagination",
    "EXCEPTION_HANDLER": "civicgrid.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_THROTTLE_CLASSES": [
        "civicgrid.api.throttles.AnonRateThrottle",
        "civicgrid.api.clients.PersonRateThrottle",
    ],
    "NUM_PROXIES": int(os.environ.get("CIVICGRID_TRUSTED_PROXIES", "0")) or None,
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("CIVICGRID_API_ANON_RATE", "60/minute"),
        "user": os.environ.get("CIVICGRID_API_USER_RATE", "600/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CivicGrid API",
    "DESCRIPTION": (
        "The REST API of CivicGrid: what staff do in the console and residents "
        "on their tracking page, through the same actions and the same "
        "per-object permissions (an outsider gets 404). Sign in with a token "
        "(POST /api/auth/token/: one per device, expiring; GET /api/auth/devices/ "
        "lists them), a session, or — for another system — its "
        "client key (Authorization: Api-Key …, issued in the admin). "
        'Errors: {"error": {"code", "message", "fields"}}. Creating POSTs honour '
        "an Idempotency-Key header. Open311 GeoReport v2 is at /open311/v2/."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "civicgrid.api.schema.add_shared_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "WhistleStateEnum": "civicgrid.whistles.models.Whistle.State",
        "SummonsStateEnum": "civicgrid.whistles.models.Summons.State",
        "AppealStateEnum": "civicgrid.appeals.models.Appeal.State",
        "ReceiptStateEnum": "civicgrid.appeals.api.serializers.RECEIPT_STATES",
        "ReplyOutcomeEnum": "civicgrid.appeals.models.ReplyOutcome",
        "AppealKindEnum": "civicgrid.appeals.models.Kind",
        "ComponentStateEnum": "civicgrid.ledger.models.Component.State",
        "PlaceKindEnum": "civicgrid.ledger.models.Place.Kind",
        "PlaceServiceEnum": "civicgrid.ledger.models.Place.Service",
        "OrganisationKindEnum": "civicgrid.ledger.models.Organisation.Kind",
        "ComponentMajorClassEnum": "civicgrid.ledger.catalogue.MajorClass",
        "CobuildingFieldEnum": "civicgrid.cobuilding.models.Field",
        "ResourceKindEnum": "civicgrid.cobuilding.models.Resource.Kind",
        "ProblemSourceKindEnum": "civicgrid.cobuilding.models.ProblemSource.Kind",
        "MeetingKindEnum": "civicgrid.cobuilding.models.Meeting.Kind",
        "OutreachGroupEnum": "civicgrid.cobuilding.models.Outreach.Group",
    },
}

MESSAGE_STORAGE = (
    # Server-side: a new API key is shown once in a message and must not travel
    # in a cookie.
    "django.contrib.messages.storage.session.SessionStorage"
)

MIDDLEWARE = [
    # First: the discipline channel's reporters leave no address or browser
    # behind for anything after it (and its pages are never cached).
    "civicgrid.discipline.middleware.SealedChannelMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "civicgrid.api.clients.ApiClientUseMiddleware",
    "civicgrid.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A form the page's script sent itself learns where to go (offline app).
    "civicgrid.core.middleware.OutboxAnswerMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lock-out into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "civicgrid.core.context_processors.page",
            ],
        },
    }
]


def database_from_url(url: str) -> dict[str, Any]:
    """One database from a URL; SQLite gets WAL, IMMEDIATE transactions and a
    busy timeout so that the web server and the worker can write side by side."""
    config: dict[str, Any] = dict(
        dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config["CONN_HEALTH_CHECKS"] = False
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA foreign_keys=ON;"
            ),
        }
    return config


DATABASE_URL = os.environ.get(
    "DATABASE_URL", f"sqlite:///{VAR_DIR / 'civicgrid.sqlite3'}"
)
DATABASES = {"default": database_from_url(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username before the password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Lock-out (django-axes): five failures lock a username *from that address* for
# 15 minutes. Locking the username alone let anyone lock a member of staff out
# from everywhere (and keep a dispatcher out all day); locking the address alone
# would lock out colleagues behind one office NAT. A guesser who rotates
# addresses is slowed down per username instead (civicgrid.accounts.lockout):
# after CIVICGRID_LOGIN_SLOWDOWN_AFTER failures from all addresses within the
# cool-off, one password check per CIVICGRID_LOGIN_SLOWDOWN_SECONDS. Every
# failure stays in axes' failure log (the audit; the admin shows it).
AXES_FAILURE_LIMIT = int(os.environ.get("CIVICGRID_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("CIVICGRID_LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_ENABLE_ACCESS_FAILURE_LOG = True
CIVICGRID_LOGIN_SLOWDOWN_AFTER = int(
    os.environ.get("CIVICGRID_LOGIN_SLOWDOWN_AFTER", "10")
)
CIVICGRID_LOGIN_SLOWDOWN_SECONDS = float(
    os.environ.get("CIVICGRID_LOGIN_SLOWDOWN_SECONDS", "10")
)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
SILENCED_SYSTEM_CHECKS: list[str] = []

# API tokens (one per signed-in device, POST /api/auth/token/) end after this many
# idle days, and in any case this many days after sign-in; a new password, a
# deactivation or "sign out everywhere" ends them all (and every session).
CIVICGRID_TOKEN_IDLE_DAYS = float(os.environ.get("CIVICGRID_TOKEN_IDLE_DAYS", "14"))
CIVICGRID_TOKEN_MAX_DAYS = float(os.environ.get("CIVICGRID_TOKEN_MAX_DAYS", "90"))

# Staff sessions end after 60 idle minutes; every request renews the clock.
SESSION_COOKIE_AGE = 60 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("bo", "བོད་ཡིག"), ("en", "English")]
# Django knows no Tibetan: its name, for the language switch and get_language_info.
LANG_INFO.setdefault(
    "bo", {"bidi": False, "code": "bo", "name": "Tibetan", "name_local": "བོད་ཡིག"}
)
# Our catalogue first; then the strings of Django and its libraries that their
# own catalogues lack (all of Tibetan; a few admin and django-axes strings in
# Chinese) — a folder not named "locale", so that makemessages leaves it alone.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "civicgrid/core/catalogue"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- CivicGrid -------------------------------------------------------------------
# Field encryption keys (Fernet, url-safe base64 of 32 bytes). The first key
# encrypts; every key decrypts, so keys can be rotated by putting the new one first.
CIVICGRID_FIELD_KEYS = env_list(
    "CIVICGRID_FIELD_KEYS",
    # Development key only; production.py refuses it.
    "ZGV2LWZpZWxkLWtleS1jaXZpY2dyaWQtMDAwMDAwMDA=",
)
# The key of the blind indexes that find equal personal data (e.g. one phone
# number across appeals) without decrypting it. Never rotate it without
# recomputing the indexes.
CIVICGRID_BLIND_INDEX_KEY = os.environ.get(
    "CIVICGRID_BLIND_INDEX_KEY", "dev-blind-index-key-civicgrid"
)
# The working periods of a working day, local time.
CIVICGRID_WORKING_HOURS = os.environ.get(
    "CIVICGRID_WORKING_HOURS", "09:00-12:00,13:30-17:30"
)
# Seconds a process trusts its in-memory grid index before asking the database
# whether another process has redrawn a grid.
CIVICGRID_GRID_INDEX_CHECK_SECONDS = float(
    os.environ.get("CIVICGRID_GRID_INDEX_CHECK_SECONDS", "5")
)
# Seconds a process keeps the streets and the category catalogue that intake
# reads on every request (a change made in this process shows at once).
CIVICGRID_REFERENCE_CACHE_SECONDS = float(
    os.environ.get("CIVICGRID_REFERENCE_CACHE_SECONDS", "30")
)
CIVICGRID_WORKER_SLEEP_SECONDS = float(
    os.environ.get("CIVICGRID_WORKER_SLEEP_SECONDS", "2")
)
CIVICGRID_SITE_NAME = _("CivicGrid")
# The street's hotline, at the foot of every page (a number to call, as written).
CIVICGRID_HOTLINE = os.environ.get("CIVICGRID_HOTLINE", "0891-6512345")
# The offline app (PWA): a service worker keeps the report, patrol and visit
# pages usable without signal (civicgrid/core/offline.py).
CIVICGRID_SERVICE_WORKER = env_bool("CIVICGRID_SERVICE_WORKER", True)
# Base map tiles for every map (a closed network serves its own, or none).
CIVICGRID_MAP_TILE_URL = os.environ.get("CIVICGRID_MAP_TILE_URL", "")

# --- CivicGrid notifications (outbox) --------------------------------------------
# Every SMS, e-mail and webhook leaves through civicgrid.notifications' outbox after
# commit; the worker drains it. Messages meant for a person's phone go to the channel
# named by CIVICGRID_NOTIFY_SMS_CHANNEL: "console" (the default) only logs them, with
# the number masked, so a demo or a laptop works without an SMS gateway; set it to
# "sms" once CIVICGRID_SMS_URL points at a real gateway.
CIVICGRID_NOTIFY_SMS_CHANNEL = os.environ.get("CIVICGRID_NOTIFY_SMS_CHANNEL", "console")
# Failed sends are retried 30 s, 1 min, 2 min … later (capped at 6 h); after this
# many attempts the row is dead and waits for an administrator's "retry now".
CIVICGRID_NOTIFY_MAX_ATTEMPTS = int(
    os.environ.get("CIVICGRID_NOTIFY_MAX_ATTEMPTS", "8")
)
# How long a worker's claim on a row lasts before another worker may take it over
# (the first one is presumed dead). Must exceed the slowest single send.
CIVICGRID_NOTIFY_CLAIM_SECONDS = float(
    os.environ.get("CIVICGRID_NOTIFY_CLAIM_SECONDS", "120")
)
# The SMS gateway: POST {"to": …, "text": …} as JSON, optionally with
# "Authorization: Bearer <token>"; any answer other than 2xx is a failure.
CIVICGRID_SMS_URL = os.environ.get("CIVICGRID_SMS_URL", "")
CIVICGRID_SMS_TOKEN = os.environ.get("CIVICGRID_SMS_TOKEN", "")
CIVICGRID_SMS_TIMEOUT_SECONDS = float(
    os.environ.get("CIVICGRID_SMS_TIMEOUT_SECONDS", "10")
)
# Texts residents send to the street's number (短信报事) arrive from the gateway
# at POST /api/sms/inbound/, signed like our webhooks (below) with this
# secret; while it is empty the address answers 404. They are filed in the API
# channel as the API client named here (its user's memberships decide its
# streets); the number a text was sent to names the street ("number=street
# code,…"; a number not listed: the default street).
CIVICGRID_SMS_INBOUND_SECRET = os.environ.get("CIVICGRID_SMS_INBOUND_SECRET", "")
CIVICGRID_SMS_INBOUND_CLIENT = os.environ.get(
    "CIVICGRID_SMS_INBOUND_CLIENT", "短信网关"
)
CIVICGRID_SMS_INBOUND_NUMBERS = dict(
    item.partition("=")[::2] for item in env_list("CIVICGRID_SMS_INBOUND_NUMBERS")
)
# Webhooks are signed "X-CivicGrid-Signature: sha256=<hex HMAC-SHA256 of the body>"
# with this secret; while it is empty, webhook sends fail (and are retried) rather
# than go out unsigned.
CIVICGRID_WEBHOOK_SECRET = os.environ.get("CIVICGRID_WEBHOOK_SECRET", "")
CIVICGRID_WEBHOOK_TIMEOUT_SECONDS = float(
    os.environ.get("CIVICGRID_WEBHOOK_TIMEOUT_SECONDS", "10")
)

# --- Open311 GeoReport v2 (/open311/v2/) ------------------------------------------
# Jurisdictions served, as "id=street-code,…"; an empty street code means the
# default street (CIVICGRID_DEFAULT_STREET, or the only one). With a single
# jurisdiction, clients may leave jurisdiction_id out.
CIVICGRID_OPEN311_JURISDICTIONS = dict(
    item.partition("=")[::2]
    for item in env_list("CIVICGRID_OPEN311_JURISDICTIONS", "civicgrid=")
)
# The REST API's idempotency records (a copy of each answer) are kept this long;
# the client systems' use log, for audits, this long.
CIVICGRID_IDEMPOTENCY_KEEP_HOURS = float(
    os.environ.get("CIVICGRID_IDEMPOTENCY_KEEP_HOURS", "24")
)
CIVICGRID_API_LOG_KEEP_DAYS = float(
    os.environ.get("CIVICGRID_API_LOG_KEEP_DAYS", "400")
)
# Requests without a key (reading the catalogue, a request by its id), per address.
CIVICGRID_OPEN311_ANONYMOUS_PER_MINUTE = int(
    os.environ.get("CIVICGRID_OPEN311_ANONYMOUS_PER_MINUTE", "120")
)
# The public record: without a key, Open311 lists appeals of these kinds (never
# complaints or reports, whatever is set here) with what their tracking page
# shows — no contact, none of the resident's words, the point rounded to about
# 100 m. Categories (or groups) listed as excluded are never in it: by default
# welfare and disputes, which speak of one household. Off: a key is needed.
CIVICGRID_PUBLIC_RECORD = env_bool("CIVICGRID_PUBLIC_RECORD", True)
CIVICGRID_PUBLIC_RECORD_KINDS = env_list(
    "CIVICGRID_PUBLIC_RECORD_KINDS", "help,suggestion"
)
CIVICGRID_PUBLIC_RECORD_EXCLUDED_CATEGORIES = env_list(
    "CIVICGRID_PUBLIC_RECORD_EXCLUDED_CATEGORIES", "welfare,disputes"
)
CIVICGRID_OPEN311_CONTACT = os.environ.get(
    "CIVICGRID_OPEN311_CONTACT", "The street's command centre (街道指挥中心)"
)

# --- CivicGrid appeals (接诉即办) ---------------------------------------------------
# The address residents reach the platform at, for links in SMS and e-mail.
CIVICGRID_PUBLIC_URL = os.environ.get("CIVICGRID_PUBLIC_URL", "http://127.0.0.1:8000")
# The demo's year of history behind its recent cases (seed-demo; 0: none).
CIVICGRID_DEMO_HISTORY_APPEALS = int(
    os.environ.get("CIVICGRID_DEMO_HISTORY_APPEALS", "3000")
)
# The street whose residents the page /report/ serves when no street is named
# (a code such as 540103001); empty: the only street, if there is just one.
CIVICGRID_DEFAULT_STREET = os.environ.get("CIVICGRID_DEFAULT_STREET", "")
# Messages to staff go to this channel (console, email or sms).
CIVICGRID_NOTIFY_STAFF_CHANNEL = os.environ.get(
    "CIVICGRID_NOTIFY_STAFF_CHANNEL", "console"
)
# Other systems told of every change (comma-separated URLs; signed, see above).
CIVICGRID_WEBHOOK_URLS = env_list("CIVICGRID_WEBHOOK_URLS")
# A unit is warned when this much working time is left before its deadline.
CIVICGRID_WARN_BEFORE_WORKING_HOURS = float(
    os.environ.get("CIVICGRID_WARN_BEFORE_WORKING_HOURS", "4")
)
# An urgent appeal (紧急) runs on its category's urgent clocks; a category that
# names none runs on these: respond (sign for it) within this many working hours
# and answer within this many working days — never longer than its normal clocks.
CIVICGRID_URGENT_RESPONSE_HOURS = float(
    os.environ.get("CIVICGRID_URGENT_RESPONSE_HOURS", "0.5")
)
CIVICGRID_URGENT_HANDLING_DAYS = float(
    os.environ.get("CIVICGRID_URGENT_HANDLING_DAYS", "1")
)
# A retry that arrives while the first attempt with its idempotency key is still
# in its transaction waits this long for it (PostgreSQL), then gets 409.
CIVICGRID_IDEMPOTENCY_WAIT_SECONDS = float(
    os.environ.get("CIVICGRID_IDEMPOTENCY_WAIT_SECONDS", "2")
)
# A received appeal the worker has failed to register this many times is
# reported to the street's dispatchers (it stays pending and is retried).
CIVICGRID_INTAKE_ALERT_ATTEMPTS = int(
    os.environ.get("CIVICGRID_INTAKE_ALERT_ATTEMPTS", "3")
)
# The worker registers received submissions this often (seconds); its periodic
# jobs run every CIVICGRID_WORKER_SLEEP_SECONDS.
CIVICGRID_INTAKE_POLL_SECONDS = float(
    os.environ.get("CIVICGRID_INTAKE_POLL_SECONDS", "0.25")
)
# Public pages answer 429 to an address that sends too many requests a minute.
CIVICGRID_RATE_LIMITS = env_bool("CIVICGRID_RATE_LIMITS", True)
# Where the counts live so that every process on every machine counts together:
# "database" (the default; the RateCounter table) or "cache" (CACHES["default"],
# which must then be shared: Redis, Memcached or the database cache, never the
# per-process local-memory cache).
CIVICGRID_RATE_LIMIT_STORE = os.environ.get("CIVICGRID_RATE_LIMIT_STORE", "database")
# How many proxies (load balancer, nginx) stand in front of the web processes and
# append to X-Forwarded-For. 0: the client is REMOTE_ADDR. With N, the client is
# the N-th address from the right of X-Forwarded-For (what the outermost trusted
# proxy saw). Set it to exactly the proxies you run: too high lets a client forge
# its address. The REST API's rates count in the same store, by the same address.
CIVICGRID_TRUSTED_PROXIES = int(os.environ.get("CIVICGRID_TRUSTED_PROXIES", "0"))
# Appeals a resident may file, by the report page or the API: per address a
# minute, and per signed-in resident an hour.
CIVICGRID_INTAKE_PER_MINUTE = int(os.environ.get("CIVICGRID_INTAKE_PER_MINUTE", "20"))
CIVICGRID_INTAKE_PER_HOUR = int(os.environ.get("CIVICGRID_INTAKE_PER_HOUR", "10"))
# The "nearby" check on the report page, per address a minute.
CIVICGRID_NEARBY_PER_MINUTE = int(os.environ.get("CIVICGRID_NEARBY_PER_MINUTE", "20"))
# The tracking page, per address a minute (reading and posting).
CIVICGRID_TRACK_PER_MINUTE = int(os.environ.get("CIVICGRID_TRACK_PER_MINUTE", "60"))
# Who may blow the whistle besides the street's dispatchers: any of
# "community_staff", "department_handler" (comma-separated); empty by default.
CIVICGRID_WHISTLE_BLOWERS = env_list("CIVICGRID_WHISTLE_BLOWERS")
# A reply the resident has not rated after this many days closes as "no answer".
CIVICGRID_CALLBACK_DAYS = float(os.environ.get("CIVICGRID_CALLBACK_DAYS", "3"))
# After this many callback calls that did not reach the resident (未接通), the
# last one closes the appeal as unreachable, counted apart from the rates.
CIVICGRID_CALLBACK_TRIES = int(os.environ.get("CIVICGRID_CALLBACK_TRIES", "3"))
# Uploads (photos) live here, outside the web root; they are served only through
# views that check who may see the appeal.
MEDIA_ROOT = Path(os.environ.get("CIVICGRID_MEDIA_ROOT", VAR_DIR / "media"))
CIVICGRID_MAX_PHOTO_BYTES = int(
    os.environ.get("CIVICGRID_MAX_PHOTO_BYTES", 10 * 1024 * 1024)
)
# Photos are refused by the size their header states, before any decoding: per
# photo, and all the photos of one request together (a one-colour PNG of 6300 ×
# 6300 weighs a few kilobytes and decodes to 120 MB).
CIVICGRID_MAX_PHOTO_PIXELS = int(
    os.environ.get("CIVICGRID_MAX_PHOTO_PIXELS", "40000000")
)
CIVICGRID_MAX_PHOTO_PIXELS_PER_REQUEST = int(
    os.environ.get("CIVICGRID_MAX_PHOTO_PIXELS_PER_REQUEST", "120000000")
)
# At most this many photos are decoded at once in one web process; a request
# that waits longer than the seconds below for its turn is asked to send again.
CIVICGRID_PHOTO_DECODERS = int(os.environ.get("CIVICGRID_PHOTO_DECODERS", "2"))
CIVICGRID_PHOTO_DECODE_WAIT_SECONDS = float(
    os.environ.get("CIVICGRID_PHOTO_DECODE_WAIT_SECONDS", "10")
)
# A voice message (语音留言) instead of typing: at most this big and this long
# (the report page's recorder stops itself at the limit).
CIVICGRID_MAX_VOICE_BYTES = int(
    os.environ.get("CIVICGRID_MAX_VOICE_BYTES", 5 * 1024 * 1024)
)
CIVICGRID_MAX_VOICE_SECONDS = int(os.environ.get("CIVICGRID_MAX_VOICE_SECONDS", "180"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Nine photos and a little room: a request carrying more files is refused before
# any is written to disk. (Cap the whole request body at the proxy, e.g. nginx
# client_max_body_size 100m.)
DATA_UPLOAD_MAX_NUMBER_FILES = 12
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# The ledger's people to visit (待走访): tagged 独居老人 or 高龄 and not visited
# for this many days.
CIVICGRID_LEDGER_VISIT_DAYS = int(os.environ.get("CIVICGRID_LEDGER_VISIT_DAYS", "30"))
# 微心愿: a claim not fulfilled in so many days returns the wish to the wall.
CIVICGRID_WISH_CLAIM_DAYS = int(os.environ.get("CIVICGRID_WISH_CLAIM_DAYS", "14"))
# A patrol (巡查) left open longer than this is ended by the worker's sweep: the
# phone was put away without ending it.
CIVICGRID_PATROL_MAX_HOURS = float(os.environ.get("CIVICGRID_PATROL_MAX_HOURS", "12"))

# --- the discipline channel (纪检监察信访举报) -----------------------------------
# Master keys that wrap each report's own data keys: "id:base64 of 32 bytes",
# comma-separated; the first wraps, all unwrap (rotate: put a new one first,
# then `manage.py discipline_rewrap --commit`). Development key only;
# production.py refuses it.
CIVICGRID_DISCIPLINE_MASTER_KEYS = env_list(
    "CIVICGRID_DISCIPLINE_MASTER_KEYS",
    "dev1:ZGV2LWRpc2NpcGxpbmUtbWFzdGVyLWtleS0wMDAwMDA=",
)
# The salt of the receipts' Argon2id digests, and the key of the audit chain.
CIVICGRID_DISCIPLINE_RECEIPT_SALT = os.environ.get(
    "CIVICGRID_DISCIPLINE_RECEIPT_SALT", "dev-discipline-receipt-salt"
)
CIVICGRID_DISCIPLINE_AUDIT_KEY = os.environ.get(
    "CIVICGRID_DISCIPLINE_AUDIT_KEY", "dev-discipline-audit-key"
)
# Evidence: files per submission and the largest file.
CIVICGRID_DISCIPLINE_MAX_FILES = int(
    os.environ.get("CIVICGRID_DISCIPLINE_MAX_FILES", 9)
)
CIVICGRID_DISCIPLINE_MAX_FILE_BYTES = int(
    os.environ.get("CIVICGRID_DISCIPLINE_MAX_FILE_BYTES", 50 * 1024 * 1024)
)
# Where the sealed channel's pages live (no address, no browser, no cache).
CIVICGRID_DISCIPLINE_PREFIX = "/discipline/"
OTP_TOTP_ISSUER = "CivicGrid"
