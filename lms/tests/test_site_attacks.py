"""What attackers and careless clients send to the site's forms and query strings, and to the Wagtail admin's
own JSON: every answer is a form error, a 4xx or a success, never a 500, and a refused input changes nothing
(the API's doors: test_attacks.py).
"""

from urllib.parse import quote

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.http import QueryDict
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from learners.models import Certificate, Enrollment, LessonCompletion, Review, User
from learners.tests.factories import PASSWORD
from lms.tests.attack_inputs import DEEP_JSON, HOSTILE, HOSTILE_KEYS, RAW_BODIES
from quizzes.models import Attempt, Quiz
from quizzes.services import answers_from_form

pytestmark = pytest.mark.django_db


# --- the site's forms --------------------------------------------------------------------------------------

# Every form of the site (lms/urls.py, learners/urls.py, Django's i18n): who posts it, where, and valid
# values of its fields, so that a hostile value in one field is the one thing wrong. Formatted with `site`.
SITE_FORMS = [
    (None, "/accounts/signup/", {"name": "New learner", "email": "new@example.com", "password": "Sturdy-pass-91"}),
    (None, "/accounts/login/", {"username": "{student_email}", "password": PASSWORD}),
    (None, "/accounts/password/reset/", {"email": "{student_email}"}),
    (
        "student",
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": "Other-pass-92", "new_password2": "Other-pass-92"},
    ),
    ("student", "/accounts/logout/", {"next": "/"}),
    ("student", "/learn/courses/{course}/enroll/", {}),
    ("student", "/learn/courses/{course}/leave/", {}),
    ("student", "/learn/lessons/{lesson1}/complete/", {}),
    ("student", "/learn/lessons/{lesson2}/quiz/", {"q{question}": "{right}"}),
    ("student", "/learn/courses/{course}/review/", {"rating": "4", "text": "Fine"}),
    ("student", "/learn/reviews/{review}/delete/", {}),
    (None, "/i18n/setlang/", {"language": "ru", "next": "/"}),
]


@pytest.fixture
def site(world, student):
    """`world` with what the site's forms name."""
    question = Quiz.objects.get(lesson_id=world["lesson2"]).questions.get()
    choices = {choice.is_correct: choice.pk for choice in question.choices.all()}
    return {**world, "student_email": student.email, "question": question.pk, "right": choices[True]}


def filled(template: dict, site: dict) -> dict:
    return {key.format(**site): value.format(**site) for key, value in template.items()}


def footprint() -> list:
    """What a site form can change: accounts, learning, reviews, certificates, and mail sent."""
    users = User.objects.order_by("pk").values_list("pk", "email", "name", "password", "is_active", "role")
    rows = [list(model.objects.order_by("pk").values()) for model in (Enrollment, LessonCompletion, Attempt, Review)]
    return [list(users), *rows, list(Certificate.objects.values_list("pk", flat=True)), len(mail.outbox)]


def post_as(client, actor, users, url, data=None, **raw):
    """Post as the actor (None: anonymous), logging in or out again when the last post changed who it is."""
    current = client.session.get("_auth_user_id")
    if actor is None and current:
        client.logout()
    elif actor is not None and current != str(users[actor].pk):
        client.force_login(users[actor])
    return client.post(url, data, **raw) if data is not None else client.post(url, **raw)


@pytest.mark.parametrize(("actor", "path", "valid"), SITE_FORMS, ids=[path for _a, path, _v in SITE_FORMS])
def test_site_forms_never_answer_500(site, client, student, actor, path, valid):
    users, url, valid = {"student": student}, path.format(**site), filled(valid, site)
    bodies = [{field: value} for field in valid for value in HOSTILE]
    bodies += [{**valid, field: value} for field in valid for value in HOSTILE]
    bodies += [{**valid, field: [value, "x", "\x00"]} for field, value in valid.items()]  # lists for scalars
    bodies += [{**valid, key: "1"} for key in HOSTILE_KEYS]
    for body in bodies:
        response = post_as(client, actor, users, url, body)
        assert response.status_code < 500, (url, str(body)[:200], response.status_code)
    for raw, content_type in RAW_BODIES:
        response = post_as(client, actor, users, url, data=raw, content_type=content_type)
        assert response.status_code < 500, (url, raw[:60], response.status_code)


# Fields in which every hostile value must be refused, and then nothing may change.
REFUSED = [
    (None, "/accounts/signup/", "email", HOSTILE),
    (None, "/accounts/login/", "username", HOSTILE),
    (None, "/accounts/password/reset/", "email", HOSTILE),
    ("student", "/accounts/password/change/", "old_password", HOSTILE),
    ("student", "/learn/lessons/{lesson2}/quiz/", "q{question}", HOSTILE),
    ("student", "/learn/courses/{course}/review/", "rating", [value for value in HOSTILE if value]),  # "" keeps it
]


@pytest.mark.parametrize(("actor", "path", "field", "values"), REFUSED, ids=[f"{p} {f}" for _a, p, f, _v in REFUSED])
def test_a_refused_site_form_changes_nothing(site, client, student, actor, path, field, values):
    users, url = {"student": student}, path.format(**site)
    valid = filled(next(v for _a, p, v in SITE_FORMS if p == path), site)
    field = field.format(**site)
    before = footprint()
    for value in values:
        response = post_as(client, actor, users, url, {**valid, field: value})
        assert response.status_code < 500, (url, field, value[:50], response.status_code)
        assert footprint() == before, (url, field, value[:50])
        assert actor or "_auth_user_id" not in client.session
    if field.startswith("q"):
        for key in HOSTILE_KEYS:
            assert post_as(client, actor, users, url, {**valid, key: "1"}).status_code < 500
            assert footprint() == before, key[:50]


HOSTILE_IDS = ["0", "-1", "abc", str(2**63), "9" * 5000, quote("²"), quote("٣"), "1.5", "%00", "%FF", "1%00", "%201"]


@pytest.mark.parametrize(
    "template",
    [
        "/learn/courses/{id}/enroll/",
        "/learn/courses/{id}/leave/",
        "/learn/lessons/{id}/complete/",
        "/learn/lessons/{id}/quiz/",
        "/learn/courses/{id}/review/",
        "/learn/reviews/{id}/delete/",
        "/learn/attempts/{id}/",
        "/certificates/{id}/",
        "/certificates/{id}/pdf/",
        "/accounts/reset/{id}/{id}/",
    ],
)
def test_hostile_ids_in_site_paths_match_nothing_and_change_nothing(site, client, student, template):
    client.force_login(student)
    before = footprint()
    for hostile in HOSTILE_IDS:
        url = template.format(id=hostile)
        for response in (client.get(url), client.post(url, {"rating": "5", "q1": "1"})):
            assert 400 <= response.status_code < 500 or response.status_code in (200, 302), (url, response.status_code)
    assert footprint() == before


SITE_PARAMS = ["q", "page", "level", "category", "language", "teacher", "min_rating", "ordering", "next", "sort"]


def test_site_query_strings_never_answer_500(site, client, student):
    from courses.models import CoursePage, LessonPage

    pages = ["/search/", "/learn/", "/accounts/login/"]  # the catalog's own: test_catalog_query_parameters_never_500
    pages += [CoursePage.objects.get(pk=site["course"]).url, LessonPage.objects.get(pk=site["lesson2"]).url]
    client.force_login(student)
    queries = [dict.fromkeys(SITE_PARAMS, value) for value in HOSTILE]
    queries += [{param: ["1", "\x00", "²"] for param in SITE_PARAMS}, dict.fromkeys(HOSTILE_KEYS, "1")]
    raw_queries = ["%FF=%FE&q=%C0%AF", "q=%00", "page=%ED%A0%80", "&".join(["a=1"] * 2000), "q[]=1&q[]=2"]
    for page in pages:
        for query in queries:
            assert client.get(page, query).status_code < 500, (page, str(query)[:120])
        for raw in raw_queries:
            assert client.get(f"{page}?{raw}").status_code < 500, (page, raw[:60])


@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(
    fields=st.dictionaries(
        st.one_of(st.text(max_size=6).map(lambda key: f"q{key}"), st.text(max_size=12)),
        st.lists(st.one_of(st.text(max_size=30), st.integers().map(str)), min_size=1, max_size=3),
        max_size=4,
    )
)
def test_any_quiz_form_is_graded_or_refused_whole(site, client, student, fields):
    client.force_login(student)
    attempts = Attempt.objects.count()
    response = client.post(f"/learn/lessons/{site['lesson2']}/quiz/", fields)
    assert response.status_code == 302
    data = QueryDict(mutable=True)
    for key, values in fields.items():
        data.setlist(key, values)
    try:
        answers_from_form(data)
        readable = True
    except ValidationError:
        readable = False
    assert readable or Attempt.objects.count() == attempts


# --- the Wagtail admin's own JSON -------------------------------------------------------------------------


def test_the_admin_store_of_dismissed_items_takes_only_a_flat_object(client, teacher):
    url = "/admin/dismissibles/"
    assert client.patch(url, '{"a": true}', content_type="application/json").status_code == 302  # to the login
    client.force_login(teacher)
    bodies = ["[1]", '"x"', "null", "not json", DEEP_JSON, '{"a": {"b": 1}}', '{"a": [1]}', '{"a\\u0000": 1}']
    bodies += ['{"a": "b\\u0000"}', b"\xff\xfe"]
    for body in bodies:
        response = client.patch(url, body, content_type="application/json")
        assert response.status_code == 400, (body[:40], response.status_code)
    assert client.get(url).json() == {}
    response = client.patch(url, '{"whats-new-in-wagtail": true}', content_type="application/json")
    assert response.status_code == 200 and response.json() == {"whats-new-in-wagtail": True}
