"""Grading: a pure function of a quiz's questions and a learner's answers.

A question counts when the set of chosen choices equals the set of correct ones exactly; the score is
the percent of questions answered right (rounded down); the attempt passes when score ≥ pass mark.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class QuestionKey:
    """What grading needs to know of a question: its id, kind, and choice ids (all and correct)."""

    id: int
    kind: str
    choice_ids: frozenset
    correct_ids: frozenset


@dataclass
class Graded:
    score: int
    passed: bool
    right: dict = field(default_factory=dict)  # question id → answered right
    chosen: dict = field(default_factory=dict)  # question id → chosen choice ids, in the order of the quiz


def normalize_answers(keys: list[QuestionKey], answers) -> dict[int, set[int]]:
    """Check answers against the quiz and return question id → chosen ids, or raise ValidationError.

    A question not answered counts as answered wrong; naming a question of another quiz, a choice of
    another question, or the same question twice is an error, and then nothing is recorded.
    """
    if not isinstance(answers, list):
        raise ValidationError({"answers": [_("Expected a list of answers.")]})
    by_id = {key.id: key for key in keys}
    chosen: dict[int, set[int]] = {}
    for answer in answers:
        question_id = answer.get("question") if isinstance(answer, dict) else None
        choices = answer.get("choices") if isinstance(answer, dict) else None
        if isinstance(question_id, bool) or not isinstance(question_id, int) or not isinstance(choices, list):
            raise ValidationError({"answers": [_("Each answer needs a question id and a list of choice ids.")]})
        if question_id not in by_id:
            raise ValidationError({"answers": [_("Question %(id)s is not in this quiz.") % {"id": question_id}]})
        if question_id in chosen:
            raise ValidationError({"answers": [_("Question %(id)s is answered twice.") % {"id": question_id}]})
        if any(isinstance(c, bool) or not isinstance(c, int) for c in choices):
            raise ValidationError({"answers": [_("Choice ids must be integers.")]})
        foreign = set(choices) - by_id[question_id].choice_ids
        if foreign:
            raise ValidationError(
                {
                    "answers": [
                        _("Choice %(id)s is not a choice of question %(q)s.") % {"id": min(foreign), "q": question_id}
                    ]
                }
            )
        chosen[question_id] = set(choices)  # naming a choice twice is choosing it once
    return chosen


def grade(keys: list[QuestionKey], chosen: dict[int, set[int]], pass_mark: int) -> Graded:
    right = {key.id: chosen.get(key.id, set()) == set(key.correct_ids) for key in keys}
    score = sum(right.values()) * 100 // len(keys) if keys else 0
    return Graded(score=score, passed=score >= pass_mark, right=right, chosen=chosen)
