"""The learner's journey through the API: enroll, lessons in order, progress, completion."""


import pytest
from django.db import connection
from rest_framework.test import APIClient

from courses import services as authoring
from learners.models import Enrollment, LessonCompletion
from learners.services import learning

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(make_course):
    return make_course(title="Основы Python", lessons=3)


def lessons_of(course):
    return list(course.lessons())


def enroll_url(course):
    return f"/api/v1/courses/{course.pk}/enroll/"


# --- enrolling --------------------------------------------------------------------------------------


def test_enroll_then_a_second_enroll_is_a_conflict(course, student, as_user):
    client = as_user(student)
    response = client.post(enroll_url(course))
    assert response.status_code == 201
    body = response.json()
    assert body["course"] == {"id": course.pk, "title": "Основы Python"}
    assert body["progress_percent"] == 0 and body["completed_at"] is None and body["enrolled_at"]
    second = client.post(enroll_url(course))
    assert second.status_code == 409
    assert second.json()["code"] == "already_enrolled"
    assert Enrollment.objects.filter(learner=student).count() == 1


def test_enroll_needs_a_user_and_a_published_course(course, api, student, as_user):
    assert api.post(enroll_url(course)).status_code == 401
    course.unpublish()
    assert as_user(student).post(enroll_url(course)).status_code == 404
    assert as_user(student).post("/api/v1/courses/999999/enroll/").status_code == 404


def test_leaving_keeps_progress_and_enrolling_again_brings_it_back(course, student, as_user):
    client = as_user(student)
    client.post(enroll_url(course))
    first = lessons_of(course)[0]
    assert client.post(f"/api/v1/lessons/{first.pk}/complete/").json()["progress_percent"] == 33
    assert client.delete(enroll_url(course)).status_code == 204
    assert client.get("/api/v1/me/enrollments/").json()["count"] == 0
    assert client.get(f"/api/v1/lessons/{first.pk}/").json()["code"] == "not_enrolled"
    assert client.post(enroll_url(course)).status_code == 201
    detail = client.get(f"/api/v1/courses/{course.pk}/").json()
    assert detail["enrolled"] is True and detail["progress_percent"] == 33
    assert detail["lessons"][0]["completed"] is True and detail["lessons"][1]["locked"] is False
    assert Enrollment.objects.filter(learner=student).count() == 1


def test_leaving_a_course_one_is_not_in_is_a_404(course, student, as_user):
    assert as_user(student).delete(enroll_url(course)).status_code == 404


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_enrollments_make_one(make_course, student):
    course = make_course(lessons=1)
    from conftest import at_once, client_for

    clients = [client_for(student), client_for(student)]
    responses = at_once([lambda client=client: client.post(enroll_url(course)) for client in clients])
    assert sorted(response.status_code for response in responses) == [201, 409]
    assert Enrollment.objects.filter(learner=student, course=course).count() == 1


def test_the_database_holds_one_enrollment_per_learner_and_course(course, student):
    from django.db import IntegrityError

    Enrollment.objects.create(learner=student, course=course, course_title=course.title)
    with pytest.raises(IntegrityError):
        Enrollment.objects.create(learner=student, course=course, course_title=course.title)


# --- lessons in order -------------------------------------------------------------------------------


def test_lessons_open_in_order(course, student, as_user):
    client = as_user(student)
    first, second, third = lessons_of(course)
    assert client.get(f"/api/v1/lessons/{first.pk}/").json()["code"] == "not_enrolled"
    client.post(enroll_url(course))

    response = client.get(f"/api/v1/lessons/{first.pk}/")
    assert response.status_code == 200
    assert response.json()["previous"] is None and response.json()["next"] == second.pk

    locked = client.get(f"/api/v1/lessons/{second.pk}/")
    assert locked.status_code == 403 and locked.json()["code"] == "lesson_locked"
    assert first.title in locked.json()["detail"]
    refused = client.post(f"/api/v1/lessons/{third.pk}/complete/")
    assert refused.status_code == 403 and refused.json()["code"] == "lesson_locked"

    done = client.post(f"/api/v1/lessons/{first.pk}/complete/")
    assert done.status_code == 200
    assert done.json() == {"completed": True, "progress_percent": 33, "course_completed": False}
    assert client.get(f"/api/v1/lessons/{second.pk}/").status_code == 200
    assert client.get(f"/api/v1/lessons/{third.pk}/").json()["code"] == "lesson_locked"


def test_course_detail_shows_each_lessons_state(course, student, as_user, api):
    first, second, third = lessons_of(course)
    anonymous = api.get(f"/api/v1/courses/{course.pk}/").json()
    assert [(item["completed"], item["locked"]) for item in anonymous["lessons"]] == [(False, True)] * 3
    client = as_user(student)
    client.post(enroll_url(course))
    client.post(f"/api/v1/lessons/{first.pk}/complete/")
    body = client.get(f"/api/v1/courses/{course.pk}/").json()
    assert body["enrolled"] is True and body["progress_percent"] == 33
    assert [(item["completed"], item["locked"]) for item in body["lessons"]] == [
        (True, False),
        (False, False),
        (False, True),
    ]


def test_the_teacher_and_admins_open_every_lesson_without_enrolling(course, teacher, admin_user, other_teacher, as_user):
    third = lessons_of(course)[2]
    assert as_user(teacher).get(f"/api/v1/lessons/{third.pk}/").status_code == 200
    assert as_user(admin_user).get(f"/api/v1/lessons/{third.pk}/").status_code == 200
    assert as_user(other_teacher).get(f"/api/v1/lessons/{third.pk}/").json()["code"] == "not_enrolled"
    detail = as_user(teacher).get(f"/api/v1/courses/{course.pk}/").json()
    assert not any(item["locked"] for item in detail["lessons"])


def test_completing_needs_enrollment_and_is_idempotent(course, student, as_user):
    client = as_user(student)
    first = lessons_of(course)[0]
    response = client.post(f"/api/v1/lessons/{first.pk}/complete/")
    assert response.status_code == 403 and response.json()["code"] == "not_enrolled"
    client.post(enroll_url(course))
    client.post(f"/api/v1/lessons/{first.pk}/complete/")
    client.post(f"/api/v1/lessons/{first.pk}/complete/")
    assert LessonCompletion.objects.filter(learner=student, lesson=first).count() == 1
    assert client.post("/api/v1/lessons/999999/complete/").status_code == 404


def test_completing_every_lesson_completes_the_enrollment(course, student, as_user):
    client = as_user(student)
    client.post(enroll_url(course))
    responses = [client.post(f"/api/v1/lessons/{lesson.pk}/complete/").json() for lesson in lessons_of(course)]
    assert responses[-1] == {"completed": True, "progress_percent": 100, "course_completed": True}
    enrollment = Enrollment.objects.get(learner=student, course=course)
    assert enrollment.completed_at is not None
    listed = client.get("/api/v1/me/enrollments/").json()["results"][0]
    assert listed["progress_percent"] == 100 and listed["completed_at"]


# --- progress when the course changes -----------------------------------------------------------------


def test_adding_a_lesson_lowers_progress_and_removing_one_keeps_other_completions(course, student, teacher, as_user):
    client = as_user(student)
    client.post(enroll_url(course))
    first, second, third = lessons_of(course)
    client.post(f"/api/v1/lessons/{first.pk}/complete/")
    client.post(f"/api/v1/lessons/{second.pk}/complete/")
    assert client.get(f"/api/v1/courses/{course.pk}/").json()["progress_percent"] == 66

    authoring.add_lesson(course=course, by=teacher, title="Bonus", body=[])
    assert client.get(f"/api/v1/courses/{course.pk}/").json()["progress_percent"] == 50

    authoring.delete_page(page=second, by=teacher)
    body = client.get(f"/api/v1/courses/{course.pk}/").json()
    assert body["progress_percent"] == 33  # 1 of the 3 lessons published now
    assert LessonCompletion.objects.filter(learner=student, lesson=first).exists()
    assert client.get("/api/v1/me/enrollments/").json()["results"][0]["progress_percent"] == 33


def test_unpublished_lessons_do_not_count(course, student, as_user):
    client = as_user(student)
    client.post(enroll_url(course))
    first, second, third = lessons_of(course)
    client.post(f"/api/v1/lessons/{first.pk}/complete/")
    third.unpublish()
    assert client.get(f"/api/v1/courses/{course.pk}/").json()["progress_percent"] == 50
    assert client.get(f"/api/v1/lessons/{third.pk}/").status_code == 404


def test_deleting_a_course_keeps_enrollments(course, student, teacher, as_user):
    client = as_user(student)
    client.post(enroll_url(course))
    client.post(f"/api/v1/lessons/{lessons_of(course)[0].pk}/complete/")
    authoring.delete_page(page=course, by=teacher)
    enrollment = Enrollment.objects.get(learner=student)
    assert enrollment.course is None and enrollment.course_title == "Основы Python"
    assert LessonCompletion.objects.filter(learner=student).count() == 1
    assert client.get("/api/v1/me/enrollments/").json()["results"][0]["course"] == {"id": None, "title": "Основы Python"}


# --- lists --------------------------------------------------------------------------------------------


def test_my_enrollments_query_count_does_not_grow(make_course, student, as_user, django_assert_max_num_queries):
    from django.test.utils import CaptureQueriesContext

    client = as_user(student)
    client.post(enroll_url(make_course(title="One", lessons=2)))
    with CaptureQueriesContext(connection) as one:
        assert client.get("/api/v1/me/enrollments/").json()["count"] == 1
    baseline = len(one.captured_queries)
    for number in range(5):
        course = make_course(title=f"More {number}", lessons=4)
        client.post(enroll_url(course))
        client.post(f"/api/v1/lessons/{course.lessons().first().pk}/complete/")
    with django_assert_max_num_queries(baseline):
        body = client.get("/api/v1/me/enrollments/").json()
    assert body["count"] == 6
    assert sorted(item["progress_percent"] for item in body["results"]) == [0, 25, 25, 25, 25, 25]


def test_course_detail_query_count_does_not_grow_with_lessons(make_course, student, as_user, django_assert_max_num_queries):
    from django.test.utils import CaptureQueriesContext

    client = as_user(student)
    small = make_course(title="Small", lessons=2)
    big = make_course(title="Big", lessons=12)
    for course in (small, big):
        client.post(enroll_url(course))
    client.get(f"/api/v1/courses/{small.pk}/")
    with CaptureQueriesContext(connection) as one:
        client.get(f"/api/v1/courses/{small.pk}/")
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(client.get(f"/api/v1/courses/{big.pk}/").json()["lessons"]) == 12


def test_services_refuse_a_locked_lesson_directly(course, student):
    learning.enroll(learner=student, course=course)
    with pytest.raises(learning.LessonLocked) as error:
        learning.complete_lesson(learner=student, lesson=lessons_of(course)[1])
    assert error.value.opened_by.pk == lessons_of(course)[0].pk


def test_schema_documents_learning_routes():
    schema = APIClient().get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for path in ["/api/v1/courses/{id}/enroll/", "/api/v1/me/enrollments/", "/api/v1/lessons/{id}/complete/"]:
        assert path in schema["paths"]
