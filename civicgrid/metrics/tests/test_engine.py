"""The rates equal a direct count over the timeline.

A history is generated through the same actions people use — shares signed in
time or late, returned, replied in time or late, called back resolved or not,
re-handled, patrol findings dealt with on the spot (就地处置) and replies
verified on site by the grid worker (核查), passed or not — with the clock
moved and the deadline sweep run between steps.
Then every count is derived a second way, straight from the timeline events
and the shares, by rules written out again here, and the two must agree: at
first, and after more events."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from civicgrid.appeals import actions
from civicgrid.appeals.actions import Unit
from civicgrid.appeals.jobs import sweep_deadlines
from civicgrid.appeals.models import Appeal, Assignment, CaseEvent
from civicgrid.core import clock
from civicgrid.metrics import selectors
from civicgrid.metrics.models import Fact

LHASA = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 3, 2, 9, 30, tzinfo=LHASA)


def later(time_machine: Any, hours: float) -> None:
    time_machine.shift(timedelta(hours=hours))


class History:
    """Appeals taken down random paths through the actions."""

    def __init__(self, rng, submit, staff, departments, street, time_machine):
        self.rng = rng
        self.submit = submit
        self.staff = staff
        # Its own dice, so that the calls not reached (未接通) leave the rest of
        # the history as it was.
        self.calls = random.Random(11)
        # …and the grid worker's own: findings dealt with on the spot, checks
        # on site.
        self.grid = random.Random(5)
        self.street = street
        self.time = time_machine
        self.units = [
            (Unit(department=departments["cg"]), staff["handler_cg"]),
            (Unit(department=departments["zj"]), staff["handler_zj"]),
            (Unit(area=street.grids["e1"]), staff["gridworker"]),
        ]
        self.open: list[tuple[Appeal, Any]] = []
        self.recalls = 0

    def on_site(self) -> None:
        """就地处置: found on patrol in e1 and dealt with there."""
        actions.appeal_dispose_on_site(
            acting_user=self.staff["gridworker"],
            grid=self.street.grids["e1"],
            description="巡查发现垃圾堆放。",
            note="已清理。",
            before_photos=[photo()],
            after_photos=[photo()],
            latitude=29.605,
            longitude=91.005,
        )

    def intake(self, n: int) -> None:
        for _ in range(n):
            if self.grid.random() < 0.15:
                self.on_site()
            patrol = self.grid.random() < 0.2
            appeal = (
                self.submit(
                    channel="patrol",
                    name="",
                    phone="",
                    acting_user=self.staff["gridworker"],
                )
                if patrol
                else self.submit()
            )
            actions.appeal_accept(appeal=appeal, acting_user=self.staff["dispatcher"])
            lead, handler = self.rng.choice(self.units)
            co = [
                u
                for u, _h in self.units
                if u.key != lead.key and self.rng.random() < 0.3
            ]
            actions.appeal_dispatch(
                appeal=appeal,
                acting_user=self.staff["dispatcher"],
                lead=lead,
                co_handlers=co[:1],
            )
            self.open.append((appeal, handler))
            later(self.time, self.rng.choice([0.2, 0.5, 1]))

    def _lead(self, appeal: Appeal) -> Assignment:
        return appeal.assignments.get(
            role="lead", state__in=["dispatched", "handling", "replied"]
        )

    def _handler_of(self, share: Assignment) -> Any:
        return next(
            h
            for u, h in self.units
            if (u.department and u.department.pk == share.department_id)
            or (u.area and u.area.pk == share.area_id)
        )

    def _recall(self, appeal: Appeal, handler: Any, lead: Assignment) -> None:
        dispatcher = self.staff["dispatcher"]
        others = [
            (u, h)
            for u, h in self.units
            if h is not handler
            and not appeal.assignments.filter(
                state__in=Assignment.ACTIVE_STATES,
                department=u.department,
                area=u.area,
            ).exists()
        ]
        to, new_handler = self.rng.choice(others)
        self.open.remove((appeal, handler))
        self.recalls += 1
        if self.recalls % 2:  # reassigned (改派), or recalled and dispatched again
            actions.assignment_reassign(
                assignment=lead, acting_user=dispatcher, to=to, reason="派错单位"
            )
        else:
            actions.assignment_recall(
                assignment=lead, acting_user=dispatcher, reason="派错单位"
            )
            actions.appeal_dispatch(appeal=appeal, acting_user=dispatcher, lead=to)
        self.open.append((appeal, new_handler))

    def _finish_co_handlers(self, appeal: Appeal, handler: Any) -> None:
        """A co-handler completes its share, or the lead closes it."""
        for co in appeal.assignments.filter(
            role="co", state__in=["dispatched", "handling"]
        ):
            if co.state == "handling" and self.rng.random() < 0.7:
                actions.assignment_complete(
                    assignment=co, acting_user=self._handler_of(co), note="协办完成"
                )
            else:
                actions.assignment_close(
                    assignment=co, acting_user=handler, note="无需再协办"
                )

    def step(self) -> None:
        """Move each open appeal on by one step."""
        for appeal, handler in list(self.open):
            appeal.refresh_from_db()
            roll = self.rng.random()
            if appeal.state == "dispatched":
                lead = self._lead(appeal)
                if roll > 0.6:
                    continue  # not yet: some will be signed late
                if roll > 0.5:
                    # The street takes it back unsigned (撤回, 改派): it counts
                    # for nothing, for the unit it went to.
                    self._recall(appeal, handler, lead)
                    continue
                if roll < 0.1:
                    actions.assignment_return(
                        assignment=lead, acting_user=handler, reason="不属于我们"
                    )
                    self.open.remove((appeal, handler))
                else:
                    actions.assignment_sign(assignment=lead, acting_user=handler)
                    for co in appeal.assignments.filter(role="co", state="dispatched"):
                        if self.rng.random() < 0.5:
                            actions.assignment_sign(
                                assignment=co, acting_user=self._handler_of(co)
                            )
            elif appeal.state == "handling" and roll < 0.4:
                self._finish_co_handlers(appeal, handler)
                actions.appeal_reply(
                    outcome="resolved",
                    assignment=self._lead(appeal),
                    acting_user=handler,
                    public_reply="已处理。",
                )
            elif appeal.state == "replied" and (
                appeal.channel == "patrol" or self.grid.random() < 0.3
            ):
                # 核查: a patrol finding always (nobody to call back), a
                # resident's appeal sometimes, before its callback.
                actions.verification_request(
                    appeal=appeal,
                    acting_user=self.staff["dispatcher"],
                    grid_worker=self.staff["gridworker"],
                )
                actions.appeal_verify(
                    appeal=appeal,
                    acting_user=self.staff["gridworker"],
                    passed=self.grid.random() < 0.6,
                    note="现场查看",
                )
                appeal.refresh_from_db()
                if appeal.state == "closed":
                    self.open.remove((appeal, handler))
            elif appeal.state == "replied":
                resolved = self.rng.random() < 0.75
                satisfaction = self.rng.choice(["satisfied", "basic", "unsatisfied"])
                if self.calls.random() < 0.3:
                    actions.appeal_callback_unreachable(
                        appeal=appeal, acting_user=self.staff["operator"]
                    )
                else:
                    actions.appeal_callback(
                        appeal=appeal,
                        acting_user=None,
                        resolved=resolved,
                        satisfaction=satisfaction,
                    )
                appeal.refresh_from_db()
                if appeal.state == "closed":
                    self.open.remove((appeal, handler))
        later(self.time, self.rng.choice([0.5, 3, 20, 30]))  # sometimes too late
        sweep_deadlines()


def photo():
    import io

    from PIL import Image

    from civicgrid.core.images import process_image

    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (90, 120, 60)).save(buffer, "JPEG")
    buffer.seek(0)
    return process_image(buffer, filename="p.jpg")


def direct(street, start, end) -> dict[Any, Counter]:
    """The counts straight from the timeline, by unit (a department's id, or
    "area:<id>") and in all (None)."""
    counts: dict[Any, Counter] = defaultdict(Counter)

    def inside(moment) -> bool:
        return start <= timezone.localdate(moment) <= end

    def add(share: Assignment, name: str, n: int = 1) -> None:
        unit = share.department_id or f"area:{share.area_id}"
        counts[unit][name] += n
        counts[None][name] += n

    for appeal in Appeal.objects.filter(street=street.street):
        if inside(appeal.received_at):
            counts[None]["intake"] += 1
    # A share the street recalled (撤回, 改派) counts for nothing, whatever its
    # events: it was never the unit's to answer for.
    shares = Assignment.objects.filter(appeal__street=street.street)
    for dispatched in shares.exclude(state="recalled"):
        if inside(dispatched.dispatched_at):
            add(dispatched, "dispatched")
    responded: set[int] = set()
    round_of: Counter = Counter()
    completed: set[tuple[int, int]] = set()
    replied_by: dict[int, Assignment] = {}
    events = (
        CaseEvent.objects.filter(appeal__street=street.street)
        .select_related("assignment")
        .order_by("created_at", "id")
    )
    for event in events:
        share = event.assignment
        when = event.created_at
        if share is not None and share.state == "recalled":
            continue
        if event.action in ("sign", "return", "late_to_sign") and share:
            if event.action == "return" and inside(when):
                add(share, "returns")
            if share.pk not in responded:
                responded.add(share.pk)
                if inside(when):
                    add(share, "responses")
                    if event.action != "late_to_sign" and when <= share.response_due_at:
                        add(share, "responded_in_time")
        elif event.action in ("reply", "overdue") and share and share.role == "lead":
            if event.action == "reply":
                replied_by[event.appeal_id] = share
            key = (share.pk, round_of[event.appeal_id])
            if key not in completed:
                completed.add(key)
                if inside(when):
                    add(share, "completions")
                    if event.action == "reply" and not event.data["late"]:
                        add(share, "completed_in_time")
        elif event.action == "callback":
            lead = replied_by[event.appeal_id]
            if inside(when):
                add(lead, "callbacks")
                add(lead, "resolved", int(bool(event.data["resolved"])))
                satisfaction = event.data["satisfaction"]
                add(lead, "satisfied", int(satisfaction == "satisfied"))
                add(lead, "basic", int(satisfaction == "basic"))
        elif event.action == "dispose_on_site" and share:
            # Dispatched, signed and completed at once by the grid, resolved.
            responded.add(share.pk)
            completed.add((share.pk, 0))
            if inside(when):
                for name in (
                    "responses",
                    "responded_in_time",
                    "completions",
                    "completed_in_time",
                    "on_site",
                ):
                    add(share, name)
        elif event.action == "verify" and event.to_state == "closed":
            if inside(when):
                add(replied_by[event.appeal_id], "on_site")
        elif event.action == "rehandle":
            round_of[event.appeal_id] += 1
            if inside(when):
                add(replied_by[event.appeal_id], "rehandles")
        elif event.action == "close_unreachable" and inside(when):
            add(replied_by[event.appeal_id], "unreachable")
    return counts


COMPARED = (
    "intake",
    "dispatched",
    "responses",
    "responded_in_time",
    "returns",
    "completions",
    "completed_in_time",
    "callbacks",
    "resolved",
    "satisfied",
    "basic",
    "rehandles",
    "unreachable",
    "on_site",
)


def engine(street, start, end) -> dict[Any, dict[str, int]]:
    found = selectors.facts(street=street.street, start=start, end=end)
    result = {
        key: {name: getattr(fig.raw, name) for name in COMPARED}
        for key, fig in selectors.figures(found, by="department").items()
        if key is not None
    }
    (total,) = selectors.figures(found).values()
    result[None] = {name: getattr(total.raw, name) for name in COMPARED}
    return result


def summed_as_counted(street, start, end) -> None:
    """The daily sums the dashboards read equal the facts they sum."""
    for by in (None, "department", "community", "grid", "month", "day"):
        counted = selectors.figures(
            selectors.facts(street=street.street, start=start, end=end), by=by
        )
        summed = selectors.figures(
            selectors.daily(street=street.street, start=start, end=end), by=by
        )
        assert summed.keys() == counted.keys(), by
        for key, figures in summed.items():
            for part in ("raw", "reviewed"):
                mine, theirs = getattr(figures, part), getattr(counted[key], part)
                for name, value in vars(mine).items():
                    # Counts exactly; summed seconds to the float's precision.
                    assert value == pytest.approx(vars(theirs)[name]), (by, key, name)
                    if isinstance(value, int):
                        assert value == vars(theirs)[name], (by, key, name)


def ranked_as_counted(street, start, end, expected) -> None:
    """What the rankings show of each unit — the appeals dispatched to it,
    each rate's cases, whether it is scored and ranked — equals the direct
    count: a grid's and a department's alike."""
    formula = selectors.current_formula()
    seen = 0
    for by in ("department", "grid"):
        rows = selectors.ranking(
            street=street.street, start=start, end=end, by=by, formula=formula
        )
        for row in rows:
            mine = expected[row["id"] if by == "department" else f"area:{row['id']}"]
            shown = row["raw"]
            assert shown["dispatched"] == mine["dispatched"], row["name"]
            assert shown["cases"] == {
                "response": {
                    "count": mine["responded_in_time"],
                    "of": mine["responses"],
                },
                "resolution": {
                    "count": mine["resolved"] + mine["on_site"],
                    "of": mine["callbacks"] + mine["on_site"],
                },
                "satisfaction": {
                    "count": mine["satisfied"] + mine["basic"],
                    "of": mine["callbacks"],
                },
                "on_time": {
                    "count": mine["completed_in_time"],
                    "of": mine["completions"],
                },
                "return_rate": {"count": mine["returns"], "of": mine["dispatched"]},
                "rehandle_rate": {
                    "count": mine["rehandles"],
                    "of": mine["callbacks"] + mine["on_site"],
                },
            }, row["name"]
            assert shown["unreachable"] == mine["unreachable"], row["name"]
            worked = mine["responses"] + mine["completions"] + mine["callbacks"]
            assert (shown["score"] is None) == (worked == 0), row["name"]
            reviewed = row["reviewed"]
            assert row["ranked"] == (
                reviewed["dispatched"] >= formula.min_cases
                and reviewed["score"] is not None
            )
            assert row["list"] == "" or row["ranked"]
            seen += 1
    assert seen >= 3  # two departments and a grid at least


def agree(street, start, end) -> None:
    summed_as_counted(street, start, end)
    expected = direct(street, start, end)
    found = engine(street, start, end)
    for key, counts in found.items():
        assert counts == {name: expected[key][name] for name in COMPARED}, key
    ranked_as_counted(street, start, end, expected)
    departments = {
        k for k, c in expected.items() if isinstance(k, int) and any(c.values())
    }
    assert departments <= set(found)


@pytest.mark.django_db
def test_every_count_equals_a_direct_count_over_the_timeline(
    submit, staff, departments, street, time_machine, settings, tmp_path
):
    settings.CIVICGRID_CALLBACK_TRIES = 2
    settings.MEDIA_ROOT = tmp_path
    time_machine.move_to(MONDAY, tick=False)
    history = History(
        random.Random(7), submit, staff, departments, street, time_machine
    )
    history.intake(25)
    for _ in range(8):
        history.step()
    start = MONDAY.date()
    end = timezone.localdate(clock.now())
    # The history is varied enough to test something.
    kinds = Counter(Fact.objects.values_list("kind", flat=True))
    assert all(kinds[k] for k in Fact.Kind.values), kinds
    for kind in ("response", "completion"):
        assert Fact.objects.filter(kind=kind, ok=False).exists()
    # …including a share signed after it was marked late, and a reply after
    # its round was marked overdue: each must count once.
    marked = CaseEvent.objects.filter(action="late_to_sign").values("assignment")
    assert CaseEvent.objects.filter(action="sign", assignment__in=marked).exists()
    overdue = CaseEvent.objects.filter(action="overdue").values("assignment")
    assert CaseEvent.objects.filter(action="reply", assignment__in=overdue).exists()
    # …and calls that did not reach the resident, some closing the appeal as
    # unreachable: counted apart (the direct count counts the closes alone),
    # in no rate.
    assert CaseEvent.objects.filter(action="callback_unreachable").exists()
    assert Appeal.objects.filter(close_reason="unreachable").exists()
    # …and shares the street recalled or reassigned, one after the sweep had
    # marked it late to sign: none of it counts for their unit.
    recalled = Assignment.objects.filter(state="recalled")
    assert CaseEvent.objects.filter(action="reassign").exists()
    assert (
        CaseEvent.objects.filter(action="dispatch", from_state="accepted")
        .filter(appeal__events__action="recall")
        .exists()
    )
    assert CaseEvent.objects.filter(
        action="late_to_sign", assignment__in=recalled
    ).exists()
    assert not Fact.objects.filter(assignment__in=recalled).exists()
    # …and the grid's own work: on the spot, and checks passed (closing a
    # patrol finding, or going on to a callback) and not passed (re-handled).
    assert Appeal.objects.filter(close_reason="on_site").exists()
    assert Appeal.objects.filter(close_reason="verified").exists()
    checked = CaseEvent.objects.filter(action="verify")
    assert checked.filter(data__passed=False).exists()
    assert checked.filter(data__passed=True, to_state="replied").exists()
    agree(street, start, end)
    # A part of the period, and the whole again after more events.
    agree(street, start + timedelta(days=1), start + timedelta(days=2))
    history.intake(10)
    for _ in range(4):
        history.step()
    agree(street, start, timezone.localdate(clock.now()))


@pytest.mark.django_db
def test_the_rates_are_the_ratios_of_the_counts(bring, street):
    for state in ("closed", "replied", "dispatched"):
        bring(state)
    today = timezone.localdate(clock.now())
    (found,) = selectors.figures(
        selectors.facts(street=street.street, start=today, end=today)
    ).values()
    counts = found.raw
    assert counts.intake == 3 and counts.dispatched == 3
    assert counts.response_rate == 1.0  # both signed at once
    assert counts.responses == 2
    assert counts.callbacks == 1 and counts.resolution_rate == 1.0
    formula = selectors.current_formula()
    assert counts.satisfaction_rate(formula) == 1.0
    assert counts.score(formula) == pytest.approx(100.0)
