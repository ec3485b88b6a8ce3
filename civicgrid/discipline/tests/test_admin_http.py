"""The superuser in the Django admin: nothing of the discipline channel is
there — no report, post, grant or audit row, and no authenticator of anyone
who holds a post."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from civicgrid.discipline.models import Post, Report

from .conftest import MARKER, granted, submit

CHANNEL_APPS = {"discipline", "otp_totp", "otp_static", "otp_hotp", "otp_email"}
MODELS = [
    "report",
    "post",
    "body",
    "grant",
    "identity",
    "identityrequest",
    "attachment",
    "step",
    "auditentry",
    "alert",
    "code",
    "tally",
    "counter",
]


@pytest.fixture
def root(client, sealed, media):
    granted(sealed, submit(sealed.district, what=MARKER).report)
    client.force_login(sealed["superuser"])
    return sealed["superuser"]


def test_the_admin_index_lists_nothing_of_the_channel(client, root):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    labels = {app["app_label"] for app in response.context["app_list"]}
    assert labels  # the admin lists the platform's own apps
    assert not labels & CHANNEL_APPS
    text = response.content.decode()
    assert "/admin/discipline/" not in text
    assert "/admin/otp_" not in text
    assert MARKER not in text
    registered = {model._meta.app_label for model in admin.site._registry}
    assert not registered & CHANNEL_APPS


@pytest.mark.parametrize(
    "path",
    [
        "/admin/discipline/",
        *(f"/admin/discipline/{model}/" for model in MODELS),
        *(f"/admin/discipline/{model}/1/change/" for model in MODELS),
        "/admin/discipline/report/add/",
        "/admin/otp_totp/",
        "/admin/otp_totp/totpdevice/",
        "/admin/otp_totp/totpdevice/1/change/",
    ],
)
def test_the_channels_admin_pages_are_404(client, root, path):
    response = client.get(path)
    assert response.status_code == 404, path
    assert MARKER not in response.content.decode()


def test_the_user_page_of_a_post_holder_tells_nothing_of_the_post(client, root, sealed):
    officer = sealed["officer"]
    response = client.get(reverse("admin:accounts_user_change", args=[officer.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert sealed.district.name not in text
    assert "TOTP" not in text and "totp" not in text
    assert Post.objects.filter(user=officer).exists()
    assert Report.objects.exists()
