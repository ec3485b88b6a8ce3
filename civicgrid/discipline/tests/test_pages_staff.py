"""The officers' desk over HTTP: the case page (its words, each view
recorded), the files, every step through its URL and what each refuses, going
up a level, the head's grants on the docket, staff entry of a letter, the
quarter's counts, and the custodian's decision before an officer sees who
reported."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from civicgrid.discipline import actions
from civicgrid.discipline.models import (
    AuditEntry,
    Channel,
    Disposal,
    Grant,
    IdentityRequest,
    Report,
)

from .conftest import (
    MARKER,
    bring,
    granted,
    pdf,
    photo,
    real_name,
    submit,
    verified_login,
)
from .pages import (
    RECEIPT_SHOWN,
    assert_clean_page,
    messages_of,
    open_report,
    report_fields,
)

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

S = Report.State
CONTENT = {
    "accused_name": f"某某{MARKER}",
    "accused_unit": f"某局{MARKER}",
    "what": f"收受红包 {MARKER}",
    "when": f"2026年3月 {MARKER}",
}
IDENTITY = {"name": "实名-IDENT-次旦", "phone": "13912345678"}


def detail(report: Report) -> str:
    return reverse("discipline:report_detail", args=[report.number])


def step_url(report: Report, slug: str) -> str:
    return reverse("discipline:step", args=[report.number, slug])


def viewed(report: Report, action: str = "report.viewed") -> int:
    return AuditEntry.objects.filter(report=report, action=action).count()


@pytest.fixture
def officer(client, sealed):
    verified_login(client, sealed["officer"])
    return sealed["officer"]


@pytest.fixture
def case(sealed, media) -> Report:
    """A real-name district report with a PDF and a photo, granted to the
    district's officer."""
    submitted = submit(
        sealed.district,
        uploads=[pdf(), photo()],
        **CONTENT,
        **real_name(**IDENTITY),
    )
    return granted(sealed, submitted.report)


# --- the case page -------------------------------------------------------------


def test_the_officer_reads_the_report_and_every_view_is_recorded(client, officer, case):
    first = client.get(detail(case))
    assert first.status_code == 200
    text = first.content.decode()
    assert MARKER in text
    assert "收受红包" in text
    assert IDENTITY["name"] not in text and IDENTITY["phone"] not in text
    assert viewed(case) == 1
    client.get(detail(case))
    assert viewed(case) == 2
    entry = AuditEntry.objects.filter(report=case, action="report.viewed").last()
    assert entry is not None
    assert entry.actor == officer
    assert_clean_page(first, detail(case))


def test_the_desk_lists_the_officers_reports_by_number_only(
    client, sealed, officer, case
):
    other = submit(sealed.district, **CONTENT).report  # not granted
    desk = client.get(reverse("discipline:desk"))
    text = desk.content.decode()
    assert case.number in text
    assert other.number not in text
    assert MARKER not in text
    assert reverse("discipline:enter", args=["dl"]) in text


def test_the_desk_and_the_docket_do_not_query_per_report(client, sealed, media):
    head = sealed["head"]

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as counted:
            assert client.get(url).status_code == 200
        return len(counted)

    verified_login(client, head)
    pages = [reverse("discipline:desk"), reverse("discipline:docket", args=["dl"])]
    granted(sealed, submit(sealed.district).report, "head")
    before = [queries(url) for url in pages]
    for _ in range(3):
        granted(sealed, submit(sealed.district).report, "head")
    assert [queries(url) for url in pages] == before


def test_an_attachment_downloads_decrypted_and_recorded(client, officer, case):
    document, image = case.attachments.order_by("pk")
    response = client.get(
        reverse("discipline:attachment", args=[case.number, document.uid])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content == pdf().read()
    assert_clean_page(response)
    shown = client.get(reverse("discipline:attachment", args=[case.number, image.uid]))
    assert shown["Content-Type"] == "image/jpeg"
    assert shown["Content-Disposition"].startswith("inline;")
    assert Image.open(io.BytesIO(shown.content)).size == (40, 30)
    assert viewed(case, "attachment.downloaded") == 2
    assert viewed(case) == 0  # a download is not a view of the page


def test_a_file_of_another_report_is_404(client, sealed, officer, case):
    other = granted(sealed, submit(sealed.district, uploads=[pdf()]).report)
    foreign = other.attachments.get()
    for url in (
        reverse("discipline:attachment", args=[case.number, foreign.uid]),
        reverse(
            "discipline:attachment",
            args=[case.number, "00000000-0000-0000-0000-000000000000"],
        ),
    ):
        assert client.get(url).status_code == 404
    assert viewed(case, "attachment.downloaded") == 0


def test_an_unknown_number_or_step_is_404(client, officer, case):
    assert (
        client.get(detail(case).replace(case.number, "DL-1999-0001")).status_code == 404
    )
    assert client.post(step_url(case, "delete")).status_code == 404
    assert client.get(step_url(case, "register")).status_code == 405


# --- the steps -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "slug", "data", "field"),
    [
        (S.RECEIVED, "register", {"matter": "gossip"}, "matter"),
        (S.REGISTERED, "accept", {"notice": ""}, "notice"),
        (S.REGISTERED, "not-accept", {"reason": "", "go_to": "litigation"}, "reason"),
        (S.REGISTERED, "not-accept", {"reason": "不属于", "go_to": "moon"}, "go_to"),
        (S.RECEIVED, "refer", {"reason": ""}, "reason"),
        (S.ACCEPTED, "dispose", {"disposal": "forget"}, "disposal"),
        (S.DISPOSED, "conclude", {"result": ""}, "result"),
        (S.CONCLUDED, "feed-back", {"result": "  "}, "result"),
        (S.OBJECTED, "reopen", {"reason": ""}, "reason"),
        (S.OBJECTED, "uphold", {"answer": ""}, "answer"),
        (S.RECEIVED, "message", {"text": ""}, "text"),
    ],
)
def test_a_step_with_bad_data_is_refused_on_its_field(
    client, sealed, officer, state, slug, data, field
):
    report = bring(sealed, state)
    steps = report.steps.count()
    response = client.post(step_url(report, slug), data)
    assert response.status_code == 400
    forms = {item["step"].slug: item["form"] for item in response.context["forms"]}
    assert forms[slug].errors[field], forms[slug].errors
    assert response.context["forms"]  # the page is the case page again
    report.refresh_from_db()
    assert report.state == state
    assert report.steps.count() == steps


@pytest.mark.parametrize(
    ("state", "slug", "data"),
    [
        (S.RECEIVED, "conclude", {"result": "属实"}),
        (S.RECEIVED, "accept", {"notice": "已受理"}),
        (S.FED_BACK, "reopen", {"reason": "再查"}),
        (S.CONCLUDED, "refer", {"reason": "上报"}),
    ],
)
def test_a_step_the_report_is_not_in_is_refused_with_the_reason_shown(
    client, sealed, officer, state, slug, data
):
    """Posted from a page that is out of date (someone else acted first):
    the case page answers 400 and says why, though it offers no such form."""
    report = bring(sealed, state)
    response = client.post(step_url(report, slug), data)
    assert response.status_code == 400
    assert response.context["refused"], response.content.decode()
    text = response.content.decode()
    for error in response.context["refused"]:
        assert str(error) in text
    report.refresh_from_db()
    assert report.state == state


def post_step(client, report: Report, slug: str, data: dict) -> list[str]:
    """Post a step, follow its redirect: the messages on the next page."""
    response = client.post(step_url(report, slug), data)
    assert response.status_code == 302, (slug, response.content.decode()[:3000])
    page = client.get(response["Location"])
    assert page.status_code == 200
    report.refresh_from_db()
    return messages_of(page)


def test_every_step_works_through_its_url_and_names_the_report(
    client, sealed, officer, case
):
    number = case.number
    walk: list[tuple[str, dict[str, str], Report.State]] = [
        ("register", {"matter": "party_discipline", "note": "登记"}, S.REGISTERED),
        ("accept", {"notice": "已受理-NOTICE", "told_by": "phone"}, S.ACCEPTED),
        ("dispose", {"disposal": Disposal.HOLD, "note": "暂存"}, S.DISPOSED),
        ("dispose", {"disposal": Disposal.VERIFY}, S.DISPOSED),
        ("conclude", {"result": "问题属实"}, S.CONCLUDED),
        ("feed-back", {"result": "已给予处分", "told_by": ""}, S.FED_BACK),
    ]
    for slug, data, state in walk:
        said = post_step(client, case, slug, data)
        assert case.state == state, slug
        assert any(number in message for message in said), (slug, said)
    assert case.matter == "party_discipline"
    assert case.disposal == Disposal.VERIFY

    actions.reporter_object(report=case, text="处理太轻")
    said = post_step(client, case, "reopen", {"reason": "有新证据"})
    assert case.state == S.ACCEPTED and any(number in m for m in said)
    post_step(client, case, "dispose", {"disposal": Disposal.TALK})
    post_step(client, case, "conclude", {"result": "谈话"})
    post_step(client, case, "feed-back", {"result": "已谈话提醒"})
    actions.reporter_object(report=case, text="仍不服")
    said = post_step(client, case, "uphold", {"answer": "维持原处理"})
    assert case.state == S.FED_BACK and any(number in m for m in said)

    said = post_step(client, case, "message", {"text": "如有新情况请留言"})
    assert said and number in said[0] and "sent" in said[0]
    kinds = list(case.steps.values_list("kind", flat=True))
    for kind in ("registered", "accepted", "disposed", "concluded", "fed_back"):
        assert kind in kinds
    assert {"reopened", "upheld", "message"} <= set(kinds)


def test_not_accepting_names_the_report_and_an_objection_is_answered(
    client, sealed, officer
):
    report = bring(sealed, S.REGISTERED)
    said = post_step(
        client,
        report,
        "not-accept",
        {"reason": "属于诉讼事项", "go_to": "litigation", "go_to_detail": "法院"},
    )
    assert report.state == S.NOT_ACCEPTED
    assert any(report.number in message for message in said)
    actions.reporter_object(report=report, text="不服")
    post_step(client, report, "uphold", {"answer": "维持"})
    assert report.state == S.NOT_ACCEPTED


def test_sending_a_report_up_ends_the_officers_access(client, sealed, officer, case):
    response = client.post(step_url(case, "refer"), {"reason": "属于上级管辖"})
    assert response.status_code == 302
    assert response["Location"] == reverse("discipline:desk")
    said = messages_of(client.get(response["Location"]))
    assert any(case.number in m and sealed.city.name in m for m in said), said
    case.refresh_from_db()
    assert (case.body, case.state) == (sealed.city, S.RECEIVED)
    assert not case.grants.filter(revoked_at__isnull=True).exists()
    assert client.get(detail(case)).status_code == 404

    verified_login(client, sealed["city_head"])
    docket = client.get(reverse("discipline:docket", args=["ls"]))
    assert case.number in docket.content.decode()
    assert MARKER not in docket.content.decode()
    verified_login(client, sealed["head"])
    docket = client.get(reverse("discipline:docket", args=["dl"]))
    assert case.number not in docket.content.decode()


def test_the_top_body_offers_no_way_up(client, sealed, media):
    report = granted(sealed, submit(sealed.city).report, "city_officer")
    verified_login(client, sealed["city_officer"])
    page = client.get(detail(report))
    assert "refer" not in {item["step"].slug for item in page.context["forms"]}
    response = client.post(step_url(report, "refer"), {"reason": "上报"})
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.body == sealed.city


# --- the head's docket: grants -------------------------------------------------


def entry_url(report: Report) -> str:
    return reverse("discipline:docket_entry", args=[report.body.code, report.number])


def test_the_head_assigns_and_withdraws_an_officer(client, sealed, media):
    report = submit(sealed.district, **CONTENT).report
    officer = sealed["officer"]
    viewer = Client()
    verified_login(viewer, officer)
    assert viewer.get(detail(report)).status_code == 404

    verified_login(client, sealed["head"])
    page = client.get(entry_url(report))
    assert page.status_code == 200
    assert MARKER not in page.content.decode()
    choices = dict(page.context["form"].fields["officer"].choices)
    assert str(officer.pk) in choices
    assert str(sealed["city_officer"].pk) not in choices
    assert str(sealed["custodian"].pk) not in choices
    response = client.post(
        entry_url(report), {"officer": officer.pk, "reason": "请承办"}
    )
    assert response.status_code == 302
    said = messages_of(client.get(response["Location"]))
    assert any(report.number in m and officer.full_name in m for m in said), said
    assert viewer.get(detail(report)).status_code == 200

    grant = Grant.objects.get(report=report, officer=officer, revoked_at__isnull=True)
    response = client.post(entry_url(report), {"revoke": grant.pk})
    assert response.status_code == 302
    said = messages_of(client.get(response["Location"]))
    assert any(report.number in m for m in said), said
    grant.refresh_from_db()
    assert grant.revoked_at is not None
    assert viewer.get(detail(report)).status_code == 404
    # Withdrawn once is withdrawn.
    assert client.post(entry_url(report), {"revoke": grant.pk}).status_code == 404


def test_a_revoke_of_a_foreign_or_made_up_grant_is_404(client, sealed, media):
    report = granted(sealed, submit(sealed.district).report)
    other = granted(sealed, submit(sealed.district).report)
    foreign = other.grants.get()
    verified_login(client, sealed["head"])
    for revoke in ("abc", "1 OR 1=1", "-1", str(foreign.pk), "999999"):
        assert client.post(entry_url(report), {"revoke": revoke}).status_code == 404
    assert Grant.objects.filter(revoked_at__isnull=False).count() == 0


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"officer": "", "reason": "承办"}, "officer"),
        ({"officer": "city_officer", "reason": "承办"}, "officer"),
        ({"officer": "officer", "reason": ""}, "reason"),
    ],
)
def test_a_bad_assignment_is_refused_on_its_field(client, sealed, media, data, field):
    report = submit(sealed.district).report
    if data["officer"]:
        data = {**data, "officer": sealed[data["officer"]].pk}
    verified_login(client, sealed["head"])
    response = client.post(entry_url(report), data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not report.grants.exists()


def test_assigning_the_same_officer_twice_is_refused(client, sealed, media):
    report = granted(sealed, submit(sealed.district).report)
    verified_login(client, sealed["head"])
    response = client.post(
        entry_url(report), {"officer": sealed["officer"].pk, "reason": "再派"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors
    assert report.grants.count() == 1


def test_only_the_head_of_the_body_keeps_its_docket(client, sealed, media):
    report = submit(sealed.district).report
    for who in ("officer", "custodian", "city_head", "street_head"):
        verified_login(client, sealed[who])
        assert client.get(entry_url(report)).status_code == 404, who
        assert client.get(reverse("discipline:docket", args=["dl"])).status_code == 404
        assert client.get(reverse("discipline:rollup", args=["dl"])).status_code == 404
    # The city's head, though above, keeps only the city's docket.
    verified_login(client, sealed["city_head"])
    wrong = reverse("discipline:docket_entry", args=["ls", report.number])
    assert client.get(wrong).status_code == 404


# --- staff entry ----------------------------------------------------------------


def enter(client, **extra) -> _MonkeyPatchedWSGIResponse:
    fields = report_fields(channel=Channel.LETTER, **CONTENT)
    fields.update(extra)
    return client.post(reverse("discipline:enter", args=["dl"]), fields)


def test_an_officer_enters_a_letter_and_holds_it(client, officer, media):
    page = client.get(reverse("discipline:enter", args=["dl"]))
    assert page.status_code == 200
    assert_clean_page(page)
    response = enter(client, evidence=[pdf()])
    assert response.status_code == 200, response.content.decode()[:3000]
    text = response.content.decode()
    shown = RECEIPT_SHOWN.findall(text)
    assert len(shown) == 1
    receipt = shown[0].replace(" ", "")
    report = Report.objects.get()
    assert (report.channel, report.body.code) == (Channel.LETTER, "dl")
    assert report.grants.get().officer == officer
    assert detail(report) in text  # "Open the report"
    opened = client.get(detail(report))
    assert opened.status_code == 200
    assert MARKER in opened.content.decode()
    assert shown[0] not in opened.content.decode()  # shown once
    # The reporter follows it up with the receipt read out to them.
    reporter = Client()
    open_report(reporter, receipt)
    assert reporter.get(reverse("discipline:follow_up_report")).status_code == 200


@pytest.mark.parametrize("channel", ["", Channel.ONLINE, "pigeon"])
def test_staff_entry_needs_how_it_came_in(client, officer, media, channel):
    response = enter(client, channel=channel)
    assert response.status_code == 400
    assert response.context["form"].errors["channel"]
    assert not Report.objects.exists()


def test_an_entry_about_the_principal_goes_up_out_of_reach(client, sealed, officer):
    response = enter(client, about_principal="on")
    assert response.status_code == 200
    text = response.content.decode()
    assert "went straight to" in text and sealed.city.name in text
    assert len(RECEIPT_SHOWN.findall(text)) == 1
    report = Report.objects.get()
    assert report.body == sealed.city
    assert detail(report) not in text  # no "Open the report"
    assert client.get(detail(report)).status_code == 404
    assert not report.grants.exists()


def test_only_the_bodys_handlers_enter_its_reports(client, sealed, media):
    for who in ("custodian", "city_officer", "principal"):
        verified_login(client, sealed[who])
        assert client.get(reverse("discipline:enter", args=["dl"])).status_code == 404
        assert enter(client).status_code == 404
    assert not Report.objects.exists()


# --- the quarter's counts ------------------------------------------------------

LHASA = ZoneInfo("Asia/Shanghai")


def test_the_rollup_counts_what_a_direct_count_says(client, sealed, media):
    officer = sealed["officer"]
    code = actions.code_create(
        body=sealed.district, kind="poster", label="海报", acting_user=sealed["head"]
    )
    with time_machine.travel(dt.datetime(2026, 3, 20, 10, tzinfo=LHASA), tick=False):
        submit(sealed.district)  # the quarter before
    with time_machine.travel(dt.datetime(2026, 5, 12, 10, tzinfo=LHASA), tick=False):
        submit(sealed.district)
        submit(sealed.district, **real_name())
        submit(sealed.district, channel=Channel.QR, code=code)
        submit(sealed.district, channel=Channel.PHONE, acting_user=officer)
        disposed = bring(sealed, S.DISPOSED)
        submit(sealed.city)  # another body's
        submit(sealed.district, about_principal=True)  # goes up to the city
        verified_login(client, sealed["head"])
        response = client.get(reverse("discipline:rollup", args=["dl"]))
        assert response.status_code == 200
        assert (response.context["year"], response.context["quarter"]) == (2026, 2)
        explicit = client.get(
            reverse("discipline:rollup", args=["dl"]) + "?year=2026&quarter=2"
        )
        previous = client.get(
            reverse("discipline:rollup", args=["dl"]) + "?year=2026&quarter=1"
        )
    start = dt.datetime(2026, 4, 1, tzinfo=LHASA)
    end = dt.datetime(2026, 7, 1, tzinfo=LHASA)
    direct = Report.objects.filter(
        body=sealed.district, received_at__gte=start, received_at__lt=end
    )
    figures = response.context["figures"]
    assert figures.total == direct.count() == 5
    assert explicit.context["figures"].total == 5
    assert figures.real_name == direct.filter(real_name=True).count() == 1
    channels = dict(response.context["channels"])
    for channel in Channel:
        assert channels[channel.label] == direct.filter(channel=channel).count()
    disposals = dict(response.context["disposals"])
    assert disposed.disposal == Disposal.VERIFY
    for disposal in Disposal:
        assert disposals[disposal.label] == direct.filter(disposal=disposal).count()
    states = dict(response.context["states"])
    assert sum(states.values()) == figures.total
    assert "5 reports, 1 under a real name." in response.content.decode()
    assert previous.context["figures"].total == 1


@pytest.mark.parametrize(
    ("query", "status"),
    [("?year=2026&quarter=5", 404), ("?year=1999&quarter=1", 404), ("?year=x", 200)],
)
def test_the_rollup_refuses_a_quarter_that_is_none(client, sealed, query, status):
    verified_login(client, sealed["head"])
    response = client.get(reverse("discipline:rollup", args=["dl"]) + query)
    assert response.status_code == status


# --- the identity, through the custodian ---------------------------------------


def ask_for_identity(
    client, report: Report, reason: str = "需核实身份"
) -> _MonkeyPatchedWSGIResponse:
    return client.post(
        reverse("discipline:identity", args=[report.number]), {"reason": reason}
    )


def reveal(client, report: Report) -> _MonkeyPatchedWSGIResponse:
    return client.post(
        reverse("discipline:identity", args=[report.number]), {"reveal": "1"}
    )


def test_the_identity_is_shown_only_after_a_custodian_approves(
    client, sealed, officer, case
):
    # Before: no button, and a reveal posted anyway shows nothing.
    page = client.get(detail(case))
    assert "Show the reporter" not in page.content.decode()
    refused = reveal(client, case)
    assert refused.status_code == 302 and refused["Location"] == detail(case)
    assert IDENTITY["name"] not in client.get(detail(case)).content.decode()
    assert viewed(case, "identity.viewed") == 0

    response = ask_for_identity(client, case)
    assert response.status_code == 302
    said = messages_of(client.get(response["Location"]))
    assert any(sealed.district.name in m for m in said), said
    request = IdentityRequest.objects.get(report=case)
    assert request.state == "pending"
    assert ask_for_identity(client, case).status_code == 400  # one at a time

    custodian = Client()
    verified_login(custodian, sealed["custodian"])
    queue = custodian.get(reverse("discipline:custody"))
    text = queue.content.decode()
    assert case.number in text and "需核实身份" in text and officer.full_name in text
    decided = custodian.post(
        reverse("discipline:custody_decide", args=[request.pk]),
        {"approve": "1", "reason": "理由充分"},
    )
    assert decided.status_code == 302
    said = messages_of(custodian.get(decided["Location"]))
    assert any(case.number in m and "Approved" in m for m in said), said
    request.refresh_from_db()
    assert (request.state, request.custodian) == ("approved", sealed["custodian"])

    page = client.get(detail(case))
    assert "Show the reporter" in page.content.decode()
    for times in (1, 2):
        shown = reveal(client, case)
        assert shown.status_code == 200
        text = shown.content.decode()
        assert IDENTITY["name"] in text and IDENTITY["phone"] in text
        assert viewed(case, "identity.viewed") == times
        assert_clean_page(shown)
    assert (
        client.get(reverse("discipline:identity", args=[case.number])).status_code
        == 302
    )
    # Another officer of the body, granted too, has no approval of their own.
    granted(sealed, case, "officer2")
    other = Client()
    verified_login(other, sealed["officer2"])
    assert reveal(other, case).status_code == 302
    assert viewed(case, "identity.viewed") == 2


def test_a_custodian_refuses_and_the_officer_sees_nothing(
    client, sealed, officer, case
):
    ask_for_identity(client, case)
    request = IdentityRequest.objects.get(report=case)
    custodian = Client()
    verified_login(custodian, sealed["custodian"])
    decided = custodian.post(
        reverse("discipline:custody_decide", args=[request.pk]),
        {"approve": "0", "reason": "理由不足"},
        follow=True,
    )
    assert any("Refused" in m for m in messages_of(decided))
    request.refresh_from_db()
    assert request.state == "refused"
    assert "理由不足" in client.get(detail(case)).content.decode()
    assert reveal(client, case).status_code == 302
    assert viewed(case, "identity.viewed") == 0
    # Decided once is decided.
    again = custodian.post(
        reverse("discipline:custody_decide", args=[request.pk]),
        {"approve": "1", "reason": "改变主意"},
        follow=True,
    )
    request.refresh_from_db()
    assert request.state == "refused"
    assert again.status_code == 200


def test_a_decision_without_a_choice_or_a_reason_is_refused(
    client, sealed, officer, case
):
    ask_for_identity(client, case)
    request = IdentityRequest.objects.get(report=case)
    verified_login(client, sealed["custodian"])
    for data in ({"reason": "x"}, {"approve": "1", "reason": ""}):
        response = client.post(
            reverse("discipline:custody_decide", args=[request.pk]), data, follow=True
        )
        assert any("Choose approve or refuse" in m for m in messages_of(response))
    request.refresh_from_db()
    assert request.state == "pending"


def test_only_a_custodian_of_the_body_decides(client, sealed, officer, case):
    ask_for_identity(client, case)
    request = IdentityRequest.objects.get(report=case)
    for who in ("city_custodian", "head", "officer2"):
        verified_login(client, sealed[who])
        response = client.post(
            reverse("discipline:custody_decide", args=[request.pk]),
            {"approve": "1", "reason": "同意"},
        )
        assert response.status_code == 404, who
    request.refresh_from_db()
    assert request.state == "pending"


def test_an_anonymous_report_has_no_identity_to_ask_for(client, sealed, officer, media):
    report = granted(sealed, submit(sealed.district).report)
    page = client.get(detail(report))
    assert 'name="reason"' not in page.content.decode().split("Steps")[0]
    response = ask_for_identity(client, report)
    assert response.status_code == 400
    assert "anonymous" in response.content.decode()
    assert not IdentityRequest.objects.exists()


def test_the_reporters_receipt_is_on_no_staff_page(client, sealed, media):
    submitted = submit(sealed.district, **CONTENT)
    report = granted(sealed, submitted.report)
    receipt = submitted.receipt
    shown = " ".join(re.findall("....", receipt))
    for who, url in (
        ("officer", detail(report)),
        ("head", reverse("discipline:docket", args=["dl"])),
        ("head", entry_url(report)),
    ):
        verified_login(client, sealed[who])
        text = client.get(url).content.decode()
        assert receipt not in text and shown not in text
