"""Texts written before they were sealed: a number found in one is masked in
place and the original kept encrypted beside it. Going back leaves them masked."""

from django.db import migrations

from civicgrid.core.fields import seal_existing_rows

TEXTS = {
    "Appeal": [
        "description",
        "reply_outcome_reason",
        "reject_reason",
        "callback_comment",
    ],
    "Assignment": ["return_reason", "recall_reason"],
    "ExtensionRequest": ["reason", "decision_note"],
    "CaseEvent": ["note"],
    "Verification": ["note", "result_note"],
}


def seal(apps, schema_editor):
    for model, names in TEXTS.items():
        seal_existing_rows(apps.get_model("appeals", model), names)


class Migration(migrations.Migration):
    dependencies = [("appeals", "0011_sealed_texts")]

    operations = [migrations.RunPython(seal, migrations.RunPython.noop)]
