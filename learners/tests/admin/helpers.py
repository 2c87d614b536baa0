"""What the admin's tests share: a quiz's questions, answering it, finishing a course, and reading the admin's
pages and spreadsheets."""

import csv
import io

import openpyxl

from courses.models import CoursePage
from learners.services import learning

QUESTIONS = [
    {
        "text": "Which keyword defines a function?",
        "kind": "single",
        "explanation": "def starts a function definition.",
        "choices": [{"text": "func"}, {"text": "def", "correct": True}],
    },
    {
        "text": "Which are immutable?",
        "kind": "multiple",
        "choices": [{"text": "tuple", "correct": True}, {"text": "list"}, {"text": "str", "correct": True}],
    },
]

DENIED = (302, 403)  # Wagtail answers a refused admin view by sending the user back to the dashboard
LISTINGS = ["/admin/enrollments/", "/admin/quiz-attempts/", "/admin/certificates/", "/admin/reviews/"]


def answers(quiz, right=True):
    """Every correct choice of each question, or else one wrong choice of each."""

    def chosen(question):
        choices = [choice.pk for choice in question.choices.all() if choice.is_correct == right]
        return choices if right else choices[:1]

    return [{"question": question.pk, "choices": chosen(question)} for question in quiz.questions.all()]


def finish(learner, course, quiz):
    """Enroll, fail the quiz once, pass it, and complete the rest: a certificate follows."""
    learning.enroll(learner=learner, course=course)
    first = course.lessons().first()
    learning.submit_quiz(learner=learner, lesson=first, answers=answers(quiz, right=False))
    learning.submit_quiz(learner=learner, lesson=first, answers=answers(quiz))
    for lesson in course.lessons()[1:]:
        learning.complete_lesson(learner=learner, lesson=lesson)


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())  # the byte order mark that makes Excel read UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def xlsx_rows(response) -> list[tuple]:
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(workbook.active.iter_rows(values_only=True))


def rating_of(course):
    course = CoursePage.objects.get(pk=course.pk)
    return course.rating_avg, course.rating_count
