"""Message bodies may carry the resident's own link: encrypt them at rest, the
rows already queued included."""

from typing import Any

from django.db import migrations

import civicgrid.core.fields
from civicgrid.core import crypto


def encrypt_bodies(apps: Any, schema_editor: Any) -> None:
    table = schema_editor.quote_name("notifications_notification")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT id, body FROM {table} WHERE body <> ''")  # noqa: S608
        rows = cursor.fetchall()
        for pk, body in rows:
            cursor.execute(
                f"UPDATE {table} SET body = %s WHERE id = %s",  # noqa: S608
                [crypto.encrypt(body), pk],
            )


def decrypt_bodies(apps: Any, schema_editor: Any) -> None:
    table = schema_editor.quote_name("notifications_notification")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT id, body FROM {table} WHERE body <> ''")  # noqa: S608
        rows = cursor.fetchall()
        for pk, body in rows:
            cursor.execute(
                f"UPDATE {table} SET body = %s WHERE id = %s",  # noqa: S608
                [crypto.decrypt(body), pk],
            )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="notification",
            name="body",
            field=civicgrid.core.fields.EncryptedTextField(
                blank=True, verbose_name="body"
            ),
        ),
        migrations.RunPython(encrypt_bodies, decrypt_bodies),
    ]
