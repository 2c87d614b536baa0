"""Query budgets of the learner's busiest requests: a course page, a lesson page with its quiz, a quiz submission.

The learner's standing in a course (`learning.Standing`: lessons, completions, locks, quizzes and attempts,
enrollment) is read once per request, in one query, and the gate before a lesson page, the page's parts and their
templates share it (`learners.page_parts`). The budgets count every query of the request, Wagtail's own included;
pages are measured warm (a process that has served a page before: Django's content types are cached).

The issue asks for 10 (course page), 10 (lesson page) and 12 (quiz submission). What a page costs:

- the site (1), the session and the user (2, none for a visitor), the portal's settings for the base template (1);
- the routing (`courses.models.RoutedPage`): the home page's specific row (Wagtail's), then one query per page on
  the way, the last one also telling whether a view restriction may apply (where none may, Wagtail's check and
  ours for teachers and admins read none): 3 for a course (the catalog, the course with its teacher), 4 for a lesson;
- the learner's standing (1), which also gives the page its lessons (`courses.page_parts.COURSE_LESSONS_HOOK`);
- on a lesson page with a quiz, its questions (1); on a course page, the reviews (2: the distribution, the newest
  with the learner's own; whether they may write one comes from the standing).

Lesson page with its quiz: 1 + 2 + 1 + 4 + 1 + 1 = 10 (9 without a quiz, 9 for a locked lesson's 403). Course page:
1 + 2 + 1 + 3 + 1 + 2 = 10 (8 for a visitor). A submission costs 12 on the site, 11 through the API.
"""

import pytest

from learners.models import Enrollment, LessonCompletion
from learners.services import learning, reviews
from quizzes.models import Attempt
from quizzes.services import replace_quiz

pytestmark = pytest.mark.django_db

COURSE_PAGE = 10
LESSON_PAGE = 10
QUIZ_SUBMISSION = 12

QUESTIONS = [
    {
        "text": "Which keyword defines a function in Python?",
        "kind": "single",
        "choices": [{"text": "func"}, {"text": "def", "correct": True}, {"text": "lambda"}],
    },
    {
        "text": "Which of these are immutable?",
        "kind": "multiple",
        "choices": [{"text": "tuple", "correct": True}, {"text": "list"}, {"text": "str", "correct": True}],
    },
    {
        "text": "What does len('abc') give?",
        "kind": "single",
        "choices": [{"text": "3", "correct": True}, {"text": "2"}],
    },
]


@pytest.fixture
def course(make_course, other_student, admin_user):
    """Four lessons, a quiz on the second, two reviews by other learners."""
    course = make_course(title="Python", lessons=4)
    for reviewer, rating, text in [(other_student, 5, "Clear and short."), (admin_user, 3, "Good enough.")]:
        learning.enroll(learner=reviewer, course=course)
        reviews.post_review(learner=reviewer, course=course, rating=rating, text=text)
    course.refresh_from_db()
    return course


@pytest.fixture
def quiz(course, teacher):
    second = list(course.lessons())[1]
    return replace_quiz(lesson=second, by=teacher, title="Check", questions=QUESTIONS, pass_mark=100, max_attempts=3)


@pytest.fixture
def learner(student, course, quiz):
    """Enrolled, the first lesson done: the second (with the quiz) is open, the third and fourth locked."""
    learning.enroll(learner=student, course=course)
    learning.complete_lesson(learner=student, lesson=course.lessons().first())
    return student


def right_answers(quiz):
    return [
        {"question": q.pk, "choices": [c.pk for c in q.choices.all() if c.is_correct]} for q in quiz.questions.all()
    ]


def test_the_course_page(client, course, learner, django_assert_max_num_queries):
    client.force_login(learner)
    client.get(course.url)
    with django_assert_max_num_queries(COURSE_PAGE) as captured:
        response = client.get(course.url)
    assert reads_of(captured, "learners_lessoncompletion") == 1
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your progress" in html and 'aria-valuenow="25"' in html
    assert html.count('data-state="done"') == 1 and html.count('data-state="locked"') == 2
    assert "Clear and short." in html and "Good enough." in html
    assert "Rate this course" in html  # the learner may review it
    assert f'action="/learn/courses/{course.pk}/leave/"' in html


def test_the_course_page_for_a_visitor(client, course, django_assert_max_num_queries):
    client.get(course.url)
    with django_assert_max_num_queries(COURSE_PAGE):
        response = client.get(course.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Log in to enroll" in html and "Clear and short." in html and "data-state" not in html


def reads_of(captured, table: str) -> int:
    return sum(f'"{table}"' in query["sql"] for query in captured.captured_queries)


def test_the_lesson_page_with_its_quiz(client, course, quiz, learner, django_assert_max_num_queries):
    client.force_login(learner)
    client.get(quiz.lesson.url)
    with django_assert_max_num_queries(LESSON_PAGE) as captured:
        response = client.get(quiz.lesson.url)
    # The gate before the page and the page's parts share one read of the learner's standing.
    assert reads_of(captured, "learners_lessoncompletion") == reads_of(captured, "learners_enrollment") == 1
    assert reads_of(captured, "quizzes_attempt") == 1
    assert response.status_code == 200
    html = response.content.decode()
    assert "Body of lesson 2" in html and "Lesson 2 of 4" in html
    assert "Which keyword defines a function in Python?" in html and "What does len(&#x27;abc&#x27;) give?" in html
    assert f'action="/learn/lessons/{quiz.lesson_id}/quiz/"' in html and "3 attempts left." in html
    assert html.count('data-state="done"') == 1 and html.count('data-state="locked"') == 2
    assert 'aria-valuenow="25"' in html


def test_a_locked_lesson_page(client, course, learner, django_assert_max_num_queries):
    client.force_login(learner)
    third = list(course.lessons())[2]
    client.get(third.url)
    with django_assert_max_num_queries(LESSON_PAGE):
        response = client.get(third.url)
    assert response.status_code == 403 and "This lesson is locked" in response.content.decode()


def test_a_lesson_page_without_a_quiz(client, course, learner, django_assert_max_num_queries):
    client.force_login(learner)
    first = course.lessons().first()
    client.get(first.url)
    with django_assert_max_num_queries(LESSON_PAGE):
        response = client.get(first.url)
    assert response.status_code == 200
    assert "You completed this lesson." in response.content.decode()


# A submission runs in a transaction (`submit_quiz`): its two statements (BEGIN and COMMIT in a request, a savepoint
# and its release inside the test's transaction) count.


def test_the_quiz_form_on_the_site(client, quiz, learner, django_assert_max_num_queries):
    client.force_login(learner)
    client.get(quiz.lesson.url)
    form = {f"q{answer['question']}": answer["choices"] for answer in right_answers(quiz)}
    with django_assert_max_num_queries(QUIZ_SUBMISSION):
        response = client.post(f"/learn/lessons/{quiz.lesson_id}/quiz/", form)
    attempt = Attempt.objects.get(learner=learner, quiz=quiz)
    assert response.status_code == 302 and response["Location"] == f"/learn/attempts/{attempt.pk}/"
    assert attempt.passed and attempt.number == 1
    assert LessonCompletion.objects.filter(learner=learner, lesson_id=quiz.lesson_id).exists()


def test_a_failed_quiz_form_on_the_site(client, quiz, learner, django_assert_max_num_queries):
    client.force_login(learner)
    client.get(quiz.lesson.url)
    form = {f"q{q.pk}": [q.choices.filter(is_correct=False).first().pk] for q in quiz.questions.all()}
    with django_assert_max_num_queries(QUIZ_SUBMISSION):
        response = client.post(f"/learn/lessons/{quiz.lesson_id}/quiz/", form)
    attempt = Attempt.objects.get(learner=learner, quiz=quiz)
    assert response.status_code == 302 and not attempt.passed
    assert not LessonCompletion.objects.filter(learner=learner, lesson_id=quiz.lesson_id).exists()


def test_the_quiz_attempt_through_the_api(as_user, quiz, learner, django_assert_max_num_queries):
    api = as_user(learner)
    answers = right_answers(quiz)
    with django_assert_max_num_queries(QUIZ_SUBMISSION):
        response = api.post(f"/api/v1/lessons/{quiz.lesson_id}/quiz/attempts/", {"answers": answers}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["passed"] is True and body["score"] == 100 and body["progress_percent"] == 50
    assert Enrollment.objects.get(learner=learner, course_id=quiz.lesson.course.pk).completed_at is None
