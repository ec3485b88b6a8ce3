"""码上巡 codes at the action level: the head makes and retires them; a scan
and a questionnaire's answers are counts, never who scanned or answered."""

from __future__ import annotations

import pytest

from civicgrid.core.errors import DomainError, PermissionDeniedError
from civicgrid.discipline import actions
from civicgrid.discipline.models import AuditEntry, Code, Tally

QUESTIONS = "作风如何? | 好 | 一般 | 差\n\n办事效率? | 高 | 低"


def make(sealed, **extra):
    fields = {
        "body": sealed.district,
        "kind": Code.Kind.UNIT,
        "label": "区住建局",
        "target": " 区住建局 ",
        "acting_user": sealed["head"],
    }
    fields.update(extra)
    return actions.code_create(**fields)


def test_the_head_makes_a_code_with_a_questionnaire(sealed):
    code = make(sealed, questions=QUESTIONS)
    assert (code.body, code.kind, code.target, code.active) == (
        sealed.district,
        Code.Kind.UNIT,
        "区住建局",
        True,
    )
    assert code.questions == [
        {"text": "作风如何?", "choices": ["好", "一般", "差"]},
        {"text": "办事效率?", "choices": ["高", "低"]},
    ]
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry is not None
    assert (entry.action, entry.actor) == ("code.created", sealed["head"])


@pytest.mark.parametrize("who", ["officer", "custodian", "city_head", "superuser"])
def test_only_the_head_of_the_body_makes_and_retires_codes(sealed, who):
    with pytest.raises(PermissionDeniedError):
        make(sealed, acting_user=sealed[who])
    code = make(sealed)
    with pytest.raises(PermissionDeniedError):
        actions.code_retire(code=code, acting_user=sealed[who])
    code.refresh_from_db()
    assert code.active


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"kind": "billboard"}, "kind"),
        ({"label": "  "}, "label"),
        ({"label": "名" * 101}, "label"),
        ({"questions": "只有问题"}, "questions"),
        ({"questions": "问题 | 只一个选项"}, "questions"),
        ({"questions": "问题 | " + " | ".join("abcdefg")}, "questions"),
        ({"questions": "\n".join("问 | 是 | 否" for _ in range(11))}, "questions"),
    ],
)
def test_a_code_is_refused_naming_the_field(sealed, extra, field):
    with pytest.raises(DomainError) as refused:
        make(sealed, **extra)
    assert refused.value.field == field
    assert not Code.objects.exists()


def test_a_retired_code_is_inactive(sealed):
    code = make(sealed)
    actions.code_retire(code=code, acting_user=sealed["head"])
    code.refresh_from_db()
    assert not code.active


def test_scans_are_counted(sealed):
    code = make(sealed, questions=QUESTIONS)
    before = AuditEntry.objects.count()
    actions.code_scanned(code=code)
    actions.code_scanned(code=code)
    actions.code_scanned(code=code, survey=True)
    code.refresh_from_db()
    assert (code.scans, code.survey_scans) == (2, 1)
    assert AuditEntry.objects.count() == before  # nothing says who scanned


def test_answers_are_counted_per_choice(sealed):
    code = make(sealed, questions=QUESTIONS)
    actions.survey_answer(code=code, answers={0: 0, 1: 1})
    actions.survey_answer(code=code, answers={0: 0, 1: 0})
    code.refresh_from_db()
    assert code.answered == 2
    counts = {(t.question, t.choice): t.count for t in Tally.objects.filter(code=code)}
    assert counts == {(0, 0): 2, (1, 1): 1, (1, 0): 1}


@pytest.mark.parametrize(
    ("answers", "field"), [({0: 0}, "q1"), ({0: 3, 1: 0}, "q0"), ({}, "q0")]
)
def test_every_question_needs_one_of_its_choices(sealed, answers, field):
    code = make(sealed, questions=QUESTIONS)
    with pytest.raises(DomainError) as refused:
        actions.survey_answer(code=code, answers=answers)
    assert refused.value.field == field
    assert not Tally.objects.exists()


def test_a_code_without_questions_takes_no_answers(sealed):
    with pytest.raises(DomainError):
        actions.survey_answer(code=make(sealed), answers={})
