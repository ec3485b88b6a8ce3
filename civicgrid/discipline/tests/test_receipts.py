"""The reporter's receipt (回执码): 16 digits shown once, kept only as an
Argon2id digest; typed back with spaces or dashes it opens the report, and a
wrong one opens nothing and is recorded without what was typed."""

from __future__ import annotations

import pytest

from civicgrid.discipline import actions, receipts
from civicgrid.discipline.models import AuditEntry, Report

from .conftest import submit


def test_a_receipt_is_sixteen_digits():
    for _ in range(20):
        receipt = receipts.new_receipt()
        assert len(receipt) == 16 and receipt.isascii() and receipt.isdigit()


def test_only_the_digest_is_kept(sealed):
    submitted = submit(sealed.district)
    report = Report.objects.get(pk=submitted.report.pk)
    assert report.receipt_digest != submitted.receipt
    assert submitted.receipt not in report.receipt_digest
    assert report.receipt_digest == receipts.digest(submitted.receipt)
    assert len(report.receipt_digest) == 64
    int(report.receipt_digest, 16)  # hex


def test_the_receipt_opens_its_report_and_the_opening_is_recorded(sealed):
    submitted = submit(sealed.district)
    submit(sealed.district)
    assert actions.receipt_open(receipt=submitted.receipt) == submitted.report
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry is not None
    assert (entry.action, entry.report_id, entry.actor, entry.actor_label) == (
        "receipt.opened",
        submitted.report.pk,
        None,
        "reporter",
    )
    assert entry.detail == {}


@pytest.mark.parametrize(
    "typed",
    [
        lambda r: receipts.shown(r),
        lambda r: "-".join(r[i : i + 4] for i in range(0, 16, 4)),
        lambda r: f"  {r[:8]} - {r[8:]}\n",
    ],
    ids=["in fours", "dashes", "spaces and dashes"],
)
def test_the_receipt_may_be_typed_with_spaces_and_dashes(sealed, typed):
    submitted = submit(sealed.district)
    assert actions.receipt_open(receipt=typed(submitted.receipt)) == submitted.report


def test_the_receipt_is_shown_in_fours():
    assert receipts.shown("1234567890123456") == "1234 5678 9012 3456"


def test_a_wrong_receipt_opens_nothing_and_is_recorded_without_what_was_typed(
    sealed,
):
    submitted = submit(sealed.district)
    wrong = "1" * 16 if submitted.receipt != "1" * 16 else "2" * 16
    assert actions.receipt_open(receipt=wrong) is None
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry is not None
    assert (entry.action, entry.report, entry.actor_label) == (
        "receipt.refused",
        None,
        "reporter",
    )
    assert entry.detail == {}
    stored = " ".join(
        str(value) for value in AuditEntry.objects.values_list().get(pk=entry.pk)
    )
    assert wrong not in stored
    assert receipts.digest(wrong) not in stored


@pytest.mark.parametrize("typed", ["", "123", "1234 5678 9012 345x", "１" * 16])
def test_what_is_not_a_receipt_is_refused_before_any_hashing(sealed, typed):
    assert not receipts.looks_like_receipt(typed)
    assert actions.receipt_open(receipt=typed) is None


def test_the_digest_depends_on_the_deployment_s_salt(sealed, settings):
    submitted = submit(sealed.district)
    settings.CIVICGRID_DISCIPLINE_RECEIPT_SALT = "another deployment's salt"
    assert receipts.digest(submitted.receipt) != submitted.report.receipt_digest
    assert actions.receipt_open(receipt=submitted.receipt) is None
