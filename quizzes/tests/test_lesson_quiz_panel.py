"""The quiz in the lesson editor: its panel's state and buttons, and the quiz editor's way back to the lesson."""

import re
from html import unescape

import pytest
from django.urls import reverse

from learners.services import learning
from quizzes.models import Quiz
from quizzes.services import replace_quiz
from quizzes.tests.test_admin import question, quiz_form

pytestmark = pytest.mark.django_db

QUESTIONS = [
    {"text": "2 + 2?", "kind": "single", "choices": [{"text": "4", "correct": True}, {"text": "5"}]},
    {"text": "Even?", "kind": "multiple", "choices": [{"text": "2", "correct": True}, {"text": "3"}]},
]


@pytest.fixture
def lesson(make_course):
    return make_course(lessons=1).lessons().first()


def panel_of(response) -> str:
    """The quiz panel's text in an editor page, tags and runs of spaces removed."""
    html = response.content.decode()
    found = re.search(r"<div class=\"lesson-quiz-panel\".*?</div>", html, re.S)
    assert found, "no quiz panel on the page"
    return found.group(0)


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def edit_url(page) -> str:
    return f"/admin/pages/{page.pk}/edit/"


def test_a_lesson_without_a_quiz_offers_to_add_one_that_comes_back_to_the_lesson(client, teacher, lesson):
    client.force_login(teacher)
    response = client.get(edit_url(lesson))
    assert response.status_code == 200
    panel = panel_of(response)
    assert "This lesson has no quiz." in text_of(panel)
    add = f"/admin/quizzes/new/?lesson={lesson.pk}&amp;next=%2Fadmin%2Fpages%2F{lesson.pk}%2Fedit%2F"
    assert f'href="{add}"' in panel
    assert "Edit quiz" not in panel and "Preview as a learner" not in panel


def test_a_lesson_with_a_quiz_shows_its_state_and_the_ways_to_edit_and_preview_it(client, teacher, lesson):
    quiz = replace_quiz(lesson=lesson, by=teacher, title="Check", questions=QUESTIONS, pass_mark=70, max_attempts=3)
    client.force_login(teacher)
    panel = panel_of(client.get(edit_url(lesson)))
    text = text_of(panel)
    for expected in ("Check", "2 questions", "Pass mark: 70%", "Attempts: at most 3", "Learners' attempts so far: 0", "Published:"):
        assert expected in text, expected
    assert f'href="/admin/quizzes/edit/{quiz.pk}/?next=%2Fadmin%2Fpages%2F{lesson.pk}%2Fedit%2F"' in panel
    assert f'href="/admin/quizzes/preview/{quiz.pk}/"' in panel
    assert "Add a quiz" not in text


def test_the_panel_says_when_learners_do_not_see_the_quiz_yet(client, teacher, lesson):
    replace_quiz(lesson=lesson, by=teacher, title="Check", questions=QUESTIONS)
    lesson.unpublish()
    client.force_login(teacher)
    text = text_of(panel_of(client.get(edit_url(lesson))))
    assert "Not published: learners see it once the lesson is published." in text
    assert "Attempts: unlimited" in text


def test_an_admin_sees_the_panel_of_any_lesson(client, admin_user, lesson, teacher):
    replace_quiz(lesson=lesson, by=teacher, title="Check", questions=QUESTIONS)
    client.force_login(admin_user)
    assert "Preview as a learner" in panel_of(client.get(edit_url(lesson)))


def test_the_create_page_of_a_lesson_asks_to_save_it_first(client, teacher, lesson):
    client.force_login(teacher)
    response = client.get(f"/admin/pages/add/courses/lessonpage/{lesson.get_parent().pk}/")
    assert response.status_code == 200
    panel = panel_of(response)
    assert "Save the lesson first" in text_of(panel)
    assert "/admin/quizzes/" not in panel


def test_a_quiz_added_from_the_panel_leads_back_to_the_lessons_editor(client, teacher, lesson):
    client.force_login(teacher)
    back = edit_url(lesson)
    form_page = client.get(f"/admin/quizzes/new/?lesson={lesson.pk}&next={back}").content.decode()
    assert 'action="/admin/quizzes/new/?next=%2Fadmin%2Fpages%2F' in form_page  # the form carries `next` on
    data = quiz_form(lesson, [question("2 + 2?", "single", [("4", True), ("5", False)])])
    response = client.post(f"/admin/quizzes/new/?next={back}", data)
    assert response.status_code == 302 and response["Location"] == back
    assert Quiz.objects.filter(lesson=lesson).exists()
    assert "Edit quiz" in panel_of(client.get(back))


def test_a_form_sent_back_with_errors_still_leads_back_to_the_lesson(client, teacher, lesson):
    client.force_login(teacher)
    back = edit_url(lesson)
    bad = quiz_form(lesson, [question("None right?", "multiple", [("a", False), ("b", False)])])
    response = client.post(f"/admin/quizzes/new/?next={back}", bad)
    assert response.status_code == 200
    assert 'action="/admin/quizzes/new/?next=%2Fadmin%2Fpages%2F' in response.content.decode()


@pytest.mark.parametrize("elsewhere", ["https://evil.example/", "//evil.example/admin/", "javascript:alert(1)"])
def test_a_next_address_off_this_site_is_ignored(client, teacher, lesson, elsewhere):
    client.force_login(teacher)
    data = quiz_form(lesson, [question("2 + 2?", "single", [("4", True), ("5", False)])])
    response = client.post("/admin/quizzes/new/?" + f"next={elsewhere}", data)
    assert response.status_code == 302
    assert response["Location"] == reverse("quizzes:index")


def test_editing_the_quiz_from_the_panel_leads_back_to_the_lesson(client, teacher, lesson):
    quiz = replace_quiz(lesson=lesson, by=teacher, title="Check", questions=QUESTIONS[:1])
    client.force_login(teacher)
    back = edit_url(lesson)
    page = client.get(f"/admin/quizzes/edit/{quiz.pk}/?next={back}").content.decode()
    assert f"/admin/quizzes/preview/{quiz.pk}/" in page  # the editor's header offers the preview too
    data = quiz_form(lesson, [question("3 + 3?", "single", [("6", True), ("7", False)])], title="Renamed")
    response = client.post(f"/admin/quizzes/edit/{quiz.pk}/?next={back}", data)
    assert response.status_code == 302 and response["Location"] == back
    assert Quiz.objects.get(pk=quiz.pk).title == "Renamed"


def test_learners_attempts_link_to_the_quizs_statistics(client, teacher, student, lesson):
    quiz = replace_quiz(lesson=lesson, by=teacher, title="Check", questions=QUESTIONS)
    learning.enroll(learner=student, course=lesson.course)
    question_ids = list(quiz.questions.values_list("pk", flat=True))
    learning.submit_quiz(learner=student, lesson=lesson, answers=[{"question": question_ids[0], "choices": []}])
    client.force_login(teacher)
    panel = panel_of(client.get(edit_url(lesson)))
    assert f'<a href="/admin/quizzes/inspect/{quiz.pk}/">Learners' in panel
    assert "Learners&#x27; attempts so far: 1" in panel or "Learners' attempts so far: 1" in panel
