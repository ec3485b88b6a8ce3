"""码上巡: the QR codes an inspection group, an inspected unit or a poster
carries, and the questionnaire (测评) a code may have beside the report
form. A scan is a count; an answer is a count per choice; nothing records
who scanned or answered."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from civicgrid.core.errors import DomainError, PermissionDeniedError

from .. import audit, permissions
from ..models import Body, Code, Tally

MAX_QUESTIONS = 10
MAX_CHOICES = 6


def parse_questions(text: str) -> list[dict[str, Any]]:
    """One question a line: ``the question | a choice | another choice``."""
    questions = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        question, choices = parts[0], [c for c in parts[1:] if c]
        if not question or len(choices) < 2:
            raise DomainError(
                _(
                    "Line %(n)s: write the question, then at least two choices, "
                    "each after a |."
                )
                % {"n": number},
                field="questions",
            )
        if len(choices) > MAX_CHOICES or len(question) > 200:
            raise DomainError(
                _("Line %(n)s: at most %(c)s choices and 200 characters.")
                % {"n": number, "c": MAX_CHOICES},
                field="questions",
            )
        questions.append({"text": question, "choices": choices})
    if len(questions) > MAX_QUESTIONS:
        raise DomainError(
            _("At most %(n)s questions.") % {"n": MAX_QUESTIONS}, field="questions"
        )
    return questions


def code_create(
    *,
    body: Body,
    kind: str,
    label: str,
    target: str = "",
    questions: str = "",
    acting_user: Any,
) -> Code:
    """A new code for the head's body."""
    if not permissions.may_keep_docket(acting_user, body):
        raise PermissionDeniedError(_("Only the head of the office makes codes."))
    if kind not in Code.Kind.values:
        raise DomainError(_("Choose what the code is for."), field="kind")
    label = (label or "").strip()
    if not label:
        raise DomainError(_("This field is required."), field="label")
    if len(label) > 100 or len((target or "").strip()) > 100:
        raise DomainError(_("At most 100 characters."), field="label")
    parsed = parse_questions(questions)
    with transaction.atomic():
        code = Code.objects.create(
            body=body,
            kind=kind,
            label=label,
            target=(target or "").strip(),
            questions=parsed,
        )
        audit.record("code.created", actor=acting_user, code=code.pk, body=body.pk)
    return code


def code_retire(*, code: Code, acting_user: Any) -> Code:
    """A code taken down: scanning it no longer opens the form."""
    if not permissions.may_keep_docket(acting_user, code.body):
        raise PermissionDeniedError(_("Only the head of the office retires codes."))
    with transaction.atomic():
        Code.objects.filter(pk=code.pk).update(active=False)
        audit.record("code.retired", actor=acting_user, code=code.pk)
    code.active = False
    return code


def code_scanned(*, code: Code, survey: bool = False) -> None:
    field = "survey_scans" if survey else "scans"
    Code.objects.filter(pk=code.pk).update(**{field: F(field) + 1})


def survey_answer(*, code: Code, answers: dict[int, int]) -> None:
    """Count one questionnaire's answers: ``{question: choice}``, every
    question answered with one of its choices."""
    questions = code.questions or []
    if not questions:
        raise DomainError(_("This code has no questionnaire."), field="questions")
    for index, question in enumerate(questions):
        choice = answers.get(index)
        if choice is None or not 0 <= choice < len(question["choices"]):
            raise DomainError(
                _("Answer question %(n)s.") % {"n": index + 1}, field=f"q{index}"
            )
    with transaction.atomic():
        for index in range(len(questions)):
            tally, _created = Tally.objects.get_or_create(
                code=code, question=index, choice=answers[index]
            )
            Tally.objects.filter(pk=tally.pk).update(count=F("count") + 1)
        Code.objects.filter(pk=code.pk).update(answered=F("answered") + 1)
