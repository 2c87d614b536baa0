"""Taking quizzes: secrecy of answers, server grading, attempt limits (also under races), completion."""

import json

import pytest

from learners.models import LessonCompletion
from learners.services import learning
from quizzes.models import Attempt
from quizzes.services import replace_quiz

pytestmark = pytest.mark.django_db

QUESTIONS = [
    {
        "text": "Which keyword defines a function in Python?",
        "kind": "single",
        "explanation": "def starts a function definition.",
        "choices": [{"text": "func"}, {"text": "def", "correct": True}, {"text": "lambda"}],
    },
    {
        "text": "Which of these are immutable?",
        "kind": "multiple",
        "explanation": "Tuples and strings cannot change.",
        "choices": [{"text": "tuple", "correct": True}, {"text": "list"}, {"text": "str", "correct": True}],
    },
]


@pytest.fixture
def course(make_course):
    return make_course(title="Python", lessons=2)


@pytest.fixture
def quiz(course, teacher):
    return replace_quiz(
        lesson=course.lessons().first(), by=teacher, title="Check", questions=QUESTIONS, pass_mark=100, max_attempts=3
    )


def quiz_url(quiz):
    return f"/api/v1/lessons/{quiz.lesson_id}/quiz/"


def right_answers(quiz):
    return [
        {"question": q.pk, "choices": [c.pk for c in q.choices.all() if c.is_correct]} for q in quiz.questions.all()
    ]


def wrong_answers(quiz):
    return [
        {"question": q.pk, "choices": [c.pk for c in q.choices.all() if not c.is_correct][:1]}
        for q in quiz.questions.all()
    ]


@pytest.fixture
def learner(student, course, as_user):
    learning.enroll(learner=student, course=course)
    return as_user(student)


# --- reading --------------------------------------------------------------------------------------


def test_the_quiz_json_never_tells_right_from_wrong(learner, quiz):
    response = learner.get(quiz_url(quiz))
    assert response.status_code == 200
    body = response.json()
    assert (
        body["title"] == "Check"
        and body["pass_mark"] == 100
        and body["max_attempts"] == 3
        and body["attempts_left"] == 3
    )
    assert [q["kind"] for q in body["questions"]] == ["single", "multiple"]
    for question in body["questions"]:
        for choice in question["choices"]:
            assert set(choice) == {"id", "text"}
    raw = json.dumps(body).lower()
    assert "correct" not in raw and "is_correct" not in raw and "explanation" not in raw


def test_the_lesson_page_never_tells_right_from_wrong(client, student, quiz, course):
    learning.enroll(learner=student, course=course)
    client.force_login(student)
    html = client.get(course.lessons().first().url).content.decode()
    assert "Which keyword defines a function in Python?" in html
    assert 'type="radio"' in html and 'type="checkbox"' in html
    lowered = html.lower()
    assert "correct" not in lowered
    assert "def starts a function definition." not in html  # explanations come after an attempt

    # every choice is rendered the same way: nothing in the markup marks the right one
    def markup(choice):
        start = html.index(f'value="{choice.pk}"')
        label = html[html.rindex("<label", 0, start) : html.index("</label>", start)]
        return label.replace(f'value="{choice.pk}"', "value=ID").replace(choice.text, "TEXT")

    for question in quiz.questions.all():
        assert len({markup(choice) for choice in question.choices.all()}) == 1


def test_quiz_needs_enrollment_and_an_open_lesson(api, student, other_student, course, teacher, as_user):
    second = list(course.lessons())[1]
    quiz = replace_quiz(lesson=second, by=teacher, title="Later", questions=QUESTIONS)
    assert api.get(quiz_url(quiz)).status_code == 401
    assert as_user(other_student).get(quiz_url(quiz)).json()["code"] == "not_enrolled"
    learning.enroll(learner=student, course=course)
    client = as_user(student)
    assert client.get(quiz_url(quiz)).json()["code"] == "lesson_locked"
    response = client.post(f"{quiz_url(quiz)}attempts/", {"answers": right_answers(quiz)}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "lesson_locked"
    assert not Attempt.objects.exists()


def test_a_lesson_without_a_quiz_has_none(learner, course):
    assert learner.get(f"/api/v1/lessons/{course.lessons().first().pk}/quiz/").status_code == 404


# --- taking -----------------------------------------------------------------------------------------


def test_a_failed_attempt_shows_right_and_wrong_and_explanations_but_not_the_answers(learner, quiz):
    first, second = quiz.questions.all()
    answers = [
        {"question": first.pk, "choices": [c.pk for c in first.choices.all() if c.is_correct]},
        {"question": second.pk, "choices": [second.choices.first().pk]},
    ]
    response = learner.post(f"{quiz_url(quiz)}attempts/", {"answers": answers}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["score"] == 50 and body["passed"] is False and body["attempts_left"] == 2
    assert [item["correct"] for item in body["results"]] == [True, False]
    assert body["results"][1]["explanation"] == "Tuples and strings cannot change."
    assert all(item["correct_choices"] is None for item in body["results"])
    assert not LessonCompletion.objects.exists()


def test_passing_completes_the_lesson_and_reveals_answers(learner, quiz, student):
    response = learner.post(f"{quiz_url(quiz)}attempts/", {"answers": right_answers(quiz)}, format="json")
    body = response.json()
    assert body["score"] == 100 and body["passed"] is True and body["progress_percent"] == 50
    assert body["results"][1]["correct_choices"] == sorted(
        c.pk for c in quiz.questions.all()[1].choices.all() if c.is_correct
    )
    assert LessonCompletion.objects.filter(learner=student, lesson_id=quiz.lesson_id).exists()
    second = list(quiz.lesson.course.lessons())[1]
    assert learner.get(f"/api/v1/lessons/{second.pk}/").status_code == 200


def test_complete_answers_409_until_the_quiz_is_passed(learner, quiz):
    response = learner.post(f"/api/v1/lessons/{quiz.lesson_id}/complete/")
    assert response.status_code == 409 and response.json()["code"] == "quiz_required"
    learner.post(f"{quiz_url(quiz)}attempts/", {"answers": right_answers(quiz)}, format="json")
    assert learner.post(f"/api/v1/lessons/{quiz.lesson_id}/complete/").status_code == 200


def test_the_attempt_limit_holds_and_then_answers_are_revealed(learner, quiz):
    for _ in range(3):
        assert (
            learner.post(f"{quiz_url(quiz)}attempts/", {"answers": wrong_answers(quiz)}, format="json").status_code
            == 201
        )
    response = learner.post(f"{quiz_url(quiz)}attempts/", {"answers": right_answers(quiz)}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "no_attempts_left"
    attempts = learner.get(f"{quiz_url(quiz)}attempts/").json()
    assert attempts["count"] == 3
    assert attempts["results"][0]["results"][0]["correct_choices"] is not None  # out of attempts: revealed
    assert learner.get(quiz_url(quiz)).json()["attempts_left"] == 0


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"answers": "all"},
        {"answers": [{"question": "x", "choices": []}]},
        {"answers": [{"question": 1}]},
        {"answers": [{"choices": [1]}]},
        {"answers": [{"question": 10**12, "choices": [1]}]},
    ],
)
def test_malformed_attempts_are_a_400_and_record_nothing(learner, quiz, payload):
    assert learner.post(f"{quiz_url(quiz)}attempts/", payload, format="json").status_code == 400
    assert not Attempt.objects.exists()


def test_choices_of_another_question_or_quiz_are_a_400(learner, quiz, course, teacher):
    first, second = quiz.questions.all()
    other = replace_quiz(lesson=list(course.lessons())[1], by=teacher, title="Other", questions=QUESTIONS)
    foreign_choice = other.questions.first().choices.first().pk
    for answers in (
        [{"question": first.pk, "choices": [second.choices.first().pk]}],
        [{"question": first.pk, "choices": [foreign_choice]}],
        [{"question": other.questions.first().pk, "choices": [foreign_choice]}],
    ):
        response = learner.post(f"{quiz_url(quiz)}attempts/", {"answers": answers}, format="json")
        assert response.status_code == 400, answers
    assert not Attempt.objects.exists()


def test_editing_a_quiz_keeps_past_attempts_whole(learner, quiz, teacher):
    learner.post(f"{quiz_url(quiz)}attempts/", {"answers": wrong_answers(quiz)}, format="json")
    replace_quiz(lesson=quiz.lesson, by=teacher, title="New title", questions=QUESTIONS[:1], pass_mark=10)
    attempt = Attempt.objects.get()
    assert attempt.score == 0 and attempt.quiz_title == "Check" and attempt.pass_mark == 100
    assert [item["text"] for item in attempt.results] == [q["text"] for q in QUESTIONS]
    listed = learner.get(f"{quiz_url(quiz)}attempts/").json()["results"][0]
    assert listed["score"] == 0 and len(listed["results"]) == 2


def test_one_sees_only_ones_own_attempts(learner, quiz, other_student, as_user):
    learner.post(f"{quiz_url(quiz)}attempts/", {"answers": wrong_answers(quiz)}, format="json")
    learning.enroll(learner=other_student, course=quiz.lesson.course)
    assert as_user(other_student).get(f"{quiz_url(quiz)}attempts/").json()["count"] == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_attempt_limit_holds_when_requests_race(make_course, student, teacher):
    from conftest import at_once, client_for

    course = make_course(lessons=1)
    quiz = replace_quiz(lesson=course.lessons().first(), by=teacher, title="Race", questions=QUESTIONS, max_attempts=2)
    learning.enroll(learner=student, course=course)
    clients = [client_for(student) for _ in range(5)]
    answers = {"answers": wrong_answers(quiz)}
    submit = [lambda client=client: client.post(f"{quiz_url(quiz)}attempts/", answers, format="json") for client in clients]
    assert sorted(response.status_code for response in at_once(submit)) == [201, 201, 403, 403, 403]
    assert Attempt.objects.filter(learner=student, quiz=quiz).count() == 2


# --- authoring through the API ------------------------------------------------------------------------


def test_teacher_replaces_a_quiz_through_the_api(course, teacher, as_user):
    lesson = course.lessons().first()
    payload = {"title": "API quiz", "pass_mark": 80, "max_attempts": None, "questions": QUESTIONS}
    response = as_user(teacher).put(f"/api/v1/lessons/{lesson.pk}/quiz/", payload, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["max_attempts"] is None
    response = as_user(teacher).put(
        f"/api/v1/lessons/{lesson.pk}/quiz/", {**payload, "questions": QUESTIONS[:1]}, format="json"
    )
    assert response.status_code == 200 and len(response.json()["questions"]) == 1


@pytest.mark.parametrize(
    "questions",
    [
        [],
        [{"text": "One choice", "kind": "single", "choices": [{"text": "a", "correct": True}]}],
        [{"text": "None right", "kind": "multiple", "choices": [{"text": "a"}, {"text": "b"}]}],
        [
            {
                "text": "Two right",
                "kind": "single",
                "choices": [{"text": "a", "correct": True}, {"text": "b", "correct": True}],
            }
        ],
        [{"text": "Bad kind", "kind": "essay", "choices": [{"text": "a", "correct": True}, {"text": "b"}]}],
        [{"text": "", "kind": "single", "choices": [{"text": "a", "correct": True}, {"text": "b"}]}],
        "not a list",
    ],
)
def test_quiz_api_validates_like_the_editor(course, teacher, as_user, questions):
    lesson = course.lessons().first()
    response = as_user(teacher).put(
        f"/api/v1/lessons/{lesson.pk}/quiz/", {"title": "Q", "questions": questions}, format="json"
    )
    assert response.status_code == 400, response.content
    assert not lesson.__class__.objects.filter(pk=lesson.pk, quiz__isnull=False).exists()


def test_only_the_lessons_teacher_may_replace_its_quiz(course, quiz, other_teacher, student, as_user):
    payload = {"title": "Hijack", "questions": QUESTIONS}
    assert as_user(other_teacher).put(quiz_url(quiz), payload, format="json").status_code == 403
    assert as_user(student).put(quiz_url(quiz), payload, format="json").status_code == 403
    quiz.refresh_from_db()
    assert quiz.title == "Check"


# --- the site -----------------------------------------------------------------------------------------


def test_taking_the_quiz_on_the_site(client, student, quiz, course):
    learning.enroll(learner=student, course=course)
    client.force_login(student)
    first, second = quiz.questions.all()
    wrong = {
        f"q{first.pk}": [c.pk for c in first.choices.all() if not c.is_correct][0],
        f"q{second.pk}": [c.pk for c in second.choices.all() if c.is_correct],
    }
    response = client.post(f"/learn/lessons/{quiz.lesson_id}/quiz/", wrong)
    assert response.status_code == 302
    result = client.get(response["Location"]).content.decode()
    assert "50%" in result and "Not passed yet" in result and "def starts a function definition." in result
    assert "correct answer" not in result and "2 attempts left." in result

    right = {f"q{q.pk}": [c.pk for c in q.choices.all() if c.is_correct] for q in quiz.questions.all()}
    response = client.post(f"/learn/lessons/{quiz.lesson_id}/quiz/", right)
    result = client.get(response["Location"]).content.decode()
    assert "100%" in result and "Passed" in result and "correct answer" in result
    assert LessonCompletion.objects.filter(learner=student, lesson_id=quiz.lesson_id).exists()


def test_someone_elses_attempt_is_a_404(client, student, other_student, quiz, course):
    learning.enroll(learner=student, course=course)
    attempt = learning.submit_quiz(learner=student, lesson=quiz.lesson, answers=[]).attempt
    client.force_login(other_student)
    assert client.get(f"/learn/attempts/{attempt.pk}/").status_code == 404
