"""The course report in the Wagtail admin: every learner of a course with progress, last activity, best
quiz scores and completion; for the course's teacher and admins; exportable; reached from the explorer."""

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learners.services import learning
from learners.tests.factories import UserFactory
from quizzes.services import replace_quiz

pytestmark = pytest.mark.django_db

QUESTION = {
    "text": "2 + 2?",
    "kind": "single",
    "choices": [{"text": "4", "correct": True}, {"text": "5"}],
}


@pytest.fixture
def course(make_course):
    return make_course(title="Arithmetic", lessons=3)


@pytest.fixture
def quizzes(course, teacher):
    """A quiz after lessons 1 and 2: "Sums" and "Sums again"."""
    first, second, _ = course.lessons()
    return [
        replace_quiz(lesson=first, by=teacher, title="Sums", questions=[QUESTION], pass_mark=100),
        replace_quiz(lesson=second, by=teacher, title="Sums again", questions=[QUESTION], pass_mark=100),
    ]


def answer(quiz, right: bool):
    question = quiz.questions.get()
    return [{"question": question.pk, "choices": [c.pk for c in question.choices.all() if c.is_correct == right]}]


@pytest.fixture
def learners(course, quizzes):
    """Ирина finished everything; Пётр failed "Sums" and stopped; Зоя enrolled and left."""
    irina, petr, zoya = (UserFactory(name=name) for name in ("Ирина Соколова", "Пётр Орлов", "Зоя Кац"))
    first, second, third = course.lessons()
    learning.enroll(learner=irina, course=course)
    learning.submit_quiz(learner=irina, lesson=first, answers=answer(quizzes[0], right=False))
    learning.submit_quiz(learner=irina, lesson=first, answers=answer(quizzes[0], right=True))
    learning.submit_quiz(learner=irina, lesson=second, answers=answer(quizzes[1], right=True))
    learning.complete_lesson(learner=irina, lesson=third)
    learning.enroll(learner=petr, course=course)
    learning.submit_quiz(learner=petr, lesson=first, answers=answer(quizzes[0], right=False))
    learning.enroll(learner=zoya, course=course)
    learning.leave(learner=zoya, course=course)
    return irina, petr, zoya


def report_url(course):
    return f"/admin/course-report/{course.pk}/"


def csv_rows(response):
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="course-report-arithmetic.csv"'
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())  # the byte order mark that makes Excel read UTF-8
    header, *rows = csv.reader(io.StringIO(body.decode("utf-8-sig")))
    return {row[0]: dict(zip(header, row, strict=True)) for row in rows}


def page(client, course, **params) -> str:
    response = client.get(report_url(course), params)
    assert response.status_code == 200
    return response.content.decode()


# --- what it shows ---------------------------------------------------------------------------------------


def test_the_report_lists_every_learner_with_progress_quizzes_and_completion(client, admin_user, course, learners):
    client.force_login(admin_user)
    html = page(client, course)
    for name in ("Ирина Соколова", "Пётр Орлов", "Зоя Кац"):
        assert name in html
    assert "Sums again" in html  # one column per quiz
    assert "100% · passed" in html  # Ирина's best at each quiz
    assert "0% · not passed" in html  # Пётр's only attempt
    assert "Left" in html and "Arithmetic" in html


def test_the_report_filters_and_searches(client, admin_user, course, learners):
    client.force_login(admin_user)
    completed = page(client, course, state="completed")
    assert "Ирина Соколова" in completed and "Пётр Орлов" not in completed
    left = page(client, course, state="left")
    assert "Зоя Кац" in left and "Ирина Соколова" not in left
    found = page(client, course, q="Орлов")
    assert "Пётр Орлов" in found and "Зоя Кац" not in found


def test_the_report_exports_csv_with_a_column_pair_per_quiz(client, admin_user, course, learners):
    client.force_login(admin_user)
    rows = csv_rows(client.get(report_url(course), {"export": "csv"}))
    assert set(rows) == {"Ирина Соколова", "Пётр Орлов", "Зоя Кац"}
    irina, petr, zoya = rows["Ирина Соколова"], rows["Пётр Орлов"], rows["Зоя Кац"]
    assert list(irina)[:4] == ["Learner", "Email", "Enrolled", "State"]
    assert (irina["Progress (%)"], irina["Lessons done"], irina["Lessons"]) == ("100", "3", "3")
    assert irina["Completed"] and irina["State"] == "Active"
    assert (irina["Sums: best score (%)"], irina["Sums: passed"]) == ("100", "yes")
    assert (irina["Sums again: best score (%)"], irina["Sums again: passed"]) == ("100", "yes")
    assert (petr["Progress (%)"], petr["Sums: best score (%)"], petr["Sums: passed"]) == ("0", "0", "no")
    assert (petr["Sums again: best score (%)"], petr["Sums again: passed"]) == ("", "")  # never tried
    assert petr["Completed"] == ""
    assert zoya["State"] == "Left"


def test_the_report_exports_xlsx(client, admin_user, course, learners):
    client.force_login(admin_user)
    response = client.get(report_url(course), {"export": "xlsx", "state": "completed"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, *rows = sheet.iter_rows(values_only=True)
    assert header[0] == "Learner" and "Sums: best score (%)" in header
    assert [row[0] for row in rows] == ["Ирина Соколова"]
    assert rows[0][header.index("Progress (%)")] == 100


def test_a_course_without_quizzes_or_learners_has_a_plain_report(client, teacher, make_course):
    course = make_course(title="Empty", lessons=1)
    client.force_login(teacher)
    html = page(client, course)
    assert "There are no learners to display." in html
    response = client.get(report_url(course), {"export": "csv"})
    assert b"".join(response.streaming_content).decode().startswith("\ufeffLearner,Email,Enrolled,State,Progress (%)")


def test_the_report_costs_the_same_queries_for_more_learners(
    client, admin_user, course, quizzes, learners, django_assert_max_num_queries
):
    client.force_login(admin_user)

    def measure(**params):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(report_url(course), params)
            if params:
                b"".join(response.streaming_content)
        assert response.status_code == 200
        return len(queries)

    measure()  # warm the caches
    few, few_export = measure(), measure(export="csv")
    first = course.lessons().first()
    for _ in range(8):
        learner = UserFactory()
        learning.enroll(learner=learner, course=course)
        learning.submit_quiz(learner=learner, lesson=first, answers=answer(quizzes[0], right=True))
    with django_assert_max_num_queries(few):
        assert client.get(report_url(course)).status_code == 200
    with django_assert_max_num_queries(few_export):
        b"".join(client.get(report_url(course), {"export": "csv"}).streaming_content)


# --- who sees it -----------------------------------------------------------------------------------------


def test_the_courses_teacher_sees_the_report(client, teacher, course, learners):
    client.force_login(teacher)
    assert "Пётр Орлов" in page(client, course)
    assert len(csv_rows(client.get(report_url(course), {"export": "csv"}))) == 3


def test_another_teacher_and_students_do_not(client, other_teacher, student, course, learners):
    client.force_login(other_teacher)
    assert client.get(report_url(course)).status_code in (302, 403)
    response = client.get(report_url(course), {"export": "csv"})
    assert response.status_code in (302, 403)
    assert "Пётр Орлов" not in response.content.decode()
    assert client.get(f"/admin/course-report/{course.pk}/results/").status_code in (302, 403)

    client.force_login(student)
    response = client.get(report_url(course))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]

    client.logout()
    assert client.get(report_url(course)).status_code == 302


def test_an_unknown_course_is_not_found(client, admin_user, course):
    client.force_login(admin_user)
    assert client.get("/admin/course-report/999999/").status_code == 404
    lesson = course.lessons().first()  # a page, but not a course
    assert client.get(f"/admin/course-report/{lesson.pk}/").status_code == 404


def test_the_explorer_offers_the_report_to_those_who_may_edit_the_course(
    client, teacher, other_teacher, admin_user, course, catalog
):
    url = report_url(course)
    for user in (teacher, admin_user):
        client.force_login(user)
        assert url in client.get(f"/admin/pages/{course.pk}/edit/").content.decode()
        assert url in client.get(f"/admin/pages/{catalog.pk}/").content.decode()

    client.force_login(other_teacher)
    assert url not in client.get(f"/admin/pages/{course.pk}/edit/").content.decode()
    assert url not in client.get(f"/admin/pages/{catalog.pk}/").content.decode()
    lesson = course.lessons().first()
    client.force_login(teacher)
    assert "/admin/course-report/" not in client.get(f"/admin/pages/{lesson.pk}/edit/").content.decode()
