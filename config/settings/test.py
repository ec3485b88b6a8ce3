"""The test suite: fast hashing, no manifest for static files."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # noqa: S303
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CIVICGRID_GRID_INDEX_CHECK_SECONDS = 0.0
CIVICGRID_REFERENCE_CACHE_SECONDS = 0.0
# Static files come straight from the finders; nothing is collected in tests.
STATIC_ROOT = None  # type: ignore[assignment]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
LANGUAGE_CODE = "en"  # assertions read English; i18n tests switch to zh-hans
# Tests post far faster than people; the rate limit has its own tests.
CIVICGRID_RATE_LIMITS = False
# The demo's year, small: every demo test seeds it.
CIVICGRID_DEMO_HISTORY_APPEALS = 240
# Argon2id of the receipts, cheap: the real cost is measured in bench/.
CIVICGRID_DISCIPLINE_ARGON2_TIME = 1
CIVICGRID_DISCIPLINE_ARGON2_MEMORY_KIB = 256
# Files the tests write (photos, sealed evidence) go to a folder of the run's
# own, never into var/media; a test that looks at them sets its own.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="civicgrid-test-media-"))
# No hotline at the foot of the pages: tests look for digits of residents' numbers
# in pages, and a street's number would answer them; its own tests set one.
CIVICGRID_HOTLINE = ""
# Browser tests start with no service worker (fresh copies of every file);
# the offline app's tests switch it on.
CIVICGRID_SERVICE_WORKER = False
