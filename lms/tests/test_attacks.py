"""What attackers and careless clients send: a bad-input corpus on every write endpoint and query
parameter, stored XSS, open redirects. Every answer is a 4xx or a success, never a 500, and nothing
stored is served as live markup."""

import json

import pytest
from rest_framework.test import APIClient

from learners.models import Review
from learners.services import learning
from quizzes.services import replace_quiz

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">x</a>'
BIG = "x" * 1_000_000
VALUES = [
    None,
    True,
    -1,
    0,
    2**63,
    -(2**63) - 1,
    1.5,
    "",
    "\x00",
    "a\x00b",
    BIG,
    XSS,
    "'; DROP TABLE learners_user; --",
    "<svg onload=alert(1)>",
    [],
    [1, 2],
    {},
    {"nested": {"deep": [1, {"x": None}]}},
]


def deep(level):
    value = 1
    for _ in range(level):
        value = [value]
    return value


@pytest.fixture
def world(make_course, student, teacher):
    course = make_course(owner=teacher, title="Course", lessons=2)
    first, second = course.lessons()
    replace_quiz(
        lesson=second,
        by=teacher,
        title="Q",
        questions=[{"text": "?", "kind": "single", "choices": [{"text": "a", "correct": True}, {"text": "b"}]}],
    )
    learning.enroll(learner=student, course=course)
    learning.complete_lesson(learner=student, lesson=first)
    review = Review.objects.create(learner=student, course=course, rating=4)
    return {"course": course.pk, "lesson1": first.pk, "lesson2": second.pk, "review": review.pk, "student": student.pk}


WRITES = [
    # (actor, method, path, fields)
    (None, "post", "/api/v1/auth/register/", ["name", "email", "password"]),
    (None, "post", "/api/v1/auth/token/", ["email", "password"]),
    (None, "post", "/api/v1/auth/token/refresh/", ["refresh"]),
    ("student", "post", "/api/v1/auth/logout/", ["refresh"]),
    ("student", "patch", "/api/v1/me/", ["name"]),
    ("admin", "post", "/api/v1/users/", ["name", "email", "password", "role"]),
    ("admin", "patch", "/api/v1/users/{student}/", ["name", "email", "role", "is_active", "password"]),
    (
        "teacher",
        "post",
        "/api/v1/courses/",
        ["title", "summary", "description", "category", "level", "language", "duration_minutes"],
    ),
    (
        "teacher",
        "patch",
        "/api/v1/courses/{course}/",
        ["title", "summary", "description", "category", "level", "teacher"],
    ),
    ("teacher", "post", "/api/v1/courses/{course}/lessons/", ["title", "body", "duration_minutes"]),
    ("teacher", "patch", "/api/v1/lessons/{lesson1}/", ["title", "body", "duration_minutes"]),
    (
        "teacher",
        "put",
        "/api/v1/lessons/{lesson2}/quiz/",
        ["title", "pass_mark", "max_attempts", "shuffle", "questions"],
    ),
    ("student", "post", "/api/v1/lessons/{lesson2}/quiz/attempts/", ["answers"]),
    ("student", "post", "/api/v1/courses/{course}/reviews/", ["rating", "text"]),
    ("student", "patch", "/api/v1/reviews/{review}/", ["rating", "text"]),
]


def client_for_actor(actor, users):
    client = APIClient()
    if actor:
        client.force_authenticate(users[actor])
    return client


@pytest.mark.parametrize(("actor", "method", "path", "fields"), WRITES, ids=[f"{m} {p}" for _a, m, p, _f in WRITES])
def test_write_endpoints_answer_bad_input_with_4xx(world, student, teacher, admin_user, actor, method, path, fields):
    users = {"student": student, "teacher": teacher, "admin": admin_user}
    client = client_for_actor(actor, users)
    url = path.format(**world)
    bodies = [{field: value} for field in fields for value in VALUES]
    bodies += [{field: deep(200) for field in fields}, VALUES, "a string", 12, None]
    for body in bodies:
        response = client.generic(method.upper(), url, json.dumps(body), content_type="application/json")
        assert response.status_code < 500, (body if len(str(body)) < 300 else str(body)[:300], response.status_code)
    # duplicate keys, broken JSON, wrong content types
    for raw, content_type in [
        ('{"name": "a", "name": "b", "rating": 3, "rating": "x"}', "application/json"),
        ('{"unterminated": ', "application/json"),
        ("\x00\x01\x02", "application/json"),
        ("name=x&rating=3", "application/x-www-form-urlencoded"),
        ("<xml/>", "application/xml"),
    ]:
        response = client.generic(method.upper(), url, raw, content_type=content_type)
        assert response.status_code < 500, (raw, response.status_code)


QUERY_PARAMS = {
    "page": ["0", "-1", "abc", str(2**70), "1.5", "\x00"],
    "page_size": ["0", "-5", str(2**70), "abc", "101"],
    "search": ["\x00", BIG[:5000], "' OR 1=1 --", '"unclosed', "NEAR(a b)", "*", ":*", "!", "&|", XSS],
    "category": ["\x00", "nope", "../../etc/passwd", XSS],
    "level": ["expert", "\x00", ""],
    "language": ["xx", "\x00"],
    "teacher": ["abc", "-1", str(2**70), "1.5"],
    "min_rating": ["abc", "-1", "6", "NaN", "inf", str(2**70)],
    "ordering": ["-password", "title,-created", "\x00", "rating"],
}


@pytest.mark.parametrize("param", sorted(QUERY_PARAMS))
def test_catalog_query_parameters_never_500(world, api, param):
    for value in QUERY_PARAMS[param]:
        response = api.get("/api/v1/courses/", {param: value})
        assert response.status_code in (200, 400, 404), (param, value, response.status_code)
        response = api.get("/courses/", {param: value})
        assert response.status_code in (200, 400, 404), ("site", param, value, response.status_code)


@pytest.mark.parametrize(
    "path", ["/api/v1/courses/{course}/reviews/", "/api/v1/me/enrollments/", "/api/v1/lessons/{lesson2}/quiz/attempts/"]
)
def test_pagination_edges_on_other_lists(world, student, path):
    client = APIClient()
    client.force_authenticate(student)
    for params in ({"page": "999"}, {"page": "0"}, {"page": "x"}, {"page_size": "100000"}, {"page_size": "-1"}):
        assert client.get(path.format(**world), params).status_code in (200, 404)


# --- stored XSS -----------------------------------------------------------------------------------------


def test_stored_xss_is_inert_in_pages_and_the_api(make_course, teacher, student, client, api):
    from courses import services as authoring
    from learners.services import reviews

    course = make_course(owner=teacher, title=f"Course {XSS}", lessons=0, description=f"<p>About {XSS}</p>")
    lesson = authoring.add_lesson(
        course=course, by=teacher, title=f"Lesson {XSS}", body=[{"type": "text", "value": f"<p>{XSS}</p>"}]
    )
    learning.enroll(learner=student, course=course)
    reviews.post_review(learner=student, course=course, rating=5, text=XSS)
    client.force_login(student)
    for url in ["/courses/", course.url, lesson.url, "/search/?q=Course"]:
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "<img src=x onerror" not in html and "<svg onload" not in html, url
        assert 'href="javascript:' not in html, url
    body = api.get(f"/api/v1/courses/{course.pk}/").json()
    assert "<script" not in body["description"] and "onerror" not in body["description"]
    assert body["title"] == f"Course {XSS}"  # plain text in JSON; clients escape it like any text
    review = api.get(f"/api/v1/courses/{course.pk}/reviews/").json()["results"][0]
    assert (
        review["text"] == XSS and api.get(f"/api/v1/courses/{course.pk}/reviews/")["Content-Type"] == "application/json"
    )


def test_html_responses_are_not_sniffed_or_framed_by_others(client):
    response = client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "SAMEORIGIN"


# --- open redirects ---------------------------------------------------------------------------------------

FOREIGN = ["https://evil.example/", "//evil.example/", "/\\evil.example/", "https:evil.example", "\\\\evil.example"]


@pytest.mark.parametrize("target", FOREIGN)
def test_login_and_logout_never_redirect_away(client, student, target):
    from learners.tests.factories import PASSWORD

    response = client.post("/accounts/login/", {"username": student.email, "password": PASSWORD, "next": target})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
    response = client.post(f"/accounts/logout/?next={target}")
    assert "evil.example" not in response.get("Location", "")
    response = client.post(
        f"/accounts/signup/?next={target}",
        {"name": "N", "email": f"n{abs(hash(target))}@example.com", "password": "Sturdy-pass-91", "next": target},
    )
    assert "evil.example" not in response.get("Location", "")
