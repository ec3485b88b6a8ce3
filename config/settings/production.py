"""Production: secrets must come from the environment; HTTPS everywhere."""

import os

from django.core.exceptions import ImproperlyConfigured

from civicgrid.core.keys import secret_problems

from .base import *  # noqa: F403
from .base import (
    CIVICGRID_BLIND_INDEX_KEY,
    CIVICGRID_FIELD_KEYS,
    SECRET_KEY,
    SILENCED_SYSTEM_CHECKS,
    env_bool,
)

DEBUG = False
# Refuse to start with weak or malformed secrets (check --deploy says the same).
_problems = secret_problems(
    secret_key=SECRET_KEY,
    field_keys=CIVICGRID_FIELD_KEYS,
    blind_index_key=CIVICGRID_BLIND_INDEX_KEY,
)
if _problems:
    raise ImproperlyConfigured(" ".join(_problems))

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind a load balancer or nginx, set CIVICGRID_TRUSTED_PROXIES to how many there
# are, or every resident shares the proxy's rate-limit bucket (see base.py). The
# rate counts are in the database, shared by every process and machine, unless
# CIVICGRID_RATE_LIMIT_STORE=cache names a shared CACHES["default"].
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# security.W021 asks for HSTS preload. Preloading is a promise about every
# subdomain of the deployment's domain, which a street office rarely controls;
# set SECURE_HSTS_PRELOAD=1 where it does.
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W021"]

# The sealed channel refuses to start on its development keys either.
from civicgrid.discipline.checks import deployment_problems  # noqa: E402

from .base import (  # noqa: E402
    CIVICGRID_DISCIPLINE_AUDIT_KEY,
    CIVICGRID_DISCIPLINE_MASTER_KEYS,
    CIVICGRID_DISCIPLINE_RECEIPT_SALT,
)

_sealed_problems = deployment_problems(
    master_keys=CIVICGRID_DISCIPLINE_MASTER_KEYS,
    receipt_salt=CIVICGRID_DISCIPLINE_RECEIPT_SALT,
    audit_key=CIVICGRID_DISCIPLINE_AUDIT_KEY,
)
if _sealed_problems:
    raise ImproperlyConfigured(" ".join(_sealed_problems))
