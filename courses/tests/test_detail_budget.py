"""Query budget of the course detail endpoint (`GET /api/v1/courses/{id}/`): at most 6, whatever the number of lessons.

The issue asks for 6 for a visitor, an enrolled learner and the course's teacher, for a course of 10 lessons as for one
of 30. Measured warm (a process that has answered before: content types and the site's root paths are cached, the
cover's rendition exists). Where the queries go:

- the user, from the JWT (1; none for a visitor); no other read of the user or their groups follows;
- the course with its teacher, category and cover image (1: `CoursePage.objects.visible_to(...).with_card_data`);
- the cover's rendition (1, prefetched with the course: `with_card_data`);
- the visitor's state of the course (`state_for`, filled by `learners.selectors.course_state`): their standing
  (`learning.Standing`, 1), the course's live lessons with whether each is visible to them and its quiz, and for a
  signed-in user their completions, their attempts at each quiz and their enrollment, all in the lessons' query.

Learner or teacher: 1 + 1 + 1 + 1 = 4; a visitor: 3. Nothing is read per lesson, so 10 or 30 lessons cost the same
(a course without lessons: one more for a signed-in user, whose enrollment then has no lessons' query to ride on).
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learners.services import learning
from quizzes.services import replace_quiz

pytestmark = pytest.mark.django_db

COURSE_DETAIL = 6

QUESTIONS = [
    {
        "text": "Which keyword defines a function in Python?",
        "kind": "single",
        "choices": [{"text": "func"}, {"text": "def", "correct": True}],
    }
]


def make_detailed_course(make_course, make_image, teacher, lessons, title="Python"):
    """A course with a cover and `lessons` lessons, a quiz on the second."""
    course = make_course(title=title, lessons=lessons, cover_image=make_image())
    second = list(course.lessons())[1]
    replace_quiz(lesson=second, by=teacher, title="Check", questions=QUESTIONS, pass_mark=100, max_attempts=3)
    return course


@pytest.fixture(params=[10, 30], ids=["10 lessons", "30 lessons"])
def course(request, make_course, make_image, teacher):
    return make_detailed_course(make_course, make_image, teacher, request.param)


def learn(student, course):
    """Enrolled, the first lesson done, a failed attempt at the second's quiz: the third lesson on are locked."""
    learning.enroll(learner=student, course=course)
    lessons = list(course.lessons())
    learning.complete_lesson(learner=student, lesson=lessons[0])
    quiz = lessons[1].quiz
    wrong = [{"question": q.pk, "choices": [q.choices.get(is_correct=False).pk]} for q in quiz.questions.all()]
    assert not learning.submit_quiz(learner=student, lesson=lessons[1], answers=wrong).attempt.passed
    return student


def reads_of(captured, table: str) -> int:
    """The queries that read the table, by themselves or inside another (a join, a subquery)."""
    return sum(f'"{table}"' in query["sql"] for query in captured.captured_queries)


def queries_of(captured, table: str) -> int:
    """The queries whose own rows are the table's."""
    return sum(re.search(r'\bFROM "(\w+)"', query["sql"]).group(1) == table for query in captured.captured_queries)


def detail(client, course, django_assert_max_num_queries):
    """The course's answer, asked twice: the second time is measured."""
    url = f"/api/v1/courses/{course.pk}/"
    assert client.get(url).status_code == 200
    with django_assert_max_num_queries(COURSE_DETAIL) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json(), captured


def test_for_a_visitor(api, course, django_assert_max_num_queries):
    body, captured = detail(api, course, django_assert_max_num_queries)
    assert queries_of(captured, "learners_user") == 0 and reads_of(captured, "quizzes_quiz") == 1
    lessons = body["lessons"]
    assert len(lessons) == len(course.lessons()) and [lesson["position"] for lesson in lessons[:3]] == [1, 2, 3]
    assert body["enrolled"] is False and body["progress_percent"] == 0
    assert all(lesson["locked"] and not lesson["completed"] for lesson in lessons)
    assert [lesson["has_quiz"] for lesson in lessons[:3]] == [False, True, False]
    assert body["cover"].startswith("http://testserver/") and body["teacher"]["name"] == course.owner.name


def test_for_an_enrolled_learner(as_user, student, course, django_assert_max_num_queries):
    body, captured = detail(as_user(learn(student, course)), course, django_assert_max_num_queries)
    # The user once (the JWT), the learner's state once: completions, attempts and enrollment in the lessons' query.
    assert queries_of(captured, "learners_user") == 1
    assert reads_of(captured, "learners_lessoncompletion") == reads_of(captured, "quizzes_attempt") == 1
    assert reads_of(captured, "learners_enrollment") == 1
    lessons = body["lessons"]
    assert body["enrolled"] is True and body["progress_percent"] == 100 // len(lessons)
    assert [(lesson["completed"], lesson["locked"], lesson["has_quiz"]) for lesson in lessons[:3]] == [
        (True, False, False),
        (False, False, True),
        (False, True, False),
    ]
    assert all(lesson["locked"] for lesson in lessons[2:])


def test_for_the_teacher(as_user, teacher, course, django_assert_max_num_queries):
    body, captured = detail(as_user(teacher), course, django_assert_max_num_queries)
    lessons = body["lessons"]
    assert body["enrolled"] is False and body["progress_percent"] == 0
    assert not any(lesson["locked"] or lesson["completed"] for lesson in lessons)
    assert [lesson["has_quiz"] for lesson in lessons].count(True) == 1


def test_the_count_does_not_grow_with_lessons(as_user, student, make_course, make_image, teacher):
    client = as_user(student)
    counts = []
    for number in (10, 30):
        course = make_detailed_course(make_course, make_image, teacher, number, title=f"Course of {number}")
        learn(student, course)
        client.get(f"/api/v1/courses/{course.pk}/")
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/api/v1/courses/{course.pk}/")
        assert len(response.json()["lessons"]) == number
        counts.append(len(captured))
    assert counts[0] == counts[1] <= COURSE_DETAIL
