"""The reporter's pages over HTTP: the form and what it refuses, the receipt
shown once, the follow-up with the receipt (the notice, the officer's
messages, writing back, objecting), leaving, and the language switch."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from civicgrid.discipline import actions
from civicgrid.discipline.models import Attachment, Disposal, Report, Step
from civicgrid.discipline.views.public import SESSION_KEY, SESSION_SECONDS

from .conftest import (
    MARKER,
    files_in,
    granted,
    photo,
    valid_id_number,
)
from .pages import open_report, post_report, receipt_of, report_fields

FORM = "discipline:report"
VALID_ID = valid_id_number()
WRONG_CHECK_DIGIT = VALID_ID[:-1] + ("1" if VALID_ID.endswith("0") else "0")


def field_errors(response, field: str) -> list[str]:
    return response.context["form"].errors.get(field, [])


# --- the form refuses -----------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"accused_name": ""}, "accused_name"),
        ({"accused_unit": "  "}, "accused_unit"),
        ({"what": ""}, "what"),
        ({"matter": "gossip"}, "matter"),
        ({"real_name": "1", "name": "张三", "phone": ""}, "phone"),
        ({"real_name": "1", "name": "", "phone": "13800000000"}, "name"),
        (
            {"real_name": "1", "name": "张三", "phone": "138", "id_number": "123"},
            "id_number",
        ),
        (
            {
                "real_name": "1",
                "name": "张三",
                "phone": "13800000000",
                "id_number": WRONG_CHECK_DIGIT,
            },
            "id_number",
        ),
    ],
)
def test_the_form_refuses_bad_input_on_the_field_and_keeps_nothing(
    client, sealed, media, changes, field
):
    response = post_report(client, evidence=[photo(), photo("b.jpg")], **changes)
    assert response.status_code == 400
    assert field_errors(response, field), response.context["form"].errors
    assert Report.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert files_in(media) == []
    page = response.content.decode()
    assert "Your files were not kept" in page  # the reporter is told to attach again


def test_a_program_named_like_a_photo_is_refused_as_evidence(client, sealed, media):
    program = SimpleUploadedFile(
        "photo.jpg", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "image/jpeg"
    )
    response = post_report(client, evidence=[photo(), program])
    assert response.status_code == 400
    errors = field_errors(response, "evidence")
    assert errors and "photo.jpg" in errors[0]
    assert Report.objects.count() == 0
    assert files_in(media) == []


def test_a_body_that_takes_no_online_reports_has_no_form(client, sealed):
    sealed.street.accepts_online = False
    sealed.street.save(update_fields=["accepts_online"])
    assert client.get(reverse(FORM, args=["dg"])).status_code == 404
    assert post_report(client, body="dg").status_code == 404
    assert client.get(reverse(FORM, args=["nowhere"])).status_code == 404
    assert Report.objects.count() == 0


# --- the receipt ----------------------------------------------------------------


def test_an_anonymous_report_answers_with_its_receipt_once(client, sealed, media):
    form = client.get(reverse(FORM, args=["dl"]))
    assert form.status_code == 200
    response = post_report(client, evidence=[photo(), photo("b.jpg", "blue")])
    assert response.status_code == 200, response.content.decode()
    receipt = receipt_of(response)
    assert len(receipt) == 16 and receipt.isdigit()
    report = Report.objects.get()
    assert report.body == sealed.district
    assert report.attachments.count() == 2
    assert len(files_in(media)) == 2
    # Not in a cookie, the session, a header or a link.
    for cookie in [*response.cookies.values(), *client.cookies.values()]:
        assert receipt not in cookie.value
    assert not Session.objects.exists()
    for name, value in response.items():
        assert receipt not in value, name
    page = response.content.decode()
    assert page.count(receipt[:4] + " " + receipt[4:8]) == 1
    assert f"?{receipt}" not in page and f"/{receipt}" not in page
    # Shown once: the form, asked again, shows no receipt.
    again = client.get(reverse(FORM, args=["dl"]))
    assert receipt not in again.content.decode().replace(" ", "")


def test_the_same_form_sent_twice_makes_one_report(client, sealed, media):
    fields = report_fields(intake_key="a" * 32)
    first = client.post(reverse(FORM, args=["dl"]), fields)
    assert first.status_code == 200
    receipt = receipt_of(first)
    again = client.post(reverse(FORM, args=["dl"]), fields)
    assert again.status_code == 400
    assert "already sent" in again.content.decode()
    assert receipt not in again.content.decode().replace(" ", "")
    assert Report.objects.count() == 1


def test_a_real_name_report_keeps_the_identity_apart(client, sealed, media):
    response = post_report(
        client,
        real_name="1",
        name="实名张三",
        phone="13800000000",
        id_number=VALID_ID,
        address="东嘎社区3号",
    )
    assert response.status_code == 200, response.content.decode()
    report = Report.objects.get()
    assert report.real_name
    assert report.identity is not None
    assert "the officer may also contact you" in response.content.decode()


def test_the_principal_named_on_the_form_sends_the_report_up(client, sealed, media):
    response = post_report(client, accused_name=sealed["principal"].full_name)
    assert response.status_code == 200
    report = Report.objects.get()
    assert (report.body, report.lodged_with) == (sealed.city, sealed.district)


# --- following it up ------------------------------------------------------------


@pytest.fixture
def reported(client, sealed, media):
    """An anonymous report sent through the form: (its receipt, the report
    granted to the district's officer)."""
    response = post_report(client, evidence=[photo()])
    assert response.status_code == 200
    report = granted(sealed, Report.objects.get())
    return receipt_of(response), report


def test_the_receipt_with_spaces_opens_the_report(client, reported):
    receipt, report = reported
    shown = " ".join(receipt[i : i + 4] for i in range(0, 16, 4))
    response = open_report(client, f"  {shown} ")
    location = response["Location"]
    assert location.startswith(reverse("discipline:follow_up_report"))
    assert receipt not in location
    page = client.get(location)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Received: it is being examined" in text
    assert report.body.name in text
    assert receipt not in text.replace(" ", "")
    assert client.session[SESSION_KEY] == report.pk
    assert receipt not in str(dict(client.session.items()))


def test_the_opened_report_is_remembered_for_half_an_hour(client, reported):
    receipt, _report = reported
    open_report(client, receipt)
    session = client.session
    assert SESSION_SECONDS == 30 * 60
    assert session.get_expiry_age() == SESSION_SECONDS
    assert not session.get_expire_at_browser_close()
    stored = Session.objects.get(session_key=session.session_key)
    assert stored.get_decoded()["_session_expiry"] == SESSION_SECONDS


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("1234 5678 9012 3456", "No report has this receipt"),
        ("1234", "A receipt has 16 digits"),
        ("abcd efgh ijkl mnop", "A receipt has 16 digits"),
        ("", "required"),
    ],
)
def test_a_wrong_receipt_is_refused_on_its_field(client, reported, typed, error):
    response = client.post(reverse("discipline:follow_up"), {"receipt": typed})
    assert response.status_code == 400
    errors = response.context["form"].errors["receipt"]
    assert error in errors[0]
    assert SESSION_KEY not in client.session
    assert client.get(reverse("discipline:follow_up_report")).status_code == 404


def test_without_an_opened_report_the_report_pages_are_404(client, reported):
    assert client.get(reverse("discipline:follow_up_report")).status_code == 404
    for name in ("discipline:follow_up_message", "discipline:follow_up_object"):
        assert client.post(reverse(name), {"text": "你好"}).status_code == 404
        assert client.get(reverse(name)).status_code == 405
    assert not reported[1].steps.filter(kind=Step.Kind.MESSAGE).exists()


def test_the_reporter_reads_the_notice_and_the_officers_messages_without_names(
    client, sealed, reported
):
    receipt, report = reported
    officer = sealed["officer"]
    actions.report_register(
        report=report, matter=report.matter, note=f"内部 {MARKER}", acting_user=officer
    )
    actions.report_accept(
        report=report, notice="您的举报已受理-NOTICE", acting_user=officer
    )
    actions.officer_message(
        report=report, text="请补充证据-OFFICER-MSG", acting_user=officer
    )
    open_report(client, receipt)
    page = client.get(reverse("discipline:follow_up_report"))
    text = page.content.decode()
    assert "Accepted: it is being handled" in text
    assert "您的举报已受理-NOTICE" in text
    assert "请补充证据-OFFICER-MSG" in text
    assert "The officer wrote:" in text
    # Who wrote it, and what the officers keep to themselves, are not shown.
    for name in (officer.full_name, officer.username, sealed["head"].full_name):
        assert name not in text
    assert f"内部 {MARKER}" not in text
    assert "承办" not in text  # the grant's reason


def test_the_reporter_writes_back_with_a_file(client, sealed, reported):
    receipt, report = reported
    open_report(client, receipt)
    response = client.post(
        reverse("discipline:follow_up_message"),
        {"text": "补充材料-REPLY", "evidence": [photo("more.jpg", "green")]},
    )
    assert response.status_code == 302
    assert receipt not in response["Location"]
    page = client.get(response["Location"])
    text = page.content.decode()
    assert "Your message was sent to the officer." in text
    assert "补充材料-REPLY" in text
    assert "(1 file)" in text
    assert report.attachments.filter(from_reporter=True).count() == 2
    message = report.steps.get(kind=Step.Kind.MESSAGE)
    assert message.actor is None
    assert actions.read_words(report, message)["from"] == "reporter"


def test_an_empty_message_is_refused_on_its_field(client, reported):
    open_report(client, reported[0])
    response = client.post(reverse("discipline:follow_up_message"), {"text": " "})
    assert response.status_code == 400
    assert response.context["message_form"].errors["text"]
    assert not reported[1].steps.filter(kind=Step.Kind.MESSAGE).exists()


def test_the_reporter_objects_once_the_result_is_given(client, sealed, reported):
    receipt, report = reported
    open_report(client, receipt)
    officer = sealed["officer"]
    # Before the result there is no objecting.
    page = client.get(reverse("discipline:follow_up_report"))
    assert reverse("discipline:follow_up_object") not in page.content.decode()
    early = client.post(reverse("discipline:follow_up_object"), {"text": "不服"})
    assert early.status_code == 400
    report.refresh_from_db()
    assert report.state == Report.State.RECEIVED

    actions.report_register(report=report, matter=report.matter, acting_user=officer)
    actions.report_accept(report=report, notice="已受理", acting_user=officer)
    actions.report_dispose(report=report, disposal=Disposal.VERIFY, acting_user=officer)
    actions.report_conclude(
        report=report, result=f"内部结论 {MARKER}", acting_user=officer
    )
    actions.report_feed_back(report=report, result="已处理-RESULT", acting_user=officer)
    page = client.get(reverse("discipline:follow_up_report"))
    text = page.content.decode()
    assert "Result given" in text
    assert "已处理-RESULT" in text
    assert f"内部结论 {MARKER}" not in text  # the findings stay inside
    assert reverse("discipline:follow_up_object") in text

    response = client.post(
        reverse("discipline:follow_up_object"),
        {"text": "处理太轻-OBJECTION", "evidence": [photo("new.jpg")]},
        follow=True,
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Your objection was sent" in text
    assert "Your objection is being looked at" in text
    assert "处理太轻-OBJECTION" in text
    report.refresh_from_db()
    assert report.state == Report.State.OBJECTED
    assert report.attachments.count() == 2


def test_leaving_ends_the_session(client, reported):
    open_report(client, reported[0])
    assert client.get(reverse("discipline:follow_up_report")).status_code == 200
    response = client.post(reverse("discipline:follow_up_leave"), {"lang": "en"})
    assert response.status_code == 302
    assert response["Location"] == reverse("discipline:start") + "?lang=en"
    assert SESSION_KEY not in client.session
    assert not Session.objects.exists()
    assert client.get(reverse("discipline:follow_up_report")).status_code == 404
    assert client.get(reverse("discipline:follow_up_leave")).status_code == 405


def test_opening_the_report_starts_a_new_session_key(client, reported):
    """A session key planted in the browser before does not reach the
    report."""
    before = client.session.session_key
    open_report(client, reported[0])
    after = client.session.session_key
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert Session.objects.filter(session_key=after).exists()


# --- the language ---------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "zh-hans", "bo"])
def test_the_language_switch_sets_the_content_language(client, sealed, language):
    for url in (
        reverse("discipline:start"),
        reverse(FORM, args=["dl"]),
        reverse("discipline:follow_up"),
    ):
        response = client.get(f"{url}?lang={language}")
        assert response.status_code == 200
        assert response["Content-Language"] == language
        assert f'<html lang="{language}">' in response.content.decode()


def test_the_language_is_kept_through_a_post(client, sealed, media):
    response = client.post(
        reverse(FORM, args=["dl"]), report_fields(lang="bo", accused_name="")
    )
    assert response.status_code == 400
    assert response["Content-Language"] == "bo"
    assert 'name="lang" value="bo"' in response.content.decode()


def test_an_unknown_language_falls_back(client, sealed):
    response = client.get(reverse("discipline:start") + "?lang=xx")
    assert response["Content-Language"] in ("en", "zh-hans")
