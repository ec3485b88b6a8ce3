"""The installable web app (PWA) for phones without signal.

The resident's report page and the grid worker's patrol and visit pages keep
working where the signal drops: a service worker from our static files keeps
the pages' scripts, styles and map images and the last copy of each page, and
the pages' own script (``static/js/offline.js``) sends their forms itself —
a form it cannot send is kept on the phone (IndexedDB, with its photos) and
sent when the signal returns, under the idempotency key the phone made for
it, so a form whose answer was lost on the way is still recorded once. The
page says what is waiting.

The service worker is served from ``/sw.js`` (its scope is the whole site)
with the list of static files to keep, named as the static storage names them
(hashed in production), and a version that changes with the list and the
script, so a deployment replaces the phone's copies. The sealed discipline
channel is never touched by it."""

from __future__ import annotations

import hashlib
import json
from functools import cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse

# What the offline pages need before they were ever opened with the worker.
PRECACHE = (
    "css/civicgrid.css",
    "js/offline.js",
    "js/report-form.js",
    "js/report-steps.js",
    "js/voice-recorder.js",
    "js/share.js",
    "js/map-tiles.js",
    "js/area-map.js",
    "js/ledger-patrol.js",
    "vendor/leaflet/leaflet.js",
    "vendor/leaflet/leaflet.css",
    "vendor/leaflet/images/marker-icon.png",
    "vendor/leaflet/images/marker-icon-2x.png",
    "vendor/leaflet/images/marker-shadow.png",
    "img/icon-192.png",
)
# Pages kept for use without signal (their last copy), as path patterns.
OFFLINE_PAGES = (
    r"^/report/(street/[^/]+/|at/[^/]+/)?$",
    r"^/ledger/patrols/(\d+/)?$",
    r"^/ledger/households/\d+/visit/$",
)
# Never touched by the worker: the sealed channel keeps nothing on a phone.
NEVER = ("/discipline/",)


def enabled() -> bool:
    return bool(getattr(settings, "CIVICGRID_SERVICE_WORKER", True))


def _config() -> dict[str, object]:
    files = [static(name) for name in PRECACHE]
    plain = settings.STATIC_URL + PRECACHE[0]
    return {
        "precache": [*files, reverse("offline")],
        "static": settings.STATIC_URL,
        # Hashed names never change content: kept copies are served first.
        "hashed": files[0] != plain,
        "pages": list(OFFLINE_PAGES),
        "never": list(NEVER),
        "offline": reverse("offline"),
        "logout": reverse("accounts:logout"),
    }


@cache
def _script() -> str:
    path = finders.find("js/sw.js")
    if not path:
        raise FileNotFoundError("js/sw.js")
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def service_worker() -> str:
    """The worker's script: its configuration, then ``static/js/sw.js``."""
    config = _config()
    script = _script() if not settings.DEBUG else _script.__wrapped__()
    version = hashlib.sha256(
        (json.dumps(config, sort_keys=True) + script).encode()
    ).hexdigest()[:12]
    config["version"] = version
    return f"self.CIVICGRID = {json.dumps(config)};\n{script}"
