"""码上巡 over HTTP: the head makes codes and prints their cards; a scan
opens the report form with the unit filled in; a forged or retired code
opens nothing; scans and answers are counted, and nothing records who
scanned."""

from __future__ import annotations

import re

import pytest
from django.contrib.sessions.models import Session
from django.core import signing
from django.urls import reverse

from civicgrid.discipline import actions, qr
from civicgrid.discipline.models import AuditEntry, Channel, Code, Report, Tally

from .conftest import verified_login
from .pages import assert_clean_page, messages_of, receipt_of, report_fields

CODES = reverse("discipline:codes", args=["dl"])
QUESTIONS = "作风如何? | 好 | 一般 | 差\n办事效率? | 高 | 低"
SVG_IMAGE = re.compile(r'<img src="data:image/svg\+xml[^"]*"')


def card_url(code: Code) -> str:
    return reverse("discipline:code_card", args=[code.body.code, code.pk])


@pytest.fixture
def head(client, sealed):
    verified_login(client, sealed["head"])
    return sealed["head"]


@pytest.fixture
def code(sealed) -> Code:
    return actions.code_create(
        body=sealed.district,
        kind="unit",
        label="第一巡察组·某局",
        target="某局",
        questions=QUESTIONS,
        acting_user=sealed["head"],
    )


def test_the_head_makes_a_code(client, head):
    page = client.get(CODES)
    assert page.status_code == 200
    assert_clean_page(page)
    response = client.post(
        CODES,
        {
            "kind": "unit",
            "label": "第二巡察组·某局",
            "target": "某局",
            "questions": QUESTIONS,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == CODES
    listed = client.get(CODES)
    assert any("第二巡察组·某局" in m for m in messages_of(listed))
    code = Code.objects.get()
    assert code.questions == [
        {"text": "作风如何?", "choices": ["好", "一般", "差"]},
        {"text": "办事效率?", "choices": ["高", "低"]},
    ]
    assert AuditEntry.objects.filter(action="code.created").count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"questions": "只有问题没有选项"}, "questions"),
        ({"questions": "作风? | 好"}, "questions"),
        ({"questions": "| 好 | 差"}, "questions"),
        ({"questions": "多? | 1 | 2 | 3 | 4 | 5 | 6 | 7"}, "questions"),
        ({"label": ""}, "label"),
        ({"kind": "billboard"}, "kind"),
    ],
)
def test_a_bad_code_is_refused_on_its_field(client, head, data, field):
    fields = {"kind": "group", "label": "巡察组", "target": "", "questions": ""}
    fields.update(data)
    response = client.post(CODES, fields)
    assert response.status_code == 400
    errors = response.context["form"].errors[field]
    assert errors
    if field == "questions":
        assert "Line 1" in errors[0]
    assert not Code.objects.exists()


def test_the_card_of_a_code_with_questions_has_two_qr_images(client, head, code):
    response = client.get(card_url(code))
    assert response.status_code == 200
    text = response.content.decode()
    assert len(SVG_IMAGE.findall(text)) == 2
    assert qr.report_link(code) in text
    assert_clean_page(response)
    plain = actions.code_create(
        body=code.body, kind="poster", label="海报", acting_user=head
    )
    single = client.get(card_url(plain)).content.decode()
    assert len(SVG_IMAGE.findall(single)) == 1


def test_another_bodys_head_has_no_card_and_no_codes(client, sealed, code):
    for who in ("city_head", "officer", "custodian"):
        verified_login(client, sealed[who])
        assert client.get(card_url(code)).status_code == 404, who
        assert client.get(CODES).status_code == 404, who
        retire = reverse("discipline:code_retire", args=["dl", code.pk])
        assert client.post(retire).status_code == 404, who
    verified_login(client, sealed["city_head"])
    wrong_body = reverse("discipline:code_card", args=["ls", code.pk])
    assert client.get(wrong_body).status_code == 404
    code.refresh_from_db()
    assert code.active


def test_a_scan_opens_the_form_with_the_unit_and_a_report_through_it_counts(
    client, sealed, code, media
):
    token = qr.token(code)
    response = client.get(reverse("discipline:scan", args=[token]) + "?lang=bo")
    assert response.status_code == 302
    assert_clean_page(response)
    form = client.get(response["Location"])
    assert form.status_code == 200
    assert form["Content-Language"] == "bo"
    assert form.context["form"].initial["accused_unit"] == "某局"
    assert form.context["code"] == code
    sent = client.post(
        reverse("discipline:report", args=["dl"]), report_fields(code=token)
    )
    assert sent.status_code == 200
    receipt_of(sent)
    report = Report.objects.get()
    assert (report.channel, report.code) == (Channel.QR, code)
    code.refresh_from_db()
    assert code.scans == 1
    verified_login(client, sealed["head"])
    card = client.get(card_url(code)).content.decode()
    assert "Scanned 1 times; 1 reports came through it." in card


def test_a_code_of_another_body_fills_in_nothing(client, sealed, code, media):
    """The street's form, opened with the district's code: an online report,
    not one through the code."""
    token = qr.token(code)
    form = client.get(reverse("discipline:report", args=["dg"]) + f"?code={token}")
    assert form.context["code"] is None
    client.post(reverse("discipline:report", args=["dg"]), report_fields(code=token))
    report = Report.objects.get()
    assert (report.channel, report.code) == (Channel.ONLINE, None)


def forged_tokens(code: Code) -> list[str]:
    token = qr.token(code)
    return [
        "nothing",
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        signing.dumps(code.pk, salt="another-salt", compress=True),
        signing.dumps(str(code.pk), salt=qr.SALT, compress=True),
        signing.dumps(code.pk + 1000, salt=qr.SALT, compress=True),
    ]


def test_a_forged_token_opens_nothing(client, sealed, code):
    for token in forged_tokens(code):
        for name in ("discipline:scan", "discipline:survey"):
            response = client.get(reverse(name, args=[token]))
            assert response.status_code == 404, (name, token)
            assert_clean_page(response)
    code.refresh_from_db()
    assert (code.scans, code.survey_scans) == (0, 0)


def test_a_retired_code_opens_nothing(client, head, code):
    token = qr.token(code)
    retire = reverse("discipline:code_retire", args=["dl", code.pk])
    assert client.get(retire).status_code == 405
    response = client.post(retire)
    assert response.status_code == 302
    code.refresh_from_db()
    assert not code.active
    assert client.post(retire).status_code == 404  # retired once
    client.logout()
    assert client.get(reverse("discipline:scan", args=[token])).status_code == 404
    assert client.get(reverse("discipline:survey", args=[token])).status_code == 404
    form = client.get(reverse("discipline:report", args=["dl"]) + f"?code={token}")
    assert form.context["code"] is None


def test_scans_and_answers_are_counted_and_nobody_is_recorded(client, sealed, code):
    token = qr.token(code)
    sessions = Session.objects.count()
    audit = AuditEntry.objects.count()
    scan = reverse("discipline:scan", args=[token])
    survey = reverse("discipline:survey", args=[token])
    client.get(scan)
    client.get(scan)
    page = client.get(survey)
    assert page.status_code == 200
    assert_clean_page(page)
    done = client.post(survey, {"q0": "2", "q1": "0"})
    assert done.status_code == 200
    assert "your answers were counted" in done.content.decode()
    assert_clean_page(done)
    client.post(survey, {"q0": "2", "q1": "1"})
    code.refresh_from_db()
    assert (code.scans, code.survey_scans, code.answered) == (2, 1, 2)
    counts = {(t.question, t.choice): t.count for t in Tally.objects.filter(code=code)}
    assert counts == {(0, 2): 2, (1, 0): 1, (1, 1): 1}
    assert Session.objects.count() == sessions
    assert AuditEntry.objects.count() == audit
    assert "sessionid" not in client.cookies
    verified_login(client, sealed["head"])
    card = client.get(card_url(code))
    results = card.context["results"]
    assert results[0]["choices"] == [("好", 0), ("一般", 0), ("差", 2)]
    assert "Questionnaire: 2 answered" in card.content.decode()


@pytest.mark.parametrize(
    "answers", [{"q0": "1"}, {"q1": "0"}, {"q0": "9", "q1": "0"}, {}]
)
def test_a_survey_missing_an_answer_is_refused(client, code, answers):
    survey = reverse("discipline:survey", args=[qr.token(code)])
    # As a browser sends it: the page's hidden fields, whatever is ticked.
    response = client.post(survey, {"lang": "en", **answers})
    assert response.status_code == 400
    form = response.context["form"]
    missing = {"q0", "q1"} - {k for k, v in answers.items() if v in ("0", "1", "2")}
    assert set(form.errors) == missing
    code.refresh_from_db()
    assert code.answered == 0
    assert not Tally.objects.exists()


def test_a_code_without_questions_has_no_survey(client, sealed, head):
    plain = actions.code_create(
        body=sealed.district, kind="poster", label="海报", acting_user=head
    )
    response = client.get(reverse("discipline:survey", args=[qr.token(plain)]))
    assert response.status_code == 404
