"""Production settings plus the baseline view, for bench/intake.py only."""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-" + "x" * 30)
os.environ.setdefault(
    "CIVICGRID_FIELD_KEYS", "YmVuY2gtZmllbGQta2V5LWNpdmljZ3JpZC0wMDAwMDA="
)
os.environ.setdefault("CIVICGRID_BLIND_INDEX_KEY", "bench-blind-index-key-" + "y" * 20)
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault(
    "CIVICGRID_DISCIPLINE_MASTER_KEYS",
    "bench1:YmVuY2gtZGlzY2lwbGluZS1tYXN0ZXIta2V5LTAwMDA=",
)
os.environ.setdefault("CIVICGRID_DISCIPLINE_RECEIPT_SALT", "bench-receipt-salt-zzzz")
os.environ.setdefault("CIVICGRID_DISCIPLINE_AUDIT_KEY", "bench-audit-key-" + "z" * 30)
# Every benchmark client comes from 127.0.0.1: the per-address limit would
# measure itself.
os.environ.setdefault("CIVICGRID_RATE_LIMITS", "0")

from config.settings.production import *  # noqa: E402, F403
from config.settings.production import INSTALLED_APPS  # noqa: E402

INSTALLED_APPS = [*INSTALLED_APPS, "bench.benchapp"]
ROOT_URLCONF = "bench.urls"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LOGGING = {"version": 1, "disable_existing_loggers": True}
