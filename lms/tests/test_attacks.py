"""What attackers and careless clients send: a bad-input corpus on every write endpoint and query
parameter of the API; stored XSS, open redirects, deep JSON and NUL outside any field. Every answer is a
4xx or a success, never a 500, and nothing stored is served as live markup.

The site's forms and query strings: test_site_attacks.py; uploads: test_upload_attacks.py; the corpus
itself: attack_inputs.py.
"""

import json

import pytest
from django.test import Client
from rest_framework.test import APIClient

from learners.services import learning
from lms.tests.attack_inputs import BIG, DEEP_JSON, VALUES, XSS, deep

pytestmark = pytest.mark.django_db
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


# --- deep JSON and NUL outside any field -------------------------------------------------------------------


@pytest.mark.parametrize(("actor", "method", "path", "fields"), WRITES, ids=[f"{m} {p}" for _a, m, p, _f in WRITES])
def test_deeply_nested_json_is_a_400_parse_error_on_every_write(
    world, student, teacher, admin_user, actor, method, path, fields
):
    client = client_for_actor(actor, {"student": student, "teacher": teacher, "admin": admin_user})
    for body in (DEEP_JSON, json.dumps({fields[0]: deep(33)}), '{"a":' * 3000 + "1" + "}" * 3000):
        response = client.generic(method.upper(), path.format(**world), body, content_type="application/json")
        assert response.status_code == 400, response.content[:200]
        assert response.json()["code"] == "parse_error"
    nested = {fields[0]: deep(30)}  # as deep as any client could mean: parsed, and answered by the view
    response = client.generic(method.upper(), path.format(**world), json.dumps(nested), content_type="application/json")
    assert response.status_code < 500 and response.json().get("code") != "parse_error"


@pytest.mark.parametrize(
    "cookie", ['sessionid="abcdefghij\\000klm"', 'csrftoken="\\000"', 'django_language="r\\000u"', 'other="\\000"']
)
def test_a_nul_in_a_cookie_is_a_400_before_any_session_lookup(world, cookie):
    client = Client(HTTP_COOKIE=cookie)
    for url in ["/learn/", "/", "/courses/", "/search/?q=python", "/admin/"]:
        assert client.get(url).status_code == 400, url
    response = client.get("/api/v1/courses/")
    assert response.status_code == 400 and response.json()["code"] == "null_character"
