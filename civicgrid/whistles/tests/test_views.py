from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from civicgrid.accounts.actions import membership_add
from civicgrid.accounts.models import Role
from civicgrid.appeals.steps import when
from civicgrid.org.models import Area, Department
from civicgrid.whistles import actions
from civicgrid.whistles.models import Whistle, WhistleType
from conftest import make_area, make_user


@pytest.fixture
def whistle_type(db):
    return WhistleType.objects.create(
        code="emergency", name="应急处置", report_in_minutes=30
    )


@pytest.fixture
def blown(client, people, departments, whistle_type):
    client.force_login(people["dispatcher"])
    response = client.post(
        reverse("whistles:blow"),
        {
            "type": whistle_type.pk,
            "title": "河道淤堵",
            "reason": "需多部门联合处置",
            "departments": [departments["cg"].pk, departments["zj"].pk],
            "lead": departments["cg"].pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    client.logout()
    return Whistle.objects.get()


def test_a_lead_outside_the_summoned_is_refused_on_the_form(
    client, people, departments, whistle_type
):
    client.force_login(people["dispatcher"])
    response = client.post(
        reverse("whistles:blow"),
        {
            "type": whistle_type.pk,
            "title": "x",
            "reason": "y",
            "departments": [departments["zj"].pk],
            "lead": departments["cg"].pk,
        },
    )
    assert response.status_code == 400
    assert "lead" in response.context["form"].errors
    assert not Whistle.objects.exists()


def test_a_summoned_handler_reports_in_from_the_page(client, blown, people):
    client.force_login(people["handler_cg"])
    page = client.get(reverse("whistles:detail", args=[blown.pk])).content.decode()
    assert "河道淤堵" in page
    summons = blown.summonses.get(department__code="chengguan")
    response = client.post(
        reverse("whistles:act", args=[blown.pk, "check_in"]),
        {"summons": summons.pk, "attendees": "李明等2人"},
    )
    assert response.status_code == 302
    summons.refresh_from_db()
    assert summons.checked_in_by == people["handler_cg"]
    assert summons.attendees == "李明等2人"


def test_a_department_not_summoned_gets_404(client, blown, street):
    department = Department.objects.create(
        code="jiaoyu", name="教育局", area=street.district
    )
    teacher = make_user("teacher")
    membership_add(
        user=teacher,
        role=Role.DEPARTMENT_HANDLER,
        department=department,
        acting_user=None,
    )
    client.force_login(teacher)
    assert client.get(reverse("whistles:detail", args=[blown.pk])).status_code == 404
    assert (
        client.post(reverse("whistles:act", args=[blown.pk, "close"]), {}).status_code
        == 404
    )
    assert "河道淤堵" not in client.get(reverse("whistles:board")).content.decode()


def test_closing_with_open_shares_says_which(client, blown, people):
    client.force_login(people["dispatcher"])
    response = client.post(
        reverse("whistles:act", args=[blown.pk, "close"]),
        {"close-reply": "已处置"},
        follow=True,
    )
    content = response.content.decode()
    assert (
        "以下部门的任务尚未办结" in content or "These shares are still open" in content
    )
    blown.refresh_from_db()
    assert blown.state == "open"


def test_the_board_shows_the_report_in_status(client, blown, people):
    client.force_login(people["dispatcher"])
    content = client.get(reverse("whistles:board")).content.decode()
    assert "河道淤堵" in content and "城管局" in content
    assert "not yet reported in" in content or "尚未报到" in content


def test_meeting_score_and_feedback_through_the_page(client, blown, people):
    """Each step on the page is taken and says what it did, in words."""
    summons = blown.summonses.get(department__code="chengguan")

    def take(action, data):
        response = client.post(
            reverse("whistles:act", args=[blown.pk, action]), data, follow=True
        )
        assert response.status_code == 200
        return [str(m) for m in response.context["messages"]]

    client.force_login(people["handler_cg"])
    said = take("check_in", {"summons": summons.pk})
    summons.refresh_from_db()
    assert said == [f"城管局 reported in at {when(summons.checked_in_at)}"]
    held = timezone.localtime().replace(second=0, microsecond=0)
    said = take(
        "meeting",
        {
            "held_at": held.strftime("%Y-%m-%dT%H:%M"),
            "attendees": "城管、住建",
            "decisions": "周三前完成",
        },
    )
    assert blown.meetings.get().decisions == "周三前完成"
    assert said == [f"Joint meeting of {when(held)} recorded"]
    said = take("share_done", {"summons": summons.pk, "note": "已清运"})
    assert said == ["城管局's share is done"]
    said = take(
        "feedback",
        {"summons": summons.pk, "justified": "yes", "well_run": "4", "comment": ""},
    )
    summons.refresh_from_db()
    assert summons.feedback.well_run == 4
    assert said == ["城管局's feedback on the whistle is recorded"]
    client.force_login(people["dispatcher"])
    page = client.get(reverse("whistles:detail", args=[blown.pk])).content.decode()
    assert reverse("whistles:act", args=[blown.pk, "score"]) in page
    said = take(
        "score",
        {"summons": summons.pk, "report_in": "5", "handling": "4", "comment": "及时"},
    )
    summons.refresh_from_db()
    assert (summons.street_score.report_in, summons.street_score.handling) == (5, 4)
    assert said == ["城管局 scored: reporting in 5/5, handling 4/5"]


def test_a_dispatcher_of_two_streets_chooses_the_street_to_blow_on(
    client, street, people, departments, whistle_type
):
    from civicgrid.org.models import Area
    from conftest import make_area

    other = make_area("540103002", "乃琼街道", Area.Level.STREET, street.district)
    water = Department.objects.create(
        code="shuili", name="区水利局", area=street.district
    )
    squad = Department.objects.create(
        code="dongga-zhifa", name="东嘎街道综合执法队", area=street.street
    )
    both = make_user("two_streets", "旦增")
    for area in (street.street, other):
        membership_add(user=both, role=Role.DISPATCHER, area=area, acting_user=None)
    client.force_login(both)
    page = client.get(reverse("whistles:blow"))
    assert set(page.context["form"].fields["street"].queryset) == {
        street.street,
        other,
    }

    response = client.post(
        reverse("whistles:blow"),
        {
            "street": other.pk,
            "type": whistle_type.pk,
            "title": "跨街道河道淤堵",
            "reason": "需多部门联合处置",
            "departments": [water.pk, squad.pk],
            "lead": water.pk,
        },
    )
    # 东嘎's own squad does not serve 乃琼街道; the district's water bureau does.
    assert response.status_code == 400
    assert "东嘎街道综合执法队" in str(response.context["form"].errors["departments"])

    response = client.post(
        reverse("whistles:blow"),
        {
            "street": other.pk,
            "type": whistle_type.pk,
            "title": "跨街道河道淤堵",
            "reason": "需多部门联合处置",
            "departments": [water.pk],
            "lead": water.pk,
        },
    )

    assert response.status_code == 302, response.content.decode()[:800]
    assert Whistle.objects.get().street == other


def test_a_street_dispatcher_is_not_asked_for_a_street(client, people):
    client.force_login(people["dispatcher"])
    page = client.get(reverse("whistles:blow"))
    assert "street" not in page.context["form"].fields


def test_the_history_filters_and_pages_only_what_the_user_may_see(
    client, street, people, departments, whistle_type, django_assert_max_num_queries
):
    from civicgrid.whistles import actions

    for n in range(23):
        actions.whistle_blow(
            street=street.street,
            whistle_type=whistle_type,
            title=f"河道淤堵 {n}" if n % 2 else f"违建拆除 {n}",
            reason="需多部门联合处置",
            departments=[departments["cg"]] if n % 3 else [departments["zj"]],
            lead=departments["cg"] if n % 3 else departments["zj"],
            acting_user=people["dispatcher"],
        )
    client.force_login(people["dispatcher"])
    with django_assert_max_num_queries(14):  # the same for 20 rows as for 2
        page = client.get(reverse("whistles:history"))
    assert page.context["page"].paginator.count == 23
    assert len(page.context["page"].object_list) == 20

    rivers = client.get(reverse("whistles:history"), {"q": "河道"})
    assert rivers.context["page"].paginator.count == 11
    housing = client.get(
        reverse("whistles:history"), {"department": departments["zj"].pk}
    )
    assert housing.context["page"].paginator.count == 8
    second = client.get(reverse("whistles:history"), {"q": "河道", "page": 2})
    assert second.status_code == 200

    # 住建's handler sees only the whistles 住建 was summoned to.
    client.force_login(people["handler_zj"])
    theirs = client.get(reverse("whistles:history"))
    assert theirs.context["page"].paginator.count == 8
    client.force_login(people["outsider"])
    assert client.get(reverse("whistles:history")).context["page"].paginator.count == 0


def test_a_bad_filter_is_named(client, people):
    client.force_login(people["dispatcher"])
    response = client.get(reverse("whistles:history"), {"blown_from": "yesterday"})
    assert response.status_code == 400
    assert "blown_from" in response.context["form"].errors


def test_progress_and_the_lead_reply_from_the_page(client, blown, people):
    page_url = reverse("whistles:detail", args=[blown.pk])
    client.force_login(people["handler_zj"])
    page = client.get(page_url).content.decode()
    assert "progress-note" in page and "lead-reply" not in page  # not the lead
    client.post(
        reverse("whistles:act", args=[blown.pk, "progress"]),
        {"progress-note": "已调来两台挖掘机"},
    )
    client.force_login(people["handler_cg"])
    assert "lead-reply" in client.get(page_url).content.decode()
    client.post(
        reverse("whistles:act", args=[blown.pk, "reply"]),
        {"lead-reply": "河道已清理完毕"},
    )
    blown.refresh_from_db()
    assert blown.consolidated_reply == "河道已清理完毕"
    assert blown.events.filter(action="progress").get().note == "已调来两台挖掘机"
    client.force_login(people["outsider"])
    refused = client.post(
        reverse("whistles:act", args=[blown.pk, "progress"]),
        {"progress-note": "x"},
    )
    assert refused.status_code == 404


# --- a refused step is shown on its own form, on the field it names ----------------


def test_a_refusal_is_shown_on_the_form_it_came_from(client, blown, people):
    summons = blown.summonses.get(department__code="chengguan")
    client.force_login(people["handler_cg"])
    response = client.post(
        reverse("whistles:act", args=[blown.pk, "check_in"]),
        {"summons": summons.pk, "attendees": "李明等2人", "latitude": "29.6"},
    )
    assert response.status_code == 400
    [(shown, form)] = response.context["to_check_in"]
    assert shown == summons
    assert form.non_field_errors() == ["The location is not a valid position."]
    page = response.content.decode()
    check_in = page[page.index('class="card check-in"') :]
    assert (
        "The location is not a valid position." in check_in[: check_in.index("</form>")]
    )
    assert 'value="李明等2人"' in check_in  # what was typed is kept
    assert not list(response.context["messages"])
    summons.refresh_from_db()
    assert summons.checked_in_at is None


def test_a_field_the_refusal_names_shows_it(client, blown, people):
    client.force_login(people["dispatcher"])
    response = client.post(
        reverse("whistles:act", args=[blown.pk, "meeting"]),
        {
            "held_at": "2099-01-01T10:00",
            "attendees": "城管、住建",
            "decisions": "周三前完成",
        },
    )
    assert response.status_code == 400
    assert "held_at" in response.context["meeting_form"].errors
    assert "<details open>" in response.content.decode()
    assert not blown.meetings.exists()


def test_a_form_left_empty_is_shown_again_with_its_errors(client, blown, people):
    summons = blown.summonses.get(department__code="chengguan")
    client.force_login(people["handler_cg"])
    client.post(
        reverse("whistles:act", args=[blown.pk, "check_in"]), {"summons": summons.pk}
    )
    response = client.post(
        reverse("whistles:act", args=[blown.pk, "share_done"]),
        {"summons": summons.pk, "note": ""},
    )
    assert response.status_code == 400
    [(shown, form)] = response.context["to_complete"]
    assert shown == summons and "note" in form.errors
    summons.refresh_from_db()
    assert summons.state == "open"


def test_a_second_check_in_is_a_conflict_shown_on_the_form(client, blown, people):
    summons = blown.summonses.get(department__code="chengguan")
    client.force_login(people["handler_cg"])
    url = reverse("whistles:act", args=[blown.pk, "check_in"])
    assert client.post(url, {"summons": summons.pk}).status_code == 302
    again = client.post(url, {"summons": summons.pk})
    assert again.status_code == 409
    [(shown, form)] = again.context["to_check_in"]
    assert shown == summons
    assert form.non_field_errors() == ["Your department has reported in already."]


def test_a_step_the_user_may_not_take_is_refused_with_a_message(client, blown, people):
    client.force_login(people["handler_zj"])  # summoned, but not the lead
    response = client.post(
        reverse("whistles:act", args=[blown.pk, "reply"]),
        {"lead-reply": "不是牵头部门"},
        follow=True,
    )
    assert response.redirect_chain[-1][1] == 302
    assert [str(m) for m in response.context["messages"]] == [
        "The lead department writes the consolidated reply."
    ]
    blown.refresh_from_db()
    assert blown.consolidated_reply == ""


def test_closing_with_open_shares_is_refused_on_the_close_form(client, blown, people):
    client.force_login(people["dispatcher"])
    response = client.post(
        reverse("whistles:act", args=[blown.pk, "close"]), {"close-reply": "已处置"}
    )
    assert response.status_code == 400
    errors = response.context["close_form"].non_field_errors()
    assert errors[0].startswith("These shares are still open")
    assert response.context["close_form"]["reply"].value() == "已处置"


WHISTLE_BUTTON = "Blow the whistle"


def test_an_appeals_page_offers_the_whistle_only_when_it_may_be_blown(
    client, bring, staff, people, settings
):
    """Offered to the street's dispatcher on an appeal a unit is handling; not
    before a unit has taken it on, nor to a unit's handler (unless the street
    lets handlers blow), so the form never refuses after it was filled in."""
    handling, dispatched = bring("handling"), bring("dispatched")
    client.force_login(staff["dispatcher"])
    assert (
        WHISTLE_BUTTON
        in client.get(reverse("appeals:detail", args=[handling.pk])).content.decode()
    )
    assert (
        WHISTLE_BUTTON
        not in client.get(
            reverse("appeals:detail", args=[dispatched.pk])
        ).content.decode()
    )
    client.force_login(staff["handler_cg"])
    page = reverse("appeals:detail", args=[handling.pk])
    settings.CIVICGRID_WHISTLE_BLOWERS = []
    assert WHISTLE_BUTTON not in client.get(page).content.decode()
    settings.CIVICGRID_WHISTLE_BLOWERS = ["department_handler"]
    assert WHISTLE_BUTTON in client.get(page).content.decode()


def test_a_streets_administrator_follows_its_whistles_and_no_other_streets(
    client, blown, street
):
    own = make_user("street_admin")
    membership_add(user=own, role=Role.ADMIN, area=street.street, acting_user=None)
    client.force_login(own)
    assert client.get(reverse("whistles:detail", args=[blown.pk])).status_code == 200
    assert "河道淤堵" in client.get(reverse("whistles:board")).content.decode()
    elsewhere = make_user("other_admin")
    other = make_area("540103099", "别的街道", Area.Level.STREET, street.district)
    membership_add(user=elsewhere, role=Role.ADMIN, area=other, acting_user=None)
    client.force_login(elsewhere)
    assert client.get(reverse("whistles:detail", args=[blown.pk])).status_code == 404


def test_the_score_form_names_what_it_scores(client, blown, people):
    """The department's score is for the quality of its work, not "办理中"."""
    summons = blown.summonses.get(department__code="chengguan")
    actions.summons_check_in(summons=summons, acting_user=people["handler_cg"])
    actions.summons_complete(
        summons=summons, acting_user=people["handler_cg"], note="已清淤"
    )
    people["dispatcher"].language = "zh-hans"
    people["dispatcher"].save(update_fields=["language"])
    client.force_login(people["dispatcher"])
    page = client.get(reverse("whistles:detail", args=[blown.pk])).content.decode()
    score_form = page[page.index('name="report_in"') : page.index('name="comment"')]
    assert "办理质量" in score_form
    assert "办理中" not in score_form
