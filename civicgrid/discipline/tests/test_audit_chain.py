"""The audit log's hash chain: it holds after a run of actions; an edited,
removed or slipped-in row breaks it where it happened; and the database
itself refuses to update or delete a row."""

from __future__ import annotations

import json

import pytest
from django.db import DatabaseError, connection, transaction

from civicgrid.discipline import actions, audit
from civicgrid.discipline.models import AuditEntry

from .conftest import bring, granted, real_name, submit

SQLITE_TRIGGERS = {
    "discipline_audit_no_update": "BEFORE UPDATE",
    "discipline_audit_no_delete": "BEFORE DELETE",
}


@pytest.fixture
def run(sealed):
    """A run of actions: intake, grants, every step, an identity decision."""
    report = bring(sealed, "objected", **real_name())
    actions.report_reopen(report=report, reason="新证据", acting_user=sealed["officer"])
    request = actions.identity_request(
        report=report, reason="核实", acting_user=sealed["officer"]
    )
    actions.identity_decide(
        request=request, approve=True, reason="同意", acting_user=sealed["custodian"]
    )
    actions.identity_reveal(report=report, acting_user=sealed["officer"])
    actions.report_open(report=report, acting_user=sealed["officer"])
    granted(sealed, submit(sealed.street).report, "street_officer")
    actions.receipt_open(receipt="0" * 16)
    return report


@pytest.fixture
def unguarded(db):
    """The append-only triggers out of the way, as someone with the database
    owner's rights could do; put back afterwards (the test's transaction
    would undo the change anyway)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ALTER TABLE waits for no deferred foreign-key check of the rows
            # this transaction wrote: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "ALTER TABLE discipline_auditentry "
                "DISABLE TRIGGER discipline_audit_append_only"
            )
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            for name in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER {name}")
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "ALTER TABLE discipline_auditentry "
                "ENABLE TRIGGER discipline_audit_append_only"
            )
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            for name, when in SQLITE_TRIGGERS.items():
                cursor.execute(
                    f"CREATE TRIGGER {name} {when} ON discipline_auditentry BEGIN "
                    "SELECT RAISE(ABORT, 'the discipline audit log is append-only'); "
                    "END"
                )


def set_detail(seq: int, detail: dict) -> None:
    cast = "::jsonb" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE discipline_auditentry SET detail = %s{cast} WHERE seq = %s",  # noqa: S608
            [json.dumps(detail), seq],
        )


def test_the_chain_holds_after_a_run_of_actions(run):
    entries = list(AuditEntry.objects.order_by("seq"))
    assert len(entries) > 20
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    assert entries[0].previous == audit.GENESIS
    for before, after in zip(entries, entries[1:], strict=False):
        assert after.previous == before.digest
    assert list(audit.verify()) == []


def test_an_empty_log_verifies(db):
    assert list(audit.verify()) == []


def test_an_edited_row_is_found_where_it_was_edited(run, unguarded):
    entry = AuditEntry.objects.filter(action="identity.viewed").get()
    set_detail(entry.seq, {"note": "nothing to see"})
    assert list(audit.verify()) == [audit.Break(entry.seq, "its contents were changed")]


def test_a_changed_actor_is_found_too(run, unguarded, sealed):
    entry = AuditEntry.objects.filter(action="report.viewed").get()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE discipline_auditentry SET actor_id = %s WHERE seq = %s",
            [sealed["officer2"].pk, entry.seq],
        )
    assert [b.seq for b in audit.verify()] == [entry.seq]


def test_a_removed_row_is_found_where_it_was(run, unguarded):
    middle = AuditEntry.objects.order_by("seq")[10]
    AuditEntry.objects.filter(pk=middle.pk).delete()
    breaks = list(audit.verify())
    assert {b.seq for b in breaks} == {middle.seq + 1}
    assert {b.problem for b in breaks} == {
        f"expected entry {middle.seq} here",
        "does not follow the entry before it",
    }


def test_a_row_slipped_in_at_the_end_without_the_key_is_found(run):
    last = AuditEntry.objects.order_by("-seq").first()
    assert last is not None
    forged = AuditEntry.objects.create(
        seq=last.seq + 1,
        at=last.at,
        actor_label="system",
        action="identity.viewed",
        detail={},
        previous=last.digest,
        digest="f" * 64,
    )
    assert list(audit.verify()) == [
        audit.Break(forged.seq, "its contents were changed")
    ]


def test_the_chain_is_keyed(run, settings):
    settings.CIVICGRID_DISCIPLINE_AUDIT_KEY = "another key"
    breaks = list(audit.verify())
    assert len(breaks) == AuditEntry.objects.count()


def test_an_update_is_refused_by_the_database(run):
    entry = AuditEntry.objects.order_by("seq").first()
    assert entry is not None
    with pytest.raises(DatabaseError), transaction.atomic():
        set_detail(entry.seq, {"edited": True})
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="nothing")
    entry.refresh_from_db()
    assert entry.action != "nothing"
    assert list(audit.verify()) == []


def test_a_delete_is_refused_by_the_database(run):
    count = AuditEntry.objects.count()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(seq=3).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.count() == count


@pytest.mark.django_db(transaction=True)
def test_an_entry_is_written_only_inside_the_action_s_transaction():
    # No entry is written, so emptying the tables afterwards meets no trigger.
    with pytest.raises(RuntimeError):
        audit.record("report.viewed")
    assert not AuditEntry.objects.exists()


def test_an_action_that_fails_leaves_no_entry(sealed):
    report = granted(sealed, submit(sealed.district).report)
    count = AuditEntry.objects.count()
    with pytest.raises(Exception):  # noqa: B017 — any refusal
        actions.report_conclude(
            report=report, result="办结", acting_user=sealed["officer"]
        )
    assert AuditEntry.objects.count() == count
    assert list(audit.verify()) == []


def test_the_log_holds_identifiers_never_words(run):
    for entry in AuditEntry.objects.all():
        text = json.dumps(entry.detail, ensure_ascii=False)
        for word in ("收受红包", "某某", "张三", "新证据", "核实", "同意"):
            assert word not in text
        assert all(isinstance(value, int | str) for value in entry.detail.values())
