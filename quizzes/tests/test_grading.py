"""Grading is a pure function: exact sets, percent of questions, pass mark."""

import pytest
from django.core.exceptions import ValidationError

from quizzes.grading import QuestionKey, grade, normalize_answers

SINGLE = QuestionKey(id=1, kind="single", choice_ids=frozenset({11, 12, 13}), correct_ids=frozenset({12}))
MULTI = QuestionKey(id=2, kind="multiple", choice_ids=frozenset({21, 22, 23}), correct_ids=frozenset({21, 23}))
KEYS = [SINGLE, MULTI]


def score(answers, pass_mark=50):
    return grade(KEYS, normalize_answers(KEYS, answers), pass_mark)


def test_all_right():
    graded = score([{"question": 1, "choices": [12]}, {"question": 2, "choices": [23, 21]}])
    assert graded.score == 100 and graded.passed and graded.right == {1: True, 2: True}


def test_multiple_choice_partial_answer_is_wrong():
    graded = score([{"question": 1, "choices": [12]}, {"question": 2, "choices": [21]}])
    assert graded.right == {1: True, 2: False} and graded.score == 50 and graded.passed


def test_multiple_choice_with_an_extra_wrong_choice_is_wrong():
    assert score([{"question": 2, "choices": [21, 22, 23]}]).right[2] is False


def test_single_choice_with_two_chosen_is_wrong():
    assert score([{"question": 1, "choices": [12, 13]}]).right[1] is False


def test_empty_answers_score_zero():
    graded = score([])
    assert graded.score == 0 and not graded.passed
    assert score([{"question": 1, "choices": []}]).right[1] is False


def test_duplicate_choice_ids_count_once():
    assert score([{"question": 2, "choices": [21, 21, 23]}]).right[2] is True


def test_pass_mark_is_inclusive_and_score_rounds_down():
    three = [
        SINGLE,
        MULTI,
        QuestionKey(id=3, kind="single", choice_ids=frozenset({31, 32}), correct_ids=frozenset({31})),
    ]
    graded = grade(three, normalize_answers(three, [{"question": 1, "choices": [12]}]), 33)
    assert graded.score == 33 and graded.passed
    assert not grade(three, {1: {12}}, 34).passed


@pytest.mark.parametrize(
    "answers",
    [
        [{"question": 1, "choices": [21]}],  # a choice of another question
        [{"question": 99, "choices": [11]}],  # a question of another quiz
        [{"question": 1, "choices": [12]}, {"question": 1, "choices": [12]}],  # answered twice
        [{"question": "1", "choices": [12]}],
        [{"question": 1, "choices": "12"}],
        [{"question": 1, "choices": [True]}],
        [{"question": True, "choices": [12]}],
        ["nonsense"],
        "not a list",
    ],
)
def test_answers_that_do_not_fit_the_quiz_are_refused(answers):
    with pytest.raises(ValidationError):
        normalize_answers(KEYS, answers)
