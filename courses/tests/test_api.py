"""The Catalog part of the API contract: reading courses, and teachers authoring them."""

import pytest
from wagtail.models import PageLogEntry, Revision

from courses.models import Category, CoursePage, LessonPage

pytestmark = pytest.mark.django_db

COURSES = "/api/v1/courses/"


@pytest.fixture
def python_category(db):
    return Category.objects.create(name="Programming", slug="programming")


# --- reading ----------------------------------------------------------------------------------------


def test_catalog_lists_published_courses_with_public_urls(api, make_course, teacher):
    course = make_course(title="Основы Python", language="ru")
    draft = make_course(title="Draft")
    draft.unpublish()
    body = api.get(COURSES).json()
    assert body["count"] == 1
    [item] = body["results"]
    assert item["id"] == course.pk
    assert item["title"] == "Основы Python"
    assert item["url"].startswith("http://") and item["url"].endswith(course.url)
    assert item["teacher"] == {"id": teacher.pk, "name": teacher.name}
    assert item["rating_avg"] is None and item["rating_count"] == 0


def test_course_detail_has_ordered_lessons_with_positions(api, make_course):
    course = make_course(lessons=3)
    lessons = list(course.lessons())
    lessons[0].move(course, pos="last-child")  # a teacher drags lesson 1 to the end
    body = api.get(f"{COURSES}{course.pk}/").json()
    assert [lesson["id"] for lesson in body["lessons"]] == [lessons[1].pk, lessons[2].pk, lessons[0].pk]
    assert [lesson["position"] for lesson in body["lessons"]] == [1, 2, 3]
    first = body["lessons"][0]
    assert first["completed"] is False and first["locked"] is True and first["has_quiz"] is False
    assert body["enrolled"] is False and body["progress_percent"] == 0
    assert "rating_avg" in body and "rating_count" in body


def test_unpublished_courses_are_not_found_except_for_their_teacher_and_admins(
    api, make_course, teacher, other_teacher, admin_user, as_user
):
    course = make_course()
    course.unpublish()
    assert api.get(f"{COURSES}{course.pk}/").status_code == 404
    assert as_user(other_teacher).get(f"{COURSES}{course.pk}/").status_code == 404
    assert as_user(teacher).get(f"{COURSES}{course.pk}/").status_code == 200
    assert as_user(admin_user).get(f"{COURSES}{course.pk}/").status_code == 200


def test_unknown_course_is_a_404(api):
    assert api.get(f"{COURSES}999999/").status_code == 404


def test_filters(api, make_course, teacher, other_teacher, python_category):
    python = make_course(title="Python", category=python_category, level="beginner", language="en")
    make_course(owner=other_teacher, title="SQL", level="advanced", language="ru")

    def ids(**params):
        return [c["id"] for c in api.get(COURSES, params).json()["results"]]

    assert ids(category="programming") == [python.pk]
    assert ids(level="beginner") == [python.pk]
    assert ids(language="en") == [python.pk]
    assert ids(teacher=teacher.pk) == [python.pk]
    assert ids(category="programming", level="advanced") == []
    assert ids(ordering="title")[0] == python.pk


@pytest.mark.parametrize(
    "params",
    [
        {"level": "expert"},
        {"category": "no-such-category"},
        {"teacher": "abc"},
        {"language": "xx"},
        {"min_rating": "lots"},
        {"ordering": "password"},
        {"page": "abc"},
        {"page": "0"},
    ],
)
def test_bad_filter_values_are_4xx_never_500(api, make_course, params):
    make_course()
    response = api.get(COURSES, params)
    assert response.status_code in (400, 404), response.content


def test_pagination_edges(api, make_course):
    for number in range(3):
        make_course(title=f"Course {number}", lessons=0)
    page = api.get(COURSES, {"page_size": 2}).json()
    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"]
    assert api.get(COURSES, {"page_size": 1000}).json()["count"] == 3
    assert api.get(COURSES, {"page": 999}).status_code == 404
    assert len(api.get(COURSES, {"page_size": -1}).json()["results"]) == 3  # falls back to the default size


def test_catalog_list_query_count_does_not_grow_with_courses(
    api, make_course, make_image, python_category, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_course(title="Warm-up", lessons=0, cover_image=make_image(), category=python_category)
    api.get(COURSES)  # renditions are made on the first read
    with CaptureQueriesContext(connection) as one:
        api.get(COURSES)
    baseline = len(one.captured_queries)  # read now: the next request resets the query log
    assert baseline <= 4
    for number in range(6):
        make_course(title=f"More {number}", lessons=0, cover_image=make_image(f"c{number}"), category=python_category)
    api.get(COURSES)
    with django_assert_max_num_queries(baseline):
        assert api.get(COURSES).json()["count"] == 7


def test_categories_with_course_counts(api, make_course, python_category):
    Category.objects.create(name="Empty", slug="empty")
    make_course(category=python_category)
    draft = make_course(category=python_category)
    draft.unpublish()
    body = {c["slug"]: c["course_count"] for c in api.get("/api/v1/categories/").json()["results"]}
    assert body == {"empty": 0, "programming": 1}


# --- authoring --------------------------------------------------------------------------------------


def test_teacher_creates_a_course_as_a_published_page_with_a_revision(teacher, as_user, catalog, python_category):
    response = as_user(teacher).post(
        COURSES,
        {
            "title": "Введение в SQL",
            "summary": "Запросы с нуля",
            "description": "<p>Курс <b>для всех</b><script>alert(1)</script></p>",
            "category": "programming",
            "level": "intermediate",
            "language": "ru",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    course = CoursePage.objects.get(pk=body["id"])
    assert course.live and course.owner == teacher and course.get_parent().pk == catalog.pk
    assert course.slug == "vvedenie-v-sql"
    assert "<script>" not in course.description and "<b>для всех</b>" in course.description
    assert Revision.page_revisions.filter(object_id=str(course.pk)).count() == 1
    assert PageLogEntry.objects.filter(page=course, action="wagtail.publish", user=teacher).exists()
    assert body["teacher"]["id"] == teacher.pk and body["lessons"] == []


def test_students_and_anonymous_cannot_author(api, student, as_user, make_course):
    course = make_course()
    assert api.post(COURSES, {"title": "X"}).status_code == 401
    client = as_user(student)
    response = client.post(COURSES, {"title": "X"})
    assert response.status_code == 403 and response.json()["code"] == "teacher_only"
    assert client.patch(f"{COURSES}{course.pk}/", {"title": "Hacked"}).status_code == 403
    assert client.delete(f"{COURSES}{course.pk}/").status_code == 403
    assert client.post(f"{COURSES}{course.pk}/lessons/", {"title": "X"}).status_code == 403
    course.refresh_from_db()
    assert course.title != "Hacked"


def test_another_teacher_cannot_touch_a_course(make_course, other_teacher, as_user):
    course = make_course()
    lesson = course.lessons().first()
    client = as_user(other_teacher)
    response = client.patch(f"{COURSES}{course.pk}/", {"title": "Mine now"})
    assert response.status_code == 403 and response.json()["code"] == "not_course_teacher"
    assert client.delete(f"{COURSES}{course.pk}/").status_code == 403
    assert client.post(f"{COURSES}{course.pk}/lessons/", {"title": "Intruder"}).status_code == 403
    assert client.patch(f"/api/v1/lessons/{lesson.pk}/", {"title": "Mine"}).status_code == 403
    assert client.delete(f"/api/v1/lessons/{lesson.pk}/").status_code == 403
    assert client.get(f"/api/v1/lessons/{lesson.pk}/").status_code == 403
    course.refresh_from_db()
    assert course.title == "Course" and course.lessons().count() == 3


def test_teacher_edits_a_course_with_a_new_published_revision(make_course, teacher, as_user):
    course = make_course()
    response = as_user(teacher).patch(f"{COURSES}{course.pk}/", {"title": "Renamed", "level": "advanced"})
    assert response.status_code == 200
    course.refresh_from_db()
    assert course.title == "Renamed" and course.level == "advanced"
    assert course.latest_revision.content["title"] == "Renamed"
    assert Revision.page_revisions.filter(object_id=str(course.pk)).count() == 2


def test_a_teacher_cannot_give_away_a_course_but_an_admin_can(make_course, teacher, other_teacher, admin_user, as_user):
    course = make_course()
    response = as_user(teacher).patch(f"{COURSES}{course.pk}/", {"teacher": other_teacher.pk})
    assert response.status_code == 403
    response = as_user(admin_user).patch(f"{COURSES}{course.pk}/", {"teacher": other_teacher.pk})
    assert response.status_code == 200
    course.refresh_from_db()
    assert course.owner == other_teacher
    assert as_user(other_teacher).patch(f"{COURSES}{course.pk}/", {"title": "Now mine"}).status_code == 200


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"title": ""},
        {"title": "x" * 256},
        {"title": "Ok", "level": "guru"},
        {"title": "Ok", "language": 7},
        {"title": "Ok", "category": "nope"},
        {"title": ["list"]},
        {"title": "Ok", "duration_minutes": -5},
        {"title": "Ok", "summary": "s" * 301},
        {"title": "Nul\x00"},
    ],
)
def test_course_creation_validates(teacher, as_user, catalog, payload):
    response = as_user(teacher).post(COURSES, payload, format="json")
    assert response.status_code == 400, response.content
    assert CoursePage.objects.count() == 0


def test_teacher_appends_lessons_with_blocks(make_course, teacher, as_user):
    course = make_course(lessons=1)
    response = as_user(teacher).post(
        f"{COURSES}{course.pk}/lessons/",
        {
            "title": "Второй урок",
            "duration_minutes": 15,
            "body": [
                {"type": "heading", "value": "Введение"},
                {"type": "text", "value": "<p>Hello <i>world</i><img src=x onerror=alert(1)></p>"},
                {"type": "code", "value": {"language": "python", "code": "print('hi')"}},
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["position"] == 2 and body["previous"] == course.lessons().first().pk and body["next"] is None
    assert [block["type"] for block in body["body"]] == ["heading", "text", "code"]
    assert body["body"][1]["value"] == "<p>Hello <i>world</i></p>"
    lesson = LessonPage.objects.get(pk=body["id"])
    assert lesson.live and lesson.get_parent().pk == course.pk
    detail = as_user(teacher).get(f"/api/v1/lessons/{lesson.pk}/").json()
    assert detail["course"] == {"id": course.pk, "title": course.title}


@pytest.mark.parametrize(
    "body",
    [
        "not a list",
        [{"type": "video", "value": 999999}],
        [{"type": "file", "value": "abc"}],
        [{"type": "text", "value": 5}],
        [{"type": "script", "value": "x"}],
        [{"value": "no type"}],
        [{"type": "text"}],
        [[1, 2]],
        [{"type": "code", "value": "not a struct"}],
    ],
)
def test_lesson_body_validation(make_course, teacher, as_user, body):
    course = make_course(lessons=0)
    response = as_user(teacher).post(f"{COURSES}{course.pk}/lessons/", {"title": "L", "body": body}, format="json")
    assert response.status_code == 400, response.content
    assert course.get_children().count() == 0


def test_teacher_edits_and_deletes_a_lesson(make_course, teacher, as_user):
    course = make_course(lessons=2)
    first, second = course.lessons()
    client = as_user(teacher)
    response = client.patch(f"/api/v1/lessons/{first.pk}/", {"body": [{"type": "text", "value": "<p>New</p>"}]}, format="json")
    assert response.status_code == 200
    assert response.json()["body"][0]["value"] == "<p>New</p>"
    assert client.delete(f"/api/v1/lessons/{second.pk}/").status_code == 204
    assert [lesson.pk for lesson in course.lessons()] == [first.pk]
    assert PageLogEntry.objects.filter(page_id=second.pk, action="wagtail.delete").exists()


def test_teacher_deletes_a_course(make_course, teacher, as_user):
    course = make_course()
    assert as_user(teacher).delete(f"{COURSES}{course.pk}/").status_code == 204
    assert not CoursePage.objects.filter(pk=course.pk).exists()
    assert LessonPage.objects.count() == 0


def test_students_cannot_read_lessons_before_the_learning_rules(make_course, student, api, as_user):
    lesson = make_course().lessons().first()
    assert api.get(f"/api/v1/lessons/{lesson.pk}/").status_code == 401
    assert as_user(student).get(f"/api/v1/lessons/{lesson.pk}/").status_code == 403


def test_schema_documents_the_catalog(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    for path in ["/api/v1/courses/", "/api/v1/courses/{id}/", "/api/v1/courses/{id}/lessons/", "/api/v1/lessons/{id}/", "/api/v1/categories/"]:
        assert path in paths, path
    detail = schema["components"]["schemas"]["CourseDetail"]["properties"]
    for name in ["url", "lessons", "rating_avg", "rating_count", "enrolled", "progress_percent"]:
        assert name in detail
