"""The three lists on a phone: the community's staff open a problem lifted
from two appeals, start its project, pledge a unit's resource from the
problem's matches in one tap, and read the lists as cards at 390 px."""

from __future__ import annotations

import datetime as dt

import pytest

from civicgrid.appeals.tests.conftest import catalogue as catalogue
from civicgrid.appeals.tests.conftest import submit as submit
from civicgrid.cobuilding import actions
from civicgrid.cobuilding.models import Project, Resource
from civicgrid.core import clock
from civicgrid.ledger.tests.conftest import ledger_people as ledger_people
from civicgrid.partybuilding.tests.conftest import pb as pb
from tests.browser.conftest import screenshot
from tests.browser.test_partybuilding_phone import _fits, _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_problem_becomes_a_project_and_takes_a_pledge_on_a_phone(
    phone, pb, street, submit, settings
):
    settings.LANGUAGE_CODE = "zh-hans"
    lamps = [submit(), submit(description="小巷路灯又不亮了。")]
    problem = actions.problem_raise(
        data=actions.ProblemInput(
            title="背街小巷路灯不亮",
            description="同一条小巷三个月里反复反映路灯不亮。",
            field="facilities",
            area=street.east,
            appeals=lamps,
        ),
        acting_user=pb["dispatcher"],
    )
    resource = actions.resource_add(
        data=actions.ResourceInput(
            title="电工志愿服务",
            kind=Resource.Kind.HOURS,
            field="facilities",
            quantity=10,
            measure="小时/月",
            area=street.east,
            provider_kind=Resource.Provider.UNIT,
            unit=pb["unit"],
        ),
        acting_user=pb["staff"],
    )
    page = phone
    _log_in(page, "community_east")
    page.goto(f"{page.base_url}/cobuilding/problems/{problem.pk}/")
    assert lamps[0].tracking_code in page.inner_text("ul.sources")
    page.fill("form.step-start input[name=title]", "背街小巷路灯改造")
    page.select_option("form.step-start select[name=owner]", str(pb["staff"].pk))
    page.fill(
        "form.step-start input[name=due_on]",
        (clock.today() + dt.timedelta(days=30)).isoformat(),
    )
    _fits(page)
    screenshot(page, "cobuilding-problem-phone")
    page.click("form.step-start button[type=submit]")
    page.wait_for_selector("text=已立项")
    project = Project.objects.get()

    page.goto(f"{page.base_url}/cobuilding/problems/{problem.pk}/")
    page.fill(f"#q{resource.pk}", "4")
    page.click("ul.matches button[type=submit]")
    page.wait_for_selector("text=已为“背街小巷路灯改造”认领")
    resource.refresh_from_db()
    assert resource.pledged == 4
    assert "剩余 6" in page.inner_text("ul.matches")

    page.goto(f"{page.base_url}/cobuilding/projects/{project.pk}/")
    assert lamps[1].tracking_code in page.inner_text("main")
    _fits(page)
    screenshot(page, "cobuilding-project-phone")

    page.goto(f"{page.base_url}/cobuilding/problems/")
    assert page.is_visible("text=三项清单3个")
    _fits(page)
    screenshot(page, "cobuilding-problems-phone")
