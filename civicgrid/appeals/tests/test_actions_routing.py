"""Routing (派): accept, reject, merge, categorise and dispatch, with the clocks
each dispatch starts in working time on the work calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from shapely.geometry import box

from civicgrid.accounts.actions import membership_add
from civicgrid.accounts.models import Role
from civicgrid.appeals import actions
from civicgrid.appeals.actions import Unit
from civicgrid.appeals.catalogue import category_set_terms
from civicgrid.appeals.models import Appeal, Assignment, CaseEvent
from civicgrid.core.errors import DomainError, PermissionDeniedError
from civicgrid.core.models import CalendarDay
from civicgrid.notifications.models import Notification
from civicgrid.org.geometry import to_geojson
from civicgrid.org.models import Area, Department
from conftest import make_area, make_user, square

from .conftest import PHONE

SHANGHAI = ZoneInfo("Asia/Shanghai")
FRIDAY_AFTERNOON = datetime(2026, 6, 12, 16, 30, tzinfo=SHANGHAI)


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


@dataclass
class OtherStreet:
    street: Area
    community: Area
    grid: Area
    department: Department


@pytest.fixture
def other(street) -> OtherStreet:
    """A second street of the district, with its own grid and a department that
    serves only it."""
    other_street = make_area(
        "540103002",
        "乃琼街道",
        Area.Level.STREET,
        street.district,
        to_geojson(box(91.1, 29.6, 91.12, 29.62)),
    )
    community = make_area(
        "540103002001",
        "乃琼社区",
        Area.Level.COMMUNITY,
        other_street,
        to_geojson(box(91.1, 29.6, 91.12, 29.62)),
        community_kind=Area.CommunityKind.COMMUNITY,
    )
    grid = make_area(
        "540103002001001", "乃琼一网格", Area.Level.GRID, community, square(91.1, 29.6)
    )
    department = Department.objects.create(
        code="naiqiong-water", name="乃琼供水站", area=other_street
    )
    return OtherStreet(other_street, community, grid, department)


@pytest.fixture
def clocks(settings):
    settings.CIVICGRID_WORKING_HOURS = "09:00-12:00,13:30-17:30"
    settings.CIVICGRID_WARN_BEFORE_WORKING_HOURS = 4
    settings.TIME_ZONE = "Asia/Shanghai"


def events(appeal: Appeal, action: str) -> list[CaseEvent]:
    return list(appeal.events.filter(action=action))


def queued(appeal: Appeal, event: str) -> list[str]:
    return sorted(
        n.recipient
        for n in Notification.objects.filter(
            event=event, subject_ref=f"appeal:{appeal.pk}"
        ).exclude(channel=Notification.Channel.WEBHOOK)
    )


# --- accept -----------------------------------------------------------------------


def test_the_dispatcher_accepts_a_received_appeal_in_public(bring, staff):
    appeal = bring("received")

    actions.appeal_accept(appeal=appeal, acting_user=staff["dispatcher"], note="受理")

    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.ACCEPTED
    assert appeal.accepted_at is not None
    [event] = events(appeal, "accept")
    assert event.public is True
    assert event.actor == staff["dispatcher"]
    assert (event.from_state, event.to_state) == ("received", "accepted")


@pytest.mark.parametrize("who", ["handler_cg", "gridworker", "outsider", "operator"])
def test_only_the_streets_dispatcher_accepts(bring, staff, who):
    appeal = bring("received")

    with pytest.raises(PermissionDeniedError):
        actions.appeal_accept(appeal=appeal, acting_user=staff[who])

    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.RECEIVED
    assert not events(appeal, "accept")


def test_a_dispatcher_of_another_street_may_not_accept(bring, other):
    appeal = bring("received")
    stranger = make_user("other_dispatcher")
    membership_add(
        user=stranger, role=Role.DISPATCHER, area=other.street, acting_user=None
    )

    with pytest.raises(PermissionDeniedError):
        actions.appeal_accept(appeal=appeal, acting_user=stranger)


# --- reject -----------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_rejection_needs_a_reason(bring, staff, reason):
    appeal = bring("received")

    with pytest.raises(DomainError) as caught:
        actions.appeal_reject(
            appeal=appeal, acting_user=staff["dispatcher"], reason=reason
        )

    assert caught.value.field == "reason"
    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.RECEIVED


@pytest.mark.parametrize("state", ["received", "accepted"])
def test_a_rejection_stores_where_to_go_and_tells_the_resident(bring, staff, state):
    appeal = bring(state)

    actions.appeal_reject(
        appeal=appeal,
        acting_user=staff["dispatcher"],
        reason="属于物业服务合同纠纷",
        redirect_to="小区物业服务中心",
    )

    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.REJECTED
    assert appeal.reject_reason == "属于物业服务合同纠纷"
    assert appeal.redirect_to == "小区物业服务中心"
    assert appeal.closed_at is not None
    [event] = events(appeal, "reject")
    assert event.public is True
    assert event.note == "属于物业服务合同纠纷"
    assert event.data == {"redirect_to": "小区物业服务中心"}
    assert queued(appeal, "appeal.rejected") == [PHONE]


def test_a_rejection_with_a_too_long_redirect_names_it(bring, staff):
    appeal = bring("received")

    with pytest.raises(DomainError) as caught:
        actions.appeal_reject(
            appeal=appeal,
            acting_user=staff["dispatcher"],
            reason="x",
            redirect_to="去" * 201,
        )

    assert caught.value.field == "redirect_to"


# --- merge ------------------------------------------------------------------------


def test_a_duplicate_is_merged_into_the_main_appeal(bring, submit, staff):
    duplicate = bring("received")
    main = submit(description="同一盏路灯")

    actions.appeal_merge(
        appeal=duplicate, into=main, acting_user=staff["dispatcher"], note="同一问题"
    )

    duplicate.refresh_from_db()
    assert duplicate.state == Appeal.State.MERGED
    assert duplicate.merged_into == main
    assert duplicate.closed_at is not None
    [merge] = events(duplicate, "merge")
    assert merge.public is True and merge.data == {"into": main.tracking_code}
    [merged_in] = events(main, "merged_in")
    assert merged_in.data == {"from": duplicate.tracking_code}
    assert merged_in.actor == staff["dispatcher"]
    main.refresh_from_db()
    assert main.state == Appeal.State.RECEIVED
    assert queued(duplicate, "appeal.merged") == [PHONE]


def test_an_appeal_cannot_be_merged_into_itself(bring, staff):
    appeal = bring("received")

    with pytest.raises(DomainError) as caught:
        actions.appeal_merge(
            appeal=appeal, into=appeal, acting_user=staff["dispatcher"]
        )

    assert caught.value.field == "into"
    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.RECEIVED


@pytest.mark.parametrize("main_state", ["closed", "rejected", "merged"])
def test_merging_into_an_appeal_that_is_not_open_is_refused(
    bring, submit, staff, main_state
):
    main = bring(main_state)
    duplicate = submit(description="又一次")

    with pytest.raises(DomainError) as caught:
        actions.appeal_merge(
            appeal=duplicate, into=main, acting_user=staff["dispatcher"]
        )

    assert caught.value.field == "into"
    duplicate.refresh_from_db()
    assert duplicate.state == Appeal.State.RECEIVED
    assert not events(main, "merged_in")


def test_merging_into_an_appeal_of_another_street_is_refused(
    bring, submit, staff, other
):
    appeal = bring("received")
    elsewhere = submit(street=other.street, latitude=29.605, longitude=91.105)
    assert elsewhere.street == other.street

    with pytest.raises(DomainError) as caught:
        actions.appeal_merge(
            appeal=appeal, into=elsewhere, acting_user=staff["dispatcher"]
        )

    assert caught.value.field == "into"


# --- categorise -------------------------------------------------------------------


def test_categorising_changes_the_category_and_its_version(bring, staff, catalogue):
    appeal = bring("accepted")
    dispute = catalogue["dispute"]

    actions.appeal_categorise(
        appeal=appeal, acting_user=staff["dispatcher"], category=dispute
    )

    appeal.refresh_from_db()
    assert appeal.category == dispute
    assert appeal.category_version == dispute.current_version
    [event] = events(appeal, "categorise")
    assert event.public is False
    # The new category's clocks give the deadlines, kept with the event.
    assert set(event.data) == {
        "category",
        "category_version",
        "response_due_at",
        "due_at",
    }


def test_categorising_with_nothing_new_writes_nothing(bring, staff, catalogue):
    appeal = bring("received")

    actions.appeal_categorise(
        appeal=appeal, acting_user=staff["dispatcher"], category=catalogue["lamp"]
    )

    assert not events(appeal, "categorise")


def test_categorising_into_a_group_is_refused(bring, staff, catalogue):
    appeal = bring("received")

    with pytest.raises(DomainError) as caught:
        actions.appeal_categorise(
            appeal=appeal, acting_user=staff["dispatcher"], category=catalogue["group"]
        )

    assert caught.value.field == "category"


def test_categorising_to_a_grid_of_another_street_is_refused(bring, staff, other):
    appeal = bring("received")

    with pytest.raises(DomainError) as caught:
        actions.appeal_categorise(
            appeal=appeal, acting_user=staff["dispatcher"], grid=other.grid
        )

    assert caught.value.field == "grid"
    appeal.refresh_from_db()
    assert appeal.grid is not None and appeal.grid != other.grid


# --- dispatch: refusals -----------------------------------------------------------


def test_dispatch_without_a_category_is_refused(submit, staff, departments):
    appeal = submit(category=None)
    actions.appeal_accept(appeal=appeal, acting_user=staff["dispatcher"])

    with pytest.raises(DomainError) as caught:
        actions.appeal_dispatch(
            appeal=appeal,
            acting_user=staff["dispatcher"],
            lead=Unit(department=departments["cg"]),
        )

    assert caught.value.field == "category"
    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.ACCEPTED
    assert not Assignment.objects.exists()


@pytest.mark.parametrize(
    ("lead", "co", "field"),
    [
        ("foreign_department", [], "lead"),
        ("foreign_grid", [], "lead"),
        ("street", [], "lead"),
        ("nothing", [], "lead"),
        ("cg", ["foreign_department"], "co_handlers"),
        ("cg", ["foreign_grid"], "co_handlers"),
        ("cg", ["cg"], "co_handlers"),
        ("cg", ["e1", "e1"], "co_handlers"),
        ("cg", ["zj", "zj"], "co_handlers"),
    ],
)
def test_dispatch_to_a_unit_that_cannot_take_it_is_refused_naming_the_field(
    bring, staff, departments, street, other, lead, co, field
):
    units = {
        "cg": Unit(department=departments["cg"]),
        "zj": Unit(department=departments["zj"]),
        "e1": Unit(area=street.grids["e1"]),
        "foreign_department": Unit(department=other.department),
        "foreign_grid": Unit(area=other.grid),
        "street": Unit(area=street.street),
        "nothing": Unit(),
    }
    appeal = bring("accepted")

    with pytest.raises(DomainError) as caught:
        actions.appeal_dispatch(
            appeal=appeal,
            acting_user=staff["dispatcher"],
            lead=units[lead],
            co_handlers=[units[name] for name in co],
        )

    assert caught.value.field == field
    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.ACCEPTED
    assert not Assignment.objects.exists()
    assert not events(appeal, "dispatch")


def test_dispatch_to_an_inactive_department_is_refused(bring, staff, departments):
    appeal = bring("accepted")
    departments["cg"].is_active = False
    departments["cg"].save(update_fields=["is_active"])

    with pytest.raises(DomainError) as caught:
        actions.appeal_dispatch(
            appeal=appeal,
            acting_user=staff["dispatcher"],
            lead=Unit(department=departments["cg"]),
        )

    assert caught.value.field == "lead"


def test_only_the_dispatcher_dispatches(bring, staff, departments):
    appeal = bring("accepted")

    with pytest.raises(PermissionDeniedError):
        actions.appeal_dispatch(
            appeal=appeal,
            acting_user=staff["handler_cg"],
            lead=Unit(department=departments["cg"]),
        )

    assert not Assignment.objects.exists()


# --- dispatch: clocks -------------------------------------------------------------


def dispatch_lamp_on_friday_afternoon(submit, staff, departments) -> Assignment:
    """Received, accepted and dispatched on Friday 12 June 2026 at 16:30."""
    with time_machine.travel(FRIDAY_AFTERNOON, tick=False):
        appeal = submit()
        actions.appeal_accept(appeal=appeal, acting_user=staff["dispatcher"])
        actions.appeal_dispatch(
            appeal=appeal,
            acting_user=staff["dispatcher"],
            lead=Unit(department=departments["cg"]),
        )
    return appeal.assignments.get()


def test_dispatch_clocks_run_in_working_time_over_the_weekend(
    clocks, submit, staff, departments
):
    """Street lamp: sign within 2 working hours, handle within 3 working days
    (3 × 7 h = 21 h), warn 4 working hours before the end. From Friday 16:30:
    1 h is left on Friday (to 17:30), so the sign-by time is Monday 10:00; the
    21 h are Friday 1 + Monday 7 + Tuesday 7 + Wednesday 09:00-12:00 3 + 3 more
    from 13:30, Wednesday 16:30; 17 h lands on Wednesday 11:00."""
    lead = dispatch_lamp_on_friday_afternoon(submit, staff, departments)

    assert lead.dispatched_at == FRIDAY_AFTERNOON
    assert lead.response_due_at == at(6, 15, 10)  # Monday
    assert lead.warn_at == at(6, 17, 11)  # Wednesday
    assert lead.due_at == at(6, 17, 16, 30)  # Wednesday
    appeal = lead.appeal
    appeal.refresh_from_db()
    assert appeal.due_at == lead.due_at
    assert appeal.dispatched_at == FRIDAY_AFTERNOON
    [event] = events(appeal, "dispatch")
    assert event.public is True
    assert datetime.fromisoformat(event.data["due_at"]) == lead.due_at


def test_dispatch_clocks_skip_holidays_and_count_make_up_days(
    clocks, submit, staff, departments
):
    """Saturday 13 June is a make-up working day (调休), Monday 15 and Tuesday
    16 June are holidays. Friday 1 h + Saturday 09:00 → sign by Saturday 10:00;
    21 h = Friday 1 + Saturday 7 + Wednesday 7 + Thursday 3 + 3 → Thursday 16:30;
    17 h → Thursday 11:00."""
    CalendarDay.objects.create(date=date(2026, 6, 13), kind="workday", name="调休")
    CalendarDay.objects.create(date=date(2026, 6, 15), kind="holiday", name="假日")
    CalendarDay.objects.create(date=date(2026, 6, 16), kind="holiday", name="假日")

    lead = dispatch_lamp_on_friday_afternoon(submit, staff, departments)

    assert lead.response_due_at == at(6, 13, 10)  # Saturday, a make-up day
    assert lead.warn_at == at(6, 18, 11)  # Thursday
    assert lead.due_at == at(6, 18, 16, 30)  # Thursday


def test_dispatch_keeps_the_clocks_the_appeal_was_received_with(
    clocks, submit, staff, departments, catalogue
):
    with time_machine.travel(FRIDAY_AFTERNOON, tick=False):
        appeal = submit()
        category_set_terms(
            category=catalogue["lamp"],
            acting_user=None,
            kind="help",
            default_unit_type="department",
            default_department=departments["cg"],
            response_hours=8,
            handling_days=10,
        )
        actions.appeal_accept(appeal=appeal, acting_user=staff["dispatcher"])
        actions.appeal_dispatch(
            appeal=appeal,
            acting_user=staff["dispatcher"],
            lead=Unit(department=departments["cg"]),
        )

    lead = appeal.assignments.get()
    assert lead.response_due_at == at(6, 15, 10)
    assert lead.due_at == at(6, 17, 16, 30)


def test_a_recategorised_appeal_is_dispatched_with_the_new_categorys_clocks(
    clocks, submit, staff, departments, catalogue
):
    """Neighbour dispute: 4 h to sign, 5 days (35 h) to handle. From Friday
    16:30: sign by Monday 12:00; 35 h = 1 + 7 × 4 (Mon-Thu) + 6 → Friday 16:30."""
    with time_machine.travel(FRIDAY_AFTERNOON, tick=False):
        appeal = submit()
        actions.appeal_accept(appeal=appeal, acting_user=staff["dispatcher"])
        actions.appeal_categorise(
            appeal=appeal,
            acting_user=staff["dispatcher"],
            category=catalogue["dispute"],
        )
        actions.appeal_dispatch(
            appeal=appeal,
            acting_user=staff["dispatcher"],
            lead=Unit(department=departments["cg"]),
        )

    lead = appeal.assignments.get()
    assert lead.response_due_at == at(6, 15, 12)
    assert lead.due_at == at(6, 19, 16, 30)


# --- dispatch: units and notices --------------------------------------------------


def test_co_handlers_get_assignments_of_their_own(bring, staff, departments, street):
    appeal = bring("accepted")

    actions.appeal_dispatch(
        appeal=appeal,
        acting_user=staff["dispatcher"],
        lead=Unit(department=departments["cg"]),
        co_handlers=[Unit(department=departments["zj"]), Unit(area=street.grids["e1"])],
    )

    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.DISPATCHED
    shares = {(a.role, a.department_id, a.area_id): a for a in appeal.assignments.all()}
    assert set(shares) == {
        ("lead", departments["cg"].pk, None),
        ("co", departments["zj"].pk, None),
        ("co", None, street.grids["e1"].pk),
    }
    for share in shares.values():
        assert share.state == Assignment.State.DISPATCHED
        assert share.dispatched_by == staff["dispatcher"]
        assert share.due_at == appeal.due_at
        assert share.response_due_at < share.warn_at < share.due_at
    [event] = events(appeal, "dispatch")
    assert event.data["lead"] == str(departments["cg"])
    assert sorted(event.data["co_handlers"]) == sorted(
        [str(departments["zj"]), str(street.grids["e1"])]
    )


def test_every_member_of_every_unit_is_told_of_the_dispatch(
    settings, bring, staff, departments, street
):
    settings.CIVICGRID_NOTIFY_STAFF_CHANNEL = "console"
    second = make_user("handler_cg2", "达瓦")
    membership_add(
        user=second,
        role=Role.DEPARTMENT_HANDLER,
        department=departments["cg"],
        acting_user=None,
    )
    appeal = bring("accepted")

    actions.appeal_dispatch(
        appeal=appeal,
        acting_user=staff["dispatcher"],
        lead=Unit(department=departments["cg"]),
        co_handlers=[Unit(area=street.grids["e1"])],
    )

    assert queued(appeal, "appeal.dispatched") == ["handler_cg", "handler_cg2"]
    # The co-handler (协办) is told it co-handles, and who leads.
    assert queued(appeal, "appeal.co_dispatched") == ["gridworker"]
    [told] = Notification.objects.filter(event="appeal.co_dispatched")
    assert "城管局" in told.body and "co-handler" in told.body
