"""The steps an officer takes on a report, as the case page offers them: for
each, its form, the states it is open in, the action it calls and what it did
in words (the page's message). One table, so the page shows exactly the steps
the workflow allows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms as django_forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import actions, forms, workflow
from .models import Disposal, Report

S = Report.State


@dataclass(frozen=True)
class ReportStep:
    slug: str
    label: Any
    form: type[django_forms.Form]
    states: tuple[str, ...]
    run: Callable[..., Any]
    done: Callable[[Report], str]

    def open_for(self, report: Report) -> bool:
        if report.state not in self.states:
            return False
        if self.slug == "dispose" and report.state == S.DISPOSED:
            return report.disposal == Disposal.HOLD
        if self.slug == "refer":
            return report.body.parent_id is not None
        return True


def _told(report: Report) -> str:
    return _("the reporter reads it with their receipt")


STEPS: dict[str, ReportStep] = {
    step.slug: step
    for step in (
        ReportStep(
            "register",
            gettext_lazy("Register"),
            forms.RegisterForm,
            (S.RECEIVED,),
            lambda report, data, user: actions.report_register(
                report=report,
                matter=data["matter"],
                note=data["note"],
                acting_user=user,
            ),
            lambda r: _("%(number)s registered.") % {"number": r.number},
        ),
        ReportStep(
            "accept",
            gettext_lazy("Accept"),
            forms.AcceptForm,
            (S.REGISTERED,),
            lambda report, data, user: actions.report_accept(
                report=report,
                notice=data["notice"],
                told_by=data["told_by"],
                acting_user=user,
            ),
            lambda r: (
                _("%(number)s accepted; %(told)s.")
                % {"number": r.number, "told": _told(r)}
            ),
        ),
        ReportStep(
            "not-accept",
            gettext_lazy("Do not accept"),
            forms.NotAcceptForm,
            (S.REGISTERED,),
            lambda report, data, user: actions.report_not_accept(
                report=report,
                reason=data["reason"],
                go_to=data["go_to"],
                go_to_detail=data["go_to_detail"],
                told_by=data["told_by"],
                acting_user=user,
            ),
            lambda r: (
                _("%(number)s not accepted; %(told)s.")
                % {"number": r.number, "told": _told(r)}
            ),
        ),
        ReportStep(
            "refer",
            gettext_lazy("Send up a level"),
            forms.ReasonForm,
            workflow.REFERABLE,
            lambda report, data, user: actions.report_refer(
                report=report, reason=data["reason"], acting_user=user
            ),
            lambda r: (
                _("%(number)s sent to %(body)s; it is no longer yours.")
                % {"number": r.number, "body": r.body.name}
            ),
        ),
        ReportStep(
            "dispose",
            gettext_lazy("Decide the disposal"),
            forms.DisposeForm,
            (S.ACCEPTED, S.DISPOSED),
            lambda report, data, user: actions.report_dispose(
                report=report,
                disposal=data["disposal"],
                note=data["note"],
                acting_user=user,
            ),
            lambda r: (
                _("%(number)s: %(disposal)s.")
                % {"number": r.number, "disposal": r.get_disposal_display()}
            ),
        ),
        ReportStep(
            "conclude",
            gettext_lazy("Conclude"),
            forms.ResultForm,
            (S.DISPOSED,),
            lambda report, data, user: actions.report_conclude(
                report=report, result=data["result"], acting_user=user
            ),
            lambda r: (
                _("%(number)s concluded; give the reporter the result.")
                % {"number": r.number}
            ),
        ),
        ReportStep(
            "feed-back",
            gettext_lazy("Give the result"),
            forms.FeedBackForm,
            (S.CONCLUDED,),
            lambda report, data, user: actions.report_feed_back(
                report=report,
                result=data["result"],
                told_by=data["told_by"],
                acting_user=user,
            ),
            lambda r: (
                _("Result of %(number)s given; %(told)s.")
                % {"number": r.number, "told": _told(r)}
            ),
        ),
        ReportStep(
            "reopen",
            gettext_lazy("Reopen"),
            forms.ReasonForm,
            (S.OBJECTED,),
            lambda report, data, user: actions.report_reopen(
                report=report, reason=data["reason"], acting_user=user
            ),
            lambda r: (
                _("%(number)s reopened: decide its disposal again.")
                % {"number": r.number}
            ),
        ),
        ReportStep(
            "uphold",
            gettext_lazy("Answer the objection"),
            forms.AnswerForm,
            (S.OBJECTED,),
            lambda report, data, user: actions.objection_uphold(
                report=report, answer=data["answer"], acting_user=user
            ),
            lambda r: (
                _("Objection to %(number)s answered; %(told)s.")
                % {"number": r.number, "told": _told(r)}
            ),
        ),
        ReportStep(
            "message",
            gettext_lazy("Write to the reporter"),
            forms.OfficerMessageForm,
            tuple(S.values),
            lambda report, data, user: actions.officer_message(
                report=report, text=data["text"], acting_user=user
            ),
            lambda r: (
                _("Message on %(number)s sent; %(told)s.")
                % {"number": r.number, "told": _told(r)}
            ),
        ),
    )
}


def open_steps(report: Report) -> list[ReportStep]:
    return [step for step in STEPS.values() if step.open_for(report)]
