"""Quizzes in the Wagtail admin: nested questions and choices, validation, who may edit, statistics."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from wagtail.models import ModelLogEntry
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from quizzes.models import Attempt, Quiz, QuizLogEntry
from quizzes.services import replace_quiz
from quizzes.views import quiz_viewset

pytestmark = pytest.mark.django_db


def question(text, kind, choices, explanation=""):
    return {
        "text": text,
        "kind": kind,
        "explanation": explanation,
        "choices": inline_formset([{"text": t, "is_correct": c} for t, c in choices], min=2),
    }


def quiz_form(lesson, questions, **overrides):
    data = {
        "lesson": lesson.pk,
        "title": "Check yourself",
        "pass_mark": 60,
        "max_attempts": "",
        "shuffle": "",
        **overrides,
    }
    data["questions"] = inline_formset(questions, min=1)
    return nested_form_data(data)


@pytest.fixture
def lesson(make_course):
    return make_course(lessons=1).lessons().first()


def test_teacher_adds_a_quiz_with_nested_questions_and_choices(client, teacher, lesson):
    client.force_login(teacher)
    assert client.get(f"/admin/quizzes/new/?lesson={lesson.pk}").status_code == 200
    data = quiz_form(
        lesson,
        [
            question("2 + 2?", "single", [("4", True), ("5", False)], explanation="Arithmetic."),
            question("Even numbers?", "multiple", [("2", True), ("3", False), ("4", True)]),
        ],
    )
    response = client.post("/admin/quizzes/new/", data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    quiz = Quiz.objects.get(lesson=lesson)
    assert [q.text for q in quiz.questions.all()] == ["2 + 2?", "Even numbers?"]
    assert [(c.text, c.is_correct) for c in quiz.questions.all()[1].choices.all()] == [
        ("2", True),
        ("3", False),
        ("4", True),
    ]


@pytest.mark.parametrize(
    "questions, message",
    [
        ([question("One choice?", "single", [("a", True), ("", False)])], "This field is required."),
        ([question("None right?", "multiple", [("a", False), ("b", False)])], "at least one correct choice"),
        ([question("Two right?", "single", [("a", True), ("b", True)])], "exactly one choice must be correct"),
    ],
)
def test_quiz_editor_validates_questions(client, teacher, lesson, questions, message):
    client.force_login(teacher)
    response = client.post("/admin/quizzes/new/", quiz_form(lesson, questions))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Quiz.objects.exists()


def test_new_quizzes_start_with_the_portal_pass_mark(client, teacher, lesson):
    from lms.models import PortalSettings

    portal = PortalSettings.load()
    portal.default_pass_mark = 85
    portal.save()
    client.force_login(teacher)
    assert 'value="85"' in client.get(f"/admin/quizzes/new/?lesson={lesson.pk}").content.decode()


def test_another_teacher_can_neither_see_nor_edit_the_quiz(client, teacher, other_teacher, lesson):
    quiz = replace_quiz(
        lesson=lesson,
        by=teacher,
        title="Mine",
        questions=[{"text": "Q", "kind": "single", "choices": [{"text": "a", "correct": True}, {"text": "b"}]}],
    )
    client.force_login(other_teacher)
    assert "Mine" not in client.get("/admin/quizzes/").content.decode()
    assert client.get(f"/admin/quizzes/edit/{quiz.pk}/").status_code == 404
    response = client.post(
        f"/admin/quizzes/edit/{quiz.pk}/",
        quiz_form(lesson, [question("Hijack", "single", [("x", True), ("y", False)])]),
    )
    assert response.status_code == 404
    assert client.post(f"/admin/quizzes/delete/{quiz.pk}/").status_code == 404
    assert Quiz.objects.get(pk=quiz.pk).title == "Mine"
    # nor attach a quiz to the other teacher's lesson
    response = client.post(
        "/admin/quizzes/new/", quiz_form(lesson, [question("Q", "single", [("x", True), ("y", False)])])
    )
    assert response.status_code == 200 and Quiz.objects.count() == 1


def test_every_view_of_another_teachers_quiz_is_closed(client, teacher, other_teacher, lesson):
    """Each URL of the quiz viewset that names a quiz (copy, inspect, history, usage... and any Wagtail adds)."""
    quiz = replace_quiz(
        lesson=lesson,
        by=teacher,
        title="Mine",
        questions=[
            {"text": "Q", "kind": "single", "choices": [{"text": "Secret answer", "correct": True}, {"text": "b"}]}
        ],
    )
    names = [pattern.name for pattern in quiz_viewset.get_urlpatterns() if "pk" in pattern.pattern.converters]
    assert {"edit", "copy", "inspect", "history", "usage", "delete"} <= set(names)
    client.force_login(other_teacher)
    for name in names:
        url = reverse(quiz_viewset.get_url_name(name), args=[quiz.pk])
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 404, url
            assert "Secret answer" not in response.content.decode()
    assert Quiz.objects.get(pk=quiz.pk).title == "Mine"
    client.force_login(teacher)
    assert "Secret answer" in client.get(reverse(quiz_viewset.get_url_name("copy"), args=[quiz.pk])).content.decode()


def test_the_site_history_shows_a_teacher_their_own_quizzes_only(client, teacher, other_teacher, admin_user, lesson):
    client.force_login(teacher)
    response = client.post(
        "/admin/quizzes/new/", quiz_form(lesson, [question("Q", "single", [("x", True), ("y", False)])], title="Mine")
    )
    assert response.status_code == 302
    quiz = Quiz.objects.get()
    assert QuizLogEntry.objects.filter(object_id=str(quiz.pk), action="wagtail.create").exists()
    assert "Mine" in client.get("/admin/reports/site-history/").content.decode()
    assert "Mine" in client.get(f"/admin/quizzes/history/{quiz.pk}/").content.decode()
    client.force_login(other_teacher)
    assert "Mine" not in client.get("/admin/reports/site-history/").content.decode()
    # whichever log Wagtail's site history asks first (it asks them in no set order)
    assert list(QuizLogEntry.objects.viewable_by_user(teacher)) == list(QuizLogEntry.objects.all())
    assert not QuizLogEntry.objects.viewable_by_user(other_teacher).exists()
    client.force_login(admin_user)
    assert "Mine" in client.get("/admin/reports/site-history/").content.decode()


def test_the_quizzes_entries_move_to_their_own_log(teacher, lesson):
    """The migration that gave quizzes a log of their own takes their entries out of Wagtail's shared one."""
    quiz = replace_quiz(
        lesson=lesson,
        by=teacher,
        title="Old",
        questions=[{"text": "Q", "kind": "single", "choices": [{"text": "a", "correct": True}, {"text": "b"}]}],
    )
    ModelLogEntry.objects.log_action(quiz, "wagtail.create", user=teacher)
    migration = importlib.import_module("quizzes.migrations.0002_quiz_log")
    migration.to_the_quizzes_log(apps, None)
    assert not ModelLogEntry.objects.filter(object_id=str(quiz.pk)).exists()
    entry = QuizLogEntry.objects.get(object_id=str(quiz.pk))
    assert (entry.action, entry.label, entry.user) == ("wagtail.create", "Old", teacher)
    migration.to_the_shared_log(apps, None)
    assert ModelLogEntry.objects.filter(object_id=str(quiz.pk)).exists() and not QuizLogEntry.objects.exists()


def test_students_have_no_quiz_admin(client, student):
    client.force_login(student)
    assert client.get("/admin/quizzes/").status_code == 302


def test_the_lesson_editor_links_to_its_quiz(client, teacher, lesson):
    client.force_login(teacher)
    html = client.get(f"/admin/pages/{lesson.pk}/edit/").content.decode()
    assert f"/admin/quizzes/new/?lesson={lesson.pk}" in html


def test_statistics_per_question(client, teacher, lesson, student, other_student):
    quiz = replace_quiz(
        lesson=lesson,
        by=teacher,
        title="Stats",
        questions=[
            {
                "text": "Capital of France?",
                "kind": "single",
                "choices": [{"text": "Paris", "correct": True}, {"text": "Lyon"}, {"text": "Nice"}],
            },
        ],
    )
    q = quiz.questions.get()
    paris, lyon, nice = q.choices.all()

    def attempt(learner, number, chosen):
        right = chosen == [paris.pk]
        Attempt.objects.create(
            learner=learner,
            quiz=quiz,
            lesson=lesson,
            quiz_title="Stats",
            number=number,
            score=100 if right else 0,
            passed=right,
            pass_mark=70,
            results=[
                {
                    "question": q.pk,
                    "text": q.text,
                    "kind": "single",
                    "explanation": "",
                    "choices": [{"id": c.pk, "text": c.text, "correct": c.is_correct} for c in (paris, lyon, nice)],
                    "chosen": chosen,
                    "right": right,
                }
            ],
        )

    attempt(student, 1, [lyon.pk])
    attempt(student, 2, [paris.pk])
    attempt(other_student, 1, [lyon.pk])
    attempt(other_student, 2, [nice.pk])
    client.force_login(teacher)
    html = client.get(f"/admin/quizzes/inspect/{quiz.pk}/").content.decode()
    assert "4 attempts, 1 passed." in html
    assert "25%" in html
    assert "Lyon (2)" in html
