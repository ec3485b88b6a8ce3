"""The audit log is append-only in the database itself: an UPDATE or DELETE of
an entry is refused by a trigger, on SQLite and on PostgreSQL alike. (TRUNCATE
is left to the table's owner: the test runner empties tables with it, and a
database owner can drop triggers anyway — the chain is what proves an edit.)"""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER discipline_audit_no_update BEFORE UPDATE ON discipline_auditentry
    BEGIN SELECT RAISE(ABORT, 'the discipline audit log is append-only'); END""",
    """CREATE TRIGGER discipline_audit_no_delete BEFORE DELETE ON discipline_auditentry
    BEGIN SELECT RAISE(ABORT, 'the discipline audit log is append-only'); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS discipline_audit_no_update",
    "DROP TRIGGER IF EXISTS discipline_audit_no_delete",
]
POSTGRES = [
    """CREATE FUNCTION discipline_audit_refuse() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'the discipline audit log is append-only'; END;
    $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER discipline_audit_append_only
    BEFORE UPDATE OR DELETE ON discipline_auditentry
    FOR EACH ROW EXECUTE FUNCTION discipline_audit_refuse()""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS discipline_audit_append_only ON discipline_auditentry",
    "DROP FUNCTION IF EXISTS discipline_audit_refuse()",
]


def forwards(apps, schema_editor):
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for statement in statements:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    statements = (
        POSTGRES_DROP if schema_editor.connection.vendor == "postgresql" else SQLITE_DROP
    )
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("discipline", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
