"""Who may do what, by role: every API route and the admin's main object URLs × anonymous, student, another
student, teacher, another teacher and admin, with the expected outcome in each cell. One world per route:
teacher's course A (lesson 1 done by the student, lesson 2 with a quiz, lesson 3), another teacher's
course B, the student's review and certificate of A.

Each request runs in a savepoint that is rolled back, so no cell sees another cell's changes. The
teachers' scope over every admin URL: test_authorization_matrix.py.
"""

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from learners.models import Certificate, Review
from learners.services import learning
from lms.models import PortalSettings
from quizzes.services import replace_quiz

pytestmark = pytest.mark.django_db
ACTORS = ["anonymous", "student", "other_student", "teacher", "other_teacher", "admin"]
QUIZ = [{"text": "2 + 2?", "kind": "single", "choices": [{"text": "4", "correct": True}, {"text": "5"}]}]


@pytest.fixture
def world(make_course, student, other_student, teacher, other_teacher, admin_user):
    course = make_course(owner=teacher, title="Course A", lessons=3)
    other_course = make_course(owner=other_teacher, title="Course B", lessons=1)
    first, second, third = course.lessons()
    quiz = replace_quiz(lesson=second, by=teacher, title="Quiz", questions=QUIZ)
    learning.enroll(learner=student, course=course)
    learning.complete_lesson(learner=student, lesson=first)
    review = Review.objects.create(learner=student, course=course, rating=5, text="Great")
    certificate = Certificate.objects.create(
        code="MATRXCDE234567ABCDEF",
        learner=student,
        course=course,
        learner_name=student.name,
        course_title=course.title,
    )
    users = {
        "student": student,
        "other_student": other_student,
        "teacher": teacher,
        "other_teacher": other_teacher,
        "admin": admin_user,
    }
    return {
        "course": course.pk,
        "other_course": other_course.pk,
        "lesson1": first.pk,
        "lesson2": second.pk,
        "lesson3": third.pk,
        "quiz": quiz.pk,
        "review": review.pk,
        "code": certificate.code,
        "certificate": certificate.pk,
        "student": student.pk,
        "settings": PortalSettings.load().pk,
        "users": users,
    }


def api_client(world, actor):
    if actor == "anonymous":
        return APIClient()
    client = APIClient()
    client.force_authenticate(world["users"][actor])
    return client


def outcome(call):
    """Run one request in a savepoint rolled back afterwards."""
    with transaction.atomic():
        response = call()
        transaction.set_rollback(True)
    return response.status_code


# (method, path template, body, expected statuses in ACTORS order)
API_MATRIX = [
    ("get", "/api/v1/me/", None, [401, 200, 200, 200, 200, 200]),
    ("patch", "/api/v1/me/", {"name": "New name"}, [401, 200, 200, 200, 200, 200]),
    ("get", "/api/v1/users/", None, [401, 403, 403, 403, 403, 200]),
    (
        "post",
        "/api/v1/users/",
        {"name": "N", "email": "n@example.com", "password": "Sturdy-pass-91"},
        [401, 403, 403, 403, 403, 201],
    ),
    ("get", "/api/v1/users/{student}/", None, [401, 403, 403, 403, 403, 200]),
    ("patch", "/api/v1/users/{student}/", {"role": "admin"}, [401, 403, 403, 403, 403, 200]),
    ("delete", "/api/v1/users/{student}/", None, [401, 403, 403, 403, 403, 204]),
    ("get", "/api/v1/courses/", None, [200] * 6),
    ("post", "/api/v1/courses/", {"title": "New course", "summary": "A new one"}, [401, 403, 403, 201, 201, 201]),
    ("get", "/api/v1/courses/{course}/", None, [200] * 6),
    ("patch", "/api/v1/courses/{course}/", {"summary": "Changed"}, [401, 403, 403, 200, 403, 200]),
    ("delete", "/api/v1/courses/{course}/", None, [401, 403, 403, 204, 403, 204]),
    ("post", "/api/v1/courses/{course}/lessons/", {"title": "Extra"}, [401, 403, 403, 201, 403, 201]),
    ("get", "/api/v1/categories/", None, [200] * 6),
    ("get", "/api/v1/lessons/{lesson1}/", None, [401, 200, 403, 200, 403, 200]),
    ("get", "/api/v1/lessons/{lesson3}/", None, [401, 403, 403, 200, 403, 200]),
    ("patch", "/api/v1/lessons/{lesson1}/", {"title": "Changed"}, [401, 403, 403, 200, 403, 200]),
    ("delete", "/api/v1/lessons/{lesson3}/", None, [401, 403, 403, 204, 403, 204]),
    ("post", "/api/v1/media/", {"title": "No file"}, [401, 403, 403, 415, 415, 415]),  # uploads are multipart
    ("post", "/api/v1/courses/{course}/enroll/", None, [401, 409, 201, 201, 201, 201]),
    ("delete", "/api/v1/courses/{course}/enroll/", None, [401, 204, 404, 404, 404, 404]),
    ("get", "/api/v1/me/enrollments/", None, [401, 200, 200, 200, 200, 200]),
    ("post", "/api/v1/lessons/{lesson1}/complete/", None, [401, 200, 403, 403, 403, 403]),
    ("post", "/api/v1/lessons/{lesson2}/complete/", None, [401, 409, 403, 403, 403, 403]),
    ("get", "/api/v1/lessons/{lesson2}/quiz/", None, [401, 200, 403, 200, 403, 200]),
    ("put", "/api/v1/lessons/{lesson2}/quiz/", {"title": "Q", "questions": QUIZ}, [401, 403, 403, 200, 403, 200]),
    ("post", "/api/v1/lessons/{lesson2}/quiz/attempts/", {"answers": []}, [401, 201, 403, 403, 403, 403]),
    ("get", "/api/v1/lessons/{lesson2}/quiz/attempts/", None, [401, 200, 403, 200, 403, 200]),
    ("get", "/api/v1/courses/{course}/reviews/", None, [200] * 6),
    ("post", "/api/v1/courses/{course}/reviews/", {"rating": 4}, [401, 409, 403, 403, 403, 403]),
    ("patch", "/api/v1/reviews/{review}/", {"rating": 4}, [401, 200, 403, 403, 403, 200]),
    ("delete", "/api/v1/reviews/{review}/", None, [401, 204, 403, 403, 403, 204]),
    ("get", "/api/v1/me/certificates/", None, [401, 200, 200, 200, 200, 200]),
    ("get", "/api/v1/certificates/{code}/", None, [200] * 6),
    ("get", "/api/v1/certificates/{code}/pdf/", None, [401, 200, 404, 404, 404, 200]),
    ("get", "/api/v1/certificates/{code}/credential/", None, [200] * 6),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "expected"), API_MATRIX, ids=[f"{m.upper()} {p}" for m, p, _b, _e in API_MATRIX]
)
def test_api_authorization(world, method, path, body, expected):
    url = path.format(**world)
    got = []
    for actor in ACTORS:
        client = api_client(world, actor)
        got.append(outcome(lambda client=client: getattr(client, method)(url, body, format="json")))
    assert dict(zip(ACTORS, got, strict=True)) == dict(zip(ACTORS, expected, strict=True))


# Admin object URLs: "ok" is a 200 page; "denied" is a redirect (to log in, or away with a message), a 403
# or a 404 — never the page. The scope part below opens every admin URL; these rows say who gets in.
ADMIN_MATRIX = [
    ("/admin/pages/{course}/edit/", ["denied", "denied", "denied", "ok", "denied", "ok"]),
    ("/admin/pages/{lesson1}/edit/", ["denied", "denied", "denied", "ok", "denied", "ok"]),
    ("/admin/pages/{course}/delete/", ["denied", "denied", "denied", "ok", "denied", "ok"]),
    ("/admin/quizzes/", ["denied", "denied", "denied", "ok", "ok", "ok"]),
    ("/admin/quizzes/edit/{quiz}/", ["denied", "denied", "denied", "ok", "denied", "ok"]),
    ("/admin/quizzes/inspect/{quiz}/", ["denied", "denied", "denied", "ok", "denied", "ok"]),
    ("/admin/quizzes/copy/{quiz}/", ["denied", "denied", "denied", "ok", "denied", "ok"]),
    ("/admin/quizzes/history/{quiz}/", ["denied", "denied", "denied", "ok", "denied", "ok"]),
    ("/admin/quizzes/usage/{quiz}/", ["denied", "denied", "denied", "ok", "denied", "ok"]),
    ("/admin/quizzes/delete/{quiz}/", ["denied", "denied", "denied", "ok", "denied", "ok"]),
    ("/admin/course-report/{course}/", ["denied", "denied", "denied", "ok", "denied", "ok"]),
    ("/admin/users/", ["denied", "denied", "denied", "denied", "denied", "ok"]),
    ("/admin/users/edit/{student}/", ["denied", "denied", "denied", "denied", "denied", "ok"]),
    ("/admin/reviews/inspect/{review}/", ["denied", "denied", "denied", "denied", "denied", "ok"]),
    ("/admin/certificates/edit/{certificate}/", ["denied", "denied", "denied", "denied", "denied", "ok"]),
    ("/admin/settings/lms/portalsettings/{settings}/", ["denied", "denied", "denied", "denied", "denied", "ok"]),
]


@pytest.mark.parametrize(("path", "expected"), ADMIN_MATRIX, ids=[p for p, _e in ADMIN_MATRIX])
def test_admin_authorization(world, client, path, expected):
    url = path.format(**world)
    got = []
    for actor in ACTORS:
        client.logout()
        if actor != "anonymous":
            client.force_login(world["users"][actor])
        status = outcome(lambda: client.get(url))
        got.append("ok" if status == 200 else "denied" if status in (302, 403, 404) else status)
    assert dict(zip(ACTORS, got, strict=True)) == dict(zip(ACTORS, expected, strict=True))


def test_a_teacher_cannot_reach_another_teachers_course_through_its_lessons(world, client):
    """The other teacher's course B: teacher A gets nowhere either (the matrix above covers A's course)."""
    client.force_login(world["users"]["teacher"])
    assert client.get(f"/admin/pages/{world['other_course']}/edit/").status_code in (302, 403)
    api = api_client(world, "teacher")
    assert api.patch(f"/api/v1/courses/{world['other_course']}/", {"title": "Mine"}, format="json").status_code == 403
