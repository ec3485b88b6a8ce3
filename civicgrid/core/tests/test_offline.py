"""The offline app from the server's side: the service worker and its list of
files, the manifest, the "no signal" page, the pages that offer them, and the
answer a form sent by the page's own script gets."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from civicgrid.core import offline

pytestmark = pytest.mark.django_db


@pytest.fixture
def on(settings):
    settings.CIVICGRID_SERVICE_WORKER = True


def config_of(script: str) -> dict:
    first = script.split("\n", 1)[0]
    assert first.startswith("self.CIVICGRID = ") and first.endswith(";")
    return json.loads(first[len("self.CIVICGRID = ") : -1])


def test_the_worker_is_served_at_the_root_with_what_it_keeps(client, on):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    script = response.content.decode()
    config = config_of(script)
    assert "/static/js/offline.js" in config["precache"]
    assert reverse("offline") in config["precache"]
    # Every file it keeps is one we serve.
    for url in config["precache"]:
        if url.startswith("/static/"):
            assert finders.find(url.removeprefix("/static/")), url
    assert config["never"] == ["/discipline/"]
    assert config["logout"] == reverse("accounts:logout")
    assert re.fullmatch(r"[0-9a-f]{12}", config["version"])
    # The pages kept for use without signal: the report form, the patrol log
    # and a visit; nothing else (the console, an appeal's page) matches.
    pages = [re.compile(p) for p in config["pages"]]

    def kept(path: str) -> bool:
        return any(p.search(path) for p in pages)

    for path in (
        "/report/",
        "/report/street/540103001/",
        "/report/at/abc:def/",
        "/ledger/patrols/",
        "/ledger/patrols/12/",
        "/ledger/households/3/visit/",
    ):
        assert kept(path), path
    for path in (
        "/console/",
        "/track/ABC/",
        "/ledger/households/3/",
        "/report/done/X/",
    ):
        assert not kept(path), path


def test_the_workers_version_changes_with_what_it_keeps(client, on, monkeypatch):
    before = config_of(client.get("/sw.js").content.decode())["version"]
    monkeypatch.setattr(offline, "PRECACHE", (*offline.PRECACHE, "js/share.js?2"))
    after = config_of(client.get("/sw.js").content.decode())["version"]
    assert before != after


def test_without_the_worker_nothing_offers_it(client, settings):
    settings.CIVICGRID_SERVICE_WORKER = False
    assert client.get("/sw.js").status_code == 404
    page = client.get(reverse("appeals:privacy")).content.decode()
    assert "manifest.webmanifest" not in page and "data-sw=" not in page


def test_every_page_offers_the_app_but_the_sealed_channel(client, on):
    page = client.get(reverse("appeals:privacy")).content.decode()
    assert 'rel="manifest" href="/manifest.webmanifest"' in page
    assert 'data-sw="/sw.js"' in page and 'id="outbox"' in page
    assert "js/offline.js" in page
    sealed = client.get("/discipline/").content.decode()
    assert "manifest.webmanifest" not in sealed and "offline.js" not in sealed


def test_the_manifest_installs_the_site_in_its_own_window(client, on):
    client.cookies["django_language"] = "zh-hans"
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == "基层治理平台" and manifest["lang"] == "zh-hans"
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert sizes == {"192x192", "512x512"}
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon


def test_the_no_signal_page_says_how_to_report(client, on):
    page = client.get(reverse("offline"))
    assert page.status_code == 200
    assert reverse("appeals:report") in page.content.decode()


def test_a_form_sent_by_the_pages_script_learns_where_to_go(client, on, street):
    form = {"option": "large", "next": "/report/"}
    plain = client.post(reverse("display"), form)
    assert plain.status_code == 302 and plain["Location"] == "/report/"
    scripted = client.post(reverse("display"), form, HTTP_X_CIVICGRID_OUTBOX="1")
    assert scripted.status_code == 200
    assert scripted.json() == {"redirect": "/report/"}
    # What the redirect would have set is set all the same.
    assert "civicgrid_display" in scripted.cookies
    assert Client().get(reverse("display")).status_code == 405
