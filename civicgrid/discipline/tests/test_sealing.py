"""Envelope encryption: every ciphertext is bound to its report and field, so
a sealed value copied onto another row does not open; the master key rotates
by putting a new one first, and reports sealed before still open."""

from __future__ import annotations

import base64

import pytest
from django.core.exceptions import ImproperlyConfigured

from civicgrid.discipline import actions, evidence, sealing
from civicgrid.discipline.models import Attachment, Identity, Report, Step

from .conftest import bring, granted, pdf, real_name, submit

OLD = "dev1:ZGV2LWRpc2NpcGxpbmUtbWFzdGVyLWtleS0wMDAwMDA="


def key(key_id: str, fill: bytes) -> str:
    return f"{key_id}:{base64.urlsafe_b64encode(fill * 32).decode()}"


@pytest.fixture
def old_key(settings):
    settings.CIVICGRID_DISCIPLINE_MASTER_KEYS = [OLD]
    return settings


def test_content_copied_to_another_report_does_not_open(sealed):
    one = submit(sealed.district, what="甲的举报").report
    two = submit(sealed.district, what="乙的举报").report
    Report.objects.filter(pk=two.pk).update(sealed=one.sealed)
    two.refresh_from_db()
    with pytest.raises(sealing.SealError):
        actions.read_content(two)


def test_content_copied_with_its_wrapped_key_does_not_open_either(sealed):
    one = submit(sealed.district).report
    two = submit(sealed.district).report
    Report.objects.filter(pk=two.pk).update(
        sealed=one.sealed, content_key=one.content_key
    )
    two.refresh_from_db()
    with pytest.raises(sealing.SealError):
        actions.content_key(two)


def test_a_step_s_words_copied_to_another_report_do_not_open(sealed):
    one = bring(sealed, "accepted")
    two = bring(sealed, "registered", officer="officer2")
    accepted = one.steps.get(kind=Step.Kind.ACCEPTED)
    registered = two.steps.get(kind=Step.Kind.REGISTERED)
    Step.objects.filter(pk=registered.pk).update(sealed=accepted.sealed)
    registered.refresh_from_db()
    with pytest.raises(sealing.SealError):
        actions.read_words(two, registered)


def test_an_identity_copied_to_another_report_does_not_open(sealed):
    one = granted(sealed, submit(sealed.district, **real_name()).report)
    two = submit(sealed.district, **real_name(name="李四")).report
    source = one.identity
    Identity.objects.filter(report=two).update(key=source.key, sealed=source.sealed)
    identity = Identity.objects.get(report=two)
    with pytest.raises(sealing.SealError):
        actions.identity_key(two, identity)


def test_the_identity_does_not_open_with_the_content_key(sealed):
    report = submit(sealed.district, **real_name()).report
    with pytest.raises(sealing.SealError):
        sealing.open_json(
            actions.content_key(report),
            report.identity.sealed,
            aad=f"identity-data:{report.uid}",
        )


def test_a_file_swapped_for_another_does_not_open(sealed, media):
    one = submit(sealed.district, uploads=[pdf("甲")]).report
    two = submit(sealed.district, uploads=[pdf("乙")]).report
    first, second = one.attachments.get(), two.attachments.get()
    Attachment.objects.filter(pk=second.pk).update(file=first.file)
    second.refresh_from_db()
    with pytest.raises(sealing.SealError):
        evidence.read(actions.content_key(two), str(second.uid), second.file)
    # Within one report, each file is bound to its own row as well.
    third = Attachment.objects.create(
        report=one, file=first.file, sealed=first.sealed, added_at=first.added_at
    )
    with pytest.raises(sealing.SealError):
        evidence.read(actions.content_key(one), str(third.uid), third.file)


def test_a_flipped_bit_does_not_open(sealed):
    report = submit(sealed.district).report
    tampered = bytearray(bytes(report.sealed))
    tampered[-1] ^= 1
    Report.objects.filter(pk=report.pk).update(sealed=bytes(tampered))
    report.refresh_from_db()
    with pytest.raises(sealing.SealError):
        actions.read_content(report)


def test_a_rotated_master_key_still_opens_the_old_reports(sealed, old_key):
    old = submit(sealed.district, what="旧钥匙封存").report
    assert sealing.wrapped_by(old.content_key) == "dev1"
    old_key.CIVICGRID_DISCIPLINE_MASTER_KEYS = [key("new", b"n"), OLD]
    assert actions.read_content(old)["what"] == "旧钥匙封存"
    new = submit(sealed.district, what="新钥匙封存").report
    assert sealing.wrapped_by(new.content_key) == "new"
    assert actions.read_content(new)["what"] == "新钥匙封存"


def test_a_report_does_not_open_once_its_master_key_is_gone(sealed, old_key):
    old = submit(sealed.district).report
    old_key.CIVICGRID_DISCIPLINE_MASTER_KEYS = [key("new", b"n")]
    with pytest.raises(sealing.SealError):
        actions.read_content(old)


def test_a_master_key_of_the_same_id_but_other_bytes_does_not_open(sealed, old_key):
    old = submit(sealed.district).report
    old_key.CIVICGRID_DISCIPLINE_MASTER_KEYS = [key("dev1", b"x")]
    with pytest.raises(sealing.SealError):
        actions.read_content(old)


@pytest.mark.parametrize(
    "spec",
    [[], ["no-colon"], ["k:" + base64.urlsafe_b64encode(b"short").decode()], ["k:!!"]],
)
def test_a_malformed_master_key_is_a_configuration_error(spec):
    with pytest.raises(ImproperlyConfigured):
        sealing._master(tuple(spec))
    assert sealing.master_key_problems(spec)


def test_every_report_has_its_own_data_key(sealed):
    one, two = submit(sealed.district).report, submit(sealed.district).report
    assert actions.content_key(one) != actions.content_key(two)
    assert len(actions.content_key(one)) == sealing.KEY_BYTES
