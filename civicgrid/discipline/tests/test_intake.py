"""Intake (受理登记之前): a report lodged online by the reporter, anonymous or
under their real name, or entered by an officer from a letter, a visit or a
12388 call; and every refusal, which names the field and writes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from civicgrid.core.errors import ConflictError, DomainError, PermissionDeniedError
from civicgrid.discipline import actions, receipts, selectors
from civicgrid.discipline.models import (
    Attachment,
    AuditEntry,
    Channel,
    Counter,
    Grant,
    Identity,
    Matter,
    Report,
    Step,
)

from .conftest import (
    files_in,
    kinds,
    pdf,
    photo,
    real_name,
    submit,
    trail,
    valid_id_number,
)

LHASA = ZoneInfo("Asia/Shanghai")


def test_an_online_report_is_received_anonymously_with_a_receipt(sealed):
    submitted = submit(sealed.district)
    report = submitted.report
    assert report.body == report.lodged_with == sealed.district
    assert report.concerns_principal_of is None
    assert report.channel == Channel.ONLINE
    assert report.matter == Matter.DUTY_VIOLATION
    assert report.state == Report.State.RECEIVED
    assert report.real_name is False
    assert not Identity.objects.filter(report=report).exists()
    assert receipts.looks_like_receipt(submitted.receipt)
    assert actions.read_content(report) == {
        "accused_name": "某某",
        "accused_unit": "某局",
        "accused_post": "副局长",
        "when": "2026年3月",
        "what": "收受红包",
    }
    (step,) = report.steps.all()
    assert step.kind == Step.Kind.RECEIVED
    assert step.actor is None and step.shown_to_reporter
    assert step.to_state == Report.State.RECEIVED
    # Nobody holds it yet: the head assigns it.
    assert not Grant.objects.filter(report=report).exists()
    (entry,) = AuditEntry.objects.filter(report=report)
    assert (entry.action, entry.actor, entry.actor_label) == (
        "step.received",
        None,
        "reporter",
    )


def test_the_words_are_trimmed_before_they_are_sealed(sealed):
    report = submit(sealed.district, accused_name="  某某 ", what=" 收受红包\n").report
    content = actions.read_content(report)
    assert content["accused_name"] == "某某"
    assert content["what"] == "收受红包"


def test_reports_are_numbered_per_body_and_year(sealed, time_machine):
    time_machine.move_to(dt.datetime(2026, 5, 6, 10, tzinfo=LHASA), tick=False)
    first = submit(sealed.district).report
    second = submit(sealed.district).report
    street = submit(sealed.street).report
    assert (first.number, second.number) == ("DL-2026-0001", "DL-2026-0002")
    assert street.number == "DG-2026-0001"
    assert Counter.objects.get(body=sealed.district, year=2026).last == 2


def test_a_report_on_new_year_s_morning_takes_the_new_year_s_number(
    sealed, time_machine
):
    """07:30 on 1 January in Lhasa is still 31 December in UTC."""
    time_machine.move_to(dt.datetime(2026, 1, 1, 7, 30, tzinfo=LHASA), tick=False)
    report = submit(sealed.district).report
    assert report.number == "DL-2026-0001"


def test_a_real_name_report_keeps_the_identity_apart(sealed):
    report = submit(sealed.district, **real_name(id_number="")).report
    assert report.real_name is True
    identity = Identity.objects.get(report=report)
    assert bytes(identity.key) != bytes(report.content_key)
    assert "张三" not in str(actions.read_content(report))
    assert actions.identity_key(report, identity) != actions.content_key(report)


def test_an_id_number_is_kept_in_capitals(sealed):
    lower = valid_id_number("11010519491231002")
    assert lower.endswith("X")
    report = submit(sealed.district, **real_name(id_number=lower.lower())).report
    identity = report.identity
    from civicgrid.discipline import sealing

    data = sealing.open_json(
        actions.identity_key(report, identity),
        identity.sealed,
        aad=f"identity-data:{report.uid}",
    )
    assert data["id_number"] == lower


def test_real_name_reports_come_first_on_the_docket(sealed, time_machine):
    time_machine.move_to(dt.datetime(2026, 5, 6, 10, tzinfo=LHASA), tick=False)
    older_anonymous = submit(sealed.district).report
    time_machine.move_to(dt.datetime(2026, 5, 7, 10, tzinfo=LHASA), tick=False)
    named = submit(sealed.district, **real_name()).report
    time_machine.move_to(dt.datetime(2026, 5, 8, 10, tzinfo=LHASA), tick=False)
    anonymous = submit(sealed.district).report
    docket = list(selectors.docket(sealed["head"], sealed.district))
    assert docket == [named, older_anonymous, anonymous]


@pytest.mark.parametrize("channel", [Channel.LETTER, Channel.VISIT, Channel.PHONE])
def test_an_officer_enters_a_letter_a_visit_or_a_call_and_holds_it(
    sealed, media, channel
):
    officer = sealed["officer"]
    report = submit(
        sealed.district, channel=channel, acting_user=officer, uploads=[pdf()]
    ).report
    assert report.channel == channel
    assert report.body == sealed.district
    grant = Grant.objects.get(report=report)
    assert (grant.officer, grant.granted_by, grant.revoked_at) == (
        officer,
        officer,
        None,
    )
    assert selectors.report_for(officer, report.number) == report
    assert report.steps.get().actor == officer
    # A file an officer brings is not the reporter's own upload.
    assert Attachment.objects.get(report=report).from_reporter is False
    assert trail(report) == ["step.received", "grant.given"]
    entry = AuditEntry.objects.get(report=report, action="step.received")
    assert entry.actor == officer and entry.actor_label == ""


def test_the_head_may_enter_a_report_too(sealed):
    head = sealed["head"]
    report = submit(sealed.district, channel=Channel.VISIT, acting_user=head).report
    assert selectors.report_for(head, report.number) == report


def test_staff_entry_may_be_real_name(sealed):
    report = submit(
        sealed.district,
        channel=Channel.LETTER,
        acting_user=sealed["officer"],
        **real_name(),
    ).report
    assert report.real_name and Identity.objects.filter(report=report).exists()


def test_a_qr_code_report_records_its_code(sealed):
    code = actions.code_create(
        body=sealed.district,
        kind="unit",
        label="区住建局",
        target="区住建局",
        acting_user=sealed["head"],
    )
    report = submit(sealed.district, channel=Channel.QR, code=code).report
    assert report.channel == Channel.QR and report.code == code


# --- refusals ----------------------------------------------------------------------


def unknown_file() -> SimpleUploadedFile:
    return SimpleUploadedFile("notes.txt", b"just some text", content_type="text/plain")


REFUSALS = {
    "no accused": ({"accused_name": "  "}, "accused_name"),
    "no unit": ({"accused_unit": ""}, "accused_unit"),
    "nothing said": ({"what": ""}, "what"),
    "bad matter": ({"matter": "gossip"}, "matter"),
    "too long": ({"what": "字" * 5001}, "what"),
    "name too long": ({"accused_name": "名" * 51}, "accused_name"),
    "post too long": ({"accused_post": "职" * 51}, "accused_post"),
    "when too long": ({"when": "时" * 101}, "when"),
    "no reporter name": (real_name(name=""), "name"),
    "no reporter phone": (real_name(phone=""), "phone"),
    "bad id number": (real_name(id_number="540103199001011230"), "id_number"),
    "unborn id number": (
        real_name(id_number=valid_id_number("54010320990101123")),
        "id_number",
    ),
    "address too long": (real_name(address="址" * 201), "address"),
    "staff channel online": ({"channel": Channel.LETTER}, "channel"),
    "unknown channel": ({"channel": "fax"}, "channel"),
    "unknown evidence": ({"uploads": ["photo", "unknown"]}, "evidence"),
    "empty evidence": ({"uploads": ["empty"]}, "evidence"),
    "too many files": ({"uploads": ["pdf"] * 10}, "evidence"),
}


def uploads_for(names: list[str]) -> list[SimpleUploadedFile]:
    made: dict[str, Callable[[], SimpleUploadedFile]] = {
        "photo": photo,
        "pdf": pdf,
        "unknown": unknown_file,
        "empty": lambda: SimpleUploadedFile("empty.pdf", b""),
    }
    return [made[name]() for name in names]


def nothing_written(media) -> None:
    assert not Report.objects.exists()
    assert not Identity.objects.exists()
    assert not Attachment.objects.exists()
    assert not Step.objects.exists()
    assert not Counter.objects.exists()
    assert not AuditEntry.objects.filter(report__isnull=False).exists()
    assert files_in(media) == []


@pytest.mark.parametrize("case", REFUSALS.values(), ids=REFUSALS.keys())
def test_a_refused_submission_names_the_field_and_writes_nothing(sealed, media, case):
    extra, field = case
    extra = dict(extra)
    if "uploads" in extra:
        extra["uploads"] = uploads_for(extra["uploads"])
    with pytest.raises(DomainError) as refused:
        submit(sealed.district, **extra)
    assert refused.value.field == field
    nothing_written(media)


@pytest.mark.parametrize("channel", [Channel.ONLINE, Channel.QR])
def test_staff_do_not_enter_online_reports(sealed, media, channel):
    with pytest.raises(DomainError) as refused:
        submit(sealed.district, channel=channel, acting_user=sealed["officer"])
    assert refused.value.field == "channel"
    nothing_written(media)


@pytest.mark.parametrize(
    "who", ["custodian", "principal", "office", "city_officer", "superuser"]
)
def test_only_an_officer_of_the_body_enters_its_reports(sealed, media, who):
    with pytest.raises(PermissionDeniedError):
        submit(
            sealed.district,
            channel=Channel.LETTER,
            acting_user=sealed[who],
            uploads=[pdf()],
        )
    nothing_written(media)


def test_an_outsider_does_not_enter_reports(sealed, people, media):
    with pytest.raises(PermissionDeniedError):
        submit(sealed.district, channel=Channel.PHONE, acting_user=people["dispatcher"])
    nothing_written(media)


def test_a_body_that_takes_no_online_reports_refuses_the_form(sealed, media):
    sealed.street.accepts_online = False
    sealed.street.save()
    with pytest.raises(DomainError) as refused:
        submit(sealed.street)
    assert refused.value.field == "body"
    nothing_written(media)
    # Its officers still enter what comes by letter.
    submit(sealed.street, channel=Channel.LETTER, acting_user=sealed["street_officer"])


def test_a_qr_code_of_another_body_is_refused(sealed, media):
    code = actions.code_create(
        body=sealed.city,
        kind="group",
        label="市委第一巡察组",
        acting_user=sealed["city_head"],
    )
    with pytest.raises(DomainError) as refused:
        submit(sealed.district, channel=Channel.QR, code=code)
    assert refused.value.field == "code"
    nothing_written(media)


def test_a_submission_that_fails_after_its_files_are_written_leaves_none(
    sealed, media, monkeypatch
):
    from civicgrid.discipline.actions import reports

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(reports, "_step", broken)
    with pytest.raises(RuntimeError):
        submit(sealed.district, uploads=[photo(), pdf()])
    nothing_written(media)


def test_every_submission_gets_its_own_receipt_and_data_key(sealed):
    one, two = submit(sealed.district), submit(sealed.district)
    assert one.receipt != two.receipt
    assert one.report.receipt_digest != two.report.receipt_digest
    assert actions.content_key(one.report) != actions.content_key(two.report)
    assert kinds(one.report.steps.all()) == [Step.Kind.RECEIVED]


def test_the_same_form_sent_twice_makes_one_report(sealed, media):
    first = submit(sealed.district, intake_key="k" * 32, uploads=[pdf()])
    with pytest.raises(ConflictError):
        submit(sealed.district, intake_key="k" * 32, uploads=[pdf()])
    assert list(Report.objects.all()) == [first.report]
    assert len(files_in(media)) == 1
    # The key is kept only as a digest.
    assert first.report.intake_key != "k" * 32
    # Another form is another report.
    submit(sealed.district, intake_key="j" * 32)
    assert Report.objects.count() == 2
