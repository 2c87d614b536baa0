"""A teacher's preview of a quiz as learners take it: for the lesson's teacher and admins only, graded, never kept."""

import pytest
from django.urls import reverse

from learners.services import learning
from quizzes.models import Attempt
from quizzes.services import replace_quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz(make_course, teacher):
    lesson = make_course(lessons=1).lessons().first()
    return replace_quiz(
        lesson=lesson,
        by=teacher,
        title="Check yourself",
        pass_mark=50,
        max_attempts=2,
        questions=[
            {
                "text": "2 + 2?",
                "kind": "single",
                "explanation": "Count on your fingers.",
                "choices": [{"text": "Four", "correct": True}, {"text": "Five"}],
            },
            {"text": "Even numbers?", "kind": "multiple", "choices": [{"text": "Two", "correct": True}, {"text": "Three"}]},
        ],
    )


def preview_url(quiz) -> str:
    return f"/admin/quizzes/preview/{quiz.pk}/"


def choices(quiz) -> dict[str, int]:
    return {choice.text: choice.pk for question in quiz.questions.all() for choice in question.choices.all()}


def answers(quiz, *texts) -> dict:
    """The quiz form's fields ticking the choices of these texts."""
    ids = choices(quiz)
    data = {}
    for question in quiz.questions.all():
        ticked = [ids[choice.text] for choice in question.choices.all() if choice.text in texts]
        if ticked:
            data[f"q{question.pk}"] = ticked
    return data


@pytest.mark.parametrize("who", ["teacher", "admin_user"])
def test_the_courses_teacher_and_admins_see_the_learners_form_posting_to_the_preview(client, request, quiz, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(preview_url(quiz))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing you submit here is recorded." in html
    assert 'class="panel quiz"' in html and "Check yourself" in html  # the site's own quiz form
    assert "Answer at least 50% of the questions right to pass" in html and "2 attempts left." in html
    assert f'action="{preview_url(quiz)}"' in html and reverse("lesson-quiz", args=[quiz.lesson_id]) not in html
    assert 'type="radio"' in html and 'type="checkbox"' in html
    assert "Four" in html and "correct answer" not in html  # no answer key before answering


def test_another_teacher_is_not_shown_the_preview(client, other_teacher, quiz):
    client.force_login(other_teacher)
    for response in (client.get(preview_url(quiz)), client.post(preview_url(quiz), answers(quiz, "Four"))):
        assert response.status_code == 404
        assert "Four" not in response.content.decode()


def test_a_student_is_not_let_in(client, student, quiz):
    client.force_login(student)
    for response in (client.get(preview_url(quiz)), client.post(preview_url(quiz), answers(quiz, "Four"))):
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_submitting_shows_the_grading_and_keeps_no_attempt(client, teacher, quiz):
    client.force_login(teacher)
    response = client.post(preview_url(quiz), answers(quiz, "Four", "Two", "Three"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "50% — Passed" in html and "The pass mark is 50%." in html
    assert html.count("badge--ok\">Right") == 1 and html.count("badge--warn\">Wrong") == 1
    assert "correct answer" in html and "Count on your fingers." in html
    assert not Attempt.objects.exists()


def test_an_admin_enrolled_in_the_course_still_keeps_no_attempt(client, admin_user, quiz):
    learning.enroll(learner=admin_user, course=quiz.lesson.course)
    client.force_login(admin_user)
    response = client.post(preview_url(quiz), answers(quiz, "Five"))
    assert response.status_code == 200 and "0% — Not passed yet" in response.content.decode()
    assert not Attempt.objects.exists()


@pytest.mark.parametrize("bad", [{"q999999": ["1"]}, {"qx": ["1"]}, {"answers": "all"}])
def test_answers_that_do_not_fit_the_quiz_are_a_400_with_the_form_again(client, teacher, quiz, bad):
    client.force_login(teacher)
    response = client.post(preview_url(quiz), bad)
    assert response.status_code == 400
    html = response.content.decode()
    assert "These answers do not fit the quiz." in html and 'class="quiz__form"' in html
    assert not Attempt.objects.exists()


def test_a_choice_of_another_question_is_refused(client, teacher, quiz):
    first, second = quiz.questions.all()
    other = second.choices.first()
    client.force_login(teacher)
    response = client.post(preview_url(quiz), {f"q{first.pk}": [str(other.pk)]})
    assert response.status_code == 400
    assert not Attempt.objects.exists()
