"""Finishing a course feels like finishing (issue 17): the quiz result, the course page and the lesson say so, and
offer the certificate; an old result shows the lesson as it is now."""

import pytest

from learners.models import Certificate
from learners.services import learning
from quizzes.services import replace_quiz

pytestmark = pytest.mark.django_db

QUESTION = {"text": "2 + 2?", "kind": "single", "choices": [{"text": "4", "correct": True}, {"text": "5"}]}


@pytest.fixture
def course(make_course, teacher):
    """Two lessons; the second, the last, ends with a quiz of three attempts."""
    course = make_course(title="Итоги", lessons=2)
    replace_quiz(lesson=course.lessons().last(), by=teacher, title="Final", questions=[QUESTION], max_attempts=3)
    return course


@pytest.fixture
def site(client, student, course):
    learning.enroll(learner=student, course=course)
    learning.complete_lesson(learner=student, lesson=course.lessons().first())
    client.force_login(student)
    return client


def answer(client, lesson, right: bool):
    question = lesson.quiz.questions.get()
    choice = question.choices.get(is_correct=right)
    response = client.post(f"/learn/lessons/{lesson.pk}/quiz/", {f"q{question.pk}": choice.pk})
    assert response.status_code == 302
    return response["Location"]


def test_passing_the_last_quiz_shows_the_course_complete_with_its_certificate(site, course, student):
    last = course.lessons().last()
    html = site.get(answer(site, last, right=True)).content.decode()
    certificate = Certificate.objects.get(learner=student, course=course)
    assert "Course complete!" in html
    assert f'href="/certificates/{certificate.code}/"' in html
    assert f'href="/certificates/{certificate.code}/pdf/"' in html
    assert f'value="http://testserver/certificates/{certificate.code}/"' in html  # the link to share


def test_a_pass_short_of_the_end_says_nothing_of_a_certificate(site, course, make_course, teacher, student):
    first_of_longer = make_course(title="Longer", lessons=2).lessons().first()
    replace_quiz(lesson=first_of_longer, by=teacher, title="Early", questions=[QUESTION])
    learning.enroll(learner=student, course=first_of_longer.course)
    html = site.get(answer(site, first_of_longer, right=True)).content.decode()
    assert "Passed" in html and "Course complete!" not in html


def test_an_old_failed_attempt_shows_the_lesson_as_it_is_now(site, course):
    last = course.lessons().last()
    failed = answer(site, last, right=False)
    assert "Try again" in site.get(failed).content.decode()
    answer(site, last, right=True)
    html = site.get(failed).content.decode()
    assert "You have passed this quiz since" in html
    assert "Try again" not in html and "attempts left" not in html
    assert "Course complete!" in html


def test_the_course_page_offers_the_certificate_and_no_longer_to_leave(site, course, student):
    answer(site, course.lessons().last(), right=True)
    html = site.get(course.url).content.decode()
    certificate = Certificate.objects.get(learner=student, course=course)
    assert "Course complete!" in html and f"/certificates/{certificate.code}/pdf/" in html
    assert "Leave the course" not in html and f"/learn/courses/{course.pk}/leave/" not in html


def test_while_learning_the_course_page_offers_to_leave(site, course):
    html = site.get(course.url).content.decode()
    assert "Leave the course" in html and "Course complete!" not in html


def test_after_passing_the_lesson_folds_the_quiz_into_a_retake(site, course):
    last = course.lessons().last()
    html = site.get(last.url).content.decode()
    assert 'class="quiz__retake"' not in html and "Submit answers" in html  # not passed yet: the form itself
    answer(site, last, right=True)
    html = site.get(last.url).content.decode()
    assert "You passed this quiz" in html
    start = html.index('<details class="quiz__retake">')
    retake = html[start : html.index("</details>", start)]
    assert "Retake the quiz" in retake and "Submit answers" in retake


def test_no_retake_is_offered_once_the_attempts_are_used(site, course, teacher):
    last = course.lessons().last()
    replace_quiz(lesson=last, by=teacher, title="Final", questions=[QUESTION], max_attempts=1)
    answer(site, last, right=True)
    html = site.get(last.url).content.decode()
    assert "You passed this quiz" in html and "Retake the quiz" not in html
    assert "You have used all your attempts" not in html  # passed: nothing is missing


def test_in_russian(site, course):
    answer(site, course.lessons().last(), right=True)
    html = site.get(course.url, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Курс пройден!" in html and "Открыть сертификат" in html and "Поделиться" in html


def test_a_multiple_choice_result_shows_check_boxes(site, course, teacher):
    last = course.lessons().last()
    several = {
        "text": "Even?",
        "kind": "multiple",
        "choices": [{"text": "2", "correct": True}, {"text": "4", "correct": True}, {"text": "5"}],
    }
    replace_quiz(lesson=last, by=teacher, title="Final", questions=[several])
    question = last.quiz.questions.get()
    two = question.choices.get(text="2")
    response = site.post(f"/learn/lessons/{last.pk}/quiz/", {f"q{question.pk}": two.pk})
    html = site.get(response["Location"]).content.decode()
    review = html[html.index('<ol class="quiz-review">') :]
    assert review.count("☑") == 1 and review.count("☐") == 2 and "●" not in review and "○" not in review


def test_my_learning_puts_the_certificate_beside_the_completed_course(site, course, student):
    answer(site, course.lessons().last(), right=True)
    html = site.get("/learn/").content.decode()
    completed = html[html.index('id="completed-title"') : html.index('id="certificates-title"')]
    code = Certificate.objects.get(learner=student, course=course).code
    assert course.title in completed and f'href="/certificates/{code}/"' in completed
