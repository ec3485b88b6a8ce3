"""Texts written before they were sealed: a number found in one is masked in
place and the original kept encrypted beside it. Going back leaves them masked."""

from django.db import migrations

from civicgrid.core.fields import seal_existing_rows

TEXTS = {"Exclusion": ["reason", "decision_note"]}


def seal(apps, schema_editor):
    for model, names in TEXTS.items():
        seal_existing_rows(apps.get_model("metrics", model), names)


class Migration(migrations.Migration):
    dependencies = [("metrics", "0008_sealed_texts")]

    operations = [migrations.RunPython(seal, migrations.RunPython.noop)]
