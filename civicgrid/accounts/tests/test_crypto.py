"""A user's phone number is kept encrypted (core.fields.EncryptedTextField)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from civicgrid.accounts.models import User


def test_a_phone_number_is_encrypted_at_rest_and_read_back(db):
    user = User.objects.create(username="u1", phone="13812341234")
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM accounts_user WHERE id = %s", [user.pk])
        stored = cursor.fetchone()[0]
    assert "13812341234" not in stored
    assert User.objects.get(pk=user.pk).phone == "13812341234"


def test_keys_rotate_new_key_first_old_rows_still_read(db, settings):
    user = User.objects.create(username="u1", phone="13812341234")
    settings.CIVICGRID_FIELD_KEYS = [
        "bmV3LWZpZWxkLWtleS1jaXZpY2dyaWQtMTExMTExMTE=",
        *settings.CIVICGRID_FIELD_KEYS,
    ]
    assert User.objects.get(pk=user.pk).phone == "13812341234"
    settings.CIVICGRID_FIELD_KEYS = ["bmV3LWZpZWxkLWtleS1jaXZpY2dyaWQtMTExMTExMTE="]
    with pytest.raises(ImproperlyConfigured):
        User.objects.get(pk=user.pk)
