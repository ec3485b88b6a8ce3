"""The principal rule: a report about a body's own principal (主要负责人) goes
to the next level up, and neither the principal nor their office ever sees it
— not in any list, not by a grant, not even by a grant row written behind the
actions' back, whatever other posts they hold."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from civicgrid.core.errors import DomainError, PermissionDeniedError
from civicgrid.discipline import actions, permissions, selectors
from civicgrid.discipline.models import Channel, Grant, Post, Report, Step

from .conftest import granted, real_name, submit, words

LHASA = ZoneInfo("Asia/Shanghai")
KEPT_OUT = ("principal", "office")


@pytest.fixture(params=["flag", "name"])
def about_principal(request, sealed):
    """A real-name report to the district about its principal: said so, or
    naming them."""
    if request.param == "flag":
        extra = {"about_principal": True}
    else:
        extra = {"accused_name": sealed["principal"].full_name}
    return submit(sealed.district, **extra, **real_name()).report


def test_a_report_about_the_principal_lands_at_the_next_level_up(
    sealed, about_principal
):
    report = about_principal
    assert report.body == sealed.city
    assert report.lodged_with == sealed.district
    assert report.concerns_principal_of == sealed.district
    assert report.number.startswith("LS-")
    received, referred = report.steps.order_by("pk")
    assert received.kind == Step.Kind.RECEIVED
    assert referred.kind == Step.Kind.REFERRED
    assert referred.actor is None and not referred.shown_to_reporter
    assert words(report, referred) == {"principal": True, "from": sealed.district.name}
    assert report in selectors.docket(sealed["city_head"], sealed.city)
    assert report not in selectors.docket(sealed["head"], sealed.district)


def test_the_name_is_matched_without_its_surrounding_spaces(sealed):
    name = f"  {sealed['principal'].full_name} "
    report = submit(sealed.district, accused_name=name).report
    assert report.body == sealed.city


def test_a_report_about_someone_else_stays(sealed):
    report = submit(sealed.district, accused_name="罗布").report
    assert report.body == sealed.district and report.concerns_principal_of is None


def test_a_former_principal_is_not_matched_by_name(sealed):
    post = Post.objects.get(user=sealed["principal"], kind=Post.Kind.PRINCIPAL)
    actions.post_end(post=post)
    report = submit(sealed.district, accused_name=sealed["principal"].full_name).report
    assert report.body == sealed.district


def test_an_officer_entering_a_letter_about_the_principal_does_not_keep_it(sealed):
    officer = sealed["officer"]
    report = submit(
        sealed.district,
        channel=Channel.LETTER,
        about_principal=True,
        acting_user=officer,
    ).report
    assert report.body == sealed.city
    assert not Grant.objects.filter(report=report).exists()
    assert selectors.report_for(officer, report.number) is None


def test_a_report_about_the_top_body_s_principal_stays_there_kept_from_them(sealed):
    from conftest import make_user

    chief = make_user("d_city_principal", "次旦")
    actions.post_add(body=sealed.city, user=chief, kind=Post.Kind.PRINCIPAL)
    actions.post_add(body=sealed.city, user=chief, kind=Post.Kind.HEAD)
    report = submit(sealed.city, accused_name="次旦").report
    assert report.body == sealed.city
    assert report.concerns_principal_of == sealed.city
    assert report not in selectors.docket(chief, sealed.city)
    assert report in selectors.docket(sealed["city_head"], sealed.city)


@pytest.fixture
def posted_at_the_city(sealed):
    """The principal heads the city's office too, and their office holds an
    officer's and a custodian's post there: the rule must hold regardless."""
    actions.post_add(body=sealed.city, user=sealed["principal"], kind=Post.Kind.HEAD)
    for kind in (Post.Kind.OFFICER, Post.Kind.CUSTODIAN):
        actions.post_add(body=sealed.city, user=sealed["office"], kind=kind)
    return sealed


def everything_seen_by(user, report):
    """What every selector shows ``user`` of ``report``."""
    bodies = (report.body, report.lodged_with)
    return {
        "granted": report in selectors.granted_reports(user),
        "report_for": selectors.report_for(user, report.number) is not None,
        "docket": any(report in selectors.docket(user, body) for body in bodies),
        "docket_entry": selectors.docket_entry(user, report.number) is not None,
        "alerts": selectors.alerts_for(user).filter(report=report).exists(),
        "identity": selectors.identity_requests_for_custodian(user)
        .filter(report=report)
        .exists(),
        "may_read": permissions.may_read(user, report),
        "grantable": user in selectors.grantable_officers(report),
    }


NOTHING = dict.fromkeys(
    [
        "granted",
        "report_for",
        "docket",
        "docket_entry",
        "alerts",
        "identity",
        "may_read",
        "grantable",
    ],
    False,
)


def with_everything(sealed, report, time_machine):
    """The report granted, its identity asked for, its deadline past."""
    granted(sealed, report, "city_officer")
    actions.identity_request(
        report=report, reason="核实身份", acting_user=sealed["city_officer"]
    )
    time_machine.move_to(
        timezone.localtime(report.refer_due_at) + timedelta(minutes=1), tick=False
    )
    actions.alerts_sweep()


def test_the_principal_and_the_office_see_nothing_of_it(
    sealed, about_principal, time_machine
):
    report = about_principal
    with_everything(sealed, report, time_machine)
    for who in KEPT_OUT:
        assert everything_seen_by(sealed[who], report) == NOTHING, who
    # The city sees it all, the rule is not just everyone blind.
    city = everything_seen_by(sealed["city_head"], report)
    assert city["docket"] and city["docket_entry"] and city["alerts"]
    assert everything_seen_by(sealed["city_custodian"], report)["identity"]
    assert everything_seen_by(sealed["city_officer"], report)["may_read"]


def test_posts_at_the_city_do_not_open_it_to_them(
    posted_at_the_city, about_principal, time_machine
):
    sealed, report = posted_at_the_city, about_principal
    with_everything(sealed, report, time_machine)
    for who in KEPT_OUT:
        assert everything_seen_by(sealed[who], report) == NOTHING, who
    # …while other reports at the city are theirs to keep as their posts say.
    other = submit(sealed.city).report
    assert other in selectors.docket(sealed["principal"], sealed.city)
    assert sealed["office"] in selectors.grantable_officers(other)


def test_they_cannot_be_granted_it(posted_at_the_city, about_principal):
    sealed, report = posted_at_the_city, about_principal
    with pytest.raises(DomainError) as refused:
        actions.grant_give(
            report=report,
            officer=sealed["office"],
            reason="承办",
            acting_user=sealed["city_head"],
        )
    assert refused.value.field == "officer"
    assert not isinstance(refused.value, PermissionDeniedError)
    with pytest.raises(DomainError) as refused:
        actions.grant_give(
            report=report,
            officer=sealed["principal"],
            reason="承办",
            acting_user=sealed["city_head"],
        )
    assert refused.value.field == "officer"
    assert not Grant.objects.filter(report=report).exists()


def test_the_principal_heading_the_office_above_does_not_assign_it(
    posted_at_the_city, about_principal
):
    sealed, report = posted_at_the_city, about_principal
    with pytest.raises(PermissionDeniedError):
        actions.grant_give(
            report=report,
            officer=sealed["city_officer"],
            reason="承办",
            acting_user=sealed["principal"],
        )


def test_a_grant_row_written_directly_still_opens_nothing(
    posted_at_the_city, about_principal
):
    sealed, report = posted_at_the_city, about_principal
    for who in KEPT_OUT:
        Grant.objects.create(
            report=report,
            officer=sealed[who],
            granted_by=sealed["city_head"],
            reason="误操作",
            granted_at=dt.datetime(2026, 5, 6, 10, tzinfo=LHASA),
        )
        user = sealed[who]
        assert permissions.has_grant(user, report)
        assert not permissions.may_read(user, report)
        assert report not in selectors.granted_reports(user)
        assert selectors.report_for(user, report.number) is None
        with pytest.raises(PermissionDeniedError):
            actions.report_open(report=report, acting_user=user)
        with pytest.raises(PermissionDeniedError):
            actions.report_register(
                report=report, matter=report.matter, acting_user=user
            )


def test_the_office_as_custodian_cannot_decide_on_its_identity(
    posted_at_the_city, about_principal
):
    sealed, report = posted_at_the_city, about_principal
    granted(sealed, report, "city_officer")
    request = actions.identity_request(
        report=report, reason="核实身份", acting_user=sealed["city_officer"]
    )
    with pytest.raises(PermissionDeniedError):
        actions.identity_decide(
            request=request,
            approve=True,
            reason="同意",
            acting_user=sealed["office"],
        )
    assert (
        selectors.identity_request_for_custodian(sealed["office"], request.pk) is None
    )


def test_the_rule_keeps_to_the_principal_s_own_body(sealed):
    """The street's officers are not the district principal's office: a
    report about the district principal is simply not theirs either."""
    report = submit(sealed.district, about_principal=True).report
    assert report.concerns_principal_of == sealed.district
    assert not permissions.excluded_from(sealed["street_head"], report)
    assert permissions.excluded_from(sealed["principal"], report)
    assert permissions.excluded_from(sealed["office"], report)
    assert not permissions.excluded_from(sealed["head"], report)


def test_the_rule_follows_the_report_wherever_it_goes(sealed, about_principal):
    report = about_principal
    Report.objects.filter(pk=report.pk).update(body=sealed.district)
    report.refresh_from_db()
    # Even back at the district, the principal's own body, they are kept out.
    actions.post_add(body=sealed.district, user=sealed["office"], kind="officer")
    for who in KEPT_OUT:
        assert everything_seen_by(sealed[who], report)["docket"] is False
        assert not permissions.may_be_granted(sealed[who], report)
    assert report in selectors.docket(sealed["head"], sealed.district)
