"""Page privacy (the admin's Privacy dialog: Wagtail's view restrictions) holds at every door.

One rule (`courses.visibility`) for the API, the site, search and the catalog's cache: a course made
private, on itself or on an ancestor (the catalog), is neither listed, counted, shown, enrolled in,
opened, quizzed nor reviewed by those who do not pass its restriction; its teacher and the admins always
pass, and so do a group's members (groups), anyone signed in (login), and on the site whoever gave the
password (password; the API has no session, so there nobody but the teacher and the admins).
"""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Page, PageViewRestriction

from courses.models import Category, CoursePage, LessonPage
from courses.visibility import SESSION_KEY, can_view, restriction_scope, visible
from learners.models import Certificate, Enrollment, Review, Role
from learners.services import learning
from learners.tests.factories import UserFactory
from quizzes.models import Attempt
from quizzes.services import replace_quiz

pytestmark = pytest.mark.django_db

LOGIN, GROUPS, PASSWORD = PageViewRestriction.LOGIN, PageViewRestriction.GROUPS, PageViewRestriction.PASSWORD
SECRET = "open-sesame"
QUESTIONS = [{"text": "2 + 2?", "kind": "single", "choices": [{"text": "4", "correct": True}, {"text": "5"}]}]
VIEWERS = ("anonymous", "student", "member", "owner", "other_teacher", "admin")
# Who passes each restriction without a session (the API); a course's own teacher sees it anyway.
PASSES = {
    LOGIN: {"student", "member", "owner", "other_teacher", "admin"},
    GROUPS: {"member", "admin"},
    PASSWORD: {"admin"},
}
SEES = {kind: names | {"owner"} for kind, names in PASSES.items()}  # the private course: "owner" teaches it


def sees_public(name, kind, where) -> bool:
    """Whether a viewer sees the open course (taught by "other_teacher"): unless the catalog is restricted."""
    return where == "course" or name in PASSES[kind] or name == "other_teacher"


@pytest.fixture
def cohort(db):
    return Group.objects.create(name="Cohort")


@pytest.fixture
def programming(db):
    return Category.objects.create(name="Programming", slug="programming")


@pytest.fixture
def people(student, teacher, other_teacher, admin_user, cohort):
    member = UserFactory(role=Role.STUDENT)
    member.groups.add(cohort)
    return {
        "anonymous": None,
        "student": student,
        "member": member,
        "owner": teacher,
        "other_teacher": other_teacher,
        "admin": admin_user,
    }


@pytest.fixture
def secret(make_course, programming):
    """The course that is made private: two lessons, the second with a quiz."""
    course = make_course(title="Secret Python", lessons=2, category=programming)
    replace_quiz(lesson=course.lessons().last(), by=course.owner, title="Check", questions=QUESTIONS)
    return course


@pytest.fixture
def public(make_course, other_teacher, programming):
    return make_course(owner=other_teacher, title="Open Python", lessons=1, category=programming)


@pytest.fixture
def restrict(cohort):
    def restrict(page, kind):
        restriction = PageViewRestriction.objects.create(
            page=page, restriction_type=kind, password=SECRET if kind == PASSWORD else ""
        )
        if kind == GROUPS:
            restriction.groups.add(cohort)
        return restriction

    return restrict


@pytest.fixture
def clients(people, as_user, api):
    made = {}

    def client(name):
        if name not in made:
            made[name] = api if people[name] is None else as_user(people[name])
        return made[name]

    return client


def on(where, course):
    """The page that carries the restriction: the course itself, or the catalog above it."""
    return course if where == "course" else course.get_parent()


def site_login(client, user):
    client.force_login(user)
    return client


def give_password(client, restriction, page):
    url = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk])
    response = client.post(url, {"password": SECRET, "return_url": page.url})
    assert response.status_code == 302


# --- the rule ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["course", "catalog"])
@pytest.mark.parametrize("kind", [LOGIN, GROUPS, PASSWORD])
def test_the_filter_and_the_page_check_agree_for_every_viewer(people, secret, public, restrict, kind, where):
    restriction = restrict(on(where, secret), kind)
    lesson = secret.lessons().first()
    for name, user in people.items():
        expected = name in SEES[kind]
        assert can_view(secret, user) is expected, name
        assert can_view(lesson, user) is expected, name
        assert visible(CoursePage.objects.filter(pk=secret.pk), user).exists() is expected, name
        assert visible(LessonPage.objects.filter(pk=lesson.pk), user).exists() is expected, name
        assert visible(Page.objects.filter(pk=lesson.pk), user).exists() is expected, name
        # The open course is private too when the restriction is on the catalog.
        assert can_view(public, user) is sees_public(name, kind, where), name
    # A site session that gave the password passes a password restriction, whoever holds it.
    session = {SESSION_KEY: [restriction.pk]}
    for user in people.values():
        assert can_view(lesson, user, session) is (kind == PASSWORD or can_view(lesson, user))
        assert visible(LessonPage.objects.filter(pk=lesson.pk), user, session).exists() is can_view(lesson, user, session)


def test_the_cache_scope_tells_apart_whoever_sees_differently(people, secret, cohort):
    scopes = {name: restriction_scope(user) for name, user in people.items()}
    assert len(set(scopes.values())) == len(scopes)  # member vs student: groups; owner: teaches; admin
    assert restriction_scope(None, {SESSION_KEY: [7]}) != scopes["anonymous"]
    other = UserFactory(role=Role.STUDENT)
    assert restriction_scope(other) == scopes["student"]  # same groups, no courses: one cache entry
    other.groups.add(cohort)
    assert restriction_scope(other) == scopes["member"]


# --- the API ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["course", "catalog"])
@pytest.mark.parametrize("kind", [LOGIN, GROUPS, PASSWORD])
def test_api_catalog_detail_facets_total_and_categories(clients, people, secret, public, restrict, kind, where):
    # Warm every viewer's cache while the course is public: a restriction must apply at once all the same.
    for name in VIEWERS:
        assert clients(name).get("/api/v1/courses/").json()["count"] == 2
    restrict(on(where, secret), kind)
    for name in VIEWERS:
        client, sees = clients(name), name in SEES[kind]
        body = client.get("/api/v1/courses/").json()
        listed = {course["id"] for course in body["results"]}
        expected = {secret.pk} if sees else set()
        if sees_public(name, kind, where):
            expected.add(public.pk)
        assert listed == expected, name
        assert body["count"] == len(expected), name
        teachers = {entry["value"]: entry["count"] for entry in body["facets"]["teacher"]}
        assert (secret.owner_id in teachers) is sees, name
        assert {entry["value"]: entry["count"] for entry in body["facets"]["category"]}.get("programming", 0) == len(
            expected
        )
        searched = client.get("/api/v1/courses/", {"search": "python"}).json()
        assert {course["id"] for course in searched["results"]} == expected, name
        assert client.get(f"/api/v1/courses/{secret.pk}/").status_code == (200 if sees else 404), name
        assert client.get(f"/api/v1/courses/{secret.pk}/reviews/").status_code == (200 if sees else 404), name
        counts = {entry["slug"]: entry["course_count"] for entry in client.get("/api/v1/categories/").json()["results"]}
        assert counts["programming"] == len(expected), name


@pytest.mark.parametrize("kind", [GROUPS, PASSWORD])  # a login restriction refuses only visitors: see above
def test_api_learning_doors_refuse_a_private_course(clients, secret, restrict, student, other_student, as_user, kind):
    first, second = secret.lessons()
    # A learner who started before the course was made private, and wrote a review.
    learning.enroll(learner=student, course=secret)
    learning.complete_lesson(learner=student, lesson=first)
    review = Review.objects.create(learner=student, course=secret, rating=5, text="Great")
    restrict(secret, kind)
    client = clients("student")
    assert client.get(f"/api/v1/lessons/{first.pk}/").status_code == 404
    assert client.get(f"/api/v1/lessons/{second.pk}/quiz/").status_code == 404
    answers = {"answers": [{"question": 1, "choices": [1]}]}
    assert client.post(f"/api/v1/lessons/{second.pk}/quiz/attempts/", answers, format="json").status_code == 404
    assert client.get(f"/api/v1/lessons/{second.pk}/quiz/attempts/").status_code == 404
    assert client.post(f"/api/v1/lessons/{second.pk}/complete/").status_code == 404
    assert client.get(f"/api/v1/courses/{secret.pk}/reviews/").status_code == 404
    posted = client.post(f"/api/v1/courses/{secret.pk}/reviews/", {"rating": 1}, format="json")
    assert posted.status_code == 404
    assert client.get(f"/api/v1/reviews/{review.pk}/").status_code == 200  # their own words stay theirs
    assert client.get("/api/v1/me/enrollments/").json()["count"] == 0
    assert not Attempt.objects.exists()
    stranger = as_user(other_student)
    assert stranger.post(f"/api/v1/courses/{secret.pk}/enroll/").status_code == 404
    assert stranger.get(f"/api/v1/reviews/{review.pk}/").status_code == 404
    assert not Enrollment.objects.filter(learner=other_student).exists()

    # Those who pass the restriction go on as before.
    for name in SEES[kind] - {"owner", "admin"}:
        client = clients(name)
        assert client.post(f"/api/v1/courses/{secret.pk}/enroll/").status_code == 201, name
        assert client.get(f"/api/v1/lessons/{first.pk}/").status_code == 200, name
        assert client.get(f"/api/v1/courses/{secret.pk}/reviews/").json()["count"] == 1, name
        assert client.get("/api/v1/me/enrollments/").json()["count"] == 1, name
    for name in ("owner", "admin"):
        assert clients(name).get(f"/api/v1/lessons/{second.pk}/").status_code == 200
        assert clients(name).get(f"/api/v1/lessons/{second.pk}/quiz/").status_code == 200


def test_api_enrollments_come_back_with_access(clients, people, secret, restrict, cohort):
    member = people["member"]
    learning.enroll(learner=member, course=secret)
    restriction = restrict(secret, GROUPS)
    assert clients("member").get("/api/v1/me/enrollments/").json()["count"] == 1
    member.groups.remove(cohort)
    assert clients("member").get("/api/v1/me/enrollments/").json()["count"] == 0
    restriction.delete()
    assert clients("member").get("/api/v1/me/enrollments/").json()["count"] == 1


def test_a_certificate_stays_verifiable_but_no_longer_points_to_a_private_course(make_course, student, restrict, as_user, api):
    import jwt

    course = make_course(title="Finished", lessons=1)
    learning.enroll(learner=student, course=course)
    learning.complete_lesson(learner=student, lesson=course.lessons().first())
    certificate = Certificate.objects.get(learner=student, course=course)

    def achievement():
        token = api.get(f"/api/v1/certificates/{certificate.code}/credential/").json()["credential"]
        return jwt.decode(token, options={"verify_signature": False})["vc"]["credentialSubject"]["achievement"]["id"]

    assert achievement().endswith(f"/api/v1/courses/{course.pk}/")
    assert as_user(student).get("/api/v1/me/certificates/").json()["results"][0]["course"]["id"] == course.pk

    restrict(course, GROUPS)
    mine = as_user(student).get("/api/v1/me/certificates/").json()["results"][0]
    assert mine["course"] == {"id": None, "title": "Finished"}
    assert achievement().endswith(f"/certificates/{certificate.code}/")
    verified = api.get(f"/api/v1/certificates/{certificate.code}/").json()
    assert verified["valid"] is True and verified["course_title"] == "Finished"


# --- the site ---------------------------------------------------------------------------------------


def card_titles(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.mark.parametrize("where", ["course", "catalog"])
@pytest.mark.parametrize("kind", [LOGIN, GROUPS])
def test_site_catalog_search_and_home_follow_the_restriction(client, people, secret, public, restrict, kind, where):
    catalog = secret.get_parent()
    for url in (catalog.url, "/search/?q=python", "/"):
        assert "Secret Python" in card_titles(client.get(url))
    restrict(on(where, secret), kind)
    for name in ("anonymous", "student", "member", "owner", "other_teacher", "admin"):
        client.logout()
        if people[name] is not None:
            site_login(client, people[name])
        sees = name in SEES[kind]
        for url in ("/search/?q=python", "/search/", "/"):
            html = card_titles(client.get(url))
            assert ("Secret Python" in html) is sees, (name, url)
            assert ("Open Python" in html) is sees_public(name, kind, where), (name, url)
        catalog_page = client.get(catalog.url)
        if where == "course":
            html = card_titles(catalog_page)
            assert ("Secret Python" in html) is sees, name
        elif name in PASSES[kind]:  # the catalog page itself is private: its courses' teachers do not pass
            assert "Secret Python" in card_titles(catalog_page)
        else:
            assert catalog_page.status_code == 302  # Wagtail's own check: log in


def test_site_password_opens_the_catalog_search_enrollment_and_lessons(client, student, secret, public, restrict):
    restriction = restrict(secret, PASSWORD)
    site_login(client, student)
    catalog = secret.get_parent()
    assert "Secret Python" not in card_titles(client.get(catalog.url))
    assert "Secret Python" not in card_titles(client.get("/search/?q=python"))
    assert 'name="password"' in client.get(secret.url).content.decode()  # Wagtail's password form
    assert client.post(f"/learn/courses/{secret.pk}/enroll/").status_code == 404
    assert not Enrollment.objects.filter(learner=student).exists()

    give_password(client, restriction, secret)
    assert "Secret Python" in card_titles(client.get(catalog.url))
    assert "Secret Python" in card_titles(client.get("/search/?q=python"))
    assert client.get(secret.url).status_code == 200
    assert client.post(f"/learn/courses/{secret.pk}/enroll/").status_code == 302
    first, second = secret.lessons()
    assert client.get(first.url).status_code == 200
    assert client.post(f"/learn/lessons/{first.pk}/complete/").status_code == 302
    assert "Secret Python" in client.get("/learn/").content.decode()
    assert client.post(f"/learn/courses/{secret.pk}/review/", {"rating": "5", "text": "Nice"}).status_code == 302
    assert Review.objects.filter(learner=student, course=secret).exists()
    # A new session has not been given the password.
    client.logout()
    client.force_login(student)
    assert "Secret Python" not in client.get("/learn/").content.decode()


def test_site_learning_doors_refuse_a_private_course(client, people, secret, restrict, student):
    first, second = secret.lessons()
    learning.enroll(learner=student, course=secret)
    learning.complete_lesson(learner=student, lesson=first)
    attempt = learning.submit_quiz(learner=student, lesson=second, answers=[]).attempt
    restrict(secret, GROUPS)
    site_login(client, student)
    assert client.get(first.url).status_code == 302  # Wagtail's check: log in as someone allowed
    assert client.get(secret.url).status_code == 302
    question = attempt.results[0]["question"]
    assert client.post(f"/learn/lessons/{second.pk}/quiz/", {f"q{question}": "1"}).status_code == 404
    assert client.post(f"/learn/lessons/{second.pk}/complete/").status_code == 404
    assert client.post(f"/learn/courses/{secret.pk}/review/", {"rating": "4"}).status_code == 404
    assert client.get(f"/learn/attempts/{attempt.pk}/").status_code == 404
    assert Attempt.objects.filter(learner=student).count() == 1 and not Review.objects.exists()
    html = client.get("/learn/").content.decode()
    assert "Secret Python" not in html and secret.url not in html

    # A member of the group goes on; so do the course's teacher and the admins, on the site as in the API.
    site_login(client, people["member"])
    assert client.get(secret.url).status_code == 200
    assert client.post(f"/learn/courses/{secret.pk}/enroll/").status_code == 302
    assert client.get(first.url).status_code == 200
    for name in ("owner", "admin"):
        site_login(client, people[name])
        assert client.get(secret.url).status_code == 200, name
        assert client.get(second.url).status_code == 200, name
    site_login(client, people["other_teacher"])
    assert client.get(secret.url).status_code == 302


# --- the catalog's cache ------------------------------------------------------------------------------


def test_the_admin_privacy_dialog_hides_a_cached_course_at_once(client, api, admin_user, secret, public, cohort):
    catalog = secret.get_parent()
    for _ in range(2):  # the second answer comes from the cache
        assert api.get("/api/v1/courses/").json()["count"] == 2
        assert "Secret Python" in card_titles(client.get(catalog.url))
        assert "Secret Python" in card_titles(client.get("/search/?q=python"))

    admin = client
    admin.force_login(admin_user)
    url = reverse("wagtailadmin_pages:set_privacy", args=[secret.pk])
    assert admin.post(url, {"restriction_type": GROUPS, "groups": [cohort.pk]}).status_code == 200
    assert PageViewRestriction.objects.filter(page=secret).exists()
    admin.logout()
    assert api.get("/api/v1/courses/").json()["count"] == 1
    assert "Secret Python" not in card_titles(client.get(catalog.url))
    assert "Secret Python" not in card_titles(client.get("/search/?q=python"))

    admin.force_login(admin_user)
    assert admin.post(url, {"restriction_type": "none"}).status_code == 200
    assert not PageViewRestriction.objects.exists()
    admin.logout()
    assert api.get("/api/v1/courses/").json()["count"] == 2
    assert "Secret Python" in card_titles(client.get("/search/?q=python"))


def test_a_viewer_who_passes_never_shares_cache_entries_with_one_who_does_not(clients, people, secret, restrict):
    restrict(secret, GROUPS)
    # The member computes (and caches) first, then a student with the very same request.
    for name, count in (("member", 1), ("student", 0), ("member", 1), ("anonymous", 0)):
        assert clients(name).get("/api/v1/courses/", {"search": "secret"}).json()["count"] == count, name
