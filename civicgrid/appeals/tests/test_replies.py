"""A reply says its outcome (办理结果) and has every template blank filled in:
through the action, the console's page, the REST API and the resident's
tracking page; what each console step says it did; and who acted, in words."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import dateformat, timezone

from civicgrid.api.testing import api_client as api
from civicgrid.appeals import actions
from civicgrid.appeals.access import resident_key
from civicgrid.appeals.models import Appeal, Assignment, ResponseTemplate
from civicgrid.appeals.steps import DONE, STEPS
from civicgrid.core.errors import DomainError

TEMPLATE = "您好，您反映的【  】路段路灯不亮问题，经现场核实为【  】，已修复。"


@pytest.fixture(autouse=True)
def _media_and_chinese(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LANGUAGE_CODE = "zh-hans"  # the words the issue asks for


def lead_of(appeal: Appeal) -> Assignment:
    return appeal.assignments.get(role="lead")


def local(moment) -> str:
    return dateformat.format(timezone.localtime(moment), "m-d H:i")


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- the action ------------------------------------------------------------------


def test_a_reply_without_an_outcome_is_refused_and_writes_nothing(bring, staff):
    appeal = bring("handling")
    with pytest.raises(DomainError) as caught:
        actions.appeal_reply(
            assignment=lead_of(appeal),
            acting_user=staff["handler_cg"],
            outcome="",
            public_reply="已修复。",
        )
    assert caught.value.field == "outcome"
    appeal.refresh_from_db()
    assert appeal.state == "handling" and not appeal.events.filter(action="reply")


def test_not_resolved_needs_its_reason_and_keeps_it(bring, staff):
    appeal = bring("handling")
    with pytest.raises(DomainError) as caught:
        actions.appeal_reply(
            assignment=lead_of(appeal),
            acting_user=staff["handler_cg"],
            outcome="not_resolved",
            outcome_reason="  ",
            public_reply="暂时无法修复。",
        )
    assert caught.value.field == "outcome_reason"
    actions.appeal_reply(
        assignment=lead_of(appeal),
        acting_user=staff["handler_cg"],
        outcome="not_resolved",
        outcome_reason="线路属供电公司产权，已转报",
        public_reply="暂时无法修复。",
    )
    appeal.refresh_from_db()
    assert appeal.reply_outcome == "not_resolved"
    assert appeal.reply_outcome_reason == "线路属供电公司产权，已转报"
    event = appeal.events.get(action="reply")
    assert event.data["outcome"] == "not_resolved"
    assert event.data["outcome_reason"] == "线路属供电公司产权，已转报"


@pytest.mark.parametrize("blank", ["【 】", "【】", "【\u3000】", "【  \n 】"])
def test_a_reply_with_a_blank_left_is_refused_quoting_its_words(bring, staff, blank):
    appeal = bring("handling")
    with pytest.raises(DomainError) as caught:
        actions.appeal_reply(
            assignment=lead_of(appeal),
            acting_user=staff["handler_cg"],
            outcome="resolved",
            public_reply=f"您好，您反映的{blank}路段路灯不亮问题已修复。",
        )
    assert caught.value.field == "public_reply"
    assert "您反映的【" in caught.value.message and "】路段路灯" in caught.value.message
    appeal.refresh_from_db()
    assert appeal.state == "handling"


def test_brackets_with_words_inside_are_a_filled_blank(bring, staff):
    appeal = bring("handling")
    actions.appeal_reply(
        assignment=lead_of(appeal),
        acting_user=staff["handler_cg"],
        outcome="resolved",
        public_reply="您反映的【拉萨北路】路段路灯已修复。",
    )
    appeal.refresh_from_db()
    assert appeal.state == "replied" and appeal.reply_outcome == "resolved"


# --- the console -------------------------------------------------------------------


def test_the_reply_form_offers_the_four_outcomes(client, bring, staff):
    appeal = bring("handling")
    client.force_login(staff["handler_cg"])
    page = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    for value in ("resolved", "partly_resolved", "not_resolved", "outside_remit"):
        assert f'name="reply-outcome" value="{value}"' in page
    for label in ("已解决", "部分解决", "未解决", "不属于办理范围"):
        assert label in page


def test_a_template_sent_unfilled_is_shown_back_naming_the_blank(client, bring, staff):
    appeal = bring("handling")
    ResponseTemplate.objects.create(title="路灯", body=TEMPLATE)
    client.force_login(staff["handler_cg"])
    response = client.post(
        reverse("appeals:action", args=[appeal.pk, "reply"]),
        {"reply-outcome": "resolved", "reply-public_reply": TEMPLATE},
    )
    assert response.status_code == 400
    errors = response.context["action_forms"]["reply"].errors["public_reply"]
    assert "您反映的【 】路段路灯" in errors[0]
    assert "还有 2 处未填" in errors[0]
    appeal.refresh_from_db()
    assert appeal.state == "handling"


def test_a_reply_without_an_outcome_is_shown_back_on_the_outcome(client, bring, staff):
    appeal = bring("handling")
    client.force_login(staff["handler_cg"])
    response = client.post(
        reverse("appeals:action", args=[appeal.pk, "reply"]),
        {"reply-public_reply": "已修复。"},
    )
    assert response.status_code == 400
    assert "outcome" in response.context["action_forms"]["reply"].errors


def test_the_outcome_is_said_to_the_handler_the_staff_and_the_resident(
    client, bring, staff
):
    appeal = bring("handling")
    client.force_login(staff["handler_cg"])
    response = client.post(
        reverse("appeals:action", args=[appeal.pk, "reply"]),
        {
            "reply-outcome": "partly_resolved",
            "reply-outcome_reason": "另一盏需更换灯杆，已报计划",
            "reply-public_reply": "已更换一盏灯泡。",
        },
        follow=True,
    )
    assert messages_of(response) == ["已回复（部分解决）"]
    staff_page = response.content.decode()
    assert "办理结果：" in staff_page and "部分解决" in staff_page
    assert "另一盏需更换灯杆，已报计划" in staff_page
    code = appeal.tracking_code
    track = client.get(
        reverse("appeals:track_resident", args=[code, resident_key(code)])
    ).content.decode()
    assert track.count("办理结果：") == 2  # the timeline and the callback's card
    assert "部分解决" in track and "另一盏需更换灯杆，已报计划" in track


def test_an_outsider_cannot_reply(client, bring, staff):
    appeal = bring("handling")
    client.force_login(staff["handler_zj"])
    response = client.post(
        reverse("appeals:action", args=[appeal.pk, "reply"]),
        {"reply-outcome": "resolved", "reply-public_reply": "已修复。"},
    )
    assert response.status_code == 404
    appeal.refresh_from_db()
    assert appeal.state == "handling"


# --- the REST API --------------------------------------------------------------------


def test_the_api_reply_takes_the_outcome_and_its_reason(bring, staff):
    appeal = bring("handling")
    handler = api(staff["handler_cg"])
    url = f"/api/appeals/{appeal.pk}/reply/"
    missing = handler.post(
        url, {"outcome": "not_resolved", "public_reply": "暂无法修复。"}, format="json"
    )
    assert missing.status_code == 400
    assert "outcome_reason" in missing.json()["error"]["fields"]
    blank = handler.post(
        url, {"outcome": "resolved", "public_reply": "已于【 】修复。"}, format="json"
    )
    assert blank.status_code == 400
    assert "public_reply" in blank.json()["error"]["fields"]
    replied = handler.post(
        url,
        {
            "outcome": "not_resolved",
            "outcome_reason": "需供电公司更换线路",
            "public_reply": "暂无法修复。",
        },
        format="json",
    )
    assert replied.status_code == 200, replied.json()
    body = replied.json()
    assert body["reply_outcome"] == "not_resolved"
    assert body["reply_outcome_reason"] == "需供电公司更换线路"
    assert body["timeline"][-1]["data"]["outcome"] == "not_resolved"


def test_an_outsider_gets_404_for_the_api_reply(bring, staff):
    appeal = bring("handling")
    response = api(staff["handler_zj"]).post(
        f"/api/appeals/{appeal.pk}/reply/",
        {"outcome": "resolved", "public_reply": "已修复。"},
        format="json",
    )
    assert response.status_code == 404
    appeal.refresh_from_db()
    assert appeal.state == "handling"


def test_the_tracking_api_says_the_outcome_and_units_only(client, bring, staff):
    appeal = bring("handling")
    actions.appeal_reply(
        assignment=lead_of(appeal),
        acting_user=staff["handler_cg"],
        outcome="outside_remit",
        public_reply="该事项属于小区物业管理范围，请联系物业公司。",
    )
    body = client.get(f"/api/track/{appeal.tracking_code}/").json()
    reply = body["latest_reply"]
    assert reply["outcome"] == "outside_remit" and reply["by"] == "城管局"
    assert [e["by"] for e in body["timeline"]][:2] == ["居民", "东嘎街道"]
    assert "李明" not in str(body) and "次仁" not in str(body)
    staff_view = api(staff["handler_cg"]).get(f"/api/appeals/{appeal.pk}/").json()
    assert staff_view["timeline"][-1]["actor_label"] == "李明（城管局）"


def test_the_schema_documents_the_outcome(staff):
    schema = (
        api(staff["outsider"])
        .get("/api/schema/", HTTP_ACCEPT="application/json")
        .json()
    )
    reply = schema["components"]["schemas"]["ReplyRequest"]
    assert "outcome" in reply["required"]
    assert "outcome_reason" in reply["properties"]
    # One name for the outcome's choices wherever they appear.
    (ref,) = reply["properties"]["outcome"]["allOf"]
    assert ref == {"$ref": "#/components/schemas/ReplyOutcomeEnum"}
    outcome = schema["components"]["schemas"]["ReplyOutcomeEnum"]
    assert "OutcomeEnum" not in schema["components"]["schemas"]
    assert set(outcome["enum"]) == {
        "resolved",
        "partly_resolved",
        "not_resolved",
        "outside_remit",
    }
    detail = schema["components"]["schemas"]["AppealDetail"]["properties"]
    assert "reply_outcome" in detail


# --- what each step says it did ------------------------------------------------------


def test_every_step_says_what_it_did():
    assert set(DONE) == set(STEPS)


def test_the_console_says_what_each_step_did(client, bring, staff, departments):
    appeal = bring("received")
    dispatcher, handler = staff["dispatcher"], staff["handler_cg"]

    def take(who, action, data=None):
        client.force_login(who)
        response = client.post(
            reverse("appeals:action", args=[appeal.pk, action]),
            data or {},
            follow=True,
        )
        assert response.status_code == 200
        return messages_of(response)

    assert take(dispatcher, "accept") == ["已受理"]
    said = take(
        dispatcher,
        "dispatch",
        {
            "dispatch-lead": f"department:{departments['cg'].pk}",
            "dispatch-co_handlers": [f"department:{departments['zj'].pk}"],
        },
    )
    lead = lead_of(appeal)
    assert said == [
        f"已派单至 城管局（主办），协办 住建局；签收时限 "
        f"{local(lead.response_due_at)}，办结时限 {local(lead.due_at)}"
    ]
    assert take(handler, "sign") == [f"已签收（城管局），办结时限 {local(lead.due_at)}"]
    assert take(handler, "progress", {"progress-note": "已派人查看"}) == [
        "已记录进展（仅内部可见）"
    ]
    assert take(
        handler,
        "request_extension",
        {"request_extension-days": "2", "request_extension-reason": "等配件"},
    ) == ["已申请延期 2 个工作日，待街道审批"]
    pending = lead.extension_requests.get()
    said = take(
        dispatcher,
        "decide_extension",
        {"decide_extension-request_id": pending.pk, "decide_extension-approve": "yes"},
    )
    lead.refresh_from_db()
    assert said == [f"已批准延期，城管局 办结时限改为 {local(lead.due_at)}"]
    assert take(dispatcher, "urge") == ["已催办 城管局、住建局"]
    co = appeal.assignments.get(role="co")
    co_handler = staff["handler_zj"]
    assert take(co_handler, "sign") == [
        f"已签收（住建局），办结时限 {local(co.due_at)}"
    ]
    assert take(
        co_handler, "complete_share", {"complete_share-note": "已配合排查管线"}
    ) == ["协办已完成（住建局），已告知主办单位"]
    assert take(
        handler, "reply", {"reply-outcome": "resolved", "reply-public_reply": "已修复"}
    ) == ["已回复（已解决）"]


def test_the_api_answers_each_step_with_what_it_did(bring, staff, departments):
    appeal = bring("accepted")
    dispatched = api(staff["dispatcher"]).post(
        f"/api/appeals/{appeal.pk}/dispatch/",
        {"lead": f"department:{departments['cg'].pk}"},
        format="json",
    )
    assert dispatched.status_code == 200, dispatched.json()
    lead = lead_of(appeal)
    assert dispatched.json()["message"] == (
        f"已派单至 城管局；签收时限 {local(lead.response_due_at)}，"
        f"办结时限 {local(lead.due_at)}"
    )
    signed = api(staff["handler_cg"]).post(f"/api/appeals/{appeal.pk}/sign/")
    said = signed.json()["message"]
    assert said == f"已签收（城管局），办结时限 {local(lead.due_at)}"
    # Reading the appeal is no step: nothing to say.
    read = api(staff["handler_cg"]).get(f"/api/appeals/{appeal.pk}/")
    assert read.json()["message"] == ""


def test_a_return_and_a_rehandle_say_where_it_went(client, bring, staff):
    appeal = bring("dispatched")
    client.force_login(staff["handler_cg"])
    response = client.post(
        reverse("appeals:action", args=[appeal.pk, "return"]),
        {"return-reason": "不属于城管"},
    )
    assert response.status_code == 302
    shown = client.get(reverse("appeals:console"), follow=True)
    assert messages_of(shown) == ["已退单（城管局），由街道重新派单"]

    replied = bring("replied")
    client.force_login(staff["operator"])
    response = client.post(
        reverse("appeals:action", args=[replied.pk, "callback"]),
        {"callback-resolved": "no", "callback-satisfaction": "unsatisfied"},
        follow=True,
    )
    lead = replied.assignments.get(role="lead")
    assert messages_of(response) == [
        f"已记录回访，退回 城管局 重办，办结时限 {local(lead.due_at)}"
    ]


# --- who acted, in words -------------------------------------------------------------


def test_the_staff_timeline_names_people_with_their_unit(client, bring, staff):
    appeal = bring("replied")
    client.force_login(staff["dispatcher"])
    page = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert "· 居民" in page  # the resident's own report (the fixture's submit)
    assert "· 次仁（东嘎街道）" in page  # accept, dispatch: the street
    assert "· 李明（城管局）" in page  # sign, reply: the department
    assert "· resident" not in page and "· system" not in page


def test_the_system_is_named_in_words(client, bring, staff):
    appeal = bring("handling")
    actions.assignment_mark_overdue(assignment=lead_of(appeal))
    client.force_login(staff["dispatcher"])
    page = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert "· 系统" in page


def test_the_resident_sees_units_never_a_staff_members_name(client, bring, staff):
    appeal = bring("replied")
    code = appeal.tracking_code
    page = client.get(reverse("appeals:track", args=[code])).content.decode()
    assert "· 居民" in page
    assert "· 东嘎街道" in page and "· 城管局" in page
    for name in ("次仁", "李明"):
        assert name not in page
