"""Sum the facts written before the daily sums existed (a database that ran
0001 before 0002), so the dashboards see them too."""

from django.db import migrations

SQL = """
INSERT INTO metrics_dailyfigure
    (day, street_id, kind, department_id, area_id, community_id, grid_id,
     is_excluded, n, ok, satisfied, basic, seconds, timed)
SELECT day, street_id, kind, COALESCE(department_id, 0), COALESCE(area_id, 0),
       COALESCE(community_id, 0), COALESCE(grid_id, 0), excluded, COUNT(*),
       SUM(CASE WHEN ok THEN 1 ELSE 0 END),
       SUM(CASE WHEN satisfaction = 'satisfied' THEN 1 ELSE 0 END),
       SUM(CASE WHEN satisfaction = 'basic' THEN 1 ELSE 0 END),
       COALESCE(SUM(seconds), 0), COUNT(seconds)
FROM metrics_fact
WHERE NOT EXISTS (SELECT 1 FROM metrics_dailyfigure)
GROUP BY day, street_id, kind, COALESCE(department_id, 0), COALESCE(area_id, 0),
         COALESCE(community_id, 0), COALESCE(grid_id, 0), excluded
"""


class Migration(migrations.Migration):
    dependencies = [("metrics", "0002_daily_figures")]

    operations = [migrations.RunSQL(SQL, migrations.RunSQL.noop)]
