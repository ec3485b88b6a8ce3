"""Closes as unreachable (未接通) become facts of their own, counted apart from
the rates; the closes made before this are counted too, for the lead unit
that replied, as :mod:`civicgrid.metrics.facts` counts them from now on."""

from django.db import migrations, models
from django.utils import timezone

KINDS = [
    ("intake", "Received"),
    ("dispatch", "Dispatched to a unit"),
    ("response", "Response by a unit"),
    ("return", "Returned by a unit"),
    ("completion", "Completion by the lead unit"),
    ("callback", "Callback"),
    ("rehandle", "Re-handle"),
    ("unreachable", "Closed as unreachable"),
]

SUM_UNREACHABLE = """
INSERT INTO metrics_dailyfigure
    (day, street_id, kind, department_id, area_id, community_id, grid_id,
     is_excluded, n, ok, satisfied, basic, seconds, timed)
SELECT day, street_id, kind, COALESCE(department_id, 0), COALESCE(area_id, 0),
       COALESCE(community_id, 0), COALESCE(grid_id, 0), excluded, COUNT(*),
       0, 0, 0, 0, 0
FROM metrics_fact
WHERE kind = 'unreachable'
GROUP BY day, street_id, kind, COALESCE(department_id, 0), COALESCE(area_id, 0),
         COALESCE(community_id, 0), COALESCE(grid_id, 0), excluded
"""


def count_earlier_closes(apps, schema_editor):
    CaseEvent = apps.get_model("appeals", "CaseEvent")
    Assignment = apps.get_model("appeals", "Assignment")
    Area = apps.get_model("org", "Area")
    Fact = apps.get_model("metrics", "Fact")
    Exclusion = apps.get_model("metrics", "Exclusion")
    made = []
    closes = CaseEvent.objects.filter(action="close_unreachable").select_related(
        "appeal"
    )
    for event in closes.iterator():
        appeal = event.appeal
        lead = (
            Assignment.objects.filter(appeal=appeal, role="lead")
            .exclude(state__in=["returned", "withdrawn"])
            .exclude(replied_at__isnull=True)
            .order_by("-replied_at", "-pk")
            .first()
        )
        if lead is None:
            continue
        unit = {
            "assignment": lead,
            "excluded": Exclusion.objects.filter(
                assignment=lead, state="approved"
            ).exists(),
        }
        if lead.department_id:
            unit["department_id"] = lead.department_id
        else:
            area = Area.objects.get(pk=lead.area_id)
            community = area.pk if area.level == "community" else area.parent_id
            unit.update(
                area_id=area.pk,
                community_id=community,
                grid_id=area.pk if community != area.pk else None,
            )
        made.append(
            Fact(
                kind="unreachable",
                at=event.created_at,
                day=timezone.localdate(event.created_at),
                street_id=appeal.street_id,
                category_id=appeal.category_id,
                channel=appeal.channel,
                appeal=appeal,
                **unit,
            )
        )
    Fact.objects.bulk_create(made)


def forget_closes(apps, schema_editor):
    apps.get_model("metrics", "Fact").objects.filter(kind="unreachable").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("metrics", "0004_min_cases_counts_dispatched"),
        ("appeals", "0006_callback_tries"),
    ]

    operations = [
        migrations.AlterField(
            model_name="dailyfigure",
            name="kind",
            field=models.CharField(choices=KINDS, max_length=12),
        ),
        migrations.AlterField(
            model_name="fact",
            name="kind",
            field=models.CharField(choices=KINDS, max_length=12),
        ),
        migrations.RunPython(count_earlier_closes, forget_closes),
        migrations.RunSQL(
            SUM_UNREACHABLE,
            "DELETE FROM metrics_dailyfigure WHERE kind = 'unreachable'",
        ),
    ]
